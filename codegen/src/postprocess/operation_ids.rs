//! progenitor reports the snake-case method name (`show_notebook`) as the operation id it
//! hands to hooks. Errors and traces should name the operation as the spec and the reference do
//! (`ShowNotebook`), so this pass puts the spec's `operationId` back.

use std::collections::HashMap;

use heck::ToSnakeCase;
use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};
use syn::{ExprStruct, Lit};

/// Every `send` builds one `OperationInfo`.
pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    let names = spec
        .operations()
        .filter_map(|(_, _, operation)| operation.operation_id.clone())
        .map(|id| (id.to_snake_case(), id))
        .collect();
    let mut pass = Rename { names, renamed: 0 };
    pass.visit_file_mut(file);
    super::expect_sites("operation_ids", "`OperationInfo` ids", pass.renamed, super::operation_count(spec))
}

struct Rename {
    names: HashMap<String, String>,
    renamed: usize,
}

impl Rename {
    /// The spec's id for progenitor's name, which is the snake-case id with `_` appended when
    /// that is a Rust keyword (`Match` → `match_`).
    fn original(&self, generated: &str) -> Option<&String> {
        self.names.get(generated).or_else(|| self.names.get(generated.strip_suffix('_')?))
    }
}

impl VisitMut for Rename {
    fn visit_expr_struct_mut(&mut self, expr: &mut ExprStruct) {
        if expr.path.is_ident("OperationInfo") {
            for field in &mut expr.fields {
                if let syn::Member::Named(name) = &field.member
                    && name == "operation_id"
                    && let syn::Expr::Lit(literal) = &mut field.expr
                    && let Lit::Str(text) = &literal.lit
                    && let Some(original) = self.original(&text.value())
                {
                    literal.lit = Lit::Str(syn::LitStr::new(original, text.span()));
                    self.renamed += 1;
                }
            }
        }
        visit_mut::visit_expr_struct_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_the_spec_operation_id() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: ShowNotebook\n      responses: {'200': {description: OK}}\n",
        )
        .unwrap();
        let mut file: syn::File = syn::parse_quote! {
            fn send() { let info = OperationInfo { operation_id: "show_notebook" }; }
        };
        run(&mut file, &spec).unwrap();
        assert!(quote::quote!(#file).to_string().contains("operation_id : \"ShowNotebook\""));
    }

    #[test]
    fn restores_an_id_progenitor_escaped_as_a_keyword() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: Match\n      responses: {'200': {description: OK}}\n",
        )
        .unwrap();
        let mut file: syn::File = syn::parse_quote! {
            fn send() { let info = OperationInfo { operation_id: "match_" }; }
        };
        run(&mut file, &spec).unwrap();
        assert!(quote::quote!(#file).to_string().contains("operation_id : \"Match\""));
    }
}
