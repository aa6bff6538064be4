//! Names that collide once converted to Rust: the generated module would define something
//! twice (or shadow what the generated code calls) and not compile. progenitor and typify
//! convert names with `heck` after replacing what is not an identifier character; `rust_name`
//! mirrors that, so two names collide here exactly when they would collide there.

use std::collections::{HashMap, HashSet};

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::Value;

use crate::normalize::ignored_header_parameters::is_ignored_header;
use crate::tree::{self, Operation};

/// Methods progenitor gives every `Client` (inherent, or of `ClientInfo` that the generated
/// code calls): an operation of the same name would replace or shadow them.
const CLIENT_METHODS: [&str; 6] = ["new", "new_with_client", "baseurl", "client", "api_version", "inner"];

/// `snake_case` or `PascalCase` as progenitor's `sanitize` makes it (a raw keyword keeps its
/// trailing `_`, which cannot make two names equal).
pub fn rust_name(name: &str, pascal: bool) -> String {
    let words: String =
        name.replace('\'', "").chars().map(|c| if unicode_ident::is_xid_continue(c) { c } else { '-' }).collect();
    let converted = if pascal { words.to_pascal_case() } else { words.to_snake_case() };
    match converted.chars().next() {
        None => "x".to_owned(),
        Some(first) if unicode_ident::is_xid_start(first) => converted,
        Some(_) => format!("_{converted}"),
    }
}

/// Every collision, as (pointer, message).
pub fn collisions(root: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    operations(root, &mut found);
    types(root, &mut found);
    inline_types(root, &mut found);
    for operation in tree::operations(root) {
        parameters(root, &operation, &mut found);
    }
    found
}

/// Each operation is a `Client` method (snake case) and a builder struct (Pascal case).
fn operations(root: &Value, found: &mut Vec<(String, String)>) {
    let mut methods: HashMap<String, (String, String)> = HashMap::new();
    for operation in tree::operations(root) {
        let Some(id) = operation.node.get("operationId").and_then(Value::as_str) else { continue };
        let pointer = tree::push(&operation.pointer, "operationId");
        let method = rust_name(id, false);
        if CLIENT_METHODS.contains(&method.as_str()) {
            found.push((
                pointer,
                format!("operationId `{id}` would become `Client::{method}`, which progenitor defines"),
            ));
            continue;
        }
        let builder = rust_name(id, true);
        let clash = [(&method, "builder method"), (&builder, "builder type")].into_iter().find_map(|(name, what)| {
            methods.get(name).filter(|(first, _)| first != id).map(|first| (name, what, first))
        });
        if let Some((name, what, (first, first_pointer))) = clash {
            let message =
                format!("operationIds `{first}` (#{first_pointer}) and `{id}` would both become the {what} `{name}`");
            found.push((pointer, message));
            continue;
        }
        for name in [method, builder] {
            methods.entry(name).or_insert_with(|| (id.to_owned(), pointer.clone()));
        }
    }
}

/// Each component schema is a type named in Pascal case.
fn types(root: &Value, found: &mut Vec<(String, String)>) {
    let Some(schemas) = root.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let mut seen: HashMap<String, &str> = HashMap::new();
    for name in schemas.keys() {
        let rust = rust_name(name, true);
        if let Some(first) = seen.insert(rust.clone(), name) {
            found.push((
                tree::push("/components/schemas", name),
                format!("schemas `{first}` and `{name}` would both become the type `{rust}`"),
            ));
        }
    }
}

/// An inline schema that becomes a type of its own is named after where it is: `{op}-body`,
/// `{op}-response`, `{op}-{parameter}`, and below those (and below component schemas)
/// `{parent}_{property}` and `{parent}_item`. typify neither renames nor reports such a name
/// when a component schema has it already: it reuses the component (a request silently sends
/// the wrong type) or defines the name twice.
fn inline_types(root: &Value, found: &mut Vec<(String, String)>) {
    let Some(schemas) = root.pointer("/components/schemas").and_then(Value::as_object) else { return };
    let components: HashMap<String, &str> = schemas.keys().map(|name| (rust_name(name, true), name.as_str())).collect();
    let mut inline = Vec::new();
    for (name, schema) in schemas {
        children(schema, &tree::push("/components/schemas", name), name, &mut inline);
    }
    for operation in tree::operations(root) {
        let Some(id) = operation.node.get("operationId").and_then(Value::as_str) else { continue };
        let media = |pointer: &str| -> Vec<(String, &Value)> {
            let content = operation.node.pointer(pointer).and_then(Value::as_object).into_iter().flatten();
            content
                .filter_map(|(media_type, media)| {
                    let schema = media.get("schema")?;
                    let media_pointer = format!("{}{pointer}", operation.pointer);
                    Some((tree::push(&tree::push(&media_pointer, media_type), "schema"), schema))
                })
                .collect()
        };
        for (pointer, schema) in media("/requestBody/content") {
            named(schema, &pointer, &format!("{id}-body"), &mut inline);
        }
        let responses = operation.node.get("responses").and_then(Value::as_object).into_iter().flatten();
        for (status, _) in responses.filter(|(status, _)| status.starts_with('2')) {
            for (pointer, schema) in media(&format!("/responses/{status}/content")) {
                named(schema, &pointer, &format!("{id}-response"), &mut inline);
            }
        }
        let parameters = operation.node.get("parameters").and_then(Value::as_array).into_iter().flatten();
        for (index, parameter) in parameters.enumerate() {
            let (Some(name), Some(schema)) = (parameter.get("name").and_then(Value::as_str), parameter.get("schema"))
            else {
                continue;
            };
            let pointer = format!("{}/parameters/{index}/schema", operation.pointer);
            named(schema, &pointer, &format!("{id}-{name}"), &mut inline);
        }
    }
    for (pointer, rust) in inline {
        if let Some(component) = components.get(&rust) {
            found.push((
                pointer,
                format!(
                    "this inline schema would be the type `{rust}`, which is the name of \
                     #/components/schemas/{}; give it a `$ref` or rename the component",
                    component.replace('~', "~0").replace('/', "~1")
                ),
            ));
        }
    }
}

/// Every type name the spec gives or makes: component schemas, `x-otc-type-name`s, and the
/// names typify derives for inline types (a shared type must not take one of them).
pub fn type_names(root: &Value) -> HashSet<String> {
    let mut names = HashSet::new();
    if let Some(schemas) = root.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, schema) in schemas {
            names.insert(rust_name(name, true));
            let mut inline = Vec::new();
            children(schema, &tree::push("/components/schemas", name), name, &mut inline);
            names.extend(inline.into_iter().map(|(_, rust)| rust));
        }
    }
    for operation in tree::operations(root) {
        let Some(id) = operation.node.get("operationId").and_then(Value::as_str) else { continue };
        for suffix in ["body", "response"] {
            names.insert(rust_name(&format!("{id}-{suffix}"), true));
        }
    }
    tree::walk_schemas(root, &mut |_, schema| {
        if let Some(name) = schema.get(crate::normalize::shared_types::TYPE_NAME).and_then(Value::as_str) {
            names.insert(name.to_owned());
        }
    });
    names
}

/// An inline schema's own type name (when it gets one), then its children's.
fn named(schema: &Value, pointer: &str, name: &str, found: &mut Vec<(String, String)>) {
    if schema.get("$ref").is_some() {
        return;
    }
    let is_type = ["properties", "enum", "oneOf", "anyOf", "allOf"].iter().any(|key| schema.get(key).is_some());
    if is_type {
        found.push((pointer.to_owned(), rust_name(name, true)));
    }
    children(schema, pointer, name, found);
}

fn children(schema: &Value, pointer: &str, name: &str, found: &mut Vec<(String, String)>) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (property, child) in properties {
            let child_pointer = tree::push(&tree::push(pointer, "properties"), property);
            named(child, &child_pointer, &format!("{name}_{property}"), found);
        }
    }
    if let Some(items) = schema.get("items") {
        named(items, &tree::push(pointer, "items"), &format!("{name}_item"), found);
    }
}

/// Each parameter is a builder setter named in snake case, and so is the request body (`body`);
/// a path and a query parameter of one name would be one setter for two values.
fn parameters(root: &Value, operation: &Operation<'_>, found: &mut Vec<(String, String)>) {
    let item_pointer = operation.pointer.rsplit_once('/').map(|(item, _)| item.to_owned()).unwrap_or_default();
    let shared = operation
        .path_parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (tree::push(&tree::push(&item_pointer, "parameters"), &i.to_string()), p));
    let own = operation.node.get("parameters").and_then(Value::as_array).into_iter().flatten();
    let own =
        own.enumerate().map(|(i, p)| (tree::push(&tree::push(&operation.pointer, "parameters"), &i.to_string()), p));
    // An operation's parameter replaces a path item's one of the same name and location.
    let mut effective: Vec<(String, String, String)> = Vec::new();
    for (pointer, parameter) in shared.chain(own) {
        let parameter = tree::deref(root, parameter);
        let (Some(name), Some(location)) =
            (parameter.get("name").and_then(Value::as_str), parameter.get("in").and_then(Value::as_str))
        else {
            continue;
        };
        if location == "header" && is_ignored_header(name) {
            continue;
        }
        effective.retain(|(_, other, other_location)| !(other == name && other_location == location));
        effective.push((pointer, name.to_owned(), location.to_owned()));
    }
    let mut setters: HashMap<String, (String, String)> = HashMap::new();
    if operation.node.get("requestBody").is_some() {
        setters.insert("body".into(), ("the request body".into(), String::new()));
    }
    for (pointer, name, location) in effective {
        let setter = rust_name(&name, false);
        let this = format!("{location} parameter `{name}`");
        match setters.get(&setter) {
            Some((first, _)) if first == "the request body" => found
                .push((pointer, format!("{this} would become the builder setter `body`, which the request body has"))),
            Some((first, first_pointer)) => found.push((
                pointer,
                format!("{first} (#{first_pointer}) and {this} would both become the builder setter `{setter}`"),
            )),
            None => {
                setters.insert(setter, (this, pointer));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_convert_like_progenitor() {
        assert_eq!(rust_name("ShowThing", false), "show_thing");
        assert_eq!(rust_name("showThing", false), "show_thing");
        assert_eq!(rust_name("x-request-id", false), "x_request_id");
        assert_eq!(rust_name("2fa", true), "_2fa");
        assert_eq!(rust_name("", true), "x");
    }

    #[test]
    fn operations_differing_in_case_collide() {
        let doc = json!({"paths": {
            "/a": {"get": {"operationId": "ShowThing"}},
            "/b": {"get": {"operationId": "showThing"}},
            "/c": {"get": {"operationId": "new"}}}});
        let found = collisions(&doc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "/paths/~1b/get/operationId");
        assert!(found[0].1.contains("`ShowThing` (#/paths/~1a/get/operationId) and `showThing`"), "{}", found[0].1);
        assert!(found[1].1.contains("`Client::new`"), "{}", found[1].1);
    }

    #[test]
    fn a_path_and_a_query_parameter_of_one_name_collide() {
        let doc = json!({"paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true}],
            "get": {"operationId": "A", "parameters": [
                {"name": "id", "in": "query"}, {"name": "Accept", "in": "header"}, {"name": "accept", "in": "query"}]}}}});
        let found = collisions(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "/paths/~1a~1{id}/get/parameters/0");
        assert!(found[0].1.contains("path parameter `id` (#/paths/~1a~1{id}/parameters/0) and query parameter `id`"));
    }

    #[test]
    fn an_operation_parameter_overrides_the_path_items_one() {
        let doc = json!({"paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true}],
            "get": {"operationId": "A", "parameters": [{"name": "id", "in": "path", "required": true}]}}}});
        assert!(collisions(&doc).is_empty());
    }

    #[test]
    fn an_inline_schema_named_like_a_component_collides() {
        let doc = json!({
            "paths": {"/a": {"post": {"operationId": "CreateThing",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {}}}}}}}},
            "components": {"schemas": {
                "CreateThingBody": {"type": "object"},
                "Thing": {"type": "object", "properties": {"status": {"type": "string", "enum": ["a"]},
                    "tags": {"type": "array", "items": {"properties": {"x": {"type": "string"}}}}}},
                "ThingStatus": {"type": "integer"},
                "Thing_tags_item": {"type": "integer"}}}});
        let found: Vec<String> = collisions(&doc).into_iter().map(|(pointer, _)| pointer).collect();
        assert!(
            found.contains(&"/paths/~1a/post/requestBody/content/application~1json/schema".to_owned()),
            "{found:?}"
        );
        assert!(found.contains(&"/components/schemas/Thing/properties/status".to_owned()), "{found:?}");
        assert!(found.contains(&"/components/schemas/Thing/properties/tags/items".to_owned()), "{found:?}");
    }

    #[test]
    fn schema_names_differing_in_case_collide() {
        let doc = json!({"components": {"schemas": {"image_info": {}, "ImageInfo": {}}}});
        let found = collisions(&doc);
        assert_eq!(
            found,
            [(
                "/components/schemas/ImageInfo".to_owned(),
                "schemas `image_info` and `ImageInfo` would both become the type `ImageInfo`".to_owned()
            )]
        );
    }
}
