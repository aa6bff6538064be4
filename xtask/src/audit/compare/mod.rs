//! Compares one spec operation with the model of its reference page: title, method and URI,
//! parameters, bodies (field by field, see `body`), status codes and examples (see `examples`).

mod body;
mod examples;

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use otc_codegen::tree;

use super::cell;
use super::difference::{Difference, Kind, notes_of};
use super::page::{Field, Page};
use super::types::{self, PageType};

/// What comparing one operation found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub differences: Vec<Difference>,
    /// What could not be compared, and how ambiguous parts were matched.
    pub notes: Vec<String>,
}

/// Where each node of a document is: its address → its JSON pointer (see [`addresses`]).
pub type Addresses = HashMap<usize, String>;

/// The JSON pointer of every node of `root`, keyed by the node's address. The comparison works
/// on borrowed nodes (a field's schema, a resolved `$ref`); this places each difference at the
/// node it is about without threading a pointer through every step.
pub fn addresses(root: &Value) -> Addresses {
    fn walk(node: &Value, pointer: String, found: &mut Addresses) {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    walk(child, tree::push(&pointer, key), found);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, tree::push(&pointer, &index.to_string()), found);
                }
            }
            _ => {}
        }
        found.insert(node as *const Value as usize, pointer);
    }
    let mut found = Addresses::new();
    walk(root, String::new(), &mut found);
    found
}

/// Compares `operation` of the document `root` (its nodes' pointers in `addresses`), whose
/// named examples are `examples`, with `page`.
pub fn operation<'a>(
    root: &'a Value,
    addresses: &'a Addresses,
    operation: &'a tree::Operation,
    examples: &'a [otc_codegen::examples::Example<'a>],
    page: &'a Page,
) -> Outcome {
    let mut comparison =
        Comparison { root, addresses, operation, examples, page, outcome: Outcome::default(), used: BTreeSet::new() };
    comparison.title();
    comparison.uri();
    comparison.parameters("path", &page.path_parameters);
    comparison.parameters("query", &page.query_parameters);
    comparison.request();
    comparison.responses();
    comparison.status_codes();
    comparison.examples();
    comparison.unused_tables();
    comparison.outcome
}

struct Comparison<'a> {
    root: &'a Value,
    addresses: &'a Addresses,
    operation: &'a tree::Operation<'a>,
    /// This operation's named examples (collected once per document, not per operation).
    examples: &'a [otc_codegen::examples::Example<'a>],
    page: &'a Page,
    outcome: Outcome,
    /// Nested-object tables reached from a field, as (table label, schema location) pairs;
    /// also guards against recursive schemas.
    used: BTreeSet<(String, String)>,
}

/// A parameter as the spec declares it: as written (maybe a `$ref`) and resolved.
struct Parameter<'a> {
    written: &'a Value,
    target: &'a Value,
}

impl<'a> Comparison<'a> {
    /// Records a difference about `nodes[0]`; the others may explain it on its behalf.
    fn differ(&mut self, kind: Kind, location: &str, reference: String, spec: String, nodes: &[&Value]) {
        self.differ_at(None, kind, location, reference, spec, nodes);
    }

    /// Records a difference placed at `at` (a node more precise than `nodes[0]`, such as the
    /// `responses` a status code is missing from), explained by the notes of `nodes`.
    fn differ_at(
        &mut self,
        at: Option<&Value>,
        kind: Kind,
        location: &str,
        reference: String,
        spec: String,
        nodes: &[&Value],
    ) {
        let notes = notes_of(nodes);
        let pointer = at
            .into_iter()
            .chain(nodes.iter().copied())
            .find_map(|node| self.addresses.get(&(node as *const Value as usize)))
            .cloned()
            .unwrap_or_else(|| self.operation.pointer.clone());
        let location = location.to_owned();
        self.outcome.differences.push(Difference { kind, location, pointer, reference, spec, notes });
    }

    fn note(&mut self, note: String) {
        self.outcome.notes.push(note);
    }

    fn title(&mut self) {
        let spec = self.operation.node.pointer("/externalDocs/description").and_then(Value::as_str).unwrap_or_default();
        if self.page.title != spec {
            let reference = quote(&self.page.title);
            let docs = self.operation.node.get("externalDocs");
            let at = docs.and_then(|docs| docs.get("description")).or(docs);
            let nodes = [self.operation.node];
            self.differ_at(at, Kind::Title, "externalDocs.description", reference, quote(spec), &nodes);
        }
    }

    fn uri(&mut self) {
        let spec = (self.operation.method.to_uppercase(), self.operation.path.to_owned());
        match self.page.operations.first() {
            None => self.note("the page states no `METHOD /path` line; method and URI not compared".to_owned()),
            Some(_) if self.page.operations.contains(&spec) => {}
            Some((method, path)) => {
                let reference = format!("`{method} {path}`");
                let spec = format!("`{} {}`", spec.0, spec.1);
                self.differ(Kind::Uri, "path", reference, spec, &[self.operation.node]);
            }
        }
    }

    /// Operation parameters override path-item ones of the same name and location.
    fn spec_parameters(&self, location: &str) -> Vec<(String, Parameter<'a>)> {
        let own = self.operation.node.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let mut found: Vec<(String, Parameter<'a>)> = Vec::new();
        for written in own.iter().chain(self.operation.path_parameters) {
            let target = tree::deref(self.root, written);
            let name = target.get("name").and_then(Value::as_str).unwrap_or_default();
            let here = target.get("in").and_then(Value::as_str) == Some(location);
            if here && !found.iter().any(|(known, _)| known == name) {
                found.push((name.to_owned(), Parameter { written, target }));
            }
        }
        found
    }

    fn parameters(&mut self, location: &str, fields: &[Field]) {
        let declared = self.spec_parameters(location);
        for field in fields {
            let place = format!("{location} parameter `{}`", field.name);
            match declared.iter().find(|(name, _)| *name == field.name) {
                None => {
                    let at = self.operation.node.get("parameters");
                    let nodes = [self.operation.node];
                    self.differ_at(at, Kind::MissingParameter, &place, summary(field), "—".into(), &nodes);
                }
                Some((_, parameter)) => {
                    let schema = parameter.target.get("schema").unwrap_or(&Value::Null);
                    let required = parameter.target.get("required").and_then(Value::as_bool).unwrap_or(false);
                    self.field(field, schema, required, &place, &[parameter.written, parameter.target, schema], None);
                }
            }
        }
        for (name, parameter) in &declared {
            if !fields.iter().any(|field| field.name == *name) {
                let place = format!("{location} parameter `{name}`");
                let spec = format!("`{name}`");
                self.differ(Kind::ExtraParameter, &place, "—".into(), spec, &[parameter.written, parameter.target]);
            }
        }
    }

    /// Type, required and enum of one field or parameter. `nodes` may explain a difference of
    /// the field; `container` (the object schema holding `required`) may explain a required one.
    fn field(
        &mut self,
        field: &Field,
        schema: &'a Value,
        required: bool,
        place: &str,
        nodes: &[&Value],
        container: Option<&Value>,
    ) {
        let page_type = PageType::parse(&field.ty);
        // A table without a Type column leaves the type unstated.
        if !field.ty.is_empty() && !types::matches(self.root, &page_type, schema) {
            let spec = format!("`{}`", types::describe(self.root, schema));
            // The schema a `$ref` names is concerned too (its note may explain its name).
            let nodes: Vec<&Value> = nodes.iter().copied().chain(self.schemas(schema)).collect();
            self.differ(Kind::Type, place, format!("`{}`", field.ty), spec, &nodes);
        }
        if let Some(mandatory) = field.mandatory.filter(|mandatory| *mandatory != required) {
            let reference = if mandatory { "Mandatory: Yes" } else { "Mandatory: No" };
            let spec = if required { "required" } else { "not required" };
            let nodes: Vec<&Value> = nodes.iter().copied().chain(container).collect();
            self.differ(Kind::Required, place, reference.into(), spec.into(), &nodes);
        }
        // Value lists belong to scalars; a list under an object describes its fields.
        if page_type != PageType::Boolean && page_type.object().is_none() {
            self.enums(field, schema, place, nodes);
        }
    }

    /// With a value list on the page, both lists must agree; without one, every spec value
    /// must at least be mentioned in the description ("The value is `bare`.").
    fn enums(&mut self, field: &Field, schema: &'a Value, place: &str, nodes: &[&Value]) {
        let spec = types::enum_values(self.root, schema);
        let listed = !field.enums.is_empty();
        let missing: Vec<&String> = field.enums.iter().filter(|value| !spec.contains(value)).collect();
        let extra: Vec<&String> = spec
            .iter()
            .filter(
                |value| if listed { !field.enums.contains(value) } else { !cell::mentions(&field.description, value) },
            )
            .collect();
        let nodes: Vec<&Value> = nodes.iter().copied().chain(self.schemas(schema)).collect();
        let page_list = if listed { values(&field.enums) } else { "no value list".to_owned() };
        let spec_list = if spec.is_empty() { "no enum".to_owned() } else { values(&spec) };
        if !missing.is_empty() {
            self.differ(Kind::MissingEnumValue, place, values(&missing), spec_list, &nodes);
        }
        if !extra.is_empty() {
            self.differ(Kind::ExtraEnumValue, place, page_list, values(&extra), &nodes);
        }
    }

    /// A field's schema resolved, and its array items as written and resolved.
    fn schemas(&self, schema: &'a Value) -> Vec<&'a Value> {
        let target = tree::deref(self.root, schema);
        let items = target.get("items");
        [target].into_iter().chain(items).chain(items.map(|items| tree::deref(self.root, items))).collect()
    }

    /// The documented codes against the declared ones (`2XX`-style keys are not compared).
    fn status_codes(&mut self) {
        if self.page.status_codes.is_empty() {
            self.note("the page lists no status codes; not compared".to_owned());
            return;
        }
        let responses = self.operation.node.get("responses").and_then(Value::as_object);
        let mut declared = Vec::new();
        for (key, response) in responses.into_iter().flatten() {
            match key.parse::<u16>() {
                Ok(code) => declared.push((code, response)),
                Err(_) => self.note(format!("response key `{key}` is no single status code; not compared")),
            }
        }
        for code in &self.page.status_codes {
            if !declared.iter().any(|(known, _)| known == code) {
                let place = format!("response {code}");
                let at = self.operation.node.get("responses");
                let nodes = [self.operation.node];
                self.differ_at(at, Kind::MissingStatusCode, &place, format!("`{code}`"), "—".into(), &nodes);
            }
        }
        for (code, response) in declared {
            if !self.page.status_codes.contains(&code) {
                let nodes = [response, tree::deref(self.root, response), self.operation.node];
                self.differ(
                    Kind::ExtraStatusCode,
                    &format!("response {code}"),
                    "—".into(),
                    format!("`{code}`"),
                    &nodes,
                );
            }
        }
    }

    fn unused_tables(&mut self) {
        for table in &self.page.objects {
            if !self.used.iter().any(|(label, _)| *label == table.label) {
                self.note(format!("the page's table `{}` is not reached from any field; not compared", table.label));
            }
        }
    }

    /// The lowest declared 2xx code: where a response table or example without a stated
    /// status belongs.
    fn success_code(&self) -> Option<u16> {
        let responses = self.operation.node.get("responses").and_then(Value::as_object)?;
        responses.keys().filter_map(|key| key.parse::<u16>().ok()).filter(|code| (200..300).contains(code)).min()
    }

    /// The response declared for `code`, as written and resolved.
    fn response(&self, code: u16) -> Option<(&'a Value, &'a Value)> {
        let written = self.operation.node.get("responses")?.get(code.to_string())?;
        Some((written, tree::deref(self.root, written)))
    }
}

/// A page field in one cell: `` `flavor_type` (String, Mandatory: No) ``.
fn summary(field: &Field) -> String {
    match field.mandatory {
        Some(true) => format!("`{}` ({}, Mandatory: Yes)", field.name, field.ty),
        Some(false) => format!("`{}` ({}, Mandatory: No)", field.name, field.ty),
        None => format!("`{}` ({})", field.name, field.ty),
    }
}

fn values<T: AsRef<str>>(values: &[T]) -> String {
    values.iter().map(|value| format!("`{}`", value.as_ref())).collect::<Vec<_>>().join(", ")
}

fn quote(text: &str) -> String {
    if text.is_empty() { "—".to_owned() } else { format!("\"{text}\"") }
}
