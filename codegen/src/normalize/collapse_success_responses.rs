//! progenitor asserts that an operation has at most one success body type, and treats a
//! bodiless 2xx as a different type from a 2xx with a body (RegisterImage documents 200 with a
//! body and 201 without). This pass merges all 2xx responses into one `2XX` response carrying
//! the (single, validated) body, so any documented success status decodes into the same type.
//! `bodiless_successes` runs first and records which statuses had no body, so the generated
//! call still accepts an empty answer on them.

use openapiv3::{OpenAPI, ReferenceOr, Response, StatusCode};

pub fn run(spec: &mut OpenAPI) {
    let components = spec.components.clone();
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for operation in super::schemas::operations_mut(item) {
            let responses = &mut operation.responses.responses;
            let success: Vec<StatusCode> = responses.keys().filter(|status| is_success(status)).cloned().collect();
            if success.len() < 2 {
                continue;
            }
            let mut merged: Option<Response> = None;
            let mut descriptions = Vec::new();
            for status in &success {
                let response = responses.shift_remove(status).expect("key listed above");
                let response = match response {
                    ReferenceOr::Item(response) => response,
                    ReferenceOr::Reference { reference } => resolve(&components, &reference).unwrap_or_default(),
                };
                descriptions.push(format!("{status}: {}", response.description));
                let has_body = !response.content.is_empty();
                if merged.as_ref().is_none_or(|chosen| chosen.content.is_empty() && has_body) {
                    merged = Some(response);
                }
            }
            let mut merged = merged.expect("at least two responses");
            merged.description = descriptions.join("; ");
            responses.shift_insert(0, StatusCode::Range(2), ReferenceOr::Item(merged));
        }
    }
}

fn is_success(status: &StatusCode) -> bool {
    matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
}

fn resolve(components: &Option<openapiv3::Components>, reference: &str) -> Option<Response> {
    let name = reference.strip_prefix("#/components/responses/")?;
    match components.as_ref()?.responses.get(name)? {
        ReferenceOr::Item(response) => Some(response.clone()),
        ReferenceOr::Reference { .. } => None,
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
        "401": {description: Unauthorized}
  /one:
    get:
      operationId: One
      responses:
        "200": {description: OK}
"##;

    #[test]
    fn merges_200_and_bodiless_201_into_one_2xx_with_the_body() {
        let mut spec = parse(SPEC);
        run(&mut spec);
        let operation = spec.paths.paths["/images"].as_item().unwrap().post.as_ref().unwrap();
        let statuses: Vec<String> = operation.responses.responses.keys().map(ToString::to_string).collect();
        assert_eq!(statuses, ["2XX", "401"]);
        let ReferenceOr::Item(merged) = &operation.responses.responses[&StatusCode::Range(2)] else { panic!() };
        assert_eq!(merged.description, "200: OK; 201: Created");
        assert!(merged.content.contains_key("application/json"));
    }

    #[test]
    fn leaves_a_single_success_response_alone() {
        let mut spec = parse(SPEC);
        run(&mut spec);
        let operation = spec.paths.paths["/one"].as_item().unwrap().get.as_ref().unwrap();
        assert!(operation.responses.responses.contains_key(&StatusCode::Code(200)));
    }
}
