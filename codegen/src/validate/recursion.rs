//! Recursion the generated types cannot represent. A schema may contain itself through a
//! property, an item or a map value (every level of JSON nests one deeper, so decoding ends);
//! but a schema that *is* itself through `$ref`, `allOf`, `oneOf`, `anyOf` or `not` alone has
//! no JSON value that ends it: typify overflows the stack merging a self-including `allOf`, and
//! a pure `$ref` cycle generates a type whose decoding never consumes input.

use std::collections::HashMap;

use serde_json::Value;

use crate::tree;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// On the current path of the search.
    Open,
    /// Fully explored: no cycle through it.
    Done,
}

/// One (pointer, message) per cycle, at the `$ref` that closes it.
pub fn cycles(root: &Value) -> Vec<(String, String)> {
    // Component schemas first, in document order, so a cycle is told from its first schema.
    let components = root.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten();
    let mut targets: Vec<String> = components.map(|(name, _)| tree::push("/components/schemas", name)).collect();
    tree::walk_schemas(root, &mut |_, schema| {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            targets.push(target.to_owned());
        }
    });
    let mut search = Search { root, states: HashMap::new(), path: Vec::new(), found: Vec::new() };
    for target in targets {
        if !search.states.contains_key(&target) {
            search.visit(&target);
        }
    }
    search.found
}

struct Search<'a> {
    root: &'a Value,
    states: HashMap<String, State>,
    /// The targets on the current path, in order.
    path: Vec<String>,
    found: Vec<(String, String)>,
}

impl Search<'_> {
    fn visit(&mut self, target: &str) {
        let Some(node) = self.root.pointer(target) else { return };
        self.states.insert(target.to_owned(), State::Open);
        self.path.push(target.to_owned());
        let mut edges = Vec::new();
        same_value_references(node, target, false, &mut edges);
        for (reference, next, through_all_of) in edges {
            match self.states.get(&next) {
                Some(State::Open) => {
                    let start = self.path.iter().position(|open| *open == next).unwrap_or(0);
                    let cycle: Vec<String> =
                        self.path[start..].iter().chain([&next]).map(|pointer| format!("#{pointer}")).collect();
                    let message = if through_all_of {
                        format!(
                            "the schema includes itself through `allOf` ({}); the merged type would be infinite",
                            cycle.join(" → ")
                        )
                    } else {
                        format!(
                            "`$ref` cycle with no property or item in between ({}): no JSON value ends it",
                            cycle.join(" → ")
                        )
                    };
                    self.found.push((reference, message));
                }
                Some(State::Done) => {}
                None => self.visit(&next),
            }
        }
        self.path.pop();
        self.states.insert(target.to_owned(), State::Done);
    }
}

/// The `$ref`s a schema is made of without nesting (its own, and those of its `allOf`,
/// `oneOf`, `anyOf` and `not` members, recursively): (pointer of the `$ref`, target, whether
/// an `allOf` is on the way).
fn same_value_references(schema: &Value, pointer: &str, all_of: bool, edges: &mut Vec<(String, String, bool)>) {
    let Some(map) = schema.as_object() else { return };
    if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        edges.push((tree::push(pointer, "$ref"), target.to_owned(), all_of));
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (index, member) in map.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            let member_pointer = tree::push(&tree::push(pointer, key), &index.to_string());
            same_value_references(member, &member_pointer, all_of || key == "allOf", edges);
        }
    }
    if let Some(member) = map.get("not") {
        same_value_references(member, &tree::push(pointer, "not"), all_of, edges);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(schemas: Value) -> Vec<(String, String)> {
        cycles(&json!({"components": {"schemas": schemas}}))
    }

    #[test]
    fn recursion_through_a_property_or_item_is_fine() {
        let found = schemas(json!({
            "Node": {"type": "object", "properties": {
                "parent": {"$ref": "#/components/schemas/Node"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}
        }));
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_self_including_all_of_is_found_once() {
        let found = schemas(json!({
            "A": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]}
        }));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "/components/schemas/A/allOf/0/$ref");
        assert!(found[0].1.contains("includes itself through `allOf`"), "{}", found[0].1);
    }

    #[test]
    fn a_pure_ref_cycle_names_every_step() {
        let found = schemas(json!({
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"oneOf": [{"$ref": "#/components/schemas/A"}]}
        }));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].1.contains("#/components/schemas/A → #/components/schemas/B → #/components/schemas/A"),
            "{}",
            found[0].1
        );
    }
}
