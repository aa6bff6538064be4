//! Helpers over the raw JSON tree of a spec: JSON pointers, `$ref` resolution, and a walk over
//! every schema. Shared by validation and by the spec-review tools.

use serde_json::Value;

/// The HTTP methods an OpenAPI path item may hold, in document order.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Appends one reference token to a JSON pointer, escaping `~` and `/`.
pub fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// Follows a local `$ref` (`#/components/...`); `None` when it does not resolve.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    reference.strip_prefix('#').and_then(|pointer| root.pointer(pointer))
}

/// The node itself, or what its `$ref` points at (one level; chains are followed too).
pub fn deref<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut current = node;
    for _ in 0..16 {
        match current.get("$ref").and_then(Value::as_str).and_then(|reference| resolve(root, reference)) {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

/// One operation of the document.
pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'static str,
    pub pointer: String,
    pub node: &'a Value,
    /// The path item's own `parameters`, shared by all its operations.
    pub path_parameters: &'a [Value],
}

/// Every operation, in document order.
pub fn operations(root: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    let Some(paths) = root.get("paths").and_then(Value::as_object) else { return found };
    for (path, item) in paths {
        let item_pointer = push("/paths", path);
        let path_parameters = item.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        for method in METHODS {
            if let Some(node) = item.get(method) {
                found.push(Operation { path, method, pointer: push(&item_pointer, method), node, path_parameters });
            }
        }
    }
    found
}

/// Calls `visit(pointer, schema)` for every schema object of the document: component schemas,
/// parameter schemas and media-type schemas, and recursively every nested schema.
/// A `$ref` node is visited as itself (not followed), so each schema is seen once.
pub fn walk_schemas<'a>(root: &'a Value, visit: &mut dyn FnMut(&str, &'a Value)) {
    if let Some(schemas) = root.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            walk_schema(&push("/components/schemas", name), schema, visit);
        }
    }
    walk_schema_holders(root, "", visit);
}

/// Finds `schema` members outside `/components/schemas` (parameters, media types).
fn walk_schema_holders<'a>(node: &'a Value, pointer: &str, visit: &mut dyn FnMut(&str, &'a Value)) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = push(pointer, key);
                if child_pointer == "/components/schemas" || key == "examples" || key == "example" {
                    continue;
                }
                if key == "schema" && child.is_object() {
                    walk_schema(&child_pointer, child, visit);
                } else {
                    walk_schema_holders(child, &child_pointer, visit);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk_schema_holders(child, &push(pointer, &index.to_string()), visit);
            }
        }
        _ => {}
    }
}

fn walk_schema<'a>(pointer: &str, schema: &'a Value, visit: &mut dyn FnMut(&str, &'a Value)) {
    visit(pointer, schema);
    let Some(map) = schema.as_object() else { return };
    if let Some(properties) = map.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            walk_schema(&push(&push(pointer, "properties"), name), property, visit);
        }
    }
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = map.get(key).filter(|child| child.is_object()) {
            walk_schema(&push(pointer, key), child, visit);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(children) = map.get(key).and_then(Value::as_array) {
            for (index, child) in children.iter().enumerate() {
                walk_schema(&push(&push(pointer, key), &index.to_string()), child, visit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(push("/paths", "/v1/{id}~x"), "/paths/~1v1~1{id}~0x");
    }

    #[test]
    fn walk_visits_nested_and_inline_schemas() {
        let doc = json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}}}}}}},
            "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"type": "string"}}}}}
        });
        let mut seen = Vec::new();
        walk_schemas(&doc, &mut |pointer, _| seen.push(pointer.to_owned()));
        assert_eq!(
            seen,
            [
                "/components/schemas/A",
                "/components/schemas/A/properties/b",
                "/paths/~1a/get/parameters/0/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema/items",
            ]
        );
    }
}
