//! progenitor 0.15 generates typed request bodies only for `application/json` (plus form,
//! octet-stream and text), and refuses a body documenting several media types. Glance's image
//! update documents two vendor JSON types (`application/openstack-images-v2.1-json-patch` and
//! `…-v2.0-json-patch`) with different bodies.
//!
//! This pass keeps the media type the client sends ([`chosen_request_media_type`]: the first
//! JSON one) and presents it to progenitor as `application/json`, so the body is typed and
//! serialized as JSON. The `request_content_type` post-process pass then makes the generated
//! call send the documented `Content-Type`. Dropped alternatives are named in the operation's
//! documentation.

use openapiv3::{OpenAPI, ReferenceOr};

use crate::media_types::{chosen_request_media_type, is_json};

const JSON: &str = "application/json";

pub fn run(spec: &mut OpenAPI) {
    let components = spec.components.clone();
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for operation in super::schemas::operations_mut(item) {
            let Some(body) = &mut operation.request_body else { continue };
            // A shared body is inlined: this operation's copy is the one adapted.
            let Some(resolved) = super::request_body(components.as_ref(), body).cloned() else { continue };
            *body = ReferenceOr::Item(resolved);
            let ReferenceOr::Item(body) = body else { continue };
            let documented: Vec<String> = body.content.keys().cloned().collect();
            let Some(chosen) = chosen_request_media_type(documented.iter().map(String::as_str)) else { continue };
            if !is_json(chosen) || (documented.len() == 1 && chosen == JSON) {
                continue;
            }
            let chosen = chosen.to_owned();
            let media = body.content.swap_remove(&chosen).expect("chosen among the keys");
            body.content.clear();
            body.content.insert(JSON.to_owned(), media);

            let mut sentence = format!("The body is sent as `{chosen}`.");
            let others: Vec<String> = documented.iter().filter(|m| **m != chosen).map(|m| format!("`{m}`")).collect();
            if !others.is_empty() {
                sentence.push_str(&format!(
                    " The service also accepts {}, which this client does not send.",
                    others.join(", ")
                ));
            }
            super::document(&mut operation.description, &sentence);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v2/images/{id}:
    patch:
      operationId: GlanceUpdateImage
      description: Updates an image
      requestBody:
        required: true
        content:
          application/openstack-images-v2.1-json-patch:
            schema: {type: array, items: {$ref: '#/components/schemas/V21'}}
          application/openstack-images-v2.0-json-patch:
            schema: {type: array, items: {$ref: '#/components/schemas/V20'}}
      responses: {"200": {description: OK}}
    put:
      operationId: Plain
      requestBody: {$ref: '#/components/requestBodies/Plain'}
      responses: {"200": {description: OK}}
components:
  requestBodies:
    Plain:
      content:
        application/merge-patch+json: {schema: {type: object}}
  schemas:
    V21: {type: object}
    V20: {type: object}
"##;

    fn body(spec: &OpenAPI, method: &str) -> openapiv3::RequestBody {
        let item = spec.paths.paths["/v2/images/{id}"].as_item().unwrap();
        let operation = if method == "patch" { item.patch.as_ref() } else { item.put.as_ref() };
        operation.unwrap().request_body.as_ref().unwrap().as_item().unwrap().clone()
    }

    #[test]
    fn keeps_the_first_json_type_as_application_json() {
        let mut spec = parse(SPEC);
        run(&mut spec);
        let body = body(&spec, "patch");
        assert_eq!(body.content.keys().collect::<Vec<_>>(), ["application/json"]);
        let schema = serde_json::to_value(&body.content["application/json"].schema).unwrap();
        assert_eq!(schema["items"]["$ref"], "#/components/schemas/V21");
        let item = spec.paths.paths["/v2/images/{id}"].as_item().unwrap();
        let description = item.patch.as_ref().unwrap().description.as_deref().unwrap();
        assert!(
            description
                .starts_with("Updates an image. The body is sent as `application/openstack-images-v2.1-json-patch`.")
        );
        assert!(description.contains("also accepts `application/openstack-images-v2.0-json-patch`"), "{description}");
    }

    #[test]
    fn resolves_shared_request_bodies() {
        let mut spec = parse(SPEC);
        run(&mut spec);
        assert_eq!(body(&spec, "put").content.keys().collect::<Vec<_>>(), ["application/json"]);
    }

    #[test]
    fn leaves_plain_json_and_binary_bodies_alone() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v2/images/{id}:
    patch:
      operationId: Json
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {"200": {description: OK}}
    put:
      operationId: Upload
      requestBody: {content: {application/octet-stream: {schema: {type: string, format: binary}}}}
      responses: {"204": {description: OK}}
"##;
        let mut spec = parse(text);
        let before = spec.clone();
        run(&mut spec);
        assert_eq!(spec, before);
    }
}

/// The post-process half: what the generated code needs after progenitor ran on the normalized
/// spec. Both halves live here so a reader sees the whole adaptation at once.
///
/// The `json_request_media_types` normalize pass hands progenitor a vendor JSON body (Glance's
/// `application/openstack-images-v2.1-json-patch`) as `application/json`, so the generated
/// call serializes it with `.json(&body)`, which labels it `application/json`; Glance refuses
/// that with 415. This pass makes the call send the documented type: it puts `Content-Type`
/// into the request's `header_map`, which `.headers(header_map)` applies after `.json()`,
/// replacing the header `.json()` set.
pub(crate) mod content_type {
    use std::collections::HashMap;

    use openapiv3::OpenAPI;
    use syn::visit_mut::{self, VisitMut};

    use crate::media_types::{chosen_request_media_type, needs_explicit_content_type};

    pub fn run(file: &mut syn::File, spec: &OpenAPI) -> Result<(), String> {
        let content_types = explicit_content_types(spec);
        let expected = content_types.len();
        let mut pass = Insert { content_types, inserted: 0 };
        pass.visit_file_mut(file);
        crate::postprocess::expect_sites("request_content_type", "`Content-Type` headers", pass.inserted, expected)
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
                && let Some(operation) = crate::postprocess::operation_id(&function.block)
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
}
