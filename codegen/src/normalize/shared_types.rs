//! One type per resource. typify makes a type of every component and of every inline enum or
//! object, so one reference table that several pages document (a Glance image, its status, its
//! visibility) becomes a type per page, and a user cannot write one helper for "an image".
//! This pass gives such schemas one component, so they are one Rust type:
//!
//! - **Named**: every schema carrying `x-otc-type-name: Name` (component or inline) belongs to
//!   the shared type `Name`. The spec records that decision where pages differ slightly; the
//!   members are *widened* into one schema that decodes what each of them documents: the union
//!   of their properties, `required` only where every member requires it, the union of enum
//!   values (enums are open anyway), the wider integer format, no constraint they disagree on.
//!   Members whose types cannot be widened into one (a string and an object) are refused by
//!   validation, located.
//! - **Same values**: string enums with one value set under properties of one name
//!   (`disk_format` on every Glance page) become one component named after the property
//!   (`DiskFormat`), when no component, named type or other value set claims that name.
//!
//! A member component is removed and its `$ref`s point at the shared one; an inline member
//! becomes `allOf: [$ref]` beside its own description, which typify keeps as the field's
//! documentation. The faithful spec on disk keeps one component or inline schema per page.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use heck::ToPascalCase;
use openapiv3::OpenAPI;
use serde_json::{Map, Value, json};

use crate::tree;

/// The extension naming a shared type.
pub const TYPE_NAME: &str = "x-otc-type-name";

/// Keys that document a schema without changing what it decodes.
const DOCUMENTATION: [&str; 5] = ["description", "example", "examples", "externalDocs", "title"];

/// Constraints a widened schema keeps only where every member agrees (typify turns some of them
/// into types; `documentation_only_constraints` moves most into docs before this pass runs).
const AGREED_OR_DROPPED: [&str; 13] = [
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "readOnly",
    "writeOnly",
];

/// How deep widening goes; the YAML loader already refuses documents nested deeper than this.
const MAX_DEPTH: usize = 96;

/// A problem with a named shared type: (JSON pointer, message).
pub type Problem = (String, String);

/// The normalize pass: the spec's shared types merged. Validation ran [`problems`] on the
/// faithful spec first; the passes before this one only loosen schemas, so widening cannot fail
/// here unless a pass changed that, which is reported naming this pass.
pub fn run(spec: &mut OpenAPI) -> Result<(), String> {
    let mut root = serde_json::to_value(&*spec).map_err(|error| error.to_string())?;
    apply(&mut root).map_err(|(pointer, message)| format!("#{pointer}: {message}"))?;
    *spec = serde_json::from_value(root).map_err(|error| format!("the merged spec does not parse: {error}"))?;
    Ok(())
}

/// The top-level extension recording, per shared type name, why pages that differ slightly are
/// one type (a list of sentences, like `x-reference-notes`).
pub const DECISIONS: &str = "x-otc-shared-types";

/// What is wrong with the spec's `x-otc-type-name`s and `x-otc-shared-types`, located.
pub fn problems(root: &Value) -> Vec<Problem> {
    let mut found = Vec::new();
    let named = named_members(root);
    if let Some(decisions) = root.get(DECISIONS) {
        let pointer = tree::push("", DECISIONS);
        match decisions.as_object() {
            None => found.push((pointer, "must map shared type names to lists of sentences".into())),
            Some(decisions) => {
                for (name, notes) in decisions {
                    let at = tree::push(&pointer, name);
                    if !named.contains_key(name) {
                        found.push((at, format!("no schema carries `{TYPE_NAME}: {name}`")));
                    } else if !notes
                        .as_array()
                        .is_some_and(|notes| !notes.is_empty() && notes.iter().all(Value::is_string))
                    {
                        found.push((at, "must be a list of sentences".into()));
                    }
                }
            }
        }
    }
    // Merging same-valued enums cannot fail (they are identical and their names are checked
    // free), so only a spec that names shared types needs the trial merge (and the copy).
    if !named.is_empty() {
        let mut copy = root.clone();
        if let Err(problem) = apply(&mut copy) {
            found.push(problem);
        }
    }
    found
}

/// The generated type of component schema `name`: its shared type, or its own.
pub fn component_type(root: &Value, name: &str) -> String {
    let named = root.pointer(&tree::push("/components/schemas", name)).and_then(|schema| schema.get(TYPE_NAME));
    named.and_then(Value::as_str).unwrap_or(name).to_pascal_case()
}

/// Merges every shared type of `root`, named ones first (innermost first, so an outer group
/// compares its members with their inner shared types already in place), then same-valued enums.
/// The document is walked a fixed number of times whatever the number of groups: member
/// pointers are found once (merging a group never moves another group's members), and `$ref`s
/// to removed components are redirected once at the end.
pub fn apply(root: &mut Value) -> Result<(), Problem> {
    let named = named_members(root);
    let mut renamed = BTreeMap::new();
    for name in merge_order(root, &named)? {
        merge(root, &name, &named[&name], &mut renamed)?;
    }
    for (name, members) in same_valued_enums(root) {
        merge(root, &name, &members, &mut renamed)?;
    }
    if !renamed.is_empty() {
        redirect(root, &renamed);
    }
    Ok(())
}

/// The named groups in an order where a group comes after every group one of its members holds
/// or refers to; among groups free to go, by name.
fn merge_order(root: &Value, named: &BTreeMap<String, Vec<String>>) -> Result<Vec<String>, Problem> {
    let member_of: BTreeMap<&str, &str> = named
        .iter()
        .flat_map(|(name, members)| members.iter().map(move |member| (member.as_str(), name.as_str())))
        .collect();
    let mut needs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (name, members) in named {
        let needed = needs.entry(name.as_str()).or_default();
        for member in members {
            let mut targets = Vec::new();
            references_in(root.pointer(member).unwrap_or(&Value::Null), &mut targets);
            let below = format!("{member}/");
            let inside = member_of.range(below.as_str()..).take_while(|(pointer, _)| {
                pointer.starts_with(member.as_str()) && pointer.as_bytes().get(member.len()) == Some(&b'/')
            });
            let referred = targets
                .iter()
                .filter_map(|target| target.strip_prefix('#'))
                .filter_map(|pointer| member_of.get_key_value(pointer));
            needed.extend(inside.chain(referred).map(|(_, other)| *other).filter(|other| *other != name));
        }
    }
    let mut order = Vec::with_capacity(named.len());
    let mut done: BTreeSet<&str> = BTreeSet::new();
    while order.len() < named.len() {
        let ready = named.keys().find(|name| !done.contains(name.as_str()) && needs[name.as_str()].is_subset(&done));
        let Some(name) = ready else {
            let (name, members) = named.iter().find(|(name, _)| !done.contains(name.as_str())).expect("one is left");
            return Err((members[0].clone(), format!("shared types nest in each other around `{name}`")));
        };
        done.insert(name);
        order.push(name.clone());
    }
    Ok(order)
}

/// Pointers of every schema carrying `x-otc-type-name`, by name, in document order.
fn named_members(root: &Value) -> BTreeMap<String, Vec<String>> {
    let mut named: BTreeMap<String, Vec<String>> = BTreeMap::new();
    tree::walk_schemas(root, &mut |pointer, schema| {
        if let Some(name) = schema.get(TYPE_NAME) {
            named.entry(name.as_str().unwrap_or_default().to_owned()).or_default().push(pointer.to_owned());
        }
    });
    named
}

/// Makes `members` (pointers) one component `name`.
fn merge(
    root: &mut Value,
    name: &str,
    members: &[String],
    renamed: &mut BTreeMap<String, String>,
) -> Result<(), Problem> {
    let first = &members[0];
    if name.is_empty() || name.to_pascal_case() != name || !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Err((tree::push(first, TYPE_NAME), format!("`{name}` is not a type name in PascalCase")));
    }
    let component_pointer = tree::push("/components/schemas", name);
    if root.pointer(&component_pointer).is_some() && !members.contains(&component_pointer) {
        return Err((
            tree::push(first, TYPE_NAME),
            format!("`{name}` is already the name of a component schema that does not carry `{TYPE_NAME}: {name}`"),
        ));
    }
    let mut widened: Option<Value> = None;
    // Looked up by ancestor pointer: a scan of all members per member was quadratic.
    let pointers: BTreeSet<&str> = members.iter().map(String::as_str).collect();
    for member in members {
        let ancestors = member.match_indices('/').map(|(at, _)| &member[..at]).filter(|ancestor| !ancestor.is_empty());
        if let Some(outer) = ancestors.into_iter().find(|ancestor| pointers.contains(ancestor)) {
            return Err((member.clone(), format!("this member of `{name}` lies inside another one (#{outer})")));
        }
        let schema = root.pointer(member).cloned().unwrap_or(Value::Null);
        if !schema.is_object() || schema.get("$ref").is_some() {
            return Err((member.clone(), format!("a member of shared type `{name}` must be a schema, not a `$ref`")));
        }
        if schema.get("nullable") == Some(&Value::Bool(true)) {
            return Err((member.clone(), format!("a member of shared type `{name}` cannot be nullable")));
        }
        widened = Some(match widened {
            None => schema,
            Some(so_far) => Widen { root, renamed }.widen(&so_far, &schema, member, 0)?,
        });
    }
    let mut widened = widened.unwrap_or(Value::Null);
    if let Some(map) = widened.as_object_mut() {
        map.remove(TYPE_NAME);
    }
    let reference = format!("#{component_pointer}");
    let removed: Vec<String> = members
        .iter()
        .filter_map(|member| member.strip_prefix("/components/schemas/"))
        .filter(|component| {
            !component.contains('/') && tree::push("/components/schemas", component) != component_pointer
        })
        .map(|component| format!("#/components/schemas/{component}"))
        .collect();
    for member in
        members.iter().filter(|member| !member.starts_with("/components/schemas/") || member.matches('/').count() > 3)
    {
        let description = root.pointer(member).and_then(|schema| schema.get("description")).cloned();
        let replacement = match description {
            Some(description) => json!({"allOf": [{"$ref": reference}], "description": description}),
            None => json!({"$ref": reference}),
        };
        if let Some(slot) = root.pointer_mut(member) {
            *slot = replacement;
        }
    }
    let schemas = root
        .as_object_mut()
        .map(|map| map.entry("components").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
        .map(|components| components.entry("schemas").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut);
    let Some(schemas) = schemas else { return Err((String::new(), "`components` is not an object".into())) };
    if !removed.is_empty() {
        let gone: BTreeSet<&str> = removed.iter().map(|old| old.trim_start_matches("#/components/schemas/")).collect();
        schemas.retain(|component, _| !gone.contains(component.as_str()));
    }
    schemas.insert(name.to_owned(), widened);
    for old in removed {
        renamed.insert(old, reference.clone());
    }
    Ok(())
}

/// Every `$ref` target below `node`.
fn references_in(node: &Value, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target.clone());
            }
            map.values().for_each(|child| references_in(child, found));
        }
        Value::Array(items) => items.iter().for_each(|child| references_in(child, found)),
        _ => {}
    }
}

/// Points every `$ref` to a removed component at the shared one that replaced it.
fn redirect(node: &mut Value, renamed: &BTreeMap<String, String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                *target = current(renamed, target).to_owned();
            }
            map.values_mut().for_each(|child| redirect(child, renamed));
        }
        Value::Array(items) => items.iter_mut().for_each(|child| redirect(child, renamed)),
        _ => {}
    }
}

/// Where `target` points now that components were merged (a chain of merges followed).
fn current<'a>(renamed: &'a BTreeMap<String, String>, mut target: &'a str) -> &'a str {
    for _ in 0..=renamed.len() {
        match renamed.get(target) {
            Some(next) if next != target => target = next,
            _ => break,
        }
    }
    target
}

/// One schema that decodes what both `a` and `b` describe; docs from `a` where it has them.
/// `at` locates `b` for an error.
/// Widening reads referenced components through the merges done so far.
struct Widen<'a> {
    root: &'a Value,
    renamed: &'a BTreeMap<String, String>,
}

impl Widen<'_> {
    fn widen(&self, a: &Value, b: &Value, at: &str, depth: usize) -> Result<Value, Problem> {
        // Members that refer to themselves through differing `$ref`s would be expanded forever.
        if depth > MAX_DEPTH {
            return Err((
                at.to_owned(),
                "members of this shared type nest too deeply (recursive?) to be widened".into(),
            ));
        }
        let depth = depth + 1;
        // A position one member gives a shared type and another a schema of its own (or another
        // shared type) takes what both decode: the referenced schemas, widened, inline.
        let (a_target, b_target) = (
            reference(a).map(|target| current(self.renamed, target)),
            reference(b).map(|target| current(self.renamed, target)),
        );
        if let (Some(a_target), Some(b_target)) = (a_target, b_target)
            && a_target == b_target
        {
            // One shared type on both sides (perhaps under the names of two merged components).
            let mut same = a.clone();
            redirect(&mut same, self.renamed);
            return Ok(same);
        }
        if a_target != b_target {
            let resolve = |node: &Value, target: Option<&str>| -> Value {
                let Some(schema) = target.and_then(|target| tree::resolve(self.root, target)) else {
                    return node.clone();
                };
                let mut schema = schema.clone();
                if let (Some(map), Some(description)) = (schema.as_object_mut(), node.get("description")) {
                    map.insert("description".into(), description.clone());
                }
                schema
            };
            return self.widen(&resolve(a, a_target), &resolve(b, b_target), at, depth);
        }
        let (Some(a_map), Some(b_map)) = (a.as_object(), b.as_object()) else {
            return if canonical(a) == canonical(b) {
                Ok(a.clone())
            } else {
                Err((at.to_owned(), "differs from the other members of its shared type".into()))
            };
        };
        let mut out = Map::new();
        let keys: Vec<&String> = a_map.keys().chain(b_map.keys().filter(|key| !a_map.contains_key(*key))).collect();
        for key in keys {
            let (left, right) = (a_map.get(key), b_map.get(key));
            let here = tree::push(at, key);
            let documentation = DOCUMENTATION.contains(&key.as_str()) || key.starts_with("x-");
            let value = match (key.as_str(), left, right) {
                _ if documentation => left.or(right).cloned(),
                ("type", Some(l), Some(r)) if l == r => Some(l.clone()),
                ("type", l, r) => {
                    let shown = |v: Option<&Value>| v.map_or("no type".to_owned(), |v| format!("type {v}"));
                    return Err((
                        here,
                        format!("{} here, {} in another member of its shared type", shown(r), shown(l)),
                    ));
                }
                ("format", Some(l), Some(r)) if l == r => Some(l.clone()),
                ("format", Some(l), Some(r)) if is_integer_format(l) && is_integer_format(r) => Some(json!("int64")),
                ("format", _, _) => None,
                ("enum", Some(Value::Array(l)), Some(Value::Array(r))) => {
                    let mut values = l.clone();
                    values.extend(r.iter().filter(|value| !l.contains(value)).cloned());
                    // Values that would name one variant twice leave a plain string, as
                    // `colliding_enum_variants` does for one schema.
                    let names: Vec<String> =
                        values.iter().map(|value| value.as_str().unwrap_or_default().to_owned()).collect();
                    (!super::colliding_enum_variants::collide(&names)).then_some(Value::Array(values))
                }
                ("enum", _, _) => None,
                ("nullable", l, r) => {
                    let nullable = [l, r].iter().any(|v| *v == Some(&Value::Bool(true)));
                    nullable.then_some(Value::Bool(true))
                }
                ("required", Some(Value::Array(l)), Some(Value::Array(r))) => {
                    let both: Vec<Value> = l.iter().filter(|name| r.contains(name)).cloned().collect();
                    (!both.is_empty()).then_some(Value::Array(both))
                }
                ("required", _, _) => None,
                ("properties", Some(Value::Object(l)), Some(Value::Object(r))) => {
                    let mut properties = Map::new();
                    for (name, schema) in l {
                        let merged = match r.get(name) {
                            Some(other) => self.widen(schema, other, &tree::push(&here, name), depth)?,
                            None => schema.clone(),
                        };
                        properties.insert(name.clone(), merged);
                    }
                    for (name, schema) in r.iter().filter(|(name, _)| !l.contains_key(*name)) {
                        properties.insert(name.clone(), schema.clone());
                    }
                    Some(Value::Object(properties))
                }
                ("properties", l, r) => l.or(r).cloned(),
                ("items", Some(l), Some(r)) => Some(self.widen(l, r, &here, depth)?),
                ("additionalProperties", Some(l), Some(r)) if l.is_object() && r.is_object() => {
                    Some(self.widen(l, r, &here, depth)?)
                }
                ("additionalProperties", Some(Value::Bool(false)), Some(r)) => Some(r.clone()),
                ("additionalProperties", Some(l), Some(Value::Bool(false))) => Some(l.clone()),
                ("additionalProperties", Some(l), Some(r)) if l == r => Some(l.clone()),
                ("additionalProperties", _, _) => None,
                (key, l, r) if AGREED_OR_DROPPED.contains(&key) => (l == r).then(|| l.cloned()).flatten(),
                (_, Some(l), Some(r)) if canonical(l) == canonical(r) => Some(l.clone()),
                (key, l, _) => {
                    let what = if l.is_some() { "differs from" } else { "is not in" };
                    return Err((here, format!("`{key}` {what} the other members of its shared type")));
                }
            };
            if let Some(value) = value {
                out.insert(key.clone(), value);
            }
        }
        Ok(Value::Object(out))
    }
}

/// The component a `$ref`, or an `allOf` of one `$ref` (how this pass leaves a member), points at.
fn reference(node: &Value) -> Option<&str> {
    let node = match node.get("allOf").and_then(Value::as_array) {
        Some(list) if list.len() == 1 => &list[0],
        _ => node,
    };
    node.get("$ref").and_then(Value::as_str)
}

fn is_integer_format(format: &Value) -> bool {
    matches!(format.as_str(), Some("int32" | "int64"))
}

/// A schema without what only documents it, for comparing.
fn canonical(node: &Value) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| !DOCUMENTATION.contains(&key.as_str()) && !key.starts_with("x-"))
                .map(|(key, value)| (key.clone(), canonical(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// String enums with one value set under properties (or parameters, or the items of either) of
/// one name, two or more of them, by the
/// component name they get (the property in PascalCase). A name some other schema, named type,
/// or inline type already has, or that two value sets would share, is left alone: those enums
/// keep a type each until the spec names them.
fn same_valued_enums(root: &Value) -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    tree::walk_schemas(root, &mut |pointer, schema| {
        let Some(property) = owner(root, pointer) else { return };
        if schema.get("type") != Some(&json!("string")) {
            return;
        }
        let Some(values) = schema.get("enum").and_then(Value::as_array) else { return };
        if schema.get("nullable") == Some(&Value::Bool(true)) || schema.get(TYPE_NAME).is_some() {
            return;
        }
        let mut set: Vec<String> = values.iter().map(Value::to_string).collect();
        set.sort();
        let key = serde_json::to_string(&canonical(&json!({"values": set, "schema": without_enum(schema)})))
            .unwrap_or_default();
        groups.entry((crate::validate::names::rust_name(&property, true), key)).or_default().push(pointer.to_owned());
    });
    let taken: HashSet<String> = crate::validate::names::type_names(root);
    let mut claims: BTreeMap<String, usize> = BTreeMap::new();
    for (name, _) in groups.keys() {
        *claims.entry(name.clone()).or_default() += 1;
    }
    groups
        .into_iter()
        .filter(|((name, _), members)| {
            // A property such as `3d` gives `_3d`, no type name: those enums keep a type each.
            let type_name = name.starts_with(|c: char| c.is_ascii_uppercase());
            members.len() > 1 && type_name && claims[name] == 1 && !taken.contains(name)
        })
        .map(|((name, _), members)| (name, members))
        .collect()
}

/// The property or parameter a schema (or its array's items) is the value of.
fn owner(root: &Value, pointer: &str) -> Option<String> {
    let pointer = pointer.strip_suffix("/items").unwrap_or(pointer);
    let (parent, last) = pointer.rsplit_once('/')?;
    if parent.ends_with("/properties") {
        return Some(last.replace("~1", "/").replace("~0", "~"));
    }
    let parameter = root.pointer(parent).filter(|_| last == "schema")?;
    parameter.get("in")?;
    parameter.get("name").and_then(Value::as_str).map(str::to_owned)
}

/// The schema's keys other than `enum`, for grouping enums by what else they say.
fn without_enum(schema: &Value) -> Value {
    let mut copy = schema.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove("enum");
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})
    }

    #[test]
    fn named_members_are_widened_into_one_component_and_references_follow() {
        let mut root = doc(json!({
            "ShowImageResponse": {"x-otc-type-name": "Image", "type": "object", "description": "Shown.",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string", "maxLength": 128},
                    "size": {"type": "integer", "format": "int32"},
                    "visibility": {"type": "string", "enum": ["private"]}}},
            "ListImagesImage": {"x-otc-type-name": "Image", "type": "object", "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "size": {"type": "integer", "format": "int64"},
                    "visibility": {"type": "string", "enum": ["public", "private"]},
                    "tags": {"type": "array", "items": {"type": "string"}}}},
            "ListImagesResponse": {"type": "object", "properties": {
                "images": {"type": "array", "items": {"$ref": "#/components/schemas/ListImagesImage"}}}}
        }));
        apply(&mut root).unwrap();
        let schemas = &root["components"]["schemas"];
        assert!(schemas.get("ShowImageResponse").is_none() && schemas.get("ListImagesImage").is_none());
        let image = &schemas["Image"];
        assert_eq!(image["description"], "Shown.", "docs of the first member");
        assert_eq!(image["required"], json!(["id"]), "required only where every member requires it");
        assert_eq!(image["properties"]["size"]["format"], "int64");
        assert_eq!(image["properties"]["visibility"]["enum"], json!(["private", "public"]));
        assert!(image["properties"]["name"].get("maxLength").is_none(), "a limit they disagree on goes");
        assert!(image["properties"].get("tags").is_some(), "the union of the properties");
        assert!(image.get(TYPE_NAME).is_none());
        assert_eq!(
            schemas["ListImagesResponse"]["properties"]["images"]["items"]["$ref"],
            "#/components/schemas/Image"
        );
    }

    #[test]
    fn an_inline_member_keeps_its_description_beside_the_shared_type() {
        let mut root = doc(json!({
            "A": {"type": "object", "properties": {"state": {"x-otc-type-name": "State", "type": "string",
                "description": "State of A.", "enum": ["on", "off"]}}},
            "B": {"type": "object", "properties": {"mode": {"x-otc-type-name": "State", "type": "string", "enum": ["off"]}}}
        }));
        apply(&mut root).unwrap();
        let schemas = &root["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["state"],
            json!({"allOf": [{"$ref": "#/components/schemas/State"}], "description": "State of A."})
        );
        assert_eq!(schemas["B"]["properties"]["mode"], json!({"$ref": "#/components/schemas/State"}));
        assert_eq!(schemas["State"]["enum"], json!(["on", "off"]));
    }

    #[test]
    fn inner_shared_types_merge_before_the_objects_holding_them() {
        let member = |values: Value| {
            json!({"x-otc-type-name": "Image", "type": "object", "properties": {
                "status": {"x-otc-type-name": "ImageStatus", "type": "string", "enum": values}}})
        };
        let mut root = doc(json!({"A": member(json!(["active"])), "B": member(json!(["queued", "active"]))}));
        apply(&mut root).unwrap();
        let schemas = &root["components"]["schemas"];
        assert_eq!(schemas["Image"]["properties"]["status"]["$ref"], "#/components/schemas/ImageStatus");
        assert_eq!(schemas["ImageStatus"]["enum"], json!(["active", "queued"]));
    }

    #[test]
    fn a_shared_type_against_a_plain_schema_widens_to_the_plain_one() {
        let mut root = doc(json!({
            "A": {"x-otc-type-name": "Member", "type": "object", "properties": {
                "status": {"x-otc-type-name": "MemberStatus", "type": "string", "enum": ["accepted"]}}},
            "B": {"x-otc-type-name": "Member", "type": "object", "properties": {"status": {"type": "string"}}},
            "C": {"type": "object", "properties": {
                "status": {"x-otc-type-name": "MemberStatus", "type": "string", "enum": ["pending"]}}}
        }));
        apply(&mut root).unwrap();
        let schemas = &root["components"]["schemas"];
        assert_eq!(schemas["Member"]["properties"]["status"], json!({"type": "string"}));
        assert_eq!(schemas["C"]["properties"]["status"]["$ref"], "#/components/schemas/MemberStatus");
    }

    #[test]
    fn enums_of_one_value_set_under_one_name_share_a_type_when_the_name_is_free() {
        let mut root = doc(json!({
            "A": {"type": "object", "properties": {
                "disk_format": {"type": "string", "enum": ["raw", "qcow2"], "description": "A's format."},
                "status": {"type": "string", "enum": ["on"]}}},
            "B": {"type": "object", "properties": {
                "disk_format": {"type": "string", "enum": ["qcow2", "raw"]},
                "status": {"type": "string", "enum": ["on"]}}},
            "C": {"type": "object", "properties": {"status": {"type": "string", "enum": ["off"]}}}
        }));
        apply(&mut root).unwrap();
        let schemas = &root["components"]["schemas"];
        assert_eq!(schemas["DiskFormat"]["enum"], json!(["raw", "qcow2"]));
        assert_eq!(schemas["B"]["properties"]["disk_format"]["$ref"], "#/components/schemas/DiskFormat");
        assert!(schemas.get("Status").is_none(), "two value sets claim `Status`: neither takes it");
        assert_eq!(schemas["A"]["properties"]["status"]["enum"], json!(["on"]));
    }

    #[test]
    fn enums_under_a_name_that_is_no_type_name_stay_apart() {
        let enum_schema = json!({"type": "string", "enum": ["a", "b"]});
        let mut root = doc(json!({
            "A": {"type": "object", "properties": {"3d": enum_schema.clone()}},
            "B": {"type": "object", "properties": {"3d": enum_schema}}
        }));
        apply(&mut root).unwrap();
        assert_eq!(root["components"]["schemas"]["B"]["properties"]["3d"]["enum"], json!(["a", "b"]));
        assert!(problems(&root).is_empty());
    }

    #[test]
    fn values_that_would_collide_once_widened_leave_a_plain_string() {
        let mut root = doc(json!({
            "A": {"x-otc-type-name": "OsType", "type": "string", "enum": ["Other"]},
            "B": {"x-otc-type-name": "OsType", "type": "string", "enum": ["other"]}
        }));
        apply(&mut root).unwrap();
        assert_eq!(root["components"]["schemas"]["OsType"], json!({"type": "string"}));
    }

    #[test]
    fn members_that_cannot_be_one_type_are_refused_at_the_member() {
        let root = doc(json!({
            "A": {"x-otc-type-name": "Thing", "type": "object", "properties": {"size": {"type": "integer"}}},
            "B": {"x-otc-type-name": "Thing", "type": "object", "properties": {"size": {"type": "string"}}}
        }));
        let problems = problems(&root);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, "/components/schemas/B/properties/size/type");
        assert!(problems[0].1.contains("type \"string\" here, type \"integer\" in another member"), "{problems:?}");
    }

    #[test]
    fn a_name_that_is_not_a_type_name_or_belongs_to_another_component_is_refused() {
        let bad_name = doc(json!({"A": {"x-otc-type-name": "image status", "type": "string", "enum": ["a"]}}));
        assert!(problems(&bad_name)[0].1.contains("not a type name in PascalCase"));
        let taken = doc(json!({
            "Image": {"type": "object"},
            "A": {"x-otc-type-name": "Image", "type": "object", "properties": {"id": {"type": "string"}}}
        }));
        let problem = &problems(&taken)[0];
        assert_eq!(problem.0, "/components/schemas/A/x-otc-type-name");
        assert!(problem.1.contains("already the name of a component"), "{problem:?}");
    }

    #[test]
    fn recursive_members_reached_through_differing_references_end_with_an_error() {
        let root = doc(json!({
            "A": {"x-otc-type-name": "Node", "type": "object", "properties": {"next": {"$ref": "#/components/schemas/A"}}},
            "B": {"x-otc-type-name": "Node", "type": "object", "properties": {"next": {"$ref": "#/components/schemas/B"}}}
        }));
        let problems = problems(&root);
        assert!(problems[0].1.contains("nest too deeply"), "{problems:?}");
    }

    #[test]
    fn members_referring_to_components_merged_into_one_type_compare_equal() {
        let version = |link: &str| {
            json!({"x-otc-type-name": "ApiVersion", "type": "object", "properties": {
                "links": {"type": "array", "items": {"$ref": format!("#/components/schemas/{link}")}}}})
        };
        let link = json!({"x-otc-type-name": "Link", "type": "object", "properties": {"href": {"type": "string"}}});
        let mut root = doc(json!({
            "ListVersion": version("ListLink"), "ShowVersion": version("ShowLink"),
            "ListLink": link.clone(), "ShowLink": link
        }));
        apply(&mut root).unwrap();
        let schemas = &root["components"]["schemas"];
        assert_eq!(schemas["ApiVersion"]["properties"]["links"]["items"]["$ref"], "#/components/schemas/Link");
        assert!(schemas.get("ListLink").is_none() && schemas.get("ShowLink").is_none());
    }

    #[test]
    fn a_decision_must_name_a_shared_type_and_hold_sentences() {
        let mut root = doc(json!({"A": {"x-otc-type-name": "Image", "type": "object"}}));
        root["x-otc-shared-types"] = json!({"Image": ["Pages differ in one field."], "Imagee": ["typo"], });
        assert_eq!(
            problems(&root),
            vec![("/x-otc-shared-types/Imagee".to_owned(), "no schema carries `x-otc-type-name: Imagee`".to_owned())]
        );
        root["x-otc-shared-types"] = json!({"Image": "not a list"});
        assert_eq!(problems(&root)[0].1, "must be a list of sentences");
    }

    #[test]
    fn component_types_follow_the_shared_name() {
        let root = doc(json!({"ShowImageResponse": {"x-otc-type-name": "Image"}, "Other": {}}));
        assert_eq!(component_type(&root, "ShowImageResponse"), "Image");
        assert_eq!(component_type(&root, "Other"), "Other");
    }
}
