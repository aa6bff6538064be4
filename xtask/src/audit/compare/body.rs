//! Request and response bodies, field by field, recursing from a field's "X object" type into
//! the page's table captioned X and the spec's component X. Alternative bodies (several request
//! tables against a `oneOf`) are paired by the field names they share.

use serde_json::Value;

use otc_codegen::tree;

use super::super::difference::Kind;
use super::super::page::{Field, Table};
use super::super::types::{self, PageType};
use super::{Comparison, summary};

impl<'a> Comparison<'a> {
    /// The page's request table(s) against the JSON schema of `requestBody`.
    pub(super) fn request(&mut self) {
        let body = self.operation.node.get("requestBody").map(|body| tree::deref(self.root, body));
        let schema = body.and_then(|body| json_schema(body));
        let tables: Vec<&'a Table> = self.page.request_bodies.iter().collect();
        let nodes: Vec<&Value> = body.into_iter().chain([self.operation.node]).collect();
        match (tables.is_empty(), schema) {
            (true, None) => {}
            (false, None) => {
                self.differ(Kind::MissingBody, "request body", tables_summary(&tables), "—".into(), &nodes)
            }
            (true, Some(schema)) => {
                let spec = format!("`{}`", types::describe(self.root, schema));
                self.differ(Kind::ExtraBody, "request body", "—".into(), spec, &nodes);
            }
            (false, Some(schema)) => self.bodies(&tables, schema, "request body"),
        }
    }

    /// Response tables against the response of their status (a table stating none belongs to
    /// the lowest 2xx); a 2xx body the page has no table for is extra.
    pub(super) fn responses(&mut self) {
        let mut compared = Vec::new();
        let mut groups: Vec<(Option<u16>, Vec<&'a Table>)> = Vec::new();
        for (status, table) in &self.page.responses {
            match groups.iter_mut().find(|(known, _)| known == status) {
                Some((_, tables)) => tables.push(table),
                None => groups.push((*status, vec![table])),
            }
        }
        for (status, tables) in groups {
            let Some(code) = status.or_else(|| self.success_code()) else {
                self.note("a response table states no status code and the spec declares no 2xx; not compared".into());
                continue;
            };
            compared.push(code);
            let place = format!("response {code}");
            let response = self.response(code);
            match response.and_then(|(_, response)| json_schema(response)) {
                Some(schema) => self.bodies(&tables, schema, &place),
                None => {
                    let nodes: Vec<&Value> =
                        response.into_iter().flat_map(|(a, b)| [a, b]).chain([self.operation.node]).collect();
                    self.differ(Kind::MissingBody, &place, tables_summary(&tables), "—".into(), &nodes);
                }
            }
        }
        let responses = self.operation.node.get("responses").and_then(Value::as_object);
        for key in responses.into_iter().flatten().map(|(key, _)| key) {
            let Ok(code) = key.parse::<u16>() else { continue };
            let Some((written, response)) = self.response(code) else { continue };
            if (200..300).contains(&code)
                && !compared.contains(&code)
                && let Some(schema) = json_schema(response)
            {
                let spec = format!("`{}`", types::describe(self.root, schema));
                let nodes = [written, response, self.operation.node];
                self.differ(Kind::ExtraBody, &format!("response {code}"), "—".into(), spec, &nodes);
            }
        }
    }

    /// One body: one table against one schema, or alternatives paired up.
    fn bodies(&mut self, tables: &[&'a Table], schema: &'a Value, context: &str) {
        let target = tree::deref(self.root, schema);
        let variants: Vec<&'a Value> = match target.get("oneOf").or_else(|| target.get("anyOf")) {
            Some(Value::Array(variants)) => variants.iter().collect(),
            _ => vec![schema],
        };
        if tables.len() == 1 && variants.len() == 1 {
            self.fields(tables[0], schema, &container(schema, context), "");
            return;
        }
        let pairs = pair(self.root, tables, &variants);
        let described: Vec<String> = pairs
            .iter()
            .map(|(table, variant)| {
                format!("\"{}\" ↔ `{}`", tables[*table].label, container(variants[*variant], context))
            })
            .collect();
        self.note(format!(
            "{context}: the page has {} alternative tables and the spec {} variant(s); paired by shared field names: {}",
            tables.len(),
            variants.len(),
            described.join("; ")
        ));
        for (index, variant) in variants.iter().enumerate() {
            if !pairs.iter().any(|(_, paired)| *paired == index) {
                self.note(format!(
                    "{context}: variant `{}` has no table on the page; not compared",
                    container(variant, context)
                ));
            }
        }
        for (table, variant) in pairs {
            self.fields(tables[table], variants[variant], &container(variants[variant], context), "");
        }
    }

    /// The fields of `table` against the properties of the object `schema`; `prefix` is the
    /// dotted page path of the field holding this object (`auth.identity`), empty at the top.
    fn fields(&mut self, table: &'a Table, schema: &'a Value, place: &str, prefix: &str) {
        let target = tree::deref(self.root, schema);
        if let [field] = table.fields.as_slice()
            && is_whole_body(&field.name)
            && target.get("type").and_then(Value::as_str) == Some("array")
        {
            // `[Array]`: the table describes the body itself, a JSON array; its items table
            // is compared with the schema's items.
            let location = format!("{place}{}", field.name);
            self.field(field, schema, field.mandatory.unwrap_or(true), &location, &[target], None);
            self.nested(field, schema, &location, &field.name);
            return;
        }
        let properties = properties(self.root, target);
        let required = required(self.root, target);
        for field in &table.fields {
            let location = format!("{place}.{}", field.name);
            match properties.iter().find(|(name, _)| *name == field.name) {
                None => self.differ(Kind::MissingField, &location, summary(field), "—".into(), &[target]),
                Some((_, property)) => {
                    let is_required = required.contains(&field.name.as_str());
                    self.field(field, property, is_required, &location, &[property], Some(target));
                    let path = if prefix.is_empty() { field.name.clone() } else { format!("{prefix}.{}", field.name) };
                    self.nested(field, property, &location, &path);
                }
            }
        }
        for (name, property) in &properties {
            if !table.fields.iter().any(|field| field.name == *name) {
                let spec = format!("`{name}` ({})", types::describe(self.root, property));
                self.differ(Kind::ExtraField, &format!("{place}.{name}"), "—".into(), spec, &[property]);
            }
        }
    }

    /// Follows a field of object type into its table, if the page has one.
    fn nested(&mut self, field: &'a Field, property: &'a Value, location: &str, path: &str) {
        let page_type = PageType::parse(&field.ty);
        let Some(name) = page_type.object() else { return };
        let Some(object) = types::object_schema(self.root, property) else { return };
        let place = types::ref_name(object).map_or_else(|| location.to_owned(), str::to_owned);
        match self.page.object(name, path) {
            Some(table) => {
                if self.used.insert((table.label.clone(), place.clone())) {
                    self.fields(table, object, &place, path);
                }
            }
            None => self.note(format!(
                "`{location}` ({}): the page has no field table for it; its fields not compared",
                field.ty
            )),
        }
    }
}

/// A row naming the body itself rather than a field of it (`[Array]`: the body is an array).
fn is_whole_body(name: &str) -> bool {
    name.starts_with('[') && name.ends_with(']')
}

/// The `application/json` schema of a request body or response (else the first media type's).
fn json_schema(body: &Value) -> Option<&Value> {
    let content = body.get("content")?.as_object()?;
    content.get("application/json").or_else(|| content.values().next())?.get("schema")
}

/// How the report names an object: its component name, or where it sits when inline.
fn container(schema: &Value, context: &str) -> String {
    types::ref_name(schema).map_or_else(|| context.to_owned(), str::to_owned)
}

fn tables_summary(tables: &[&Table]) -> String {
    let fields: usize = tables.iter().map(|table| table.fields.len()).sum();
    format!("{} table(s), {fields} field(s)", tables.len())
}

/// The properties of an object schema, including those of its `allOf` parts.
fn properties<'a>(root: &'a Value, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let mut found: Vec<(&str, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        found.extend(properties(root, tree::deref(root, part)));
    }
    found
}

fn required<'a>(root: &'a Value, schema: &'a Value) -> Vec<&'a str> {
    let mut found: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        found.extend(required(root, tree::deref(root, part)));
    }
    found
}

/// Pairs tables with variants, best-matching pair first (shared names count, names on one side
/// only count against). Surplus tables go to their best variant.
fn pair(root: &Value, tables: &[&Table], variants: &[&Value]) -> Vec<(usize, usize)> {
    let score = |table: &Table, variant: &Value| -> i64 {
        let names: Vec<&str> = properties(root, tree::deref(root, variant)).into_iter().map(|(name, _)| name).collect();
        let shared = table.fields.iter().filter(|field| names.contains(&field.name.as_str())).count() as i64;
        let only = (table.fields.len() as i64 - shared) + (names.len() as i64 - shared);
        2 * shared - only
    };
    let mut scores: Vec<(i64, usize, usize)> = Vec::new();
    for (t, table) in tables.iter().enumerate() {
        for (v, variant) in variants.iter().enumerate() {
            scores.push((score(table, variant), t, v));
        }
    }
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for &(_, t, v) in &scores {
        if !pairs.iter().any(|(table, variant)| *table == t || *variant == v) {
            pairs.push((t, v));
        }
    }
    for &(_, t, v) in &scores {
        if !pairs.iter().any(|(table, _)| *table == t) {
            pairs.push((t, v));
        }
    }
    pairs.sort_unstable();
    pairs
}
