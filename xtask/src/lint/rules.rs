//! The rules of [`super::RULES`], each a function over the raw JSON tree of a spec that reports
//! findings at JSON pointers. Nothing here knows about YAML text or output.

use std::collections::{BTreeSet, HashMap, HashSet};

use otc_codegen::examples::{self, Direction};
use otc_codegen::tree::{self, Operation};
use serde_json::Value;

use super::{Finding, RULES, notes};

/// Every finding of every rule, with `x-lint-accept` exceptions applied.
pub(super) fn check(root: &Value) -> Vec<Finding> {
    let operations = tree::operations(root);
    let mut findings = Vec::new();
    operation_id(&operations, &mut findings);
    operation_docs(root, &operations, &mut findings);
    examples_present(root, &operations, &mut findings);
    example_schema(root, &mut findings);
    snake_case(root, &operations, &mut findings);
    security_declared(root, &operations, &mut findings);
    error_responses(root, &operations, &mut findings);
    unused_components(root, &operations, &mut findings);
    lint_accept(root, &mut findings);
    findings
}

/// `operation-id`: the generator names methods and hooks after it (`ShowNotebook`).
fn operation_id(operations: &[Operation<'_>], findings: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, &Operation<'_>> = HashMap::new();
    for operation in operations {
        let Some(id) = operation.node.get("operationId").and_then(Value::as_str) else {
            findings.push(Finding::new("operation-id", &operation.pointer, "the operation has no operationId"));
            continue;
        };
        let pointer = tree::push(&operation.pointer, "operationId");
        let pascal = id.starts_with(|c: char| c.is_ascii_uppercase()) && id.chars().all(|c| c.is_ascii_alphanumeric());
        if !pascal {
            findings.push(Finding::new("operation-id", &pointer, format!("operationId `{id}` is not PascalCase")));
        }
        if let Some(first) = seen.insert(id, operation) {
            let message = format!("operationId `{id}` is also used by {} {}", first.method.to_uppercase(), first.path);
            findings.push(Finding::new("operation-id", &pointer, message));
        }
    }
}

/// `operation-summary`, `operation-tags`, `operation-reference`: what a reader and
/// `cargo xtask audit` need to find an operation and its reference page.
fn operation_docs(root: &Value, operations: &[Operation<'_>], findings: &mut Vec<Finding>) {
    let declared: Vec<&str> = array(root, "tags").iter().filter_map(|tag| tag.get("name")?.as_str()).collect();
    for operation in operations {
        let (node, pointer) = (operation.node, &operation.pointer);
        match node.get("summary").and_then(Value::as_str).map(str::trim) {
            None | Some("") => {
                findings.push(Finding::new("operation-summary", pointer, "the operation has no summary"))
            }
            Some(summary) if summary.contains('\n') => findings.push(Finding::new(
                "operation-summary",
                tree::push(pointer, "summary"),
                "the summary spans several lines; keep it to one",
            )),
            Some(_) => {}
        }

        let tags = array(node, "tags");
        if tags.is_empty() {
            findings.push(Finding::new("operation-tags", pointer, "the operation has no tags"));
        }
        for (index, tag) in tags.iter().enumerate() {
            let tag = tag.as_str().unwrap_or_default();
            if !declared.contains(&tag) {
                let at = tree::push(&tree::push(pointer, "tags"), &index.to_string());
                let message = format!("tag `{tag}` is not declared in the top-level `tags`");
                findings.push(Finding::new("operation-tags", at, message));
            }
        }

        match node.pointer("/externalDocs/url").and_then(Value::as_str) {
            None => findings.push(Finding::new(
                "operation-reference",
                pointer,
                "no externalDocs.url naming the reference page file (such as `RegisterImage.html`)",
            )),
            Some(url) if !url.ends_with(".html") || url.contains('/') => findings.push(Finding::new(
                "operation-reference",
                format!("{pointer}/externalDocs/url"),
                format!("externalDocs.url `{url}` is not a reference page file name (such as `RegisterImage.html`)"),
            )),
            Some(_) => {}
        }
    }
}

/// `request-example`, `response-example`: documented examples become golden tests, so a body
/// without one is untested (or the page really shows none: hence only a warning).
fn examples_present(root: &Value, operations: &[Operation<'_>], findings: &mut Vec<Finding>) {
    // A set, so each lookup is O(1) and the rule stays linear in the size of the spec.
    let examples: HashSet<_> = examples::examples(root)
        .into_iter()
        .map(|example| (example.path, example.method, example.direction == Direction::Request, example.status))
        .collect();
    let has_example = |operation: &Operation<'_>, direction: Direction, status: Option<&str>| {
        examples.contains(&(operation.path, operation.method, direction == Direction::Request, status))
    };
    for operation in operations {
        if let Some(body) = operation.node.get("requestBody")
            && ["post", "put", "patch"].contains(&operation.method)
            && has_body(root, body)
            && !has_example(operation, Direction::Request, None)
        {
            let pointer = tree::push(&operation.pointer, "requestBody");
            findings.push(Finding::new("request-example", pointer, missing_example("the request body", root, body)));
        }
        let responses = operation.node.get("responses").and_then(Value::as_object).into_iter().flatten();
        for (status, response) in responses.filter(|(status, _)| status.starts_with('2')) {
            if has_body(root, response) && !has_example(operation, Direction::Response, Some(status)) {
                let pointer = tree::push(&tree::push(&operation.pointer, "responses"), status);
                let what = format!("the {status} response");
                findings.push(Finding::new("response-example", pointer, missing_example(&what, root, response)));
            }
        }
    }
}

/// Whether a request body or response (possibly a `$ref`) has content.
fn has_body(root: &Value, node: &Value) -> bool {
    tree::deref(root, node).get("content").and_then(Value::as_object).is_some_and(|content| !content.is_empty())
}

fn missing_example(what: &str, root: &Value, body: &Value) -> String {
    let content = tree::deref(root, body).get("content").and_then(Value::as_object).into_iter().flatten();
    let unnamed = content.into_iter().any(|(_, media)| media.get("example").is_some());
    if unnamed {
        format!("{what} has an unnamed `example`; make it a named entry under `examples`")
    } else {
        format!("{what} has no named example under `content.<media type>.examples`")
    }
}

/// `example-schema`: the conformance check of every example value (media type, schema,
/// property, parameter, header, shared component example), reported at the failing place in
/// the value: one finding per place, however many keywords fail there (`64` against a string
/// enum breaks both `type` and `enum`), and once for a shared example used in several places.
fn example_schema(root: &Value, findings: &mut Vec<Finding>) {
    /// The failures at one place of an example value.
    struct Place {
        pointer: String,
        at: String,
        messages: Vec<String>,
        schemas: Vec<String>,
        /// Notes accepting every failure there; `None` once one is not accepted.
        accepted_by: Option<Vec<String>>,
    }
    let mut places: Vec<Place> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for found in otc_codegen::conformance::check_all(root).findings {
        let pointer = format!("{}{}", found.value_pointer, found.instance_path);
        let slot = *index.entry(pointer.clone()).or_insert_with(|| {
            let at = match found.instance_path.as_str() {
                "" => "the example value".to_owned(),
                path => format!("example value at {path}"),
            };
            let accepted_by = found.accepted_by.clone();
            places.push(Place { pointer, at, messages: Vec::new(), schemas: Vec::new(), accepted_by });
            places.len() - 1
        });
        let place = &mut places[slot];
        if !place.messages.contains(&found.message) {
            place.messages.push(found.message);
        }
        if !place.schemas.contains(&found.schema_pointer) {
            place.schemas.push(found.schema_pointer);
        }
        match (place.accepted_by.as_mut(), found.accepted_by) {
            (Some(notes), Some(more)) => {
                for note in more {
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
            }
            _ => place.accepted_by = None,
        }
    }
    for place in places {
        let message = format!("{}: {} (schema #{})", place.at, place.messages.join("; "), place.schemas.join(", #"));
        findings.push(Finding {
            rule: "example-schema",
            pointer: place.pointer,
            message,
            accepted_by: place.accepted_by,
        });
    }
}

/// `snake-case`: path and query parameter names and property names. Header names are left out:
/// HTTP spells them `X-Auth-Token`, and a reference page cannot choose otherwise.
fn snake_case<'a>(root: &'a Value, operations: &[Operation<'a>], findings: &mut Vec<Finding>) {
    let is_snake = |name: &str| {
        name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let mut parameters: Vec<(String, &Value)> = Vec::new();
    let mut add = |pointer: String, list: &'a [Value]| {
        for (index, parameter) in list.iter().enumerate() {
            let pointer = tree::push(&pointer, &index.to_string());
            if !parameters.iter().any(|(seen, _)| *seen == pointer) {
                parameters.push((pointer, parameter));
            }
        }
    };
    for operation in operations {
        let item = operation.pointer.rsplit_once('/').map_or("", |(item, _method)| item);
        add(tree::push(item, "parameters"), operation.path_parameters);
        add(tree::push(&operation.pointer, "parameters"), array(operation.node, "parameters"));
    }
    let shared = root.pointer("/components/parameters").and_then(Value::as_object).into_iter().flatten();
    parameters.extend(shared.map(|(name, parameter)| (tree::push("/components/parameters", name), parameter)));
    for (pointer, parameter) in parameters {
        let place = parameter.get("in").and_then(Value::as_str).unwrap_or_default();
        if let Some(name) = parameter.get("name").and_then(Value::as_str)
            && ["path", "query"].contains(&place)
            && !is_snake(name)
        {
            let message = format!("{place} parameter name `{name}` is not snake_case");
            findings.push(Finding::new("snake-case", pointer, message));
        }
    }
    tree::walk_schemas(root, &mut |pointer, schema| {
        for name in schema.get("properties").and_then(Value::as_object).into_iter().flat_map(|map| map.keys()) {
            if !is_snake(name) {
                let pointer = tree::push(&tree::push(pointer, "properties"), name);
                findings.push(Finding::new("snake-case", pointer, format!("property name `{name}` is not snake_case")));
            }
        }
    });
}

/// `security-declared`: every operation is authenticated by a declared scheme unless it says
/// `security: []` itself.
fn security_declared(root: &Value, operations: &[Operation<'_>], findings: &mut Vec<Finding>) {
    match root.get("security").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => requirements(root, "/security", list, findings),
        _ => findings.push(Finding::new(
            "security-declared",
            if root.get("security").is_some() { "/security" } else { "" },
            "no top-level `security`: declare the schemes every operation accepts (token, aksk)",
        )),
    }
    for operation in operations {
        let pointer = tree::push(&operation.pointer, "security");
        requirements(root, &pointer, array(operation.node, "security"), findings);
    }
}

/// Checks one `security` list at `pointer`.
fn requirements(root: &Value, pointer: &str, list: &[Value], findings: &mut Vec<Finding>) {
    let schemes = root.pointer("/components/securitySchemes").and_then(Value::as_object);
    for (index, requirement) in list.iter().enumerate() {
        let at = tree::push(pointer, &index.to_string());
        let names = requirement.as_object().into_iter().flat_map(|map| map.keys());
        for name in names.filter(|name| !schemes.is_some_and(|schemes| schemes.contains_key(*name))) {
            let message = format!("security scheme `{name}` is not declared in components.securitySchemes");
            findings.push(Finding::new("security-declared", &at, message));
        }
        if pointer == "/security" && requirement.as_object().is_some_and(|map| map.is_empty()) {
            let message = "the empty requirement `{}` makes authentication optional everywhere; \
                           say `security: []` on the operations that need none";
            findings.push(Finding::new("security-declared", &at, message));
        }
    }
}

/// `error-responses`: every 4xx/5xx response is a `$ref` to a shared response in
/// `#/components/responses` whose body is the spec's error schema (the `*Error` component).
fn error_responses(root: &Value, operations: &[Operation<'_>], findings: &mut Vec<Finding>) {
    let mut errors: Vec<(String, &Value)> = Vec::new();
    for operation in operations {
        let responses = operation.node.get("responses").and_then(Value::as_object).into_iter().flatten();
        for (status, response) in responses.filter(|(status, _)| status.starts_with(['4', '5'])) {
            errors.push((tree::push(&tree::push(&operation.pointer, "responses"), status), response));
        }
    }
    if errors.is_empty() {
        return;
    }
    let expected = match error_schema(root, &errors) {
        Ok(expected) => expected,
        Err(message) => {
            findings.push(Finding::new("error-responses", "/components/schemas", message));
            return;
        }
    };
    let mut shared_seen = BTreeSet::new();
    for (pointer, response) in errors {
        let Some(reference) = response.get("$ref").and_then(Value::as_str) else {
            let message = match body_schemas(response).as_slice() {
                [] => "an inline error response without a body".to_owned(),
                schemas if schemas.iter().all(|(_, schema)| *schema == Some(&expected)) => {
                    "an inline error response".into()
                }
                _ => format!("an inline error response whose body is not `{expected}`"),
            };
            let message = format!("{message}; use a shared response from #/components/responses");
            findings.push(Finding::new("error-responses", pointer, message));
            continue;
        };
        let shared = reference.strip_prefix('#').filter(|target| target.starts_with("/components/responses/"));
        let Some(shared) = shared else {
            let message = format!("references `{reference}`, not a shared response in #/components/responses");
            findings.push(Finding::new("error-responses", pointer, message));
            continue;
        };
        if !shared_seen.insert(shared) {
            continue;
        }
        let Some(node) = root.pointer(shared) else {
            findings.push(Finding::new("error-responses", pointer, format!("`{reference}` does not resolve")));
            continue;
        };
        let schemas = body_schemas(node);
        if schemas.is_empty() {
            let message = format!("the shared error response has no body; it should carry `{expected}`");
            findings.push(Finding::new("error-responses", shared, message));
        }
        for (schema_pointer, schema) in schemas.into_iter().filter(|(_, schema)| *schema != Some(&expected)) {
            let actual = schema.map_or("an inline schema".to_owned(), |schema| format!("`{schema}`"));
            let message = format!("the error body is {actual}, not the error schema `{expected}`");
            findings.push(Finding::new("error-responses", format!("{shared}{schema_pointer}"), message));
        }
    }
}

/// The `$ref` of the spec's error schema: the one component schema named `*Error` (or, if there
/// are several, the one error responses use); otherwise why there is none.
fn error_schema(root: &Value, errors: &[(String, &Value)]) -> Result<String, String> {
    let candidates: Vec<String> = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.keys())
        .filter(|name| name.ends_with("Error"))
        .map(|name| format!("#{}", tree::push("/components/schemas", name)))
        .collect();
    let used: Vec<&String> = candidates
        .iter()
        .filter(|candidate| {
            errors.iter().any(|(_, response)| {
                body_schemas(tree::deref(root, response)).iter().any(|(_, schema)| *schema == Some(candidate.as_str()))
            })
        })
        .collect();
    match (candidates.as_slice(), used.as_slice()) {
        (_, [one]) => Ok((*one).clone()),
        ([one], []) => Ok(one.clone()),
        ([], _) => {
            Err("there are error responses but no shared error schema (a component schema named `*Error`)".into())
        }
        _ => Err(format!("error responses should share one error schema, but there are {}", candidates.join(", "))),
    }
}

/// The schema `$ref` of each media type of a response (`None` for an inline schema), with the
/// pointer of that schema relative to the response.
fn body_schemas(response: &Value) -> Vec<(String, Option<&str>)> {
    let content = response.get("content").and_then(Value::as_object).into_iter().flatten();
    content
        .map(|(media_type, media)| {
            let pointer = tree::push(&tree::push("/content", media_type), "schema");
            (pointer, media.pointer("/schema/$ref").and_then(Value::as_str))
        })
        .collect()
}

/// The component sections a `$ref` can point into.
const SECTIONS: [&str; 8] =
    ["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks"];

/// `unused-component`: a component reached from no operation (directly or through other
/// components) is dead weight, or a sign that a `$ref` points at the wrong one.
fn unused_components(root: &Value, operations: &[Operation<'_>], findings: &mut Vec<Finding>) {
    let mut pending = Vec::new();
    for (key, value) in root.as_object().into_iter().flatten() {
        if key != "components" {
            references(value, &mut pending);
        }
    }
    let mut reached = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        let component: Vec<&str> = reference.trim_start_matches('#').splitn(5, '/').take(4).collect();
        let component = component.join("/");
        if let Some(node) = root.pointer(&component)
            && reached.insert(component)
        {
            references(node, &mut pending);
        }
    }
    for section in SECTIONS {
        let pointer = tree::push("/components", section);
        for name in root.pointer(&pointer).and_then(Value::as_object).into_iter().flat_map(|map| map.keys()) {
            let component = tree::push(&pointer, name);
            if !reached.contains(&component) {
                findings.push(Finding::new(
                    "unused-component",
                    &component,
                    format!("#{component} is never referenced"),
                ));
            }
        }
    }
    let requirements =
        array(root, "security").iter().chain(operations.iter().flat_map(|op| array(op.node, "security")));
    let used: BTreeSet<&String> = requirements.filter_map(Value::as_object).flat_map(|map| map.keys()).collect();
    let schemes = root.pointer("/components/securitySchemes").and_then(Value::as_object).into_iter().flatten();
    for (name, _) in schemes.filter(|(name, _)| !used.contains(name)) {
        let pointer = tree::push("/components/securitySchemes", name);
        findings.push(Finding::new("unused-component", pointer, format!("security scheme `{name}` is never required")));
    }
}

/// Every `$ref` string under `node`.
fn references(node: &Value, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => found.push(reference.clone()),
                    _ => references(child, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, found)),
        _ => {}
    }
}

/// Applies `x-lint-accept: [rule-id, ...]`: a finding of a listed rule at that very node is
/// accepted when the node also says why in `x-reference-notes`. `lint-accept` reports
/// exceptions naming an unknown rule or one that does not fire there, so none goes stale.
fn lint_accept(root: &Value, findings: &mut Vec<Finding>) {
    let mut annotated = Vec::new();
    annotations(root, String::new(), &mut annotated);
    for (pointer, node, accepted) in annotated {
        let at = tree::push(&pointer, "x-lint-accept");
        let ids: Vec<&str> = accepted.as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        if ids.is_empty() {
            findings.push(Finding::new("lint-accept", &at, "x-lint-accept should be a list of rule ids"));
        }
        for id in ids {
            if !RULES.iter().any(|rule| rule.id == id) {
                findings.push(Finding::new("lint-accept", &at, format!("x-lint-accept names an unknown rule `{id}`")));
                continue;
            }
            let mut matched = false;
            for finding in findings.iter_mut().filter(|finding| finding.rule == id && finding.pointer == pointer) {
                matched = true;
                match notes(node) {
                    Some(notes) => finding.accepted_by = Some(notes),
                    None => finding.message.push_str(" (x-lint-accept needs an x-reference-notes sentence saying why)"),
                }
            }
            if !matched {
                let message = format!("x-lint-accept lists `{id}`, which does not fire here; remove it");
                findings.push(Finding::new("lint-accept", &at, message));
            }
        }
    }
}

/// Every node carrying `x-lint-accept`, with its pointer. Example values are data, not spec.
fn annotations<'a>(node: &'a Value, pointer: String, found: &mut Vec<(String, &'a Value, &'a Value)>) {
    match node {
        Value::Object(map) => {
            if let Some(accepted) = map.get("x-lint-accept") {
                found.push((pointer.clone(), node, accepted));
            }
            for (key, child) in map.iter().filter(|(key, _)| !["examples", "example"].contains(&key.as_str())) {
                annotations(child, tree::push(&pointer, key), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                annotations(item, tree::push(&pointer, &index.to_string()), found);
            }
        }
        _ => {}
    }
}

/// The array member `key` of `node`, or nothing.
fn array<'a>(node: &'a Value, key: &str) -> &'a [Value] {
    node.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}
