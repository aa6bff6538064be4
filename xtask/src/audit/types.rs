//! The Type column against the spec's schema, by the mapping of `specs/CONVENTIONS.md`:
//! String → `string`; Integer → `integer`/`int32`; Long → `integer`/`int64`; Float, Double,
//! Number → `number`; Boolean → `boolean`; "Array of X" → `array` of X; "X object" → `$ref` to
//! the component named X; a bare "Object" → any object.

use serde_json::Value;

use otc_codegen::tree;

/// A Type cell, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageType {
    String,
    Integer,
    Long,
    Number,
    Boolean,
    /// `X object` (named) or `Object`.
    Object(Option<String>),
    Array(Box<PageType>),
    /// A type the mapping does not know (`file`, a typo such as `Sting`).
    Other(String),
}

impl PageType {
    pub fn parse(cell: &str) -> PageType {
        let cell = cell.trim();
        match cell.to_ascii_lowercase().as_str() {
            "string" => return PageType::String,
            "integer" | "int" => return PageType::Integer,
            "long" => return PageType::Long,
            "float" | "double" | "number" => return PageType::Number,
            "boolean" | "bool" => return PageType::Boolean,
            "object" => return PageType::Object(None),
            _ => {}
        }
        if cell.len() > 9 && cell[..9].eq_ignore_ascii_case("array of ") {
            let item = &cell[9..];
            let item = item.strip_suffix('s').unwrap_or(item);
            return PageType::Array(Box::new(PageType::parse(item)));
        }
        match cell.strip_suffix(" object").map(str::trim) {
            Some(name) if !name.is_empty() && !name.contains(char::is_whitespace) => {
                PageType::Object(Some(name.to_owned()))
            }
            _ => PageType::Other(cell.to_owned()),
        }
    }

    /// The object a field holds, directly or as array items: `Some(name)` for a named one.
    pub fn object(&self) -> Option<Option<&str>> {
        match self {
            PageType::Object(name) => Some(name.as_deref()),
            PageType::Array(item) => item.object(),
            _ => None,
        }
    }
}

/// Whether the schema `node` (as written, possibly a `$ref`) is what the Type cell says.
pub fn matches(root: &Value, page: &PageType, node: &Value) -> bool {
    let target = tree::deref(root, node);
    let ty = target.get("type").and_then(Value::as_str);
    let format = target.get("format").and_then(Value::as_str);
    match page {
        PageType::String => ty == Some("string"),
        PageType::Integer => ty == Some("integer") && format == Some("int32"),
        PageType::Long => ty == Some("integer") && format == Some("int64"),
        PageType::Number => ty == Some("number"),
        PageType::Boolean => ty == Some("boolean"),
        PageType::Object(Some(name)) => ref_name(node) == Some(name.as_str()) && is_object(target),
        PageType::Object(None) => is_object(target),
        PageType::Array(item) => {
            ty == Some("array") && target.get("items").is_some_and(|items| matches(root, item, items))
        }
        PageType::Other(_) => false,
    }
}

/// The schema in the words of the report: `string`, `integer int32`, `array of $ref ImageTag`.
pub fn describe(root: &Value, node: &Value) -> String {
    if let Some(name) = ref_name(node) {
        return format!("$ref {name}");
    }
    let target = tree::deref(root, node);
    if target.get("oneOf").is_some() {
        return "oneOf".to_owned();
    }
    match target.get("type").and_then(Value::as_str) {
        Some("array") => match target.get("items") {
            Some(items) => format!("array of {}", describe(root, items)),
            None => "array".to_owned(),
        },
        Some(ty) => match target.get("format").and_then(Value::as_str) {
            Some(format) => format!("{ty} {format}"),
            None => ty.to_owned(),
        },
        None if is_object(target) => "object".to_owned(),
        None => "(no type)".to_owned(),
    }
}

/// The component name a `$ref` node points at (`#/components/schemas/ImageTag` → `ImageTag`).
pub fn ref_name(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str).and_then(|reference| reference.rsplit('/').next())
}

pub fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || ["properties", "additionalProperties", "oneOf", "anyOf", "allOf"].iter().any(|key| schema.get(key).is_some())
}

/// The object schema a field holds, directly or as array items (as written: maybe a `$ref`).
pub fn object_schema<'a>(root: &'a Value, node: &'a Value) -> Option<&'a Value> {
    let target = tree::deref(root, node);
    if target.get("type").and_then(Value::as_str) == Some("array") {
        return target.get("items").and_then(|items| object_schema(root, items));
    }
    is_object(target).then_some(node)
}

/// The enum values of a field (or of its array items), as strings.
pub fn enum_values(root: &Value, node: &Value) -> Vec<String> {
    let target = tree::deref(root, node);
    let values = target
        .get("enum")
        .or_else(|| target.get("items").map(|items| tree::deref(root, items)).and_then(|items| items.get("enum")));
    values
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .map(|value| match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}
