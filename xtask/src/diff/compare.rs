//! The spec-level comparison behind `cargo xtask diff`: two raw spec trees in, a list of changes
//! out, each with the JSON pointers of its node on both sides. It words *what was edited* in
//! the report; the verdict comes from the generated code (`classify.rs`). The `breaking` flag
//! here is a hand-made estimate, used only for a revision that does not generate:
//! - request inputs are set through builder setters, so a new *optional* input or one that
//!   becomes optional changes nothing, while a new *required* one fails at `send()`;
//! - response fields are read directly, so whether the Rust type is `T` or `Option<T>` matters
//!   (a required, non-nullable field is `T`), and a new field does not;
//! - enums are open (`Unrecognized(String)`), so a new value is harmless and a removed one
//!   breaks a `match` or a constructor (it cannot see `colliding_enum_variants` or
//!   `shared_types`: the generated model can);
//! - success responses are merged into one body (`collapse_success_responses`), error
//!   responses reach the runtime untyped (`error_responses_to_runtime`), and defaults and
//!   limits only end up in documentation (`server_side_defaults`,
//!   `documentation_only_constraints`).

use std::collections::HashSet;
use std::fmt;

use otc_codegen::examples::{self, Direction};
use otc_codegen::tree::{self, Operation};
use serde_json::Value;

/// One change between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whether code written against the old generated client may stop compiling or working.
    pub breaking: bool,
    pub kind: Kind,
    /// A readable place: `RegisterImage request body .resource_category[]`.
    pub location: String,
    /// What changed, in a few words (`` `integer/int32` → `integer/int64` ``).
    pub detail: String,
    /// JSON pointer of the changed node in the old document (`None`: not there).
    pub old_pointer: Option<String>,
    /// JSON pointer of the changed node in the new document (`None`: not there).
    pub new_pointer: Option<String>,
}

/// What sort of change it is; `Display` gives the label of the report's "change" column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    SpecAdded,
    SpecRemoved,
    OperationAdded,
    OperationRemoved,
    /// Same operationId, different method or path.
    OperationMoved,
    ParameterAdded,
    ParameterRemoved,
    FieldAdded,
    FieldRemoved,
    /// A request body, a success response body, or one of its media types.
    BodyAdded,
    BodyRemoved,
    /// A status code of an operation.
    ResponseAdded,
    ResponseRemoved,
    /// A `oneOf`/`anyOf`/`allOf` member.
    VariantAdded,
    VariantRemoved,
    /// Type, format, enum-ness, generated type name or media type.
    TypeChanged,
    RequiredChanged,
    NullableChanged,
    EnumValueAdded,
    EnumValueRemoved,
    /// Descriptions, notes, defaults, limits and other things that only reach documentation.
    DocsChanged,
    /// Informational: documented examples (the golden suite replays them).
    ExampleChanged,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::SpecAdded => "spec added",
            Kind::SpecRemoved => "spec removed",
            Kind::OperationAdded => "operation added",
            Kind::OperationRemoved => "operation removed",
            Kind::OperationMoved => "operation moved",
            Kind::ParameterAdded => "parameter added",
            Kind::ParameterRemoved => "parameter removed",
            Kind::FieldAdded => "field added",
            Kind::FieldRemoved => "field removed",
            Kind::BodyAdded => "body added",
            Kind::BodyRemoved => "body removed",
            Kind::ResponseAdded => "response added",
            Kind::ResponseRemoved => "response removed",
            Kind::VariantAdded => "variant added",
            Kind::VariantRemoved => "variant removed",
            Kind::TypeChanged => "type changed",
            Kind::RequiredChanged => "required changed",
            Kind::NullableChanged => "nullable changed",
            Kind::EnumValueAdded => "enum value added",
            Kind::EnumValueRemoved => "enum value removed",
            Kind::DocsChanged => "docs changed",
            Kind::ExampleChanged => "example changed",
        })
    }
}

/// Compares a spec file at two versions; `None` is a file that does not exist on that side.
pub fn diff_documents(old: Option<&Value>, new: Option<&Value>) -> Vec<Change> {
    match (old, new) {
        (Some(old), Some(new)) => diff_specs(old, new),
        (None, Some(new)) => vec![Change {
            breaking: false,
            kind: Kind::SpecAdded,
            location: "(document)".into(),
            detail: format!("a new client module with {}", operation_list(new)),
            old_pointer: None,
            new_pointer: Some(String::new()),
        }],
        (Some(old), None) => vec![Change {
            breaking: true,
            kind: Kind::SpecRemoved,
            location: "(document)".into(),
            detail: format!("the client module and its {} are gone", operation_list(old)),
            old_pointer: Some(String::new()),
            new_pointer: None,
        }],
        (None, None) => Vec::new(),
    }
}

fn operation_list(root: &Value) -> String {
    let ids: Vec<String> = tree::operations(root).iter().map(|operation| format!("`{}`", key(operation))).collect();
    match ids.len() {
        0 => "no operations".into(),
        1 => format!("1 operation: {}", ids[0]),
        count => format!("{count} operations: {}", ids.join(", ")),
    }
}

/// Every change from `old` to `new` (raw spec trees): document, operations in the old
/// document's order (added ones last), then example changes.
pub fn diff_specs(old: &Value, new: &Value) -> Vec<Change> {
    let mut diff = Diff { old, new, changes: Vec::new(), stack: Vec::new() };
    diff.document();
    diff.operations();
    diff.examples();
    diff.changes
}

/// Whether a schema is read from a request (set by the caller) or a response (read by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// A location being compared: an operation-level prefix and a field path below it, with the
/// JSON pointers of the node on both sides (empty: not on that side).
#[derive(Debug, Clone)]
struct Site {
    prefix: String,
    path: String,
    old: String,
    new: String,
}

impl Site {
    fn new(prefix: impl Into<String>, old: &str, new: &str) -> Self {
        Site { prefix: prefix.into(), path: String::new(), old: old.to_owned(), new: new.to_owned() }
    }

    /// A field path segment and the pointer tokens leading to it.
    fn then(&self, segment: &str, tokens: &[&str]) -> Self {
        let extend = |pointer: &str| {
            if pointer.is_empty() {
                String::new()
            } else {
                tokens.iter().fold(pointer.to_owned(), |p, t| tree::push(&p, t))
            }
        };
        Site {
            prefix: self.prefix.clone(),
            path: format!("{}{segment}", self.path),
            old: extend(&self.old),
            new: extend(&self.new),
        }
    }

    /// The same place, its pointers moved to where the `$ref`s of `old` and `new` lead.
    fn follow(&self, old: &Value, new: &Value) -> Self {
        let target = |node: &Value, pointer: &str| match reference(node).and_then(|r| r.strip_prefix('#')) {
            Some(target) => target.to_owned(),
            None => pointer.to_owned(),
        };
        Site {
            prefix: self.prefix.clone(),
            path: self.path.clone(),
            old: target(old, &self.old),
            new: target(new, &self.new),
        }
    }
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.prefix) } else { write!(f, "{} {}", self.prefix, self.path) }
    }
}

/// Keys of a schema that only reach the generated documentation.
const SCHEMA_DOC_KEYS: [&str; 19] = [
    "title",
    "description",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
    "x-reference-notes",
];
const OPERATION_DOC_KEYS: [&str; 7] =
    ["summary", "description", "externalDocs", "tags", "deprecated", "security", "x-reference-notes"];
const PARAMETER_DOC_KEYS: [&str; 6] =
    ["description", "deprecated", "style", "explode", "allowReserved", "x-reference-notes"];
const BODY_DOC_KEYS: [&str; 2] = ["description", "x-reference-notes"];
const DOCUMENT_DOC_KEYS: [&str; 6] = ["servers", "security", "tags", "externalDocs", "x-reference-notes", "info"];

/// Deeper nesting than this is not compared (a guard; real specs are far shallower).
const MAX_DEPTH: usize = 64;

struct Diff<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    /// The `($ref, $ref)` pairs being compared, outermost first: a recursive schema stops here.
    stack: Vec<(String, String)>,
}

impl<'a> Diff<'a> {
    fn push(&mut self, breaking: bool, kind: Kind, site: &Site, detail: impl Into<String>) {
        let pointer = |pointer: &str| Some(pointer.to_owned()).filter(|p| !p.is_empty() || site.prefix == "(document)");
        self.changes.push(Change {
            breaking,
            kind,
            location: site.to_string(),
            detail: detail.into(),
            old_pointer: pointer(&site.old),
            new_pointer: pointer(&site.new),
        });
    }

    fn document(&mut self) {
        self.docs(&Site::new("(document)", "", ""), self.old, self.new, &DOCUMENT_DOC_KEYS);
    }

    fn operations(&mut self) {
        let old_operations = tree::operations(self.old);
        let new_operations = tree::operations(self.new);
        for old in &old_operations {
            let id = key(old);
            match new_operations.iter().find(|new| key(new) == id) {
                Some(new) => self.operation(&id, old, new),
                None => {
                    let site = Site::new(id.clone(), &old.pointer, "");
                    self.push(true, Kind::OperationRemoved, &site, format!("was `{}`", request_line(old)));
                }
            }
        }
        for new in &new_operations {
            let id = key(new);
            if !old_operations.iter().any(|old| key(old) == id) {
                let site = Site::new(id.clone(), "", &new.pointer);
                self.push(false, Kind::OperationAdded, &site, format!("`{}`", request_line(new)));
            }
        }
    }

    fn operation(&mut self, id: &str, old: &Operation<'a>, new: &Operation<'a>) {
        let site = Site::new(id, &old.pointer, &new.pointer);
        if (old.method, old.path) != (new.method, new.path) {
            let detail = format!("`{}` → `{}`; same client method", request_line(old), request_line(new));
            self.push(false, Kind::OperationMoved, &site, detail);
        }
        self.docs(&site, old.node, new.node, &OPERATION_DOC_KEYS);
        self.parameters(id, old, new);
        self.request_body(&site, old.node.get("requestBody"), new.node.get("requestBody"));
        self.responses(&site, old.node, new.node);
    }

    fn parameters(&mut self, id: &str, old: &Operation<'a>, new: &Operation<'a>) {
        let old_parameters = parameters(self.old, old);
        let new_parameters = parameters(self.new, new);
        let label = |(place, name): &(&str, &str)| format!("{id} {place} parameter {name}");
        for (key, old_pointer, old_parameter) in &old_parameters {
            match new_parameters.iter().find(|(new_key, _, _)| new_key == key) {
                Some((_, new_pointer, new_parameter)) => {
                    self.parameter(&Site::new(label(key), old_pointer, new_pointer), old_parameter, new_parameter)
                }
                None => {
                    let detail = format!("was {}", describe_input(self.old, old_parameter));
                    self.push(true, Kind::ParameterRemoved, &Site::new(label(key), old_pointer, ""), detail);
                }
            }
        }
        for (key, new_pointer, new_parameter) in &new_parameters {
            if !old_parameters.iter().any(|(old_key, _, _)| old_key == key) {
                let required = is_true(new_parameter.get("required"));
                let site = Site::new(label(key), "", new_pointer);
                self.push(required, Kind::ParameterAdded, &site, describe_input(self.new, new_parameter));
            }
        }
    }

    fn parameter(&mut self, site: &Site, old: &'a Value, new: &'a Value) {
        let (old_schema, new_schema) =
            (old.get("schema").unwrap_or(&Value::Null), new.get("schema").unwrap_or(&Value::Null));
        let (old_null, new_null) = (nullable(self.old, old_schema), nullable(self.new, new_schema));
        let (old_required, new_required) = (is_true(old.get("required")), is_true(new.get("required")));
        self.optionality(Side::Request, site, (old_required, new_required), (old_null, new_null));
        self.docs(site, old, new, &PARAMETER_DOC_KEYS);
        self.example(site, old, new);
        self.schema(Side::Request, &site.then("", &["schema"]), old_schema, new_schema);
    }

    fn request_body(&mut self, operation: &Site, old: Option<&'a Value>, new: Option<&'a Value>) {
        let site = Site::new(format!("{} request body", operation.prefix), &operation.old, &operation.new)
            .then("", &["requestBody"])
            .follow(old.unwrap_or(&Value::Null), new.unwrap_or(&Value::Null));
        let old = old.map(|body| tree::deref(self.old, body));
        let new = new.map(|body| tree::deref(self.new, body));
        match (old, new) {
            (None, None) => {}
            (Some(old), None) => {
                let detail = format!("was {}", describe_body(self.old, old));
                self.push(true, Kind::BodyRemoved, &site, detail);
            }
            (None, Some(new)) => {
                let required = is_true(new.get("required"));
                let detail =
                    format!("{} {}", if required { "required" } else { "optional" }, describe_body(self.new, new));
                self.push(required, Kind::BodyAdded, &site, detail);
            }
            (Some(old), Some(new)) => {
                let (old_required, new_required) = (is_true(old.get("required")), is_true(new.get("required")));
                if old_required != new_required {
                    self.push(new_required, Kind::RequiredChanged, &site, required_detail(old_required, new_required));
                }
                self.docs(&site, old, new, &BODY_DOC_KEYS);
                self.content(Side::Request, &site, old, new);
            }
        }
    }

    /// Status codes, then the one success body the generator decodes every 2xx into.
    fn responses(&mut self, operation: &Site, old: &'a Value, new: &'a Value) {
        let id = &operation.prefix;
        let old_responses = responses(self.old, old);
        let new_responses = responses(self.new, new);
        let pointer = |base: &str, responses: &[(&str, &Value)], status: &str| -> String {
            match responses.iter().find(|(found, _)| *found == status) {
                Some(_) if base.is_empty() => String::new(),
                Some(_) => tree::push(&tree::push(base, "responses"), status),
                None => String::new(),
            }
        };
        let old_raw = entries(old, "responses");
        let new_raw = entries(new, "responses");
        let site = |status: &str, label: String| {
            let old_pointer = pointer(&operation.old, &old_responses, status);
            let new_pointer = pointer(&operation.new, &new_responses, status);
            let old_node = lookup(&old_raw, status).unwrap_or(&Value::Null);
            let new_node = lookup(&new_raw, status).unwrap_or(&Value::Null);
            Site::new(label, &old_pointer, &new_pointer).follow(old_node, new_node)
        };
        for (status, _) in &old_responses {
            if !new_responses.iter().any(|(new_status, _)| new_status == status) {
                let site = site(status, format!("{id} response {status}"));
                self.push(false, Kind::ResponseRemoved, &site, status_kind(status));
            }
        }
        for (status, _) in &new_responses {
            if !old_responses.iter().any(|(old_status, _)| old_status == status) {
                let site = site(status, format!("{id} response {status}"));
                self.push(false, Kind::ResponseAdded, &site, status_kind(status));
            }
        }
        // Error responses are mostly shared components, and reach the runtime untyped.
        for (status, old_response) in old_responses.iter().filter(|(status, _)| is_success(status)) {
            if let Some((_, new_response)) = new_responses.iter().find(|(new_status, _)| new_status == status) {
                let site = site(status, format!("{id} response {status}"));
                self.docs(&site, old_response, new_response, &BODY_DOC_KEYS);
            }
        }
        match (success_body(&old_responses), success_body(&new_responses)) {
            (None, None) => {}
            (Some((status, old_body)), None) => {
                let detail = format!("the operation no longer returns {}", describe_body(self.old, old_body));
                self.push(true, Kind::BodyRemoved, &site(status, format!("{id} response {status}")), detail);
            }
            (None, Some((status, new_body))) => {
                let detail = format!("the operation now returns {}", describe_body(self.new, new_body));
                self.push(false, Kind::BodyAdded, &site(status, format!("{id} response {status}")), detail);
            }
            (Some((old_status, old_body)), Some((new_status, new_body))) => {
                let label = if old_status == new_status {
                    format!("{id} response {new_status}")
                } else {
                    format!("{id} response {new_status} (was {old_status})")
                };
                let old_site = site(old_status, label.clone());
                let new_site = site(new_status, label);
                let site = Site { old: old_site.old, ..new_site };
                self.content(Side::Response, &site, old_body, new_body);
            }
        }
    }

    /// The media types of a body (request body or response) and their schemas.
    fn content(&mut self, side: Side, site: &Site, old: &'a Value, new: &'a Value) {
        let (old_content, new_content) = (entries(old, "content"), entries(new, "content"));
        let mut pairs = Vec::new();
        let media_site = |site: &Site, old_type: &str, new_type: &str| {
            let mut media = site.then("", &["content"]);
            media.old = if media.old.is_empty() { String::new() } else { tree::push(&media.old, old_type) };
            media.new = if media.new.is_empty() { String::new() } else { tree::push(&media.new, new_type) };
            media
        };
        if let ([(old_type, old_media)], [(new_type, new_media)]) = (old_content.as_slice(), new_content.as_slice()) {
            let media = media_site(site, old_type, new_type);
            if old_type != new_type {
                self.push(true, Kind::TypeChanged, &media, format!("media type `{old_type}` → `{new_type}`"));
            }
            pairs.push((media, *old_media, *new_media));
        } else {
            let several = old_content.len() > 1 || new_content.len() > 1;
            for &(media_type, old_media) in &old_content {
                let mut media = media_site(site, media_type, media_type);
                if several {
                    media.prefix = format!("{} ({media_type})", site.prefix);
                }
                match lookup(&new_content, media_type) {
                    Some(new_media) => pairs.push((media, old_media, new_media)),
                    None => {
                        media.new = String::new();
                        self.push(true, Kind::BodyRemoved, &media, format!("media type `{media_type}` removed"));
                    }
                }
            }
            for (media_type, _) in
                new_content.iter().filter(|(media_type, _)| lookup(&old_content, media_type).is_none())
            {
                let mut media = media_site(site, media_type, media_type);
                media.old = String::new();
                self.push(false, Kind::BodyAdded, &media, format!("media type `{media_type}` added"));
            }
        }
        for (site, old_media, new_media) in pairs {
            let old_schema = old_media.get("schema").unwrap_or(&Value::Null);
            let new_schema = new_media.get("schema").unwrap_or(&Value::Null);
            let site = site.then("", &["schema"]);
            let nulls = (nullable(self.old, old_schema), nullable(self.new, new_schema));
            self.optionality(side, &site, (true, true), nulls);
            self.schema(side, &site, old_schema, new_schema);
        }
    }

    /// Whether the Rust type of an input or field changes between `T` and `Option<T>`, from
    /// `(old, new)` required-ness and nullability. A schema that is not an object property
    /// (a body, an array item) passes `(true, true)` as required.
    fn optionality(&mut self, side: Side, site: &Site, required: (bool, bool), nullable: (bool, bool)) {
        match side {
            Side::Request => {
                if required.0 != required.1 {
                    self.push(required.1, Kind::RequiredChanged, site, required_detail(required.0, required.1));
                }
                if nullable.0 != nullable.1 {
                    let detail = if nullable.1 { "now accepts null" } else { "no longer accepts null" };
                    self.push(nullable.0, Kind::NullableChanged, site, detail);
                }
            }
            Side::Response => {
                let old_optional = !required.0 || nullable.0;
                let new_optional = !required.1 || nullable.1;
                let effect = match (old_optional, new_optional) {
                    (false, true) => " (`T` → `Option<T>`)",
                    (true, false) => " (`Option<T>` → `T`)",
                    _ => " (the Rust type stays `Option<T>`)",
                };
                let breaking = old_optional != new_optional;
                if required.0 != required.1 {
                    let detail = format!("{}{effect}", required_detail(required.0, required.1));
                    self.push(breaking, Kind::RequiredChanged, site, detail);
                }
                if nullable.0 != nullable.1 {
                    let detail = format!("{}{effect}", if nullable.1 { "now nullable" } else { "no longer nullable" });
                    self.push(breaking, Kind::NullableChanged, site, detail);
                }
            }
        }
    }

    /// Compares two schema nodes (either may be a `$ref`) and everything below them.
    fn schema(&mut self, side: Side, site: &Site, old: &'a Value, new: &'a Value) {
        if self.stack.len() >= MAX_DEPTH {
            return;
        }
        let refs = (reference(old), reference(new));
        if let (Some(old_ref), Some(new_ref)) = refs
            && self.stack.iter().any(|(o, n)| o == old_ref && n == new_ref)
        {
            return;
        }
        let site = &site.follow(old, new);
        let (old_node, new_node) = (tree::deref(self.old, old), tree::deref(self.new, new));
        let (old_shape, new_shape) = (shape(old_node), shape(new_node));
        if old_shape != new_shape {
            let detail = format!("{} → {}", describe(self.old, old), describe(self.new, new));
            self.push(true, Kind::TypeChanged, site, detail);
            return;
        }
        if let (Some(old_ref), Some(new_ref)) = refs
            && component_name(old_ref) != component_name(new_ref)
        {
            let detail = format!("generated type `{}` → `{}`", component_name(old_ref), component_name(new_ref));
            self.push(true, Kind::TypeChanged, site, detail);
        }
        self.docs(site, old_node, new_node, &SCHEMA_DOC_KEYS);
        self.example(site, old_node, new_node);
        self.enum_values(site, old_node, new_node);
        self.stack.push((reference(old).unwrap_or_default().to_owned(), reference(new).unwrap_or_default().to_owned()));
        match old_shape.kind {
            "array" => {
                let (old_items, new_items) = (member(old_node, "items"), member(new_node, "items"));
                let site = site.then("[]", &["items"]);
                let nulls = (nullable(self.old, old_items), nullable(self.new, new_items));
                self.optionality(side, &site, (true, true), nulls);
                self.schema(side, &site, old_items, new_items);
            }
            "object" => self.properties(side, site, old_node, new_node),
            "map" => {
                let (old_values, new_values) =
                    (member(old_node, "additionalProperties"), member(new_node, "additionalProperties"));
                if old_values.is_object() && new_values.is_object() {
                    self.schema(side, &site.then("{}", &["additionalProperties"]), old_values, new_values);
                }
            }
            "oneOf" | "anyOf" | "allOf" => self.variants(side, site, old_shape.kind, old_node, new_node),
            _ => {}
        }
        self.stack.pop();
    }

    fn properties(&mut self, side: Side, site: &Site, old: &'a Value, new: &'a Value) {
        let (old_properties, new_properties) = (entries(old, "properties"), entries(new, "properties"));
        let (old_required, new_required) = (required_names(old), required_names(new));
        for &(name, old_property) in &old_properties {
            let mut site = site.then(&format!(".{name}"), &["properties", name]);
            let was_required = old_required.contains(name);
            match lookup(&new_properties, name) {
                Some(new_property) => {
                    let required = (was_required, new_required.contains(name));
                    let nulls = (nullable(self.old, old_property), nullable(self.new, new_property));
                    self.optionality(side, &site, required, nulls);
                    self.schema(side, &site, old_property, new_property);
                }
                None => {
                    let detail = format!("was {}", describe_field(self.old, old_property, was_required));
                    site.new = String::new();
                    self.push(true, Kind::FieldRemoved, &site, detail);
                }
            }
        }
        for &(name, new_property) in &new_properties {
            if lookup(&old_properties, name).is_none() {
                let required = new_required.contains(name);
                let detail = describe_field(self.new, new_property, required);
                let mut site = site.then(&format!(".{name}"), &["properties", name]);
                site.old = String::new();
                self.push(side == Side::Request && required, Kind::FieldAdded, &site, detail);
            }
        }
    }

    /// `oneOf` members, matched by component name (or by position when inline).
    fn variants(&mut self, side: Side, site: &Site, keyword: &str, old: &'a Value, new: &'a Value) {
        let old_members = variant_members(old, keyword);
        let new_members = variant_members(new, keyword);
        let index = |members: &[(String, &Value)], label: &str| {
            members.iter().position(|(found, _)| found == label).map(|i| i.to_string()).unwrap_or_default()
        };
        let member_site = |label: &str| {
            let mut member = site.then(&format!("({label})"), &[keyword]);
            let (old_index, new_index) = (index(&old_members, label), index(&new_members, label));
            member.old = if old_index.is_empty() { String::new() } else { tree::push(&member.old, &old_index) };
            member.new = if new_index.is_empty() { String::new() } else { tree::push(&member.new, &new_index) };
            member
        };
        for (label, old_member) in &old_members {
            let site = member_site(label);
            match new_members.iter().find(|(new_label, _)| new_label == label) {
                Some((_, new_member)) => self.schema(side, &site, old_member, new_member),
                None => self.push(true, Kind::VariantRemoved, &site, format!("`{keyword}` member removed")),
            }
        }
        for (label, _) in &new_members {
            if !old_members.iter().any(|(old_label, _)| old_label == label) {
                let detail = match side {
                    Side::Request => format!("new `{keyword}` member"),
                    Side::Response => {
                        format!("new `{keyword}` member; a `match` on the generated enum needs a new arm")
                    }
                };
                self.push(side == Side::Response, Kind::VariantAdded, &member_site(label), detail);
            }
        }
    }

    /// String enums are generated enums; integer ones are documentation on a plain number.
    fn enum_values(&mut self, site: &Site, old: &Value, new: &Value) {
        let (Some(old_values), Some(new_values)) =
            (old.get("enum").and_then(Value::as_array), new.get("enum").and_then(Value::as_array))
        else {
            return;
        };
        let generated = shape(new).is_enum;
        let note = if generated { "" } else { " (documented only: the Rust type is a plain number)" };
        let at = |index: usize, old: bool| {
            let mut at = site.then("", &["enum", &index.to_string()]);
            if old {
                at.new = String::new()
            } else {
                at.old = String::new()
            }
            at
        };
        for (index, value) in old_values.iter().enumerate().filter(|(_, value)| !new_values.contains(value)) {
            self.push(generated, Kind::EnumValueRemoved, &at(index, true), format!("`{}`{note}", scalar(value)));
        }
        for (index, value) in new_values.iter().enumerate().filter(|(_, value)| !old_values.contains(value)) {
            self.push(false, Kind::EnumValueAdded, &at(index, false), format!("`{}`{note}", scalar(value)));
        }
    }

    /// Documentation-only keys; short values are shown, long ones just named.
    fn docs(&mut self, location: &Site, old: &Value, new: &Value, keys: &[&str]) {
        for key in keys {
            let (old_value, new_value) = (old.get(*key), new.get(*key));
            if old_value == new_value {
                continue;
            }
            let detail = match (old_value.filter(|value| is_short(value)), new_value.filter(|value| is_short(value))) {
                _ if old_value.is_none() => format!("`{key}` added"),
                _ if new_value.is_none() => format!("`{key}` removed"),
                (Some(old_value), Some(new_value)) => {
                    format!("`{key}`: `{}` → `{}`", scalar(old_value), scalar(new_value))
                }
                _ => format!("`{key}` changed"),
            };
            self.push(false, Kind::DocsChanged, location, detail);
        }
    }

    /// A schema's or parameter's own `example`/`examples`.
    fn example(&mut self, site: &Site, old: &Value, new: &Value) {
        for key in ["example", "examples"] {
            let (old_value, new_value) = (old.get(key), new.get(key));
            if old_value != new_value {
                let what = match (old_value, new_value) {
                    (None, _) => "added",
                    (_, None) => "removed",
                    _ => "value changed",
                };
                self.push(false, Kind::ExampleChanged, site, format!("`{key}` {what}"));
            }
        }
    }

    /// Named request and response examples of operations present on both sides; a shared
    /// response's example is reported once.
    fn examples(&mut self) {
        let pointers = |root: &'a Value| -> Vec<(String, String)> {
            examples::examples(root).into_iter().map(|example| (example_location(&example), example.pointer)).collect()
        };
        let (old_pointers, new_pointers) = (pointers(self.old), pointers(self.new));
        let find = |pointers: &[(String, String)], location: &str| {
            pointers.iter().find(|(found, _)| found == location).map(|(_, pointer)| pointer.clone()).unwrap_or_default()
        };
        let old_ids: HashSet<String> = tree::operations(self.old).iter().map(key).collect();
        let new_ids: HashSet<String> = tree::operations(self.new).iter().map(key).collect();
        let listed = |root: &'a Value| -> Vec<(String, &'a Value)> {
            let mut seen = HashSet::new();
            examples::examples(root)
                .into_iter()
                .filter(|example| old_ids.contains(example.operation_id) && new_ids.contains(example.operation_id))
                .map(|example| (example_location(&example), example.value))
                .filter(|(location, _)| seen.insert(location.clone()))
                .collect()
        };
        let (old_examples, new_examples) = (listed(self.old), listed(self.new));
        let mut changes = Vec::new();
        for (location, old_value) in &old_examples {
            match new_examples.iter().find(|(new_location, _)| new_location == location) {
                Some((_, new_value)) if new_value != old_value => changes.push((location.clone(), "value changed")),
                Some(_) => {}
                None => changes.push((location.clone(), "removed")),
            }
        }
        for (location, _) in &new_examples {
            if !old_examples.iter().any(|(old_location, _)| old_location == location) {
                changes.push((location.clone(), "added"));
            }
        }
        for (location, detail) in changes {
            let site = Site::new(location.clone(), &find(&old_pointers, &location), &find(&new_pointers, &location));
            self.push(false, Kind::ExampleChanged, &site, detail);
        }
    }
}

/// How an operation is matched across versions: its operationId, else its request line.
fn key(operation: &Operation<'_>) -> String {
    match operation.node.get("operationId").and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => request_line(operation),
    }
}

fn request_line(operation: &Operation<'_>) -> String {
    format!("{} {}", operation.method.to_uppercase(), operation.path)
}

/// The effective parameters (path item's, overridden by the operation's), keyed by (in, name),
/// with the pointer of each (where its `$ref` leads, if it is one).
fn parameters<'a>(root: &'a Value, operation: &Operation<'a>) -> Vec<((&'a str, &'a str), String, &'a Value)> {
    let own = operation.node.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let item_pointer = operation.pointer.rsplit_once('/').map_or("", |(item, _)| item);
    let listed = operation
        .path_parameters
        .iter()
        .enumerate()
        .map(|(index, parameter)| (tree::push(&tree::push(item_pointer, "parameters"), &index.to_string()), parameter))
        .chain(own.iter().enumerate().map(|(index, parameter)| {
            (tree::push(&tree::push(&operation.pointer, "parameters"), &index.to_string()), parameter)
        }));
    let mut found: Vec<((&'a str, &'a str), String, &'a Value)> = Vec::new();
    for (pointer, parameter) in listed {
        let pointer = match reference(parameter).and_then(|r| r.strip_prefix('#')) {
            Some(target) => target.to_owned(),
            None => pointer,
        };
        let parameter = tree::deref(root, parameter);
        let place = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
        found.retain(|(key, _, _)| *key != (place, name));
        found.push(((place, name), pointer, parameter));
    }
    found
}

/// Status code → response (followed through `#/components/responses`), in document order.
fn responses<'a>(root: &'a Value, operation: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else { return Vec::new() };
    responses.iter().map(|(status, response)| (status.as_str(), tree::deref(root, response))).collect()
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

fn status_kind(status: &str) -> &'static str {
    if is_success(status) { "success status" } else { "error status; error bodies reach the runtime untyped" }
}

/// The first success response with a body: what every 2xx decodes into.
fn success_body<'a>(responses: &[(&'a str, &'a Value)]) -> Option<(&'a str, &'a Value)> {
    responses.iter().copied().find(|(status, response)| {
        is_success(status)
            && response.get("content").and_then(Value::as_object).is_some_and(|content| !content.is_empty())
    })
}

fn reference(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

fn component_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// The members of an object-valued key (`properties`, `content`), in document order.
fn entries<'v>(node: &'v Value, key: &str) -> Vec<(&'v str, &'v Value)> {
    node.get(key).and_then(Value::as_object).into_iter().flatten().map(|(name, value)| (name.as_str(), value)).collect()
}

fn lookup<'v>(entries: &[(&str, &'v Value)], name: &str) -> Option<&'v Value> {
    entries.iter().find(|(key, _)| *key == name).map(|(_, value)| *value)
}

fn member<'v>(node: &'v Value, key: &str) -> &'v Value {
    node.get(key).unwrap_or(&Value::Null)
}

fn is_true(value: Option<&Value>) -> bool {
    value.and_then(Value::as_bool).unwrap_or(false)
}

/// `nullable` on the node itself or on what its `$ref` points at.
fn nullable(root: &Value, node: &Value) -> bool {
    is_true(node.get("nullable")) || is_true(tree::deref(root, node).get("nullable"))
}

fn required_names(schema: &Value) -> HashSet<&str> {
    schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

fn required_detail(old: bool, new: bool) -> &'static str {
    match (old, new) {
        (false, true) => "optional → required",
        _ => "required → optional",
    }
}

/// What decides the generated Rust type of a (dereferenced) schema, apart from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    /// `string`, `integer`, `number`, `boolean`, `array`, `object` (a struct), `map` (an object
    /// without properties), `oneOf`/`anyOf`/`allOf`, or `any`.
    kind: &'static str,
    format: Option<String>,
    is_enum: bool,
}

fn shape(schema: &Value) -> Shape {
    let declared = schema.get("type").and_then(Value::as_str);
    let has_properties = schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
    let composition = ["oneOf", "anyOf", "allOf"].into_iter().find(|key| schema.get(*key).is_some_and(Value::is_array));
    let kind = match (declared, composition) {
        (None | Some("object"), Some(keyword)) if !has_properties => keyword,
        (Some("object"), _) | (None, _) if has_properties => "object",
        (Some("object"), _) => "map",
        (None, _) if schema.get("additionalProperties").is_some_and(Value::is_object) => "map",
        (None, _) if schema.get("items").is_some() => "array",
        (None, _) => "any",
        (Some("string"), _) => "string",
        (Some("integer"), _) => "integer",
        (Some("number"), _) => "number",
        (Some("boolean"), _) => "boolean",
        (Some("array"), _) => "array",
        (Some(_), _) => "any",
    };
    let format = schema.get("format").and_then(Value::as_str).map(str::to_owned);
    // Only string enums become Rust enums (`documentation_only_constraints` drops the others).
    Shape { kind, format, is_enum: kind == "string" && schema.get("enum").is_some_and(Value::is_array) }
}

/// A short readable type: `` `integer/int64` ``, `` `array of string enum` ``, `` `ImageTag` (object) ``.
fn describe(root: &Value, node: &Value) -> String {
    match reference(node) {
        Some(reference) => format!("`{}` ({})", component_name(reference), type_name(root, node, 0)),
        None => format!("`{}`", type_name(root, node, 0)),
    }
}

fn type_name(root: &Value, node: &Value, depth: usize) -> String {
    if depth > 0
        && let Some(reference) = reference(node)
    {
        return component_name(reference).to_owned();
    }
    let schema = tree::deref(root, node);
    let shape = shape(schema);
    let mut name = match shape.kind {
        "array" if depth < 4 => format!("array of {}", type_name(root, member(schema, "items"), depth + 1)),
        "map" if depth < 4 && member(schema, "additionalProperties").is_object() => {
            format!("map of {}", type_name(root, member(schema, "additionalProperties"), depth + 1))
        }
        kind => kind.to_owned(),
    };
    if let Some(format) = shape.format {
        name = format!("{name}/{format}");
    }
    if shape.is_enum {
        name.push_str(" enum");
    }
    name
}

fn describe_field(root: &Value, node: &Value, required: bool) -> String {
    format!("{} {}", if required { "required" } else { "optional" }, describe(root, node))
}

fn describe_input(root: &Value, parameter: &Value) -> String {
    describe_field(root, member(parameter, "schema"), is_true(parameter.get("required")))
}

fn describe_body(root: &Value, body: &Value) -> String {
    let content = body.get("content").and_then(Value::as_object);
    match content.and_then(|content| content.iter().next()) {
        Some((media_type, media)) => format!("{} (`{media_type}`)", describe(root, member(media, "schema"))),
        None => "a body".into(),
    }
}

fn is_short(value: &Value) -> bool {
    match value {
        Value::String(text) => text.chars().count() <= 40,
        Value::Array(_) | Value::Object(_) => false,
        _ => true,
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn example_location(example: &examples::Example<'_>) -> String {
    let shared = example.pointer.strip_prefix("/components/responses/").and_then(|rest| rest.split('/').next());
    match (shared, example.direction) {
        (Some(response), _) => format!("components.responses.{response} example {}", example.name),
        (None, Direction::Request) => format!("{} request example {}", example.operation_id, example.name),
        (None, Direction::Response) => {
            format!("{} response {} example {}", example.operation_id, example.status.unwrap_or("?"), example.name)
        }
    }
}

/// `oneOf`/`anyOf`/`allOf` members labelled by component name, or `oneOf 1` when inline.
fn variant_members<'v>(schema: &'v Value, keyword: &str) -> Vec<(String, &'v Value)> {
    let members = schema.get(keyword).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    members
        .iter()
        .enumerate()
        .map(|(index, member)| match reference(member) {
            Some(reference) => (component_name(reference).to_owned(), member),
            None => (format!("{keyword} {index}"), member),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes_tell_structs_maps_and_compositions_apart() {
        assert_eq!(shape(&json!({"properties": {"a": {}}})).kind, "object");
        assert_eq!(shape(&json!({"type": "object"})).kind, "map");
        assert_eq!(shape(&json!({"oneOf": [{}]})).kind, "oneOf");
        assert_eq!(shape(&json!({"type": "integer", "format": "int32"})).format.as_deref(), Some("int32"));
    }

    #[test]
    fn recursive_components_terminate() {
        let doc = json!({
            "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
            "components": {"schemas": {"Node": {"type": "object", "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}}
        });
        assert!(diff_specs(&doc, &doc).is_empty());
    }
}
