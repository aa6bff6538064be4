//! progenitor ignores security schemes; authentication (token, AK/SK signing) is the runtime's
//! job. Dropping them from the generator's copy keeps the generated code independent of them.

use openapiv3::OpenAPI;

pub fn run(spec: &mut OpenAPI) {
    spec.security = None;
    if let Some(components) = &mut spec.components {
        components.security_schemes.clear();
    }
    for item in spec.paths.paths.values_mut() {
        if let openapiv3::ReferenceOr::Item(item) = item {
            for operation in super::schemas::operations_mut(item) {
                operation.security = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn removes_schemes_and_requirements() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{token: []}]
paths:
  /a:
    get:
      operationId: A
      security: []
      responses: {"200": {description: OK}}
components:
  securitySchemes:
    token: {type: apiKey, in: header, name: X-Auth-Token}
"##,
        );
        run(&mut spec);
        assert!(spec.security.is_none());
        assert!(spec.components.unwrap().security_schemes.is_empty());
        assert!(spec.paths.paths["/a"].as_item().unwrap().get.as_ref().unwrap().security.is_none());
    }
}
