//! Documented examples against the spec's named examples, as JSON values (key order is free).
//! Per request and per response status, equal pairs are set aside first; what remains is paired
//! by fewest differing leaves and reported as not equal, missing or extra.

use std::collections::BTreeMap;

use serde_json::Value;

use otc_codegen::examples::Direction as SpecDirection;
use otc_codegen::tree;

use super::super::difference::Kind;
use super::super::page::{Direction, Example};
use super::Comparison;

/// A spec example: name, pointer of the example object, value.
type Named<'a> = (&'a str, String, &'a Value);

/// The page's and the spec's examples of one request or response status.
type Group<'a> = (Vec<&'a Example>, Vec<Named<'a>>);

/// How many differing leaves a row shows.
const SHOWN: usize = 3;

impl<'a> Comparison<'a> {
    pub(super) fn examples(&mut self) {
        let mut groups: BTreeMap<(Direction, Option<u16>), Group<'a>> = BTreeMap::new();
        let success = self.success_code();
        for example in &self.page.examples {
            let status = match example.direction {
                Direction::Request => None,
                Direction::Response => example.status.or(success),
            };
            groups.entry((example.direction, status)).or_default().0.push(example);
        }
        for example in self.examples {
            // Shared responses (`#/components/responses`) document the service, not this page.
            if example.pointer.starts_with("/components/") {
                continue;
            }
            let key = match example.direction {
                SpecDirection::Request => (Direction::Request, None),
                SpecDirection::Response => (Direction::Response, example.status.and_then(|s| s.parse().ok())),
            };
            groups.entry(key).or_default().1.push((example.name, example.pointer.clone(), example.value));
        }
        for ((direction, status), (page, spec)) in groups {
            let context = match (direction, status) {
                (Direction::Request, _) => "request".to_owned(),
                (Direction::Response, Some(code)) => format!("response {code}"),
                (Direction::Response, None) => "response".to_owned(),
            };
            let body = match (direction, status) {
                (Direction::Request, _) => {
                    self.operation.node.get("requestBody").map(|body| tree::deref(self.root, body))
                }
                (Direction::Response, Some(code)) => self.response(code).map(|(_, response)| response),
                (Direction::Response, None) => None,
            };
            self.match_examples(&context, body, page, spec);
        }
    }

    fn match_examples(
        &mut self,
        context: &str,
        body: Option<&'a Value>,
        page: Vec<&'a Example>,
        mut spec: Vec<Named<'a>>,
    ) {
        let mut unmatched = Vec::new();
        for example in page {
            match spec.iter().position(|(_, _, value)| **value == example.value) {
                Some(index) => drop(spec.remove(index)),
                None => unmatched.push(example),
            }
        }
        for example in unmatched {
            let closest = (0..spec.len()).min_by_key(|index| leaves(&example.value, spec[*index].2).len());
            let mut nodes: Vec<&Value> = Vec::new();
            match closest {
                Some(index) => {
                    let (name, pointer, value) = spec.remove(index);
                    let differing = leaves(&example.value, value);
                    nodes.extend(self.root.pointer(&pointer));
                    nodes.extend(body.into_iter().chain([self.operation.node]));
                    let place = format!("{context} example `{name}`");
                    let (reference, spec) = show(&differing);
                    self.differ(Kind::ExampleNotEqual, &place, reference, spec, &nodes);
                }
                None => {
                    nodes.extend(body.into_iter().chain([self.operation.node]));
                    let reference = format!("\"{}\"", example.label);
                    self.differ(Kind::MissingExample, &format!("{context} example"), reference, "—".into(), &nodes);
                }
            }
        }
        for (name, pointer, _) in spec {
            let nodes: Vec<&Value> =
                self.root.pointer(&pointer).into_iter().chain(body).chain([self.operation.node]).collect();
            let place = format!("{context} example `{name}`");
            self.differ(Kind::ExtraExample, &place, "—".into(), format!("`{name}`"), &nodes);
        }
    }
}

/// One differing leaf: its pointer and both sides (`None` where absent).
type Leaf = (String, Option<Value>, Option<Value>);

/// Where two JSON values differ, as pointers to the differing leaves.
pub fn leaves(page: &Value, spec: &Value) -> Vec<Leaf> {
    let mut found = Vec::new();
    collect("", Some(page), Some(spec), &mut found);
    found
}

fn collect(pointer: &str, page: Option<&Value>, spec: Option<&Value>, found: &mut Vec<Leaf>) {
    match (page, spec) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                collect(&tree::push(pointer, key), a.get(key.as_str()), b.get(key.as_str()), found);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for index in 0..a.len().max(b.len()) {
                collect(&tree::push(pointer, &index.to_string()), a.get(index), b.get(index), found);
            }
        }
        (a, b) if a == b => {}
        (a, b) => found.push((pointer.to_owned(), a.cloned(), b.cloned())),
    }
}

/// The reference and spec cells for differing leaves: `` `/arch`: `"x86_64"` ``.
fn show(leaves: &[Leaf]) -> (String, String) {
    let side = |pick: fn(&Leaf) -> &Option<Value>| {
        let mut cells: Vec<String> = leaves
            .iter()
            .take(SHOWN)
            .map(|leaf| {
                let value =
                    pick(leaf).as_ref().map_or_else(|| "absent".to_owned(), |value| format!("`{}`", short(value)));
                format!("`{}`: {value}", if leaf.0.is_empty() { "/" } else { &leaf.0 })
            })
            .collect();
        if leaves.len() > SHOWN {
            cells.push(format!("… ({} more)", leaves.len() - SHOWN));
        }
        cells.join("; ")
    };
    (side(|leaf| &leaf.1), side(|leaf| &leaf.2))
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
}
