//! Conformance of documented examples: every example must validate against its schema, read as
//! JSON Schema draft 4 (what OpenAPI 3.0 builds on) with undefined properties forbidden, so a
//! misspelled field in an example fails instead of silently becoming "additional data".
//! [`check`] validates the named request and response examples (the golden suite's trial);
//! [`check_all`] every example value of the document (`cargo xtask lint`): also schema- and
//! property-level `example`, parameter and header `example`/`examples`, a media type's
//! unnamed `example`, and the `#/components/examples` any of them references.
//!
//! A failure at a schema node that records the contradiction in `x-reference-notes` (or in an
//! example, or the parameter, header, media type or schema holding it, that does) is
//! *accepted*: it stays in the report, with the notes, but is no error.

use std::fmt;

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::{Map, Value, json};

use crate::examples::{self, Documented};
use crate::tree;

const NOTES: &str = "x-reference-notes";

/// Keywords OpenAPI 3.0 adds to JSON Schema: draft 4 does not know them (`nullable` is folded
/// into `type` first), and a validator must not read them as anything.
const OPENAPI_ONLY: [&str; 8] =
    ["nullable", "discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example", "deprecated"];

/// How deep `allOf` members are inlined and instance paths are walked; guards against cycles.
const MAX_DEPTH: usize = 32;

/// One place where an example does not match its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// JSON pointer of the example object in the spec (`.../examples/<name>`), or of the
    /// `example` member itself: says which example.
    pub example_pointer: String,
    /// JSON pointer of the example's value in the spec (`<example_pointer>/value` for an example
    /// object): `instance_path` is relative to it.
    pub value_pointer: String,
    /// JSON pointer inside the example value (`/arch`; `""` for the whole value).
    pub instance_path: String,
    /// JSON pointer in the spec of the schema node carrying the failing keyword (for an undefined
    /// property, the object schema), best effort: where a reviewer looks first.
    pub schema_pointer: String,
    pub message: String,
    /// The `x-reference-notes` that explain the difference, if any; such a finding is no error.
    pub accepted_by: Option<Vec<String>>,
}

impl Finding {
    /// `/path: message`, or the bare message for the whole value.
    fn located(&self) -> String {
        match self.instance_path.as_str() {
            "" => self.message.clone(),
            path => format!("{path}: {}", self.message),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} {} (schema #{})", self.example_pointer, self.located(), self.schema_pointer)
    }
}

/// The result of checking one spec.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Examples validated against a schema (one without a schema has nothing to conform to).
    pub checked: usize,
    /// Every finding, accepted ones included, in example order.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Findings no note accepts: what fails a lint or a test.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|finding| finding.accepted_by.is_none())
    }

    /// Findings a note explains: known contradictions of the reference, kept visible.
    pub fn accepted(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|finding| finding.accepted_by.is_some())
    }
}

/// Validates every named request and response example of the spec `root` (those of
/// [`examples::examples`]) against its schema.
pub fn check(root: &Value) -> Report {
    let named = examples::examples(root);
    validate(root, named.iter().map(|example| Documented::from_example(root, example)))
}

/// Validates every example value of the spec `root` (those of [`examples::documented`]) against
/// its schema.
pub fn check_all(root: &Value) -> Report {
    validate(root, examples::documented(root).into_iter())
}

fn validate<'a>(root: &'a Value, found: impl Iterator<Item = Documented<'a>>) -> Report {
    let definitions = definitions(root);
    let mut report = Report::default();
    for example in found {
        let Some(schema) = example.schema else { continue };
        report.checked += 1;
        let mut document = convert(root, schema, example.partial, 0);
        if let Some(map) = document.as_object_mut() {
            map.insert("definitions".into(), definitions.clone());
        }
        let options = jsonschema::draft4::options().should_validate_formats(true).should_ignore_unknown_formats(true);
        let validator = match options.build(&document) {
            Ok(validator) => validator,
            Err(error) => {
                report.findings.push(Finding {
                    example_pointer: example.pointer.clone(),
                    value_pointer: example.value_pointer.clone(),
                    instance_path: String::new(),
                    schema_pointer: example.schema_pointer.clone(),
                    message: format!("the schema is not valid JSON Schema draft 4: {error}"),
                    accepted_by: None,
                });
                continue;
            }
        };
        let describe = Describe { root, example: &example };
        for error in validator.iter_errors(example.value) {
            report.findings.extend(describe.findings(&error, schema, ""));
        }
    }
    report
}

/// Every `components/schemas` entry, converted, as draft-4 `definitions`.
fn definitions(root: &Value) -> Value {
    let schemas = root.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten();
    Value::Object(schemas.map(|(name, schema)| (name.clone(), convert(root, schema, false, 0))).collect())
}

/// One OpenAPI 3.0 Schema Object as JSON Schema draft 4. `open` keeps this node's properties open:
/// an `allOf` member describes only part of the object, so closing it would reject the rest.
fn convert(root: &Value, schema: &Value, open: bool, depth: usize) -> Value {
    let Some(map) = schema.as_object() else { return schema.clone() };
    let mut out = Map::new();
    for (key, value) in map {
        if key.starts_with("x-") || OPENAPI_ONLY.contains(&key.as_str()) {
            continue;
        }
        let value = match key.as_str() {
            "$ref" => value.as_str().map_or_else(|| value.clone(), |reference| rewrite_ref(reference).into()),
            "properties" => match value.as_object() {
                Some(properties) => Value::Object(
                    properties.iter().map(|(name, s)| (name.clone(), convert(root, s, false, depth))).collect(),
                ),
                None => value.clone(),
            },
            "items" | "additionalProperties" | "oneOf" | "anyOf" => each(value, |s| convert(root, s, false, depth)),
            // A closed `not` would change what it forbids.
            "not" => convert(root, value, true, depth),
            // A referenced member is inlined as an open copy: its own definition is closed.
            "allOf" if depth < MAX_DEPTH => each(value, |s| convert(root, tree::deref(root, s), true, depth + 1)),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        add_null(&mut out);
    }
    let composed = ["allOf", "oneOf", "anyOf"].iter().any(|key| map.contains_key(*key));
    if !open && !composed && map.contains_key("properties") && !map.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}

/// Applies `convert` to a schema or to each schema of an array of them.
fn each(value: &Value, convert: impl Fn(&Value) -> Value) -> Value {
    match value {
        Value::Array(schemas) => schemas.iter().map(convert).collect(),
        schema => convert(schema),
    }
}

/// `nullable: true` in draft-4 terms: `null` joins the type and, if there is one, the enum.
fn add_null(schema: &mut Map<String, Value>) {
    let null = Value::from("null");
    match schema.get_mut("type") {
        Some(Value::String(single)) => {
            let single = std::mem::take(single);
            schema.insert("type".into(), json!([single, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&null) => types.push(null),
        _ => {}
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
}

/// `#/components/schemas/X...` → `#/definitions/X...`. The tokens after the prefix are already
/// escaped JSON pointer tokens and the names are the same, so they carry over unchanged.
fn rewrite_ref(reference: &str) -> String {
    match reference.strip_prefix("#/components/schemas/") {
        Some(rest) => format!("#/definitions/{rest}"),
        None => reference.to_owned(),
    }
}

/// Turns validator errors into findings of one example.
struct Describe<'a> {
    root: &'a Value,
    example: &'a Documented<'a>,
}

impl<'a> Describe<'a> {
    /// The findings of `error`; notes are looked up by walking from the schema node `start`,
    /// which sits at `start_path` in the example value.
    fn findings(&self, error: &ValidationError<'_>, start: &'a Value, start_path: &str) -> Vec<Finding> {
        let path = error.instance_path().as_str();
        let node = self.spec_node(error.schema_path().as_str());
        let finding = |instance_path: String, message: String| Finding {
            example_pointer: self.example.pointer.clone(),
            value_pointer: self.example.value_pointer.clone(),
            accepted_by: self.notes(start, start_path, &instance_path),
            instance_path,
            schema_pointer: node.clone(),
            message,
        };
        match error.kind() {
            // One finding per undefined property, at the property itself.
            ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                .iter()
                .map(|name| finding(tree::push(path, name), "not a property the schema defines".into()))
                .collect(),
            ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
                vec![self.variants(error.kind().keyword(), context, &node, path, (start, start_path))]
            }
            _ => vec![finding(path.to_owned(), error.to_string())],
        }
    }

    /// One finding for a failed `oneOf`/`anyOf`, listing each variant's errors. It is accepted
    /// when some variant fails only at noted nodes, walked from that variant's own node.
    fn variants(
        &self,
        keyword: &str,
        context: &[Vec<ValidationError<'_>>],
        node: &str,
        path: &str,
        fallback: (&'a Value, &str),
    ) -> Finding {
        let mut accepted_by = None;
        let mut variants = Vec::new();
        for (index, errors) in context.iter().enumerate() {
            let member = self.root.pointer(&format!("{node}/{keyword}/{index}"));
            let (start, start_path) = member.map_or(fallback, |member| (member, path));
            let found: Vec<Finding> = errors.iter().flat_map(|error| self.findings(error, start, start_path)).collect();
            if accepted_by.is_none() && found.iter().all(|finding| finding.accepted_by.is_some()) {
                accepted_by =
                    Some(unique(found.iter().flat_map(|f| f.accepted_by.iter().flatten()).map(String::as_str)));
            }
            let name = match member.and_then(|member| member.get("$ref")).and_then(Value::as_str) {
                Some(reference) => reference.rsplit('/').next().unwrap_or(reference).to_owned(),
                None => format!("variant {index}"),
            };
            let details: Vec<String> = found.iter().map(Finding::located).collect();
            variants.push(format!("{name}: {}", details.join(", ")));
        }
        Finding {
            example_pointer: self.example.pointer.clone(),
            value_pointer: self.example.value_pointer.clone(),
            instance_path: path.to_owned(),
            schema_pointer: node.to_owned(),
            message: format!("matches none of the `{keyword}` variants; {}", variants.join("; ")),
            accepted_by,
        }
    }

    /// The spec node of a keyword location in the converted document.
    fn spec_node(&self, schema_path: &str) -> String {
        let node = schema_path.rsplit_once('/').map_or("", |(node, _keyword)| node);
        match node.strip_prefix("/definitions/") {
            Some(rest) => format!("/components/schemas/{rest}"),
            None => format!("{}{node}", self.example.schema_pointer),
        }
    }

    /// The notes accepting a finding at `instance_path`: those of the example and of what holds
    /// it, and those on the schema nodes the path leads to from `start` (at `start_path`).
    fn notes(&self, start: &'a Value, start_path: &str, instance_path: &str) -> Option<Vec<String>> {
        let mut nodes: Vec<&Value> = self.example.holders.clone();
        let relative = instance_path.strip_prefix(start_path).unwrap_or(instance_path);
        let tokens: Vec<String> =
            relative.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect();
        reach(self.root, start, &tokens, 0, &mut nodes);
        let notes = nodes.iter().filter_map(|node| node.get(NOTES)).filter_map(Value::as_array).flatten();
        let notes = unique(notes.filter_map(Value::as_str));
        (!notes.is_empty()).then_some(notes)
    }
}

/// The distinct strings among `values`, in order.
fn unique<'v>(values: impl Iterator<Item = &'v str>) -> Vec<String> {
    let mut distinct: Vec<String> = Vec::new();
    for value in values {
        if !distinct.iter().any(|seen| seen == value) {
            distinct.push(value.to_owned());
        }
    }
    distinct
}

/// Collects the schema nodes `tokens` lead to from `node`, both the inline node and what it
/// references. Composition is walked through every member, so a note on any member counts.
fn reach<'a>(root: &'a Value, node: &'a Value, tokens: &[String], depth: usize, reached: &mut Vec<&'a Value>) {
    if depth > MAX_DEPTH {
        return;
    }
    let target = tree::deref(root, node);
    let Some((token, rest)) = tokens.split_first() else {
        reached.extend([node, target]);
        return;
    };
    for key in ["allOf", "oneOf", "anyOf"] {
        for member in target.get(key).and_then(Value::as_array).into_iter().flatten() {
            reach(root, member, tokens, depth + 1, reached);
        }
    }
    let next = target
        .get("properties")
        .and_then(|properties| properties.get(token))
        .or_else(|| target.get("items").filter(|_| token.parse::<usize>().is_ok()))
        .or_else(|| target.get("additionalProperties").filter(|schema| schema.is_object()));
    if let Some(next) = next {
        reach(root, next, rest, depth + 1, reached);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(schema: Value) -> Value {
        convert(&json!({}), &schema, false, 0)
    }

    #[test]
    fn nullable_adds_null_to_type_and_enum() {
        assert_eq!(
            converted(json!({"type": "string", "enum": ["a"], "nullable": true})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(converted(json!({"type": "integer", "nullable": false})), json!({"type": "integer"}));
    }

    #[test]
    fn component_refs_point_into_definitions() {
        assert_eq!(
            converted(json!({"items": {"$ref": "#/components/schemas/a~1b~0c"}})),
            json!({"items": {"$ref": "#/definitions/a~1b~0c"}})
        );
    }

    #[test]
    fn escaped_component_names_resolve_in_the_validator() {
        let doc = json!({
            "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/a~1b~0c"},
                    "examples": {"bad": {"value": {"n": "1"}}}}}}}}}},
            "components": {"schemas": {"a/b~c": {"properties": {"n": {"type": "integer", "nullable": true}}}}}
        });
        let report = check(&doc);
        let found: Vec<(&str, &str)> =
            report.findings.iter().map(|f| (f.instance_path.as_str(), f.schema_pointer.as_str())).collect();
        assert_eq!(found, [("/n", "/components/schemas/a~1b~0c/properties/n")], "{:?}", report.findings);
    }

    #[test]
    fn objects_with_properties_are_closed_but_composed_ones_are_not() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "object", "properties": {}}}});
        assert_eq!(
            converted(schema),
            json!({"type": "object", "properties": {"a": {"type": "object", "properties": {}, "additionalProperties": false}},
                "additionalProperties": false})
        );
        assert_eq!(
            converted(json!({"properties": {}, "additionalProperties": true})),
            json!({"properties": {}, "additionalProperties": true})
        );
        // oneOf members are closed each; an allOf schema and its members stay open.
        assert_eq!(
            converted(json!({"oneOf": [{"properties": {}}], "properties": {}})),
            json!({"oneOf": [{"properties": {}, "additionalProperties": false}], "properties": {}})
        );
        assert_eq!(
            converted(json!({"allOf": [{"properties": {}}], "properties": {}})),
            json!({"allOf": [{"properties": {}}], "properties": {}})
        );
    }

    #[test]
    fn referenced_allof_members_are_inlined_open() {
        let root = json!({"components": {"schemas": {"Base": {"properties": {"a": {}}}}}});
        let schema = json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"b": {}}}]});
        assert_eq!(
            convert(&root, &schema, false, 0),
            json!({"allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]})
        );
    }

    #[test]
    fn openapi_keywords_and_extensions_are_removed_but_property_names_kept() {
        let schema = json!({
            "type": "object", "readOnly": true, "example": {}, "x-reference-notes": ["n"], "deprecated": false,
            "xml": {}, "externalDocs": {}, "discriminator": {"propertyName": "k"}, "writeOnly": false,
            "properties": {"x-name": {"type": "string", "x-foo": 1, "format": "int32"}}, "additionalProperties": true
        });
        assert_eq!(
            converted(schema),
            json!({"type": "object", "properties": {"x-name": {"type": "string", "format": "int32"}}, "additionalProperties": true})
        );
    }

    #[test]
    fn check_all_validates_every_example_location_and_check_only_the_named_ones() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "operationId": "A",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string", "enum": ["x"]}, "example": "y"}],
                "responses": {"200": {"description": "", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/S"},
                    "examples": {"ok": {"value": {"n": 1}}}}}}}
            }}},
            "components": {"schemas": {"S": {"type": "object",
                "properties": {"n": {"type": "integer", "example": "100GB"}, "m": {"$ref": "#/components/schemas/M"}},
                "allOf": [{"type": "object", "properties": {"n": {}}, "example": {"n": 1, "extra": true}}]},
                "M": {"type": "integer", "x-reference-notes": ["Noted."]}}}
        });
        assert!(check(&doc).findings.is_empty(), "{:?}", check(&doc).findings);
        let report = check_all(&doc);
        let found: Vec<(&str, &str, bool)> = report
            .findings
            .iter()
            .map(|f| (f.value_pointer.as_str(), f.instance_path.as_str(), f.accepted_by.is_some()))
            .collect();
        // The allOf member's example is checked open: `extra` is the other members' business.
        assert_eq!(
            found,
            [
                ("/paths/~1a/get/parameters/0/example", "", false),
                ("/components/schemas/S/properties/n/example", "", false),
            ],
            "{:?}",
            report.findings
        );
        assert_eq!(report.checked, 4);
    }
}
