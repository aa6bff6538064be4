//! Glance's version discovery (`GET /`, `GET /{version}`) answers `300 Multiple Choices` with
//! the version list as its body, and documents no 2xx. progenitor treats only 2xx as success
//! and ignores a 300 entirely, so the call would have no typed result. (reqwest does not
//! follow a 300: it has no `Location` to follow.)
//!
//! This pass hands progenitor that 300 as a `200`, so the body is typed; the
//! `multiple_choices_status` post-process pass puts the documented status back into the
//! generated match, so the call still accepts exactly what the spec says.

use openapiv3::{OpenAPI, Operation, ReferenceOr, StatusCode};

pub fn run(spec: &mut OpenAPI) {
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for operation in super::schemas::operations_mut(item) {
            if succeeds_only_with_multiple_choices(operation) {
                let responses = &mut operation.responses.responses;
                let at = responses.get_index_of(&StatusCode::Code(300)).expect("checked above");
                let (_, response) = responses.shift_remove_index(at).expect("checked above");
                responses.shift_insert(at, StatusCode::Code(200), response);
            }
        }
    }
}

/// No 2xx or `default`, but a 300.
pub fn succeeds_only_with_multiple_choices(operation: &Operation) -> bool {
    let responses = &operation.responses;
    responses.default.is_none()
        && responses.responses.contains_key(&StatusCode::Code(300))
        && !responses
            .responses
            .keys()
            .any(|status| matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn a_lone_300_is_presented_as_200() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /:
    get:
      operationId: ListVersions
      responses:
        "300": {description: Versions, content: {application/json: {schema: {type: object}}}}
        "400": {description: Bad}
  /v2:
    get:
      operationId: Other
      responses:
        "200": {description: OK}
        "300": {description: Versions}
"##,
        );
        run(&mut spec);
        let codes = |path: &str| -> Vec<String> {
            let operation = spec.paths.paths[path].as_item().unwrap().get.as_ref().unwrap();
            operation.responses.responses.keys().map(ToString::to_string).collect()
        };
        assert_eq!(codes("/"), ["200", "400"]);
        assert_eq!(codes("/v2"), ["200", "300"]);
    }
}
