//! ModelArts documents some operations with a JSON body on 200 and none on 201 or 204
//! (RegisterImage, DeleteNotebook, …). progenitor 0.15 gives an operation one success type and
//! has no "several success shapes" support (its own `TODO` in `method.rs`), nor a hook to
//! decode a body: `collapse_success_responses` merges the statuses into one `2XX` with the
//! body, and an empty 201 then fails to decode although it is a documented success.
//!
//! Two halves, kept together because each is only right with the other:
//! - [`run`] (normalize, before `collapse_success_responses`) records on such an operation the
//!   statuses documented without a body, as [`EXTENSION`]; progenitor ignores it.
//! - [`rewrite`] (post-process, after `runtime_decoding`) makes that operation's `send()`
//!   return `ResponseValue<Option<T>>` and decode with `crate::__private::optional_json`,
//!   given those statuses: `None` for an empty body on one of them, `Some` for a body; an empty
//!   body on a status documented with one stays a decode error. `.status()` tells which came.
//!
//! Operations whose successes are all bodiless keep `ResponseValue<()>`; all with a body keep
//! `ResponseValue<T>`. `rewrite` counts what it changed against the normalized spec, and fails
//! regeneration naming this pass when they differ.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Operation, ReferenceOr, Response, StatusCode};
use syn::visit_mut::{self, VisitMut};

use crate::media_types::is_json;

/// Where [`run`] records the bodiless success statuses of an operation.
pub const EXTENSION: &str = "x-otc-bodiless-successes";

const PASS: &str = "bodiless_successes";

pub fn run(spec: &mut OpenAPI) {
    let components = spec.components.clone();
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for operation in super::schemas::operations_mut(item) {
            let mut with_body = false;
            let mut bodiless = Vec::new();
            for (status, response) in &operation.responses.responses {
                let StatusCode::Code(code @ 200..=299) = status else { continue };
                let Some(response) = resolve(&components, response) else { continue };
                if response.content.is_empty() {
                    bodiless.push(*code);
                } else if response.content.keys().any(|media_type| is_json(media_type)) {
                    with_body = true;
                }
            }
            if with_body && !bodiless.is_empty() {
                operation.extensions.insert(EXTENSION.to_owned(), serde_json::json!(bodiless));
            }
        }
    }
}

/// The success statuses [`run`] recorded as documented without a body.
pub fn bodiless_successes(operation: &Operation) -> Option<Vec<u16>> {
    serde_json::from_value(operation.extensions.get(EXTENSION)?.clone()).ok()
}

/// A response, or the shared one a `#/components/responses/…` reference names.
pub(crate) fn resolve<'a>(
    components: &'a Option<openapiv3::Components>,
    response: &'a ReferenceOr<Response>,
) -> Option<&'a Response> {
    match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            components.as_ref()?.responses.get(name)?.as_item()
        }
    }
}

/// The post-process half; see the module documentation.
pub fn rewrite(file: &mut syn::File, normalized: &OpenAPI) -> Result<(), String> {
    let mut statuses = BTreeMap::new();
    let mut expected = BTreeMap::new();
    for (_, _, operation) in normalized.operations() {
        if let (Some(id), Some(bodiless)) = (&operation.operation_id, bodiless_successes(operation)) {
            statuses.insert(id.clone(), bodiless);
            expected.insert(id.clone(), crate::postprocess::json_success_responses(normalized, operation));
        }
    }
    let mut pass = Optional { statuses, current: None, rewritten: BTreeMap::new(), error: None };
    pass.visit_file_mut(file);
    if let Some(error) = pass.error {
        return Err(format!("post-process pass `{PASS}`: {error}"));
    }
    crate::postprocess::check_counts(PASS, "optional-body decode calls", &expected, &pass.rewritten)
}

struct Optional {
    /// Bodiless statuses per operation id.
    statuses: BTreeMap<String, Vec<u16>>,
    /// The operation and its bodiless statuses, inside its `send`.
    current: Option<(String, Vec<u16>)>,
    rewritten: BTreeMap<String, usize>,
    error: Option<String>,
}

impl VisitMut for Optional {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident != "send" {
            return visit_mut::visit_impl_item_fn_mut(self, function);
        }
        let Some(id) = crate::postprocess::operation_id(&function.block).map(|id| id.value()) else { return };
        let Some(bodiless) = self.statuses.get(&id).cloned() else { return };
        if !optional_success(&mut function.sig.output) {
            self.error.get_or_insert_with(|| format!("{id}: `send` does not return `Result<ResponseValue<T>, _>`"));
            return;
        }
        self.current = Some((id, bodiless));
        visit_mut::visit_block_mut(self, &mut function.block);
        self.current = None;
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let Some((operation, bodiless)) = &self.current
            && let Some(response) = json_argument(expr)
        {
            let statuses =
                bodiless.iter().map(|code| syn::LitInt::new(&format!("{code}u16"), proc_macro2::Span::call_site()));
            *expr = syn::parse_quote!(
                crate::__private::optional_json(#response, client.inner(), &info, &[#(#statuses),*]).await
            );
            *self.rewritten.entry(operation.clone()).or_default() += 1;
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// `response` of `crate::__private::json(response, client.inner(), &info).await`, what the
/// `runtime_decoding` pass wrote.
fn json_argument(expr: &syn::Expr) -> Option<syn::Expr> {
    let syn::Expr::Await(awaited) = expr else { return None };
    let syn::Expr::Call(call) = awaited.base.as_ref() else { return None };
    let syn::Expr::Path(function) = call.func.as_ref() else { return None };
    let segments: Vec<String> = function.path.segments.iter().map(|segment| segment.ident.to_string()).collect();
    if segments != ["crate", "__private", "json"] {
        return None;
    }
    call.args.first().cloned()
}

/// `Result<ResponseValue<T>, E>` → `Result<ResponseValue<Option<T>>, E>`; false if not that.
fn optional_success(output: &mut syn::ReturnType) -> bool {
    let syn::ReturnType::Type(_, ty) = output else { return false };
    let syn::Type::Path(path) = ty.as_mut() else { return false };
    let Some(result) = path.path.segments.last_mut().filter(|segment| segment.ident == "Result") else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &mut result.arguments else { return false };
    let Some(syn::GenericArgument::Type(syn::Type::Path(value))) = arguments.args.first_mut() else { return false };
    let Some(segment) = value.path.segments.last_mut().filter(|segment| segment.ident == "ResponseValue") else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(inner) = &mut segment.arguments else { return false };
    let Some(syn::GenericArgument::Type(body)) = inner.args.first_mut() else { return false };
    *body = syn::parse_quote!(::std::option::Option<#body>);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;
    use quote::quote;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /images:
    post:
      operationId: RegisterImage
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
        "201": {description: Created}
        "204": {$ref: "#/components/responses/Empty"}
        "401": {description: Unauthorized}
  /tags:
    delete:
      operationId: DeleteTag
      responses:
        "204": {description: No Content}
  /file:
    get:
      operationId: Download
      responses:
        "200":
          description: OK
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
        "204": {description: No Content}
  /one:
    get:
      operationId: One
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: object}
components:
  responses:
    Empty: {description: No Content}
"##;

    fn normalized() -> OpenAPI {
        let mut spec = parse(SPEC);
        run(&mut spec);
        super::super::collapse_success_responses::run(&mut spec);
        spec
    }

    fn recorded(spec: &OpenAPI) -> BTreeMap<String, Vec<u16>> {
        spec.operations()
            .filter_map(|(_, _, operation)| Some((operation.operation_id.clone()?, bodiless_successes(operation)?)))
            .collect()
    }

    #[test]
    fn records_the_bodiless_statuses_beside_a_json_body_and_survives_the_collapse() {
        let recorded = recorded(&normalized());
        assert_eq!(recorded, BTreeMap::from([("RegisterImage".to_owned(), vec![201, 204])]));
    }

    fn send(id: &str) -> syn::ImplItemFn {
        syn::parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::R>, Error<crate::Error>> {
                let info = OperationInfo { operation_id: #id };
                match response.status().as_u16() {
                    200..=299 => crate::__private::json(response, client.inner(), &info).await,
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        }
    }

    #[test]
    fn the_operation_returns_an_optional_body_and_names_its_bodiless_statuses() {
        let (register, one) = (send("RegisterImage"), send("One"));
        let mut file: syn::File = syn::parse_quote! { impl<'a> B<'a> { #register #one } };
        rewrite(&mut file, &normalized()).unwrap();
        let text = quote!(#file).to_string();
        assert_eq!(text.matches("ResponseValue < :: std :: option :: Option < types :: R > >").count(), 1, "{text}");
        assert!(
            text.contains(
                "crate :: __private :: optional_json (response , client . inner () , & info , & [201u16 , 204u16]) . await"
            ),
            "{text}"
        );
        assert_eq!(text.matches("crate :: __private :: json (").count(), 1, "{text}");
    }

    #[test]
    fn a_missing_decode_call_fails_naming_the_pass() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> B<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::R>, Error<crate::Error>> {
                    let info = OperationInfo { operation_id: "RegisterImage" };
                    Ok(ResponseValue::empty(response))
                }
            }
        };
        let error = rewrite(&mut file, &normalized()).unwrap_err();
        assert!(error.contains("`bodiless_successes`"), "{error}");
        assert!(error.contains("RegisterImage: rewrote 0, the normalized spec documents 1"), "{error}");
    }
}
