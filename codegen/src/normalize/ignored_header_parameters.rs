//! OpenAPI 3.0.3 (Parameter Object, `name`): a header parameter named `Accept`, `Content-Type`
//! or `Authorization` "SHALL be ignored", because the media types and security schemes say it.
//! progenitor does not ignore them; it would make `content_type` a required builder argument
//! (the IAM page marks `Content-Type` mandatory). This pass applies the rule: the spec keeps the
//! documented header, the generated call sets it from the body's media type.

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use super::schemas::operations_mut;

const IGNORED: [&str; 3] = ["accept", "content-type", "authorization"];

/// Whether a header parameter of this name is ignored (and so absent from generated code).
pub fn is_ignored_header(name: &str) -> bool {
    IGNORED.contains(&name.to_ascii_lowercase().as_str())
}

pub fn run(spec: &mut OpenAPI) {
    let components = spec.components.clone();
    let ignored = |parameter: &ReferenceOr<Parameter>| {
        let parameter = match parameter {
            ReferenceOr::Item(parameter) => Some(parameter),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .and_then(|name| components.as_ref()?.parameters.get(name)?.as_item()),
        };
        matches!(parameter, Some(Parameter::Header { parameter_data, .. }) if is_ignored_header(&parameter_data.name))
    };
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        item.parameters.retain(|parameter| !ignored(parameter));
        for operation in operations_mut(item) {
            operation.parameters.retain(|parameter| !ignored(parameter));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn drops_only_the_headers_openapi_says_to_ignore() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /v3/auth/tokens:
    post:
      operationId: CreateToken
      parameters:
        - {name: Content-Type, in: header, required: true, schema: {type: string}}
        - $ref: "#/components/parameters/auth"
        - {name: X-Language, in: header, schema: {type: string}}
        - {name: nocatalog, in: query, schema: {type: string}}
      responses: {"201": {description: Created}}
components:
  parameters:
    auth: {name: Authorization, in: header, schema: {type: string}}
"##,
        );
        run(&mut spec);
        let operation = spec.paths.paths["/v3/auth/tokens"].as_item().unwrap().post.as_ref().unwrap();
        let names: Vec<String> = operation
            .parameters
            .iter()
            .map(|p| p.as_item().map(|p| p.parameter_data_ref().name.clone()).unwrap_or_default())
            .collect();
        assert_eq!(names, ["X-Language", "nocatalog"]);
    }
}
