//! progenitor sends an `api-version` header (the spec's `info.version`) with every request.
//! OTC does not define that header, and AK/SK signing would sign it for nothing; this pass
//! removes the statement that appends it.

use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Stmt};

/// Every `send` appends the header once.
pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    let mut pass = Strip { removed: 0 };
    pass.visit_file_mut(file);
    super::expect_sites("strip_api_version_header", "`api-version` appends", pass.removed, super::operation_count(spec))
}

struct Strip {
    removed: usize,
}

impl VisitMut for Strip {
    fn visit_block_mut(&mut self, block: &mut Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !appends_api_version(stmt));
        self.removed += before - block.stmts.len();
        if block.stmts.len() != before {
            // `let mut header_map = HeaderMap::with_capacity(n)` may now have nothing to add.
            for stmt in &mut block.stmts {
                if let Stmt::Local(local) = stmt
                    && matches!(&local.pat, syn::Pat::Ident(binding) if binding.ident == "header_map")
                {
                    local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
                }
            }
        }
        visit_mut::visit_block_mut(self, block);
    }
}

fn appends_api_version(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), _) = stmt else { return false };
    call.method == "append" && quote::quote!(#call).to_string().contains("from_static (\"api-version\")")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_the_api_version_append() {
        let mut file: syn::File = syn::parse_quote! {
            fn send() {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                );
                header_map.append("x-other", value);
            }
        };
        run(&mut file, &super::super::test_spec::one_operation("/a")).unwrap();
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains("x-other"), "{text}");
        assert!(text.contains("allow (unused_mut)"), "{text}");
    }
}
