//! Reads a reference page into a [`Page`]. Both flavours share one structure (a title, sections
//! named Function/URI/Request/Response/Example/Status Codes, parameter tables, `<pre>` examples),
//! so one walk in document order serves both: section headings and "Status code: 200" lines set
//! the context each table and example is read in.

use scraper::{ElementRef, Html};

use super::cell;
use super::dom::{caption, has_class, lead_text, nearest, rows, text, text_outside_tables};
use super::example;
use super::page::{Direction, Example, Field, Page, Table};

/// Parses one page.
pub fn read(html: &str) -> Page {
    let document = Html::parse_document(&clean(html));
    let mut reader = Reader::default();
    reader.walk(document.root_element());
    reader.finish()
}

/// Drops what the seeds' page capture added: chrome lines (file path, date, size) before the
/// first tag, and lines holding a lone `|`, which sit between HTML lines and inside `<pre>`.
fn clean(html: &str) -> String {
    let lines = html.lines().skip_while(|line| !line.trim_start().starts_with('<'));
    lines.filter(|line| line.trim() != "|").collect::<Vec<_>>().join("\n")
}

#[derive(Default)]
struct Reader {
    page: Page,
    /// The current section heading (`Request Parameters`, `Example Responses`).
    section: String,
    /// The status code stated last in this section (`Status code: 200`, `STATUS CODE 201`).
    status: Option<u16>,
    /// Tables of a generic URI section, split into path and query parameters at the end.
    uri_parameters: Vec<Field>,
}

impl Reader {
    fn walk(&mut self, element: ElementRef) {
        match element.value().name() {
            "head" | "script" | "style" => {}
            "h1" if self.page.title.is_empty() => self.page.title = text(element),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.section = text(element);
                self.status = None;
            }
            "table" if has_class(element, "highlighttable") => self.children(element),
            "table" => self.table(element),
            "td" if has_class(element, "linenos") => {}
            "pre" => self.pre(element),
            "p" => {
                self.line(&text(element));
                self.children(element);
            }
            "li" => {
                self.normal_codes(element);
                self.children(element);
            }
            _ => self.children(element),
        }
    }

    fn children(&mut self, element: ElementRef) {
        for child in element.children().filter_map(ElementRef::wrap) {
            self.walk(child);
        }
    }

    /// A paragraph may be the URI line or a status-code line.
    fn line(&mut self, line: &str) {
        if let Some(operation) = uri_line(line) {
            // Example sections repeat the line with concrete values or a query string.
            let example = self.section.to_lowercase().contains("example");
            if !example && !self.page.operations.contains(&operation) {
                self.page.operations.push(operation);
            }
        } else if let Some(code) = status_line(line) {
            self.status = Some(code);
        }
    }

    /// IMS "Returned Values": the codes of the `Normal` item (the `Abnormal` one is a table).
    fn normal_codes(&mut self, item: ElementRef) {
        let own = text_outside_tables(item);
        if let Some(rest) = own.strip_prefix("Normal").filter(|rest| rest.is_empty() || rest.starts_with(' ')) {
            self.page.status_codes.extend(codes(rest));
        }
    }

    fn pre(&mut self, element: ElementRef) {
        let raw: String = element.text().collect();
        if let Some(code) = status_line(raw.trim()) {
            self.status = Some(code);
            return;
        }
        let introduction = nearest(element, "li").map(lead_text).unwrap_or_default();
        let Some(direction) = example_direction(&self.section, &introduction) else { return };
        let label = if introduction.is_empty() { self.section.clone() } else { introduction };
        match example::json(&raw) {
            None => {}
            Some(Ok(value)) => {
                let status = if direction == Direction::Response { self.status } else { None };
                self.page.examples.push(Example { direction, status, label, value });
            }
            Some(Err(error)) => {
                self.page.notes.push(format!("example \"{label}\" is not JSON ({error}); not compared"))
            }
        }
    }

    fn table(&mut self, element: ElementRef) {
        let rows = rows(element);
        let Some(header) = rows.first() else { return };
        let header: Vec<String> = header.iter().map(|cell| text(*cell)).collect();
        let first = header.first().map(|name| name.to_lowercase()).unwrap_or_default();
        if ["status code", "returned value", "returned values", "return value"].contains(&first.as_str()) {
            for row in &rows[1..] {
                self.page.status_codes.extend(row.first().and_then(|cell| codes(&text(*cell)).into_iter().next()));
            }
            return;
        }
        let Some(columns) = Columns::find(&header) else { return };
        let fields: Vec<Field> = rows[1..].iter().filter_map(|row| columns.field(row)).collect();
        let label = caption(element).unwrap_or_else(|| nearest(element, "li").map(lead_text).unwrap_or_default());
        self.place(Table { label, fields });
    }

    /// Decides what a parameter table documents, from its label and the section it is in.
    fn place(&mut self, mut table: Table) {
        let label = table.label.to_lowercase();
        let section = self.section.to_lowercase();
        if let Some(key) = object_key(&table.label) {
            table.label = key;
            self.page.objects.push(table);
        } else if label.contains("header") {
            // Headers are the runtime's business (auth, content type); specs do not list them.
        } else if label.contains("path parameter") {
            self.page.path_parameters.append(&mut table.fields);
        } else if label.contains("query parameter") {
            self.page.query_parameters.append(&mut table.fields);
        } else if label.contains("response") || (section.contains("response") && !label.contains("request")) {
            self.page.responses.push((self.status, table));
        } else if label.contains("request") || section.contains("request") {
            self.page.request_bodies.push(table);
        } else if section.contains("uri") {
            self.uri_parameters.append(&mut table.fields);
        } else {
            let message =
                format!("table \"{}\" in section \"{}\" was not recognised; not compared", table.label, self.section);
            self.page.notes.push(message);
        }
    }

    fn finish(mut self) -> Page {
        // Some pages show a concrete URI before the template; the template has the braces.
        let operations = &self.page.operations;
        let template = operations.iter().rev().find(|(_, path)| path.contains('{')).or(operations.last());
        let template = template.map(|(_, path)| path.clone()).unwrap_or_default();
        for field in self.uri_parameters {
            if template.contains(&format!("{{{}}}", field.name)) {
                self.page.path_parameters.push(field);
            } else {
                self.page.query_parameters.push(field);
            }
        }
        // A GET has no body: its "Request" table lists query parameters.
        let method = self.page.operations.first().map(|(method, _)| method.as_str());
        if matches!(method, Some("GET" | "HEAD")) {
            for table in std::mem::take(&mut self.page.request_bodies) {
                self.page.query_parameters.extend(table.fields);
            }
        }
        self.page.status_codes.sort_unstable();
        self.page.status_codes.dedup();
        self.page
    }
}

/// Where the Parameter, Mandatory, Type and Description columns are (their order varies).
struct Columns {
    name: usize,
    mandatory: Option<usize>,
    /// A few URI tables have no Type column.
    ty: Option<usize>,
    description: Option<usize>,
}

impl Columns {
    fn find(header: &[String]) -> Option<Columns> {
        let position = |names: &[&str]| header.iter().position(|cell| names.contains(&cell.to_lowercase().as_str()));
        Some(Columns {
            name: position(&["parameter", "name"])?,
            mandatory: position(&["mandatory"]),
            ty: position(&["type"]),
            description: position(&["description"]),
        })
        .filter(|columns| columns.ty.is_some() || columns.mandatory.is_some())
    }

    fn field(&self, row: &[ElementRef]) -> Option<Field> {
        let name = text(*row.get(self.name)?);
        if name.is_empty() {
            return None;
        }
        let mandatory = self.mandatory.and_then(|index| row.get(index)).and_then(|cell| match text(*cell).as_str() {
            "Yes" => Some(true),
            "No" => Some(false),
            _ => None,
        });
        let (description, enums) =
            self.description.and_then(|index| row.get(index)).map(|cell| cell::read(*cell)).unwrap_or_default();
        let ty = self.ty.and_then(|index| row.get(index)).map(|cell| text(*cell)).unwrap_or_default();
        Some(Field { name, mandatory, ty, description, enums })
    }
}

/// The key of a nested-object table, from its label: `ImageGroup`, `ResourceDetail object`,
/// `Data structure description of the image_tags field`, `auth.identity`. `None` for a label
/// in words (`Request body parameters`, `Parameters in the request body when ...`).
fn object_key(label: &str) -> Option<String> {
    let lower = label.to_ascii_lowercase();
    for prefix in ["data structure description of the ", "data structure of the "] {
        if let Some(rest) = lower.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(" field")) {
            let start = label.len() - rest.len() - " field".len();
            return Some(label[start..start + rest.len()].to_owned());
        }
    }
    let name = label.strip_suffix(" object").unwrap_or(label);
    (!name.is_empty() && !name.contains(char::is_whitespace)).then(|| name.to_owned())
}

/// `POST /v1/{project_id}/images` as a whole line; a query string is dropped.
pub fn uri_line(line: &str) -> Option<(String, String)> {
    let (method, path) = line.split_once(' ')?;
    let known = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
    let path = path.trim();
    if !known.contains(&method) || !path.starts_with('/') || path.contains(char::is_whitespace) {
        return None;
    }
    let path = path.split('?').next().unwrap_or(path);
    Some((method.to_owned(), path.to_owned()))
}

/// `Status code: 200` (ModelArts) or `STATUS CODE 201` (IMS).
fn status_line(line: &str) -> Option<u16> {
    let lower = line.to_lowercase();
    let rest = lower.strip_prefix("status code")?.trim_start_matches(':').trim();
    (rest.len() == 3).then(|| rest.parse().ok()).flatten()
}

/// The three-digit HTTP status codes in `text` (`400 Bad Request`, `200`).
fn codes(text: &str) -> Vec<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 3)
        .filter_map(|word| word.parse().ok())
        .filter(|code| (100..600).contains(code))
        .collect()
}

/// An example is a `<pre>` in an "Example ..." section, or in a list item introduced by
/// "Example request/response" (IMS and IAM put those inside the Request/Response sections).
fn example_direction(section: &str, introduction: &str) -> Option<Direction> {
    let section = section.to_lowercase();
    let introduction = introduction.to_lowercase();
    let source = if section.contains("example") {
        section
    } else if introduction.starts_with("example") {
        introduction
    } else {
        return None;
    };
    if source.contains("request") {
        Some(Direction::Request)
    } else if source.contains("response") {
        Some(Direction::Response)
    } else {
        None
    }
}
