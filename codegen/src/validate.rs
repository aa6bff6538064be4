//! Stage 2: report everything the generator would panic or fail on, with a JSON pointer, before
//! it sees the spec. Checks run on the faithful spec, knowing what the normalize passes adapt.

pub(crate) mod names;
mod recursion;
mod schemas;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::error::{Diagnostic, Error, Result};
use crate::load::Spec;
use crate::media_types;
use crate::tree::{self, Operation};

/// Request media types the generator can produce a typed call for.
const BODY_MEDIA_TYPES: [&str; 4] =
    ["application/json", "application/x-www-form-urlencoded", "application/octet-stream", "text/plain"];

/// Every problem of the spec at once, or `Ok` when the generator can take it.
pub fn validate(spec: &Spec) -> Result<()> {
    let mut report = Report { spec, diagnostics: Vec::new() };
    report.references(&spec.raw, "");
    report.operations();
    report.enums();
    report.field_names();
    let found = [
        recursion::cycles(&spec.raw),
        names::collisions(&spec.raw),
        schemas::problems(&spec.raw),
        crate::normalize::shared_types::problems(&spec.raw),
    ];
    for (pointer, message) in found.into_iter().flatten() {
        report.error(&pointer, message);
    }
    if report.diagnostics.is_empty() { Ok(()) } else { Err(Error { diagnostics: report.diagnostics }) }
}

struct Report<'a> {
    spec: &'a Spec,
    diagnostics: Vec<Diagnostic>,
}

impl Report<'_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            file: self.spec.path.clone(),
            location: self.spec.at(pointer),
            message: message.into(),
        });
    }

    /// Every `$ref` must be local and resolve.
    fn references(&mut self, node: &Value, pointer: &str) {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    match reference.as_str() {
                        Some(target) if tree::resolve(&self.spec.raw, target).is_some() => {}
                        Some(target) if !target.starts_with('#') => self.error(
                            &tree::push(pointer, "$ref"),
                            format!(
                                "`$ref: {target}` points outside this document; only local references are supported"
                            ),
                        ),
                        Some(target) => {
                            self.error(&tree::push(pointer, "$ref"), format!("`$ref: {target}` does not resolve"))
                        }
                        None => self.error(&tree::push(pointer, "$ref"), "`$ref` must be a string"),
                    }
                }
                for (key, child) in map {
                    // Example values are data, not document structure.
                    if key != "example" && key != "value" {
                        self.references(child, &tree::push(pointer, key));
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    self.references(child, &tree::push(pointer, &index.to_string()));
                }
            }
            _ => {}
        }
    }

    fn operations(&mut self) {
        let raw = &self.spec.raw;
        if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                if item.get("$ref").is_some() {
                    self.error(&tree::push("/paths", path), "a path item given as `$ref` is not supported");
                }
            }
        }
        let mut operation_ids: HashMap<String, String> = HashMap::new();
        for operation in tree::operations(raw) {
            match operation.node.get("operationId").and_then(Value::as_str) {
                None => self.error(
                    &operation.pointer,
                    format!("{} {} has no operationId", operation.method.to_uppercase(), operation.path),
                ),
                Some(id) => {
                    if let Some(first) = operation_ids.get(id) {
                        let message = format!("operationId `{id}` is already used at #{first}");
                        self.error(&tree::push(&operation.pointer, "operationId"), message);
                    } else {
                        operation_ids.insert(id.to_owned(), operation.pointer.clone());
                    }
                }
            }
            self.parameters(&operation);
            self.request_body(&operation);
            self.responses(&operation);
        }
    }

    /// Path template variables and declared path parameters must match one to one; parameters
    /// must be path, query or header parameters with a `schema`.
    fn parameters(&mut self, operation: &Operation<'_>) {
        let raw = &self.spec.raw;
        let template: BTreeSet<&str> = path_variables(operation.path).collect();
        let mut declared = BTreeSet::new();
        let own = operation.node.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let shared = operation
            .path_parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (tree::push(&tree::push(&parent(&operation.pointer), "parameters"), &i.to_string()), p));
        let own = own
            .iter()
            .enumerate()
            .map(|(i, p)| (tree::push(&tree::push(&operation.pointer, "parameters"), &i.to_string()), p));
        for (pointer, parameter) in shared.chain(own).collect::<Vec<_>>() {
            let parameter = tree::deref(raw, parameter);
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default();
            let location = parameter.get("in").and_then(Value::as_str).unwrap_or_default();
            match location {
                "path" => {
                    declared.insert(name.to_owned());
                    if !template.contains(name) {
                        self.error(&pointer, format!("path parameter `{name}` does not occur in `{}`", operation.path));
                    }
                    if parameter.get("required") != Some(&Value::Bool(true)) {
                        self.error(&pointer, format!("path parameter `{name}` must say `required: true`"));
                    }
                }
                "query" | "header" => {}
                other => self.error(
                    &pointer,
                    format!("parameter `{name}` in `{other}` is not supported (path, query and header are)"),
                ),
            }
            if parameter.get("schema").is_none() {
                self.error(
                    &pointer,
                    format!("parameter `{name}` needs a `schema` (the `content` form is not supported)"),
                );
            }
        }
        for variable in template {
            if !declared.contains(variable) {
                self.error(
                    &operation.pointer,
                    format!("path parameter `{{{variable}}}` of `{}` is not declared", operation.path),
                );
            }
        }
    }

    fn request_body(&mut self, operation: &Operation<'_>) {
        let Some(body) = operation.node.get("requestBody") else { return };
        let pointer = tree::push(&operation.pointer, "requestBody");
        let body = tree::deref(&self.spec.raw, body);
        let Some(content) = body.get("content").and_then(Value::as_object) else {
            return self.error(&pointer, "a request body needs `content`");
        };
        let Some(media_type) = media_types::chosen_request_media_type(content.keys().map(String::as_str)) else {
            let types = content.keys().cloned().collect::<Vec<_>>().join(", ");
            let message = if content.is_empty() {
                "a request body needs a media type".to_owned()
            } else {
                format!("a request body with several media types needs a JSON one to send, found {types}")
            };
            return self.error(&tree::push(&pointer, "content"), message);
        };
        let media = &content[media_type];
        let media_pointer = tree::push(&tree::push(&pointer, "content"), media_type);
        let essence = media_types::essence(media_type);
        if essence.starts_with("multipart/") {
            self.error(&media_pointer, format!("`{media_type}` request bodies are not supported"));
        } else if !BODY_MEDIA_TYPES.contains(&essence) && !media_types::is_json(essence) {
            self.error(
                &media_pointer,
                format!(
                    "request media type `{media_type}` is not supported (supported: {})",
                    BODY_MEDIA_TYPES.join(", ")
                ),
            );
        }
        if media.get("schema").is_none() {
            self.error(&media_pointer, "the request media type needs a `schema`");
        }
        if media.get("encoding").and_then(Value::as_object).is_some_and(|encoding| !encoding.is_empty()) {
            self.error(&tree::push(&media_pointer, "encoding"), "`encoding` is not supported");
        }
    }

    /// Success responses must share one body type (the collapse pass merges equal ones and
    /// bodiless ones); so must error responses.
    fn responses(&mut self, operation: &Operation<'_>) {
        let raw = &self.spec.raw;
        let pointer = tree::push(&operation.pointer, "responses");
        let Some(responses) = operation.node.get("responses").and_then(Value::as_object) else {
            return self.error(&operation.pointer, "an operation needs `responses`");
        };
        let mut success: BTreeMap<String, String> = BTreeMap::new();
        let mut failure: BTreeMap<String, String> = BTreeMap::new();
        for (status, response) in responses {
            let response_pointer = tree::push(&pointer, status);
            let class = match status_class(status) {
                Some(class) => class,
                None => {
                    self.error(
                        &response_pointer,
                        format!("`{status}` is not a status code, a range like `4XX`, or `default`"),
                    );
                    continue;
                }
            };
            let response = tree::deref(raw, response);
            let Some(content) = response.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
                continue;
            };
            for (media_type, media) in content {
                let media_pointer = tree::push(&tree::push(&response_pointer, "content"), media_type);
                let is_json = media_type == "application/json" || media_type.starts_with("application/json;");
                match media.get("schema") {
                    None if is_json => self.error(&media_pointer, "a JSON response needs a `schema`"),
                    Some(_) if media.get("encoding").and_then(Value::as_object).is_some_and(|e| !e.is_empty()) => {
                        self.error(&tree::push(&media_pointer, "encoding"), "`encoding` is not supported")
                    }
                    _ => {}
                }
                let shape =
                    if is_json { canonical_schema(raw, media.get("schema")) } else { format!("raw {media_type}") };
                let bucket = if class == 2 {
                    &mut success
                } else if class >= 4 {
                    &mut failure
                } else {
                    continue;
                };
                bucket.entry(shape).or_insert(media_pointer);
            }
        }
        for (kind, bucket) in [("success", success), ("error", failure)] {
            if bucket.len() > 1 {
                let places = bucket.values().map(|p| format!("#{p}")).collect::<Vec<_>>().join(", ");
                self.error(
                    &pointer,
                    format!(
                        "{kind} responses have {} distinct body types ({places}); one type is supported",
                        bucket.len()
                    ),
                );
            }
        }
    }

    /// typify names a struct field after its property in snake case, dropping leading
    /// underscores, so `__os_version` and `os_version` of one object would become two fields
    /// of the same name and the generated crate would not compile.
    fn field_names(&mut self) {
        let mut clashes = Vec::new();
        tree::walk_schemas(&self.spec.raw, &mut |pointer, schema| {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else { return };
            let mut seen: HashMap<String, &str> = HashMap::new();
            for name in properties.keys() {
                let field = rust_field_name(name);
                if let Some(first) = seen.insert(field.clone(), name) {
                    clashes.push((
                        tree::push(&tree::push(pointer, "properties"), name),
                        format!("properties `{first}` and `{name}` would both become the Rust field `{field}`"),
                    ));
                }
            }
        });
        for (pointer, message) in clashes {
            self.error(&pointer, message);
        }
    }

    /// Enums become open string enums (integer enums are kept as documentation): each value must
    /// have the schema's type, and only string and integer schemas may have one.
    fn enums(&mut self) {
        let mut bad = Vec::new();
        tree::walk_schemas(&self.spec.raw, &mut |pointer, schema| {
            let Some(values) = schema.get("enum") else { return };
            let pointer = tree::push(pointer, "enum");
            let kind = schema.get("type").and_then(Value::as_str).unwrap_or("string");
            let fits: fn(&Value) -> bool = match kind {
                "string" => Value::is_string,
                "integer" => |v| v.is_i64() || v.is_u64(),
                other => {
                    return bad.push((
                        pointer,
                        format!("an enum of type `{other}` is not supported (string and integer are)"),
                    ));
                }
            };
            match values.as_array() {
                Some(values) if values.is_empty() => bad.push((pointer, "`enum` is empty".to_owned())),
                Some(values) => {
                    if let Some((index, value)) = values.iter().enumerate().find(|(_, v)| !v.is_null() && !fits(v)) {
                        bad.push((
                            tree::push(&pointer, &index.to_string()),
                            format!("enum value {value} is not of the schema's type `{kind}`"),
                        ));
                    }
                    // Open enums add the catch-all variant `Unrecognized(String)`.
                    let catch_all = values
                        .iter()
                        .enumerate()
                        .find(|(_, v)| v.as_str().is_some_and(|v| names::rust_name(v, true) == "Unrecognized"));
                    if let (Some((index, value)), "string") = (catch_all, kind) {
                        bad.push((
                            tree::push(&pointer, &index.to_string()),
                            format!(
                                "enum value {value} would become the variant `Unrecognized`, which holds unknown values"
                            ),
                        ));
                    }
                }
                None => bad.push((pointer, "`enum` must be a list".to_owned())),
            }
        });
        for (pointer, message) in bad {
            self.error(&pointer, message);
        }
    }
}

fn parent(pointer: &str) -> String {
    pointer.rsplit_once('/').map(|(head, _)| head.to_owned()).unwrap_or_default()
}

/// `{name}` variables of a path template.
fn path_variables(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// 2 for `200`/`2XX`, 4 for `404`/`4XX`, 0 for `default`; `None` when malformed.
fn status_class(status: &str) -> Option<u8> {
    if status == "default" {
        return Some(0);
    }
    let bytes = status.as_bytes();
    let valid = bytes.len() == 3
        && (b'1'..=b'5').contains(&bytes[0])
        && (bytes[1..].iter().all(u8::is_ascii_digit) || &bytes[1..] == b"XX");
    valid.then(|| bytes[0] - b'0')
}

/// A schema's identity for "same body type": the `$ref` target, or the inline schema's JSON.
fn canonical_schema(root: &Value, schema: Option<&Value>) -> String {
    match schema {
        Some(schema) => match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => tree::resolve(root, reference).map_or_else(|| reference.to_owned(), Value::to_string),
            None => schema.to_string(),
        },
        None => "none".to_owned(),
    }
}

/// The field name typify derives from a property name (keywords get a `_` suffix afterwards,
/// which cannot make two names equal).
fn rust_field_name(property: &str) -> String {
    use heck::ToSnakeCase;
    let words: String = property.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    words.to_snake_case()
}
