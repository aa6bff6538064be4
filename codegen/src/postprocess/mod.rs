//! Stage 5: named passes over the syn tree progenitor produced, for what no setting of
//! progenitor or typify offers. Each pass documents the behaviour it changes and has unit tests.

mod http_client_builder;
mod multiple_choices_status;
mod open_enums;
mod operation_ids;
mod operation_table;
mod optional_request_body;
mod path_segments;
mod request_content_type;
mod runtime_path_parameters;
mod strip_api_version_header;
mod typed_errors;

use openapiv3::OpenAPI;

/// Runs every pass; `spec` is the faithful spec (for names the generator transformed).
///
/// Passes that rewrite progenitor's output by its shape count the sites they rewrote against
/// a number derived from the spec, and fail (naming the pass) when they differ: a progenitor
/// upgrade that changes its output must not make a pass silently do nothing.
pub fn postprocess(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    strip_api_version_header::run(file, spec)?;
    open_enums::run(file)?;
    operation_ids::run(file, spec)?;
    operation_table::run(file, spec);
    request_content_type::run(file, spec)?;
    multiple_choices_status::run(file, spec)?;
    optional_request_body::run(file, spec)?;
    path_segments::run(file, spec)?;
    runtime_path_parameters::run(file, spec)?;
    http_client_builder::run(file)?;
    typed_errors::run(file, spec)?;
    Ok(())
}

/// `Ok` when pass `pass` rewrote as many `sites` as the spec says it should.
fn expect_sites(pass: &str, sites: &str, rewritten: usize, expected: usize) -> Result<(), String> {
    if rewritten == expected {
        return Ok(());
    }
    Err(format!(
        "post-process pass `{pass}` rewrote {rewritten} {sites}, the spec calls for {expected}: \
         progenitor's output changed shape; adapt the pass"
    ))
}

/// The number of operations in `spec` (each has one builder, one `send`).
fn operation_count(spec: &OpenAPI) -> usize {
    spec.operations().count()
}

/// The `types` module of a generated file.
fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The `operation_id` literal of the `OperationInfo` the body builds.
pub(crate) fn operation_id(block: &syn::Block) -> Option<syn::LitStr> {
    struct Find(Option<syn::LitStr>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
            if expr.path.is_ident("OperationInfo") {
                for field in &expr.fields {
                    if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &field.expr {
                        self.0 = Some(text.clone());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, expr);
        }
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_block(&mut find, block);
    find.0
}

#[cfg(test)]
pub(crate) mod test_spec {
    /// A spec with one `GET` operation `ShowNotebook` on `path`.
    pub(crate) fn one_operation(path: &str) -> openapiv3::OpenAPI {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  {path}:\n    get:\n      operationId: ShowNotebook\n      responses: {{'200': {{description: OK}}}}\n"
        );
        serde_yaml::from_str(&text).expect("a valid spec")
    }

    #[test]
    fn a_generated_file_without_the_expected_sites_fails_naming_the_pass() {
        let mut file: syn::File = syn::parse_quote! { fn unrelated() {} };
        let error = super::postprocess(&mut file, &one_operation("/v1/{project_id}/notebooks/{id}")).unwrap_err();
        assert!(error.starts_with("post-process pass `strip_api_version_header` rewrote 0"), "{error}");
        assert!(error.contains("the spec calls for 1"), "{error}");
    }
}
