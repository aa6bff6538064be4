//! The `json_request_media_types` normalize pass hands progenitor a vendor JSON body (Glance's
//! `application/openstack-images-v2.1-json-patch`) as `application/json`, so the generated
//! call serializes it with `.json(&body)`, which labels it `application/json`; Glance refuses
//! that with 415. This pass makes the call send the documented type: it puts `Content-Type`
//! into the request's `header_map`, which `.headers(header_map)` applies after `.json()`,
//! replacing the header `.json()` set.

use std::collections::HashMap;

use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};

use crate::media_types::{chosen_request_media_type, needs_explicit_content_type};

pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
    let content_types = explicit_content_types(spec);
    let expected = content_types.len();
    let mut pass = Insert { content_types, inserted: 0 };
    pass.visit_file_mut(file);
    super::expect_sites("request_content_type", "`Content-Type` headers", pass.inserted, expected)
}

/// operationId → the media type its call must label the body with.
fn explicit_content_types(spec: &OpenAPI) -> HashMap<String, String> {
    let mut found = HashMap::new();
    for (_, _, operation) in spec.operations() {
        let (Some(id), Some(body)) = (&operation.operation_id, &operation.request_body) else { continue };
        let Some(body) = crate::normalize::request_body(spec.components.as_ref(), body) else { continue };
        if let Some(chosen) = chosen_request_media_type(body.content.keys().map(String::as_str))
            && needs_explicit_content_type(chosen)
        {
            found.insert(id.clone(), chosen.to_owned());
        }
    }
    found
}

struct Insert {
    content_types: HashMap<String, String>,
    inserted: usize,
}

impl VisitMut for Insert {
    fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
        if function.sig.ident == "send"
            && let Some(operation) = super::operation_id(&function.block)
            && let Some(content_type) = self.content_types.get(&operation.value())
        {
            let statements = &mut function.block.stmts;
            if let Some(at) = statements.iter().position(declares_header_map) {
                let set: syn::Stmt = syn::parse_quote! {
                    header_map.insert(
                        ::reqwest::header::CONTENT_TYPE,
                        ::reqwest::header::HeaderValue::from_static(#content_type)
                    );
                };
                statements.insert(at + 1, set);
                self.inserted += 1;
            }
            return;
        }
        visit_mut::visit_impl_item_fn_mut(self, function);
    }
}

fn declares_header_map(statement: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = statement else { return false };
    let syn::Pat::Ident(binding) = &local.pat else { return false };
    binding.ident == "header_map"
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn spec(media_types: &str) -> OpenAPI {
        serde_yaml::from_str(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    patch:\n      operationId: GlanceUpdateImage\n      requestBody: {{content: {{{media_types}}}}}\n      responses: {{'200': {{description: OK}}}}\n"
        ))
        .unwrap()
    }

    fn send() -> syn::File {
        syn::parse_quote! {
            impl<'a> GlanceUpdateImage<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    let mut request = client.client.patch(url).json(&body).headers(header_map).build()?;
                    let info = OperationInfo { operation_id: "GlanceUpdateImage" };
                }
            }
        }
    }

    #[test]
    fn a_vendor_json_body_gets_its_content_type() {
        let mut file = send();
        run(
            &mut file,
            &spec(
                "application/openstack-images-v2.1-json-patch: {schema: {type: array}}, application/openstack-images-v2.0-json-patch: {schema: {type: array}}",
            ),
        )
        .unwrap();
        let text = quote!(#file).to_string();
        let declared = text.find("let mut header_map").unwrap();
        let inserted = text
            .find("header_map . insert (:: reqwest :: header :: CONTENT_TYPE , :: reqwest :: header :: HeaderValue :: from_static (\"application/openstack-images-v2.1-json-patch\")) ;")
            .expect(&text);
        assert!(declared < inserted && inserted < text.find(". json (& body)").unwrap(), "{text}");
    }

    #[test]
    fn plain_json_is_left_alone() {
        let mut file = send();
        let before = file.clone();
        run(&mut file, &spec("application/json: {schema: {type: array}}")).unwrap();
        assert_eq!(file, before);
    }
}
