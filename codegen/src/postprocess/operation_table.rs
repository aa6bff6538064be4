//! Hooks only learn the operation id of a call. Traces want the path template
//! (`/v1/{project_id}/notebooks/{id}`, never the concrete path with ids in it), and the runtime
//! must know which operations take no credentials (`security: []`, as IAM token creation) and
//! which stream a raw body (image file upload and download: no whole-call timeout), so this pass
//! adds a table of every operation's id, method, template, whether it is authenticated and
//! whether it streams to the generated module.

use openapiv3::{OpenAPI, Operation, ReferenceOr};

use crate::media_types::is_json;
use crate::normalize::schemas::request_body;

pub fn run(file: &mut syn::File, spec: &OpenAPI) {
    let document_secured = spec.security.as_ref().is_some_and(|requirements| !requirements.is_empty());
    let rows = spec.operations().filter_map(|(path, method, operation)| {
        let id = operation.operation_id.as_deref()?;
        let method = method.to_uppercase();
        let authenticated = match &operation.security {
            Some(requirements) => !requirements.is_empty(),
            None => document_secured,
        };
        let streams = streams(spec, operation);
        Some(quote::quote!((#id, #method, #path, #authenticated, #streams)))
    });
    let table: syn::Item = syn::parse_quote! {
        /// Every operation of this module: (operation id, method, path template, whether it
        /// takes credentials, whether it streams a raw request or response body).
        pub const OPERATIONS: &[(&str, &str, &str, bool, bool)] = &[#(#rows),*];
    };
    let position = file.items.iter().take_while(|item| matches!(item, syn::Item::Use(_))).count();
    file.items.insert(position, table);
}

/// A request body or a success response documented in a media type that is not JSON.
fn streams(spec: &OpenAPI, operation: &Operation) -> bool {
    let components = spec.components.as_ref();
    let raw_request = operation
        .request_body
        .as_ref()
        .and_then(|body| request_body(components, body))
        .is_some_and(|body| body.content.keys().any(|media_type| !is_json(media_type)));
    let raw_response = operation.responses.responses.iter().any(|(status, response)| {
        let success = status.to_string().starts_with('2');
        let response = match response {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/responses/")
                .and_then(|name| components?.responses.get(name)?.as_item()),
        };
        success && response.is_some_and(|response| response.content.keys().any(|media_type| !is_json(media_type)))
    });
    raw_request || raw_response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_operation() {
        let spec: OpenAPI = serde_yaml::from_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{token: []}]\npaths:\n  /v1/{project_id}/notebooks/{id}:\n    get:\n      operationId: ShowNotebook\n      responses: {'200': {description: OK}}\n  /v2/images/{id}/file:\n    get:\n      operationId: Download\n      responses: {'200': {description: OK, content: {application/octet-stream: {schema: {type: string, format: binary}}}}}\n  /v3/auth/tokens:\n    post:\n      operationId: CreateToken\n      security: []\n      responses: {'201': {description: OK}}\n",
        )
        .unwrap();
        let mut file: syn::File = syn::parse_quote!(
            use a::b;
        );
        run(&mut file, &spec);
        let text = quote::quote!(#file).to_string();
        assert!(
            text.contains("(\"ShowNotebook\" , \"GET\" , \"/v1/{project_id}/notebooks/{id}\" , true , false)"),
            "{text}"
        );
        assert!(text.contains("(\"CreateToken\" , \"POST\" , \"/v3/auth/tokens\" , false , false)"), "{text}");
        assert!(text.contains("(\"Download\" , \"GET\" , \"/v2/images/{id}/file\" , true , true)"), "{text}");
    }
}
