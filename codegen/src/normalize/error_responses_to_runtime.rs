//! progenitor decodes documented error bodies itself, and when a body does not match (an HTML
//! page from a gateway at 502, an older ModelArts `error_message` shape) it returns
//! `InvalidResponsePayload`, which drops the status code and the headers (request id). The
//! runtime needs all three. This pass removes the error responses (4xx, 5xx, `default`) from the
//! generator's copy, so every non-success answer reaches the runtime as `UnexpectedResponse`
//! with status, headers and body intact; the runtime decodes the service's error body (the
//! generated `types::ModelArtsError`, `types::ImsError`) itself. Validation has already checked
//! that the error responses of each operation share one body type.

use openapiv3::{OpenAPI, ReferenceOr, StatusCode};

pub fn run(spec: &mut OpenAPI) {
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for operation in super::schemas::operations_mut(item) {
            operation.responses.default = None;
            operation.responses.responses.retain(|status, _| !is_error(status));
        }
    }
}

fn is_error(status: &StatusCode) -> bool {
    matches!(status, StatusCode::Code(400..=599) | StatusCode::Range(4..=5))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::parse;

    #[test]
    fn removes_error_and_default_responses_and_keeps_success() {
        let mut spec = parse(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: A
      responses:
        "200": {description: OK}
        "404": {description: Not Found}
        "5XX": {description: Server}
        default: {description: Other}
"##,
        );
        run(&mut spec);
        let responses = &spec.paths.paths["/a"].as_item().unwrap().get.as_ref().unwrap().responses;
        assert!(responses.default.is_none());
        assert_eq!(responses.responses.keys().cloned().collect::<Vec<_>>(), [StatusCode::Code(200)]);
    }
}
