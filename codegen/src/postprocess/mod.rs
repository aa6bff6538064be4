//! Stage 5: named passes over the syn tree progenitor produced, for what no setting of
//! progenitor or typify offers. Each pass documents the behaviour it changes and has unit tests.

mod http_client_builder;
mod open_enums;
mod operation_ids;
mod operation_table;
mod optional_request_body;
mod path_segments;
mod runtime_decoding;
mod runtime_path_parameters;
mod strip_api_version_header;
mod struct_builders;
mod typed_errors;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Operation, StatusCode};

/// Runs every pass; `spec` is the faithful spec (for names the generator transformed),
/// `normalized` what progenitor was given (for passes that count what it generated).
///
/// Passes that rewrite progenitor's output by its shape count the sites they rewrote against
/// a number derived from the spec, and fail (naming the pass) when they differ: a progenitor
/// upgrade that changes its output must not make a pass silently do nothing.
pub fn postprocess(file: &mut syn::File, spec: &OpenAPI, normalized: &OpenAPI) -> Result<(), String> {
    strip_api_version_header::run(file, spec)?;
    open_enums::run(file)?;
    struct_builders::run(file)?;
    operation_ids::run(file, spec)?;
    operation_table::run(file, spec);
    crate::normalize::json_request_media_types::content_type::run(file, spec)?;
    crate::normalize::multiple_choices_success::status::run(file, spec)?;
    optional_request_body::run(file, spec)?;
    path_segments::run(file, spec)?;
    runtime_path_parameters::run(file, spec)?;
    http_client_builder::run(file)?;
    // Decoding goes through the runtime before `typed_errors` copies the return types.
    runtime_decoding::run(file, normalized)?;
    crate::normalize::bodiless_successes::rewrite(file, normalized)?;
    typed_errors::run(file, spec)?;
    Ok(())
}

/// `Ok` when pass `pass` rewrote as many `sites` as the spec says it should.
pub(crate) fn expect_sites(pass: &str, sites: &str, rewritten: usize, expected: usize) -> Result<(), String> {
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

/// How many success responses of `operation` (of `spec`) progenitor decodes as JSON: one match
/// arm each.
pub(crate) fn json_success_responses(spec: &OpenAPI, operation: &Operation) -> usize {
    operation
        .responses
        .responses
        .iter()
        .filter(|(status, _)| matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2)))
        .filter_map(|(_, response)| crate::normalize::bodiless_successes::resolve(&spec.components, response))
        .filter(|response| response.content.keys().any(|media_type| crate::media_types::is_json(media_type)))
        .count()
}

/// Fails naming `pass` when the sites it rewrote per operation differ from what the normalized
/// spec says progenitor generated.
pub(crate) fn check_counts(
    pass: &str,
    what: &str,
    expected: &BTreeMap<String, usize>,
    rewritten: &BTreeMap<String, usize>,
) -> Result<(), String> {
    let mismatches: Vec<String> = expected
        .keys()
        .chain(rewritten.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter_map(|operation| {
            let (want, got) =
                (expected.get(operation).copied().unwrap_or(0), rewritten.get(operation).copied().unwrap_or(0));
            (want != got).then(|| format!("{operation}: rewrote {got}, the normalized spec documents {want}"))
        })
        .collect();
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(format!("post-process pass `{pass}`: {what} differ from the normalized spec: {}", mismatches.join("; ")))
    }
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
        let spec = one_operation("/v1/{project_id}/notebooks/{id}");
        let error = super::postprocess(&mut file, &spec, &spec).unwrap_err();
        assert!(error.starts_with("post-process pass `strip_api_version_header` rewrote 0"), "{error}");
        assert!(error.contains("the spec calls for 1"), "{error}");
    }
}
