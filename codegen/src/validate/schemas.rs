//! Schema shapes and reference kinds typify cannot take: it stops with `todo!` on a `type` it
//! does not know or on type-specific keywords without a `type`, and looks a schema `$ref` up
//! among component schemas only (a `$ref` to `#` or to a response "is missing" there). Found by
//! the mutation test (`tests/mutations.rs`).

use serde_json::Value;

use crate::tree;

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Keywords that only mean something for one type; without a `type` typify has no case for them.
const TYPED_KEYWORDS: [&str; 9] = [
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
];

/// Every problem, as (pointer, message).
pub fn problems(root: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    tree::walk_schemas(root, &mut |pointer, schema| {
        let Some(map) = schema.as_object() else {
            return found.push((pointer.to_owned(), format!("a schema must be a mapping, found {schema}")));
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            expect_component(root, &tree::push(pointer, "$ref"), reference, "schemas", &mut found);
            return;
        }
        match map.get("type") {
            None => {
                if let Some(keyword) = TYPED_KEYWORDS.iter().find(|keyword| map.contains_key(**keyword)) {
                    found.push((
                        tree::push(pointer, keyword),
                        format!("`{keyword}` needs a `type` beside it (the generator cannot guess one)"),
                    ));
                }
            }
            Some(Value::String(kind)) if TYPES.contains(&kind.as_str()) => {}
            Some(other) => found.push((
                tree::push(pointer, "type"),
                format!("`type: {other}` is not an OpenAPI 3.0 type (one of {})", TYPES.join(", ")),
            )),
        }
    });
    for operation in tree::operations(root) {
        let item = operation.pointer.rsplit_once('/').map(|(item, _)| item.to_owned()).unwrap_or_default();
        let own = operation.node.get("parameters").and_then(Value::as_array).into_iter().flatten();
        let parameters = operation
            .path_parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (tree::push(&tree::push(&item, "parameters"), &i.to_string()), p))
            .chain(
                own.enumerate()
                    .map(|(i, p)| (tree::push(&tree::push(&operation.pointer, "parameters"), &i.to_string()), p)),
            );
        for (pointer, parameter) in parameters {
            if let Some(reference) = parameter.get("$ref").and_then(Value::as_str) {
                expect_component(root, &tree::push(&pointer, "$ref"), reference, "parameters", &mut found);
            }
        }
        if let Some(reference) = operation.node.pointer("/requestBody/$ref").and_then(Value::as_str) {
            let pointer = tree::push(&tree::push(&operation.pointer, "requestBody"), "$ref");
            expect_component(root, &pointer, reference, "requestBodies", &mut found);
        }
        for (status, response) in operation.node.get("responses").and_then(Value::as_object).into_iter().flatten() {
            if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
                let pointer = tree::push(&tree::push(&tree::push(&operation.pointer, "responses"), status), "$ref");
                expect_component(root, &pointer, reference, "responses", &mut found);
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// A resolving `$ref` must name a component of `kind` (`#/components/schemas/Name`); one that
/// does not resolve is reported by the reference check already.
fn expect_component(root: &Value, pointer: &str, reference: &str, kind: &str, found: &mut Vec<(String, String)>) {
    if tree::resolve(root, reference).is_none() {
        return;
    }
    let prefix = format!("#/components/{kind}/");
    let named = reference.strip_prefix(&prefix).is_some_and(|name| !name.is_empty() && !name.contains('/'));
    if !named {
        found.push((pointer.to_owned(), format!("this `$ref` must name one of `{prefix}…`, not `{reference}`")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn odd_types_and_untyped_formats_are_refused() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "str ing"}, "B": {"format": "int64"}, "C": {"description": "anything"}}}});
        let found = problems(&doc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "/components/schemas/A/type");
        assert_eq!(found[1].0, "/components/schemas/B/format");
    }

    #[test]
    fn a_schema_ref_must_name_a_component_schema() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/schemas/A"}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#"}, "c": {"$ref": "#/components/schemas/A"}}}}}});
        let found = problems(&doc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "/components/schemas/A/properties/b/$ref");
        assert!(found[1].1.contains("must name one of `#/components/responses/…`"), "{}", found[1].1);
    }
}
