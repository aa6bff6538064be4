//! The specs keep `{project_id}` in every path, faithfully; users configure the project once.
//! progenitor initializes each builder's path parameters to "not initialized"; this pass
//! initializes the ones the runtime knows (`project_id`) from the client's runtime instead, so
//! `client.show_notebook().id(..)` needs no project id, and `.project_id(..)` still overrides.

use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};

/// Path parameters the runtime can supply.
const RUNTIME_PARAMETERS: [&str; 1] = ["project_id"];

/// One builder initializer per operation whose path has a runtime parameter, for each of them.
pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    let expected = spec
        .operations()
        .map(|(path, _, _)| RUNTIME_PARAMETERS.iter().filter(|name| path.contains(&format!("{{{name}}}"))).count())
        .sum();
    let mut pass = Fill { filled: 0 };
    pass.visit_file_mut(file);
    super::expect_sites("runtime_path_parameters", "builder initializers", pass.filled, expected)
}

struct Fill {
    filled: usize,
}

impl VisitMut for Fill {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident == "new" {
            for statement in &mut function.block.stmts {
                if let syn::Stmt::Expr(syn::Expr::Struct(init), _) = statement {
                    self.filled += fill(init);
                }
            }
        }
        visit_mut::visit_impl_item_fn_mut(self, function);
    }
}

/// How many fields of `init` it filled.
fn fill(init: &mut syn::ExprStruct) -> usize {
    let mut filled = 0;
    for field in &mut init.fields {
        let syn::Member::Named(name) = &field.member else { continue };
        let name = name.to_string();
        let uninitialized = matches!(&field.expr, syn::Expr::Call(call) if matches!(call.func.as_ref(), syn::Expr::Path(path) if path.path.is_ident("Err")));
        if RUNTIME_PARAMETERS.contains(&name.as_str()) && uninitialized {
            let message = format!("{name} was not initialized (configure a project id, or call `.{name}(..)`)");
            field.expr = syn::parse_quote! {
                client.inner.path_parameter(#name).ok_or_else(|| #message.to_string())
            };
            filled += 1;
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn project_id_comes_from_the_runtime_other_parameters_stay_required() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> ShowNotebook<'a> {
                pub fn new(client: &'a super::Client) -> Self {
                    Self {
                        client: client,
                        project_id: Err("project_id was not initialized".to_string()),
                        id: Err("id was not initialized".to_string()),
                    }
                }
            }
        };
        run(&mut file, &super::super::test_spec::one_operation("/v1/{project_id}/notebooks/{id}")).unwrap();
        let text = quote!(#file).to_string();
        assert!(text.contains("project_id : client . inner . path_parameter (\"project_id\") . ok_or_else"), "{text}");
        assert!(text.contains("id : Err (\"id was not initialized\""), "{text}");
    }
}
