//! Every documented example of a spec, found by walking the raw tree. [`examples`]: the named
//! request and response examples of operations (inline or through `#/components/responses`);
//! the golden suite turns each into a test. [`documented`]: every example value wherever the
//! document holds one (those, plus schema- and property-level `example`, parameter and header
//! `example`/`examples`, a media type's unnamed `example`), each with the schema it must match;
//! the conformance check validates each.

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

/// Where in the document an example value sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// A media type's `example`, or an entry of its `examples`.
    MediaType,
    /// The `example` of a schema (a component, a property, an item, an inline schema).
    Schema,
    /// A parameter's `example` or an entry of its `examples`.
    Parameter,
    /// A header's `example` or an entry of its `examples`.
    Header,
}

/// One example value anywhere in the document, with the schema it must match.
#[derive(Debug, Clone)]
pub struct Documented<'a> {
    pub site: Site,
    /// JSON pointer of the example: the example object (`.../examples/<name>`, or the
    /// `#/components/examples/...` entry it references) or the `example` member itself.
    pub pointer: String,
    /// JSON pointer of the value: `<pointer>/value` for an example object, else `pointer`.
    pub value_pointer: String,
    pub value: &'a Value,
    /// The schema the value must match (possibly a `$ref`), if any.
    pub schema: Option<&'a Value>,
    /// JSON pointer of that schema node.
    pub schema_pointer: String,
    /// The schema describes only part of the value (an `allOf` member): its object stays open.
    pub partial: bool,
    /// The nodes whose `x-reference-notes` accept a finding: the example object, and the
    /// parameter, header, media type or schema holding the example.
    pub holders: Vec<&'a Value>,
}

impl<'a> Documented<'a> {
    /// A named media-type example of [`examples`].
    pub fn from_example(root: &'a Value, example: &Example<'a>) -> Self {
        Documented {
            site: Site::MediaType,
            value_pointer: tree::push(&example.pointer, "value"),
            pointer: example.pointer.clone(),
            value: example.value,
            schema: example.schema,
            schema_pointer: example.schema_pointer.clone(),
            partial: false,
            holders: root.pointer(&example.pointer).into_iter().collect(),
        }
    }
}

/// Every example value of the document: the named examples of [`examples`] first, then every
/// other one in document order (each node where it is written: a shared parameter, header or
/// component schema once, not once per use).
pub fn documented(root: &Value) -> Vec<Documented<'_>> {
    let mut found: Vec<Documented<'_>> =
        examples(root).iter().map(|example| Documented::from_example(root, example)).collect();
    others(root, &mut found);
    found
}

/// The example values [`examples`] does not list.
fn others<'a>(root: &'a Value, found: &mut Vec<Documented<'a>>) {
    let mut walker = Walker { root, found };
    let mut items = std::collections::HashSet::new();
    for operation in tree::operations(root) {
        let item = operation.pointer.rsplit_once('/').map_or("", |(item, _method)| item);
        // A path item's parameters are shared by its operations: visit them with the first.
        if items.insert(item.to_owned()) {
            for (index, parameter) in operation.path_parameters.iter().enumerate() {
                let pointer = tree::push(&tree::push(item, "parameters"), &index.to_string());
                walker.holder(Site::Parameter, &pointer, parameter);
            }
        }
        let own = operation.node.get("parameters").and_then(Value::as_array).into_iter().flatten();
        for (index, parameter) in own.enumerate() {
            let pointer = tree::push(&tree::push(&operation.pointer, "parameters"), &index.to_string());
            walker.holder(Site::Parameter, &pointer, parameter);
        }
        if let Some(body) = operation.node.get("requestBody") {
            walker.content(&tree::push(&operation.pointer, "requestBody"), body);
        }
        for (status, response) in operation.node.get("responses").and_then(Value::as_object).into_iter().flatten() {
            walker.response(&tree::push(&tree::push(&operation.pointer, "responses"), status), response);
        }
    }
    let section = |name: &str| {
        let pointer = tree::push("/components", name);
        let entries = root.pointer(&pointer).and_then(Value::as_object).into_iter().flatten();
        entries.map(move |(key, node)| (tree::push(&pointer, key), node)).collect::<Vec<_>>()
    };
    for (pointer, parameter) in section("parameters") {
        walker.holder(Site::Parameter, &pointer, parameter);
    }
    for (pointer, header) in section("headers") {
        walker.holder(Site::Header, &pointer, header);
    }
    for (pointer, body) in section("requestBodies") {
        walker.content(&pointer, body);
    }
    for (pointer, response) in section("responses") {
        walker.response(&pointer, response);
    }
    tree::walk_schemas(root, &mut |pointer, schema| {
        if let Some(value) = schema.get("example") {
            let partial = pointer.rsplit('/').nth(1) == Some("allOf");
            walker.found.push(Documented {
                site: Site::Schema,
                pointer: tree::push(pointer, "example"),
                value_pointer: tree::push(pointer, "example"),
                value,
                schema: Some(schema),
                schema_pointer: pointer.to_owned(),
                partial,
                holders: vec![schema],
            });
        }
    });
}

/// Collects example values from the holders the walk reaches; a `$ref` holder is skipped (its
/// target is visited where it is written, under `components`).
struct Walker<'a, 'f> {
    root: &'a Value,
    found: &'f mut Vec<Documented<'a>>,
}

impl<'a> Walker<'a, '_> {
    /// A response: its headers and its media types' unnamed `example`.
    fn response(&mut self, pointer: &str, response: &'a Value) {
        if response.get("$ref").is_some() {
            return;
        }
        for (name, header) in response.get("headers").and_then(Value::as_object).into_iter().flatten() {
            self.holder(Site::Header, &tree::push(&tree::push(pointer, "headers"), name), header);
        }
        self.content(pointer, response);
    }

    /// The unnamed `example` of each media type of a request body or response (their named
    /// `examples` are [`examples`]' own).
    fn content(&mut self, pointer: &str, body: &'a Value) {
        if body.get("$ref").is_some() {
            return;
        }
        for (media_type, media) in body.get("content").and_then(Value::as_object).into_iter().flatten() {
            let media_pointer = tree::push(&tree::push(pointer, "content"), media_type);
            if let Some(value) = media.get("example") {
                self.push(Site::MediaType, &media_pointer, media, tree::push(&media_pointer, "example"), value, None);
            }
        }
    }

    /// A parameter or header: its `example` and `examples` against its `schema`, or, when it
    /// has `content` instead, each media type's.
    fn holder(&mut self, site: Site, pointer: &str, node: &'a Value) {
        if node.get("$ref").is_some() {
            return;
        }
        self.values(site, pointer, node, node);
        for (media_type, media) in node.get("content").and_then(Value::as_object).into_iter().flatten() {
            let media_pointer = tree::push(&tree::push(pointer, "content"), media_type);
            self.values(site, &media_pointer, media, node);
        }
    }

    /// The `example` and each of the `examples` of `node` (a parameter, header or media type at
    /// `pointer`) against its `schema`; `holder` is the parameter or header.
    fn values(&mut self, site: Site, pointer: &str, node: &'a Value, holder: &'a Value) {
        if node.get("schema").is_none() && node.get("content").is_some() {
            return;
        }
        if let Some(value) = node.get("example") {
            self.push(site, pointer, node, tree::push(pointer, "example"), value, Some(holder));
        }
        for (name, example) in node.get("examples").and_then(Value::as_object).into_iter().flatten() {
            let (example_pointer, example) =
                follow(self.root, tree::push(&tree::push(pointer, "examples"), name), example);
            let Some(value) = example.get("value") else { continue };
            let schema = node.get("schema");
            self.found.push(Documented {
                site,
                value_pointer: tree::push(&example_pointer, "value"),
                pointer: example_pointer,
                value,
                schema,
                schema_pointer: tree::push(pointer, "schema"),
                partial: false,
                holders: [example, holder, node].into_iter().collect(),
            });
        }
    }

    /// One `example` member at `value_pointer` of `node` (at `pointer`).
    fn push(
        &mut self,
        site: Site,
        pointer: &str,
        node: &'a Value,
        value_pointer: String,
        value: &'a Value,
        holder: Option<&'a Value>,
    ) {
        self.found.push(Documented {
            site,
            pointer: value_pointer.clone(),
            value_pointer,
            value,
            schema: node.get("schema"),
            schema_pointer: tree::push(pointer, "schema"),
            partial: false,
            holders: holder.into_iter().chain([node]).collect(),
        });
    }
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

    #[test]
    fn documented_finds_every_example_value_once_with_its_schema() {
        let doc = json!({
            "paths": {"/v1/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}, "example": "i"}],
                "get": {
                    "operationId": "A",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer"},
                        "examples": {"one": {"value": 1}, "shared": {"$ref": "#/components/examples/Two"}}}],
                    "responses": {"200": {"description": "", "headers": {"X-N": {"schema": {"type": "integer"}, "example": 3}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}, "example": {"n": 4},
                            "examples": {"named": {"value": {"n": 5}}}}}}}
                },
                "put": {"operationId": "B", "responses": {"204": {"description": ""}}}
            }},
            "components": {
                "examples": {"Two": {"value": 2}},
                "schemas": {"S": {"type": "object", "example": {"n": 6},
                    "properties": {"n": {"type": "integer", "example": 7}},
                    "allOf": [{"type": "object", "example": {"m": 8}}]}}
            }
        });
        let found: Vec<(Site, String, &Value, String, bool)> = documented(&doc)
            .into_iter()
            .map(|d| (d.site, d.value_pointer, d.value, d.schema_pointer, d.partial))
            .collect();
        let op = "/paths/~1v1~1{id}/get";
        let expected: Vec<(Site, String, Value, String, bool)> = vec![
            (
                Site::MediaType,
                format!("{op}/responses/200/content/application~1json/examples/named/value"),
                json!({"n": 5}),
                format!("{op}/responses/200/content/application~1json/schema"),
                false,
            ),
            (
                Site::Parameter,
                "/paths/~1v1~1{id}/parameters/0/example".into(),
                json!("i"),
                "/paths/~1v1~1{id}/parameters/0/schema".into(),
                false,
            ),
            (
                Site::Parameter,
                format!("{op}/parameters/0/examples/one/value"),
                json!(1),
                format!("{op}/parameters/0/schema"),
                false,
            ),
            (
                Site::Parameter,
                "/components/examples/Two/value".into(),
                json!(2),
                format!("{op}/parameters/0/schema"),
                false,
            ),
            (
                Site::Header,
                format!("{op}/responses/200/headers/X-N/example"),
                json!(3),
                format!("{op}/responses/200/headers/X-N/schema"),
                false,
            ),
            (
                Site::MediaType,
                format!("{op}/responses/200/content/application~1json/example"),
                json!({"n": 4}),
                format!("{op}/responses/200/content/application~1json/schema"),
                false,
            ),
            (
                Site::Schema,
                "/components/schemas/S/example".into(),
                json!({"n": 6}),
                "/components/schemas/S".into(),
                false,
            ),
            (
                Site::Schema,
                "/components/schemas/S/properties/n/example".into(),
                json!(7),
                "/components/schemas/S/properties/n".into(),
                false,
            ),
            (
                Site::Schema,
                "/components/schemas/S/allOf/0/example".into(),
                json!({"m": 8}),
                "/components/schemas/S/allOf/0".into(),
                true,
            ),
        ];
        let found: Vec<(Site, String, Value, String, bool)> = found
            .into_iter()
            .map(|(site, value_pointer, value, schema, partial)| (site, value_pointer, value.clone(), schema, partial))
            .collect();
        assert_eq!(found, expected);
        // The named media-type examples are still exactly those of `examples`.
        assert_eq!(examples(&doc).len(), 1);
    }
}
