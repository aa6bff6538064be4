//! Every documented example of a spec, found by walking the raw tree: request bodies and
//! responses (inline or through `#/components/responses`). The golden suite turns each into a
//! test, and the conformance check validates each against its schema.

use serde_json::Value;

use crate::tree;

/// Whether an example is a request body or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// One named example of one operation.
#[derive(Debug, Clone)]
pub struct Example<'a> {
    pub operation_id: &'a str,
    pub method: &'static str,
    pub path: &'a str,
    pub direction: Direction,
    /// The response status key (`"200"`, `"4XX"`); `None` for requests.
    pub status: Option<&'a str>,
    pub media_type: &'a str,
    pub name: &'a str,
    /// JSON pointer of the example object (`.../examples/<name>`).
    pub pointer: String,
    /// The media type's schema (possibly a `$ref`), if any.
    pub schema: Option<&'a Value>,
    /// JSON pointer of that schema node.
    pub schema_pointer: String,
    pub value: &'a Value,
}

/// All examples of the document, operation by operation, requests before responses.
pub fn examples<'a>(root: &'a Value) -> Vec<Example<'a>> {
    let mut found = Vec::new();
    for operation in tree::operations(root) {
        let operation_id = operation.node.get("operationId").and_then(Value::as_str).unwrap_or_default();
        let mut push = |direction: Direction, status: Option<&'a str>, body_pointer: String, body: &'a Value| {
            let (body_pointer, body) = follow(root, body_pointer, body);
            let Some(content) = body.get("content").and_then(Value::as_object) else { return };
            for (media_type, media) in content {
                let media_pointer = tree::push(&tree::push(&body_pointer, "content"), media_type);
                let Some(named) = media.get("examples").and_then(Value::as_object) else { continue };
                for (name, example) in named {
                    let example_pointer = tree::push(&tree::push(&media_pointer, "examples"), name);
                    let (example_pointer, example) = follow(root, example_pointer, example);
                    let Some(value) = example.get("value") else { continue };
                    found.push(Example {
                        operation_id,
                        method: operation.method,
                        path: operation.path,
                        direction,
                        status,
                        media_type,
                        name,
                        pointer: example_pointer,
                        schema: media.get("schema"),
                        schema_pointer: tree::push(&media_pointer, "schema"),
                        value,
                    });
                }
            }
        };
        if let Some(body) = operation.node.get("requestBody") {
            push(Direction::Request, None, tree::push(&operation.pointer, "requestBody"), body);
        }
        if let Some(responses) = operation.node.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                let pointer = tree::push(&tree::push(&operation.pointer, "responses"), status);
                push(Direction::Response, Some(status.as_str()), pointer, response);
            }
        }
    }
    found
}

/// Follows a `$ref` node to its target, keeping the pointer of where the data really is.
fn follow<'a>(root: &'a Value, pointer: String, node: &'a Value) -> (String, &'a Value) {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => match tree::resolve(root, reference) {
            Some(target) => (reference.trim_start_matches('#').to_owned(), target),
            None => (pointer, node),
        },
        None => (pointer, node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_inline_and_shared_examples_with_pointers() {
        let doc = json!({
            "paths": {"/v1/images": {"post": {
                "operationId": "RegisterImage",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"},
                    "examples": {"a": {"value": {"x": 1}}, "b": {"value": {"x": 2}}}}}},
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"examples": {"ok": {"value": {"id": "i"}}}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"}
                }
            }}},
            "components": {"responses": {"BadRequest": {"description": "", "content": {"application/json": {
                "examples": {"bad": {"value": {"error": {"code": "IMG.0024"}}}}}}}}}
        });
        let found = examples(&doc);
        let summary: Vec<(Direction, Option<&str>, &str, String)> =
            found.iter().map(|e| (e.direction, e.status, e.name, e.pointer.clone())).collect();
        assert_eq!(
            summary,
            [
                (
                    Direction::Request,
                    None,
                    "a",
                    "/paths/~1v1~1images/post/requestBody/content/application~1json/examples/a".to_owned()
                ),
                (
                    Direction::Request,
                    None,
                    "b",
                    "/paths/~1v1~1images/post/requestBody/content/application~1json/examples/b".to_owned()
                ),
                (
                    Direction::Response,
                    Some("200"),
                    "ok",
                    "/paths/~1v1~1images/post/responses/200/content/application~1json/examples/ok".to_owned()
                ),
                (
                    Direction::Response,
                    Some("400"),
                    "bad",
                    "/components/responses/BadRequest/content/application~1json/examples/bad".to_owned()
                ),
            ]
        );
        assert_eq!(found[3].value, &json!({"error": {"code": "IMG.0024"}}));
    }
}
