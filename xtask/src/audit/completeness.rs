//! Whether the specs cover the whole reference: every page of `manifest.json` that documents an
//! operation must be the `externalDocs.url` of some operation of its service's spec, or be
//! listed in that spec's `x-skipped-operations` with a reason (the deprecated Glance v1 pages).
//! Pages are matched rather than URIs, since a page may show a concrete URI beside the template
//! (ShowJob's `GET /v1/ac234…/jobs/ff80…`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use otc_codegen::tree;

/// One page the specs leave out on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub service: String,
    pub page: String,
    pub operation: String,
    pub reason: String,
    /// JSON pointer of the entry in its spec (`/x-skipped-operations/0`).
    pub pointer: String,
}

/// A page neither covered nor skipped, or a skip that is wrong; in the spec of `service`, at
/// `pointer` (the skip entry, or the `x-skipped-operations` list a page is missing from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub service: String,
    pub pointer: String,
    /// Starts with the service: `ims: the reference page …`.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the specs cover of the manifest.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Pages with operations in the manifest.
    pub pages: usize,
    pub covered: usize,
    pub skipped: Vec<Skipped>,
    /// Problems: pages neither covered nor skipped, skips naming unknown pages.
    pub errors: Vec<Problem>,
}

/// The `x-skipped-operations` entries of a spec (`service` is its file stem).
pub fn skipped(service: &str, raw: &Value) -> Vec<Skipped> {
    let text = |entry: &Value, key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    raw.get("x-skipped-operations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(index, entry)| Skipped {
            service: service.to_owned(),
            page: text(entry, "page"),
            operation: text(entry, "operation"),
            reason: text(entry, "reason"),
            pointer: format!("/x-skipped-operations/{index}"),
        })
        .collect()
}

/// Checks `specs` (service name → raw spec) against `<reference>/manifest.json`; `None` when the
/// reference has no manifest (a doc-exports checkout).
pub fn check(reference: &Path, specs: &BTreeMap<String, Value>) -> Option<Coverage> {
    let text = std::fs::read_to_string(reference.join("manifest.json")).ok()?;
    let mut coverage = Coverage::default();
    let manifest: Value = match serde_json::from_str(&text) {
        Ok(manifest) => manifest,
        Err(error) => {
            let message = format!("{}: not JSON: {error}", reference.join("manifest.json").display());
            coverage.errors.push(Problem { service: String::new(), pointer: String::new(), message });
            return Some(coverage);
        }
    };
    let mut documented: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (service, raw) in specs {
        let pages = documented.entry(service).or_default();
        for operation in tree::operations(raw) {
            if let Some(url) = operation.node.pointer("/externalDocs/url").and_then(Value::as_str) {
                pages.insert(url.rsplit('/').next().unwrap_or(url));
            }
        }
        coverage.skipped.extend(skipped(service, raw));
    }
    let mut known: BTreeSet<(String, String)> = BTreeSet::new();
    for entry in manifest.as_array().into_iter().flatten() {
        let service = entry.get("service").and_then(Value::as_str).unwrap_or_default();
        let page = entry.get("page").and_then(Value::as_str).unwrap_or_default();
        known.insert((service.to_owned(), page.to_owned()));
        let operations = entry.get("operations").and_then(Value::as_array).map_or(0, Vec::len);
        if operations == 0 || !specs.contains_key(service) {
            continue;
        }
        coverage.pages += 1;
        let title = entry.get("title").and_then(Value::as_str).unwrap_or_default();
        if documented.get(service).is_some_and(|pages| pages.contains(page)) {
            coverage.covered += 1;
        } else if !coverage.skipped.iter().any(|skip| skip.service == service && skip.page == page) {
            coverage.errors.push(Problem {
                service: service.to_owned(),
                pointer: "/x-skipped-operations".to_owned(),
                message: format!(
                    "{service}: the reference page {page} (\"{title}\") is neither the externalDocs of an operation nor listed in x-skipped-operations"
                ),
            });
        }
    }
    for skip in &coverage.skipped {
        let problem =
            |message: String| Problem { service: skip.service.clone(), pointer: skip.pointer.clone(), message };
        if !known.contains(&(skip.service.clone(), skip.page.clone())) {
            let message =
                format!("{}: x-skipped-operations names {}, which the manifest does not list", skip.service, skip.page);
            coverage.errors.push(problem(message));
        }
        if skip.reason.trim().is_empty() {
            coverage
                .errors
                .push(problem(format!("{}: x-skipped-operations entry {} gives no reason", skip.service, skip.page)));
        }
    }
    Some(coverage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reference(manifest: Value) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("manifest.json"), manifest.to_string()).unwrap();
        dir
    }

    fn spec(pages: &[&str], skipped: Value) -> Value {
        let mut paths = serde_json::Map::new();
        for (index, page) in pages.iter().enumerate() {
            paths.insert(
                format!("/p{index}"),
                json!({"get": {"operationId": format!("Op{index}"), "externalDocs": {"url": page}}}),
            );
        }
        json!({"paths": paths, "x-skipped-operations": skipped})
    }

    #[test]
    fn every_operation_page_is_covered_or_skipped() {
        let dir = reference(json!([
            {"service": "ims", "page": "a.html", "title": "A", "operations": ["GET /a"]},
            {"service": "ims", "page": "b.html", "title": "B (Deprecated)", "operations": ["HEAD /b"]},
            {"service": "ims", "page": "c.html", "title": "C", "operations": ["GET /c"]},
            {"service": "ims", "page": "codes.html", "title": "Error Codes", "operations": []},
            {"service": "other", "page": "z.html", "title": "Z", "operations": ["GET /z"]},
        ]));
        let skip = json!([{"page": "b.html", "operation": "HEAD /b", "reason": "deprecated"}]);
        let specs = BTreeMap::from([("ims".to_owned(), spec(&["a.html"], skip))]);
        let coverage = check(dir.path(), &specs).unwrap();
        assert_eq!((coverage.pages, coverage.covered, coverage.skipped.len()), (3, 1, 1));
        assert_eq!(coverage.errors.len(), 1, "{:?}", coverage.errors);
        assert!(coverage.errors[0].message.contains("c.html (\"C\") is neither"), "{:?}", coverage.errors);
        assert_eq!(coverage.errors[0].pointer, "/x-skipped-operations");
    }

    #[test]
    fn a_skip_must_name_a_known_page_and_a_reason() {
        let dir = reference(json!([{"service": "ims", "page": "a.html", "title": "A", "operations": ["GET /a"]}]));
        let skip = json!([{"page": "gone.html", "operation": "GET /gone", "reason": " "}]);
        let specs = BTreeMap::from([("ims".to_owned(), spec(&["a.html"], skip))]);
        let errors = check(dir.path(), &specs).unwrap().errors;
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("gone.html, which the manifest does not list"));
        assert!(errors[1].message.contains("gives no reason"));
        assert_eq!(errors[1].pointer, "/x-skipped-operations/0");
    }

    #[test]
    fn no_manifest_no_check() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check(dir.path(), &BTreeMap::new()).is_none());
    }
}
