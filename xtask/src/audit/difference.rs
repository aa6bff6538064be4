//! One way a spec operation disagrees with its reference page, and whether the spec already
//! explains it (an `x-reference-notes` on the node concerned makes it *accepted*).

use serde_json::Value;

/// What kind of disagreement; the report's `kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The operation names no reference page.
    Page,
    Title,
    Uri,
    MissingParameter,
    ExtraParameter,
    MissingBody,
    ExtraBody,
    MissingField,
    ExtraField,
    Type,
    Required,
    MissingEnumValue,
    ExtraEnumValue,
    MissingStatusCode,
    ExtraStatusCode,
    MissingExample,
    ExampleNotEqual,
    ExtraExample,
}

impl Kind {
    /// The label as one word (`missing-field`), as the plain report and annotations print it.
    pub fn id(self) -> String {
        self.label().to_lowercase().replace(' ', "-")
    }

    /// "Missing" means on the page but not in the spec; "extra" the other way round.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Page => "reference page",
            Kind::Title => "title",
            Kind::Uri => "method and URI",
            Kind::MissingParameter => "missing parameter",
            Kind::ExtraParameter => "extra parameter",
            Kind::MissingBody => "missing body",
            Kind::ExtraBody => "extra body",
            Kind::MissingField => "missing field",
            Kind::ExtraField => "extra field",
            Kind::Type => "type mismatch",
            Kind::Required => "required mismatch",
            Kind::MissingEnumValue => "missing enum value",
            Kind::ExtraEnumValue => "extra enum value",
            Kind::MissingStatusCode => "missing status code",
            Kind::ExtraStatusCode => "extra status code",
            Kind::MissingExample => "missing example",
            Kind::ExampleNotEqual => "example not equal",
            Kind::ExtraExample => "extra example",
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub kind: Kind,
    /// Where in the spec (`RegisterImageRequest.arch`, `query parameter name`, `response 201`).
    pub location: String,
    /// JSON pointer of the spec node the difference is about (the field, parameter, example,
    /// response or operation), which places it at a line and column of the spec.
    pub pointer: String,
    /// What the page says.
    pub reference: String,
    /// What the spec says.
    pub spec: String,
    /// The `x-reference-notes` that accept it, if any.
    pub notes: Option<Vec<String>>,
}

impl Difference {
    pub fn is_accepted(&self) -> bool {
        self.notes.is_some()
    }
}

/// The notes of the first node that has any: callers list the node the difference is about
/// first, then the nodes that may explain it on its behalf (its schema, its container).
pub fn notes_of(nodes: &[&Value]) -> Option<Vec<String>> {
    nodes.iter().find_map(|node| {
        let notes: Vec<String> =
            node.get("x-reference-notes")?.as_array()?.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        (!notes.is_empty()).then_some(notes)
    })
}
