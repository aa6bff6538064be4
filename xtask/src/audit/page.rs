//! What a reviewer reads off one reference page, independent of the HTML flavour it came in
//! (doc-exports seeds or docutils renderings): the facts the spec must restate.

use serde_json::Value;

/// One reference page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The `<h1>` title (the spec's `externalDocs.description`).
    pub title: String,
    /// Every `METHOD /path` line of the page, in order (a few pages show a concrete URI too).
    pub operations: Vec<(String, String)>,
    pub path_parameters: Vec<Field>,
    pub query_parameters: Vec<Field>,
    /// The request body table(s); more than one when the page documents alternative bodies.
    pub request_bodies: Vec<Table>,
    /// Top-level response body tables, with the status code stated above them, if any.
    pub responses: Vec<(Option<u16>, Table)>,
    /// Tables describing nested objects, keyed by caption (`ImageGroup`, `image_tags`).
    pub objects: Vec<Table>,
    /// Every status code the page lists, sorted and without duplicates.
    pub status_codes: Vec<u16>,
    pub examples: Vec<Example>,
    /// What the parser saw but could not use (an example that is no JSON, a stray table).
    pub notes: Vec<String>,
}

/// One parameter table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The caption without its `Table N` prefix, or the text introducing the table; for a
    /// nested-object table the object key (`ImageGroup`, `image_tags`, `auth.identity`).
    pub label: String,
    pub fields: Vec<Field>,
}

/// One row of a parameter table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Field {
    pub name: String,
    /// `Some` for Yes/No in a Mandatory column; `None` without one or for a conditional entry.
    pub mandatory: Option<bool>,
    /// The Type cell as written (`Array of ImageGroup objects`).
    pub ty: String,
    /// The Description cell as plain text.
    pub description: String,
    /// The closed value list the Description cell gives, if any, in the page's order.
    pub enums: Vec<String>,
}

/// Whether an example is sent or received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    Request,
    Response,
}

/// One documented example body.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub direction: Direction,
    /// The status code stated above a response example, if any.
    pub status: Option<u16>,
    /// The text introducing the example (or its section title), to name it in the report.
    pub label: String,
    pub value: Value,
}

impl Page {
    /// Parses either HTML flavour; never fails (a page without tables is just an empty model).
    pub fn parse(html: &str) -> Page {
        super::html::read(html)
    }

    /// The nested-object table documenting a field: by the object name its Type cell gives
    /// (`ImageGroup object`), else by its dotted path, longest suffix first (`auth.identity`,
    /// `sub_jobs_result.entities`, then the bare name of `Data structure of the image_tags field`).
    pub fn object(&self, type_name: Option<&str>, path: &str) -> Option<&Table> {
        let by = |key: &str| self.objects.iter().find(|table| table.label == key);
        let by_type = type_name.and_then(|name| {
            by(name).or_else(|| self.objects.iter().find(|table| table.label.eq_ignore_ascii_case(name)))
        });
        let suffixes = path.match_indices('.').map(|(at, _)| &path[at + 1..]);
        by_type.or_else(|| std::iter::once(path).chain(suffixes).find_map(by))
    }
}
