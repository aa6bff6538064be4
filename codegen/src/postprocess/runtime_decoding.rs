//! progenitor decodes a JSON success body with `ResponseValue::from_response`, which buffers
//! the whole body whatever its size and reports a bad field only by line and column; 0.15 has
//! no setting or hook for decoding (`pre`/`post` hooks see the response, not its body). This
//! pass routes every JSON decode through the runtime instead,
//! `crate::__private::json(response, client.inner(), &info)`, which reads up to the runtime's
//! limit and names the JSON path of a bad field (`generated-client/src/decode.rs`).
//!
//! The runtime's failures leave the generated code inside progenitor's error type, as the
//! payload of `Error::ErrorResponse` (no generated call decodes error bodies itself, see the
//! `error_responses_to_runtime` normalize pass), so every `send()`'s `Error<()>` becomes
//! `Error<crate::Error>`, which `crate::Error::from_generated_error` takes apart.
//!
//! Every rewritten call is counted per operation and checked against the JSON success
//! responses of the normalized spec: a progenitor release that decodes differently fails
//! regeneration here instead of silently bypassing the limit.

use std::collections::BTreeMap;

use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};

const PASS: &str = "runtime_decoding";

pub fn run(file: &mut syn::File, normalized: &OpenAPI) -> Result<(), String> {
    let mut pass = Route { operation: None, rewritten: BTreeMap::new(), error: None };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(format!("post-process pass `{PASS}`: {error}"));
    }
    super::check_counts(PASS, "JSON decode calls", &expected(normalized), &pass.rewritten)
}

/// Per operation, how many success responses progenitor decodes as JSON.
fn expected(normalized: &OpenAPI) -> BTreeMap<String, usize> {
    normalized
        .operations()
        .filter_map(|(_, _, operation)| {
            Some((operation.operation_id.clone()?, super::json_success_responses(normalized, operation)))
        })
        .filter(|(_, count)| *count > 0)
        .collect()
}

struct Route {
    /// The operation of the `send` being visited.
    operation: Option<String>,
    rewritten: BTreeMap<String, usize>,
    error: Option<String>,
}

impl VisitMut for Route {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident != "send" || function.sig.asyncness.is_none() {
            return visit_mut::visit_impl_item_fn_mut(self, function);
        }
        let Some(id) = super::operation_id(&function.block) else {
            self.error.get_or_insert_with(|| "a generated `send` has no `OperationInfo`".to_owned());
            return;
        };
        if !runtime_error_type(&mut function.sig.output) {
            self.error.get_or_insert_with(|| format!("{}: `send` does not return `Error<()>`", id.value()));
        }
        let outer = self.operation.replace(id.value());
        visit_mut::visit_block_mut(self, &mut function.block);
        self.operation = outer;
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some(operation) = &self.operation
            && let Some(response) = from_response_argument(expr)
        {
            *expr = syn::parse_quote!(crate::__private::json(#response, client.inner(), &info).await);
            *self.rewritten.entry(operation.clone()).or_default() += 1;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// `response` of `ResponseValue::from_response(response).await`.
fn from_response_argument(expr: &syn::Expr) -> Option<syn::Expr> {
    let syn::Expr::Await(awaited) = expr else { return None };
    let syn::Expr::Call(call) = awaited.base.as_ref() else { return None };
    let syn::Expr::Path(function) = call.func.as_ref() else { return None };
    let segments: Vec<String> = function.path.segments.iter().map(|segment| segment.ident.to_string()).collect();
    if segments != ["ResponseValue", "from_response"] || call.args.len() != 1 {
        return None;
    }
    call.args.first().cloned()
}

/// `Result<T, Error<()>>` → `Result<T, Error<crate::Error>>`; false if the type is not that.
fn runtime_error_type(output: &mut syn::ReturnType) -> bool {
    let syn::ReturnType::Type(_, ty) = output else { return false };
    let syn::Type::Path(path) = ty.as_mut() else { return false };
    let Some(result) = path.path.segments.last_mut().filter(|segment| segment.ident == "Result") else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &mut result.arguments else { return false };
    let Some(syn::GenericArgument::Type(error)) = arguments.args.iter_mut().nth(1) else { return false };
    let unit: syn::Type = syn::parse_quote!(Error<()>);
    if *error != unit {
        return false;
    }
    *error = syn::parse_quote!(Error<crate::Error>);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn spec(json_operations: &[&str], other: &[&str]) -> OpenAPI {
        let mut paths = String::new();
        for (index, id) in json_operations.iter().enumerate() {
            paths.push_str(&format!(
                "  /j{index}:\n    get:\n      operationId: {id}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {{type: object}}\n"
            ));
        }
        for (index, id) in other.iter().enumerate() {
            paths.push_str(&format!(
                "  /o{index}:\n    get:\n      operationId: {id}\n      responses:\n        '204': {{description: No Content}}\n"
            ));
        }
        serde_yaml::from_str(&format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}")).unwrap()
    }

    fn send(id: &str, arm: proc_macro2::TokenStream) -> syn::ImplItemFn {
        syn::parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::X>, Error<()>> {
                let info = OperationInfo { operation_id: #id };
                match response.status().as_u16() { 200u16 => #arm, _ => Err(Error::UnexpectedResponse(response)) }
            }
        }
    }

    fn file(functions: Vec<syn::ImplItemFn>) -> syn::File {
        syn::parse_quote! { impl<'a> Builder<'a> { #(#functions)* } }
    }

    #[test]
    fn json_decoding_goes_through_the_runtime_and_errors_carry_its_error() {
        let mut file = file(vec![
            send("ShowNotebook", quote!(ResponseValue::from_response(response).await)),
            send("DeleteTag", quote!(Ok(ResponseValue::empty(response)))),
        ]);
        run(&mut file, &spec(&["ShowNotebook"], &["DeleteTag"])).unwrap();
        let text = quote!(#file).to_string();
        assert!(
            text.contains("200u16 => crate :: __private :: json (response , client . inner () , & info) . await"),
            "{text}"
        );
        assert!(!text.contains("from_response"), "{text}");
        assert_eq!(text.matches("Error < crate :: Error >").count(), 2, "{text}");
        assert!(text.contains("Ok (ResponseValue :: empty (response))"), "{text}");
    }

    #[test]
    fn a_decode_call_the_spec_does_not_explain_fails_naming_the_pass() {
        let mut file = file(vec![send("DeleteTag", quote!(ResponseValue::from_response(response).await))]);
        let error = run(&mut file, &spec(&[], &["DeleteTag"])).unwrap_err();
        assert!(error.contains("runtime_decoding"), "{error}");
        assert!(error.contains("DeleteTag: rewrote 1, the normalized spec documents 0"), "{error}");
    }

    #[test]
    fn shared_responses_are_resolved_before_counting() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: Shared\n      responses: {'200': {$ref: '#/components/responses/Ok'}}\n  /b:\n    get:\n      operationId: SharedEmpty\n      responses: {'204': {$ref: '#/components/responses/Empty'}}\ncomponents:\n  responses:\n    Ok: {description: OK, content: {application/json: {schema: {type: object}}}}\n    Empty: {description: No Content}\n",
        )
        .unwrap();
        let mut file = file(vec![
            send("Shared", quote!(ResponseValue::from_response(response).await)),
            send("SharedEmpty", quote!(Ok(ResponseValue::empty(response)))),
        ]);
        run(&mut file, &spec).unwrap();
    }

    #[test]
    fn a_documented_json_response_without_a_decode_call_fails() {
        let mut file = file(vec![send("ShowNotebook", quote!(Ok(ResponseValue::empty(response))))]);
        let error = run(&mut file, &spec(&["ShowNotebook"], &[])).unwrap_err();
        assert!(error.contains("ShowNotebook: rewrote 0, the normalized spec documents 1"), "{error}");
    }
}
