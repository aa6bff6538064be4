//! Golden: every operation of every spec is a command of `otc`, with the spec's parameters as
//! flags (required as the spec says, enum values as the flag's possible values), and every
//! operation of `otc-client`'s `OPERATIONS` is in the table. Every spec parameter has a long
//! flag that keeps all of its name (leading underscores, every word), and no two arguments of a
//! command share a flag. Every simple top-level property of a JSON object request body (a string,
//! with or without an enum, integer, number, boolean, or an array of those) is a flag under
//! "Body fields" too, and nothing else of a body is. Every command's help ends with its reference
//! page and the link of that page's source at the commit `specs/reference.lock.json` pins.

use std::collections::BTreeSet;
use std::path::Path;

use clap::ArgAction;
use serde_json::Value;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// OpenAPI says these header parameters are ignored (the generator leaves them out).
const IGNORED_HEADERS: [&str; 3] = ["accept", "content-type", "authorization"];

fn deref<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => deref(root, root.pointer(reference.trim_start_matches('#')).expect("a resolvable $ref")),
        None => node,
    }
}

fn kebab(id: &str) -> String {
    // The generator's (heck's) kebab case, for the ids the specs use: a word starts at an
    // upper-case letter after a lower-case one or a digit, or before an upper+lower pair.
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let previous = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if previous.is_lowercase() || previous.is_ascii_digit() || (previous.is_uppercase() && next_lower) {
                out.push('-');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn specs() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("specs/")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable spec");
            let value: Value = serde_yaml::from_str(&text).expect("a YAML spec");
            (path.file_stem().expect("a name").to_string_lossy().into_owned(), value)
        })
        .collect();
    specs.sort_by(|a, b| a.0.cmp(&b.0));
    specs
}

/// `(service, page name)` → the page's source link, read from the lock here (not by the
/// generator's code).
fn reference_links() -> std::collections::BTreeMap<(String, String), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/reference.lock.json");
    let lock: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the lock")).expect("JSON");
    let mut links = std::collections::BTreeMap::new();
    for repository in lock["repositories"].as_array().expect("repositories") {
        for page in repository["pages"].as_array().expect("pages") {
            let key = (repository["service"].as_str().unwrap().to_owned(), page["name"].as_str().unwrap().to_owned());
            let link = format!(
                "https://github.com/{}/blob/{}/{}",
                repository["repository"].as_str().unwrap(),
                repository["commit"].as_str().unwrap(),
                page["path"].as_str().unwrap()
            );
            links.insert(key, link);
        }
    }
    links
}

#[test]
fn every_spec_operation_is_a_command_with_its_parameters() {
    let root = otc_cli::command();
    let specs = specs();
    let links = reference_links();
    let paged = paged_lists();
    assert!(!specs.is_empty());
    let mut count = 0;
    let mut field_count = 0;
    for (service, spec) in &specs {
        let service_command = root.find_subcommand(service).unwrap_or_else(|| panic!("no `otc {service}`"));
        let mut commands = BTreeSet::new();
        for (path, item) in spec["paths"].as_object().expect("paths") {
            let shared = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for method in METHODS {
                let Some(operation) = item.get(method) else { continue };
                count += 1;
                let id = operation["operationId"].as_str().expect("an operationId");
                let name = kebab(id);
                assert!(commands.insert(name.clone()), "{service}: two operations are `{name}`");
                let command = service_command
                    .find_subcommand(&name)
                    .unwrap_or_else(|| panic!("no `otc {service} {name}` for {method} {path}"));
                let own = operation.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
                let mut expected = BTreeSet::new();
                for parameter in shared.iter().chain(&own).map(|p| deref(spec, p)) {
                    let name = parameter["name"].as_str().expect("a name");
                    let location = parameter["in"].as_str().expect("a location");
                    if location == "header" && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                        continue;
                    }
                    expected.insert(name.to_owned());
                    let arg = command
                        .get_arguments()
                        .find(|arg| arg.get_id() == name)
                        .unwrap_or_else(|| panic!("`otc {service} {}` has no flag for `{name}`", command.get_name()));
                    let long = arg.get_long().unwrap_or_else(|| panic!("{service} {id}: {name} is not a --flag"));
                    assert_flag_keeps_the_name(name, long);
                    let required = parameter.get("required").and_then(Value::as_bool).unwrap_or(false);
                    assert_eq!(arg.is_required_set(), required && name != "project_id", "{service} {id} {name}");
                    let schema = parameter.get("schema").map(|s| deref(spec, s));
                    let values: Vec<String> = schema
                        .and_then(|s| {
                            s.get("enum").or_else(|| s.get("items").map(|i| deref(spec, i)).and_then(|i| i.get("enum")))
                        })
                        .and_then(Value::as_array)
                        .map(|values| values.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                        .unwrap_or_default();
                    let possible: Vec<String> =
                        arg.get_possible_values().iter().map(|value| value.get_name().to_owned()).collect();
                    assert_eq!(possible, values, "{service} {id} {name}: possible values");
                }
                let flags: BTreeSet<String> = command
                    .get_arguments()
                    .map(|arg| arg.get_id().as_str().to_owned())
                    // The command line's own arguments have ids starting with `--` (`--body`, `--all`),
                    // body fields `body.` and their name.
                    .filter(|id| !id.starts_with("--") && !id.starts_with("body.") && id != "os-cloud" && id != "help")
                    .collect();
                assert_eq!(flags, expected, "{service} {id}: flags");
                let mut longs = BTreeSet::new();
                for arg in command.get_arguments() {
                    if let Some(long) = arg.get_long() {
                        assert!(longs.insert(long.to_owned()), "{service} {id}: two arguments are --{long}");
                    }
                }
                let reference =
                    operation.pointer("/externalDocs/url").and_then(Value::as_str).expect("externalDocs.url");
                let after = command.get_after_help().map(ToString::to_string).unwrap_or_default();
                assert!(after.starts_with("Reference: ") && after.contains(reference), "{service} {id}: {after}");
                let link = &links[&(service.clone(), reference.to_owned())];
                assert!(after.ends_with(&format!("\n  {link}")), "{service} {id}: {after}");
                let has_wait = command.get_arguments().any(|arg| arg.get_long() == Some("wait"));
                assert_eq!(has_wait, answers_with_a_job(spec, method, operation), "{service} {id}: --wait");
                let has_all = command.get_arguments().any(|arg| arg.get_long() == Some("all"));
                assert_eq!(has_all, paged.contains(id), "{service} {id}: --all");
                let body = command.get_arguments().find(|arg| arg.get_id() == "--body");
                assert_eq!(body.is_some(), operation.get("requestBody").is_some(), "{service} {id}: --body");
                let fields = simple_body_fields(spec, operation);
                field_count += fields.len();
                assert_body_fields(command, &fields, &format!("{service} {id}"));
                if let Some(body) = body {
                    let required = deref(spec, &operation["requestBody"]).get("required") == Some(&Value::Bool(true));
                    // With field flags clap demands nothing: the body may come from them alone.
                    assert_eq!(
                        body.is_required_set(),
                        required && fields.is_empty(),
                        "{service} {id}: --body required"
                    );
                }
            }
        }
        // Hand-written commands beside the spec's operations.
        let extra = usize::from(service == "ims" && service_command.find_subcommand("wait-job").is_some());
        assert_eq!(service == "ims", extra == 1, "`otc ims wait-job`");
        assert_eq!(commands.len() + extra, service_command.get_subcommands().count(), "{service}: no extra commands");
    }
    let total: usize = otc_cli::generated::SERVICES.iter().map(|service| service.operations.len()).sum();
    assert_eq!(count, total);
    assert!(field_count >= 50, "only {field_count} body field flags: the specs' simple fields went missing");
}

/// A simple top-level property of a JSON body: its name, `type` (`array` for a list), the
/// items' `type` for a list, and the enum (of the property or its items).
struct Field {
    name: String,
    kind: String,
    item_kind: String,
    values: Vec<String>,
}

/// The simple top-level properties of the operation's `application/json` body when its schema
/// (`$ref`s followed) is an object, in spec order; read without the generator's code.
fn simple_body_fields(spec: &Value, operation: &Value) -> Vec<Field> {
    let Some(body) = operation.get("requestBody").map(|body| deref(spec, body)) else { return Vec::new() };
    let Some(schema) = body.pointer("/content/application~1json/schema").map(|schema| deref(spec, schema)) else {
        return Vec::new();
    };
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Vec::new();
    }
    let simple = |schema: &Value| {
        let kind = schema.get("type").and_then(Value::as_str)?;
        let composed = ["properties", "oneOf", "anyOf", "allOf"].iter().any(|key| schema.get(key).is_some());
        (["string", "integer", "number", "boolean"].contains(&kind) && !composed).then(|| kind.to_owned())
    };
    let values = |schema: &Value| -> Vec<String> {
        schema
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect())
            .unwrap_or_default()
    };
    let mut fields = Vec::new();
    for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let property = deref(spec, property);
        if property.get("readOnly") == Some(&Value::Bool(true)) {
            continue;
        }
        if let Some(kind) = simple(property) {
            fields.push(Field { name: name.clone(), kind, item_kind: String::new(), values: values(property) });
        } else if property.get("type").and_then(Value::as_str) == Some("array")
            && let Some(items) = property.get("items").map(|items| deref(spec, items))
            && let Some(item_kind) = simple(items)
        {
            fields.push(Field { name: name.clone(), kind: "array".to_owned(), item_kind, values: values(items) });
        }
    }
    fields
}

/// Each field is a flag `body.<name>` under "Body fields", never demanded by clap, repeatable for
/// a list, with the enum (or true/false) as its possible values; its long flag keeps the name as
/// a parameter's does, or is `body-` and that exactly where a parameter or the command line's
/// own argument has the plain flag; and no other argument is a body field.
fn assert_body_fields(command: &clap::Command, fields: &[Field], what: &str) {
    let own: BTreeSet<&str> = command
        .get_arguments()
        .filter(|arg| !arg.get_id().as_str().starts_with("body."))
        .filter_map(|arg| arg.get_long())
        .collect();
    for field in fields {
        let name = &field.name;
        let id = format!("body.{name}");
        let arg = command
            .get_arguments()
            .find(|arg| arg.get_id() == id.as_str())
            .unwrap_or_else(|| panic!("{what}: the body field `{name}` has no flag"));
        assert_eq!(arg.get_help_heading(), Some("Body fields"), "{what} {name}");
        assert!(!arg.is_required_set(), "{what} {name}: clap must not demand a body field (--body may hold it)");
        let long = arg.get_long().unwrap_or_else(|| panic!("{what}: {name} is not a --flag"));
        match long.strip_prefix("body-").filter(|plain| own.contains(plain)) {
            Some(plain) => assert_flag_keeps_the_name(name, plain),
            None => {
                assert_flag_keeps_the_name(name, long);
                assert!(!own.contains(long), "{what}: --{long} is the body field `{name}` and another argument");
            }
        }
        let possible: Vec<String> = arg.get_possible_values().iter().map(|value| value.get_name().to_owned()).collect();
        let kind = if field.kind == "array" { &field.item_kind } else { &field.kind };
        let expected = if field.values.is_empty() && kind == "boolean" {
            vec!["true".to_owned(), "false".to_owned()]
        } else {
            field.values.clone()
        };
        assert_eq!(possible, expected, "{what} {name}: possible values");
        assert_eq!(matches!(arg.get_action(), ArgAction::Append), field.kind == "array", "{what} {name}: repeatable");
    }
    let ids: BTreeSet<&str> =
        command.get_arguments().map(|arg| arg.get_id().as_str()).filter(|id| id.starts_with("body.")).collect();
    let expected: BTreeSet<String> = fields.iter().map(|field| format!("body.{}", field.name)).collect();
    assert_eq!(ids, expected.iter().map(String::as_str).collect(), "{what}: body field flags");
}

#[test]
fn body_fields_are_flags_and_a_taken_flag_gets_the_body_prefix() {
    let command = otc_cli::command();
    let find = |service: &str, operation: &str| {
        command.find_subcommand(service).and_then(|s| s.find_subcommand(operation)).cloned().expect("the command")
    };
    let long = |command: &clap::Command, id: &str| {
        command.get_arguments().find(|arg| arg.get_id() == id).and_then(|arg| arg.get_long()).map(str::to_owned)
    };
    // RenewLease: a `duration` query parameter and a `duration` body field.
    let renew = find("modelarts", "renew-lease");
    assert_eq!(long(&renew, "duration").as_deref(), Some("duration"));
    assert_eq!(long(&renew, "body.duration").as_deref(), Some("body-duration"));
    assert_eq!(long(&renew, "body.type").as_deref(), Some("type"));
    // Glance's `__os_version` keeps its underscores as a parameter would.
    let glance = find("ims", "glance-create-image-metadata");
    assert_eq!(long(&glance, "body.__os_version").as_deref(), Some("__os-version"));
    // IAM's password token body is one nested object: no field flags, so no password in a flag.
    let token = find("iam", "keystone-create-user-token-by-password");
    assert!(!token.get_arguments().any(|arg| arg.get_id().as_str().starts_with("body.")));
}

/// The flag is the parameter's name, nothing dropped: the same leading underscores, the same
/// letters and digits in the same order (lower case), and a `-` at least wherever the name has a
/// `_` or `-` (`__system__cmkid` must not become `--system-cmkid`).
fn assert_flag_keeps_the_name(name: &str, long: &str) {
    let rest = name.trim_start_matches('_');
    let leading = name.len() - rest.len();
    assert_eq!(long.len() - long.trim_start_matches('_').len(), leading, "--{long} for `{name}`: leading underscores");
    let long_rest = &long[leading..];
    assert!(!long_rest.contains('_'), "--{long} for `{name}`: kebab case after the leading underscores");
    let letters = |text: &str| text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    assert_eq!(letters(long_rest), letters(rest), "--{long} for `{name}`: letters and digits");
    let separators = |text: &str| text.chars().filter(|c| *c == '-' || *c == '_').count();
    assert!(separators(long_rest) >= separators(rest), "--{long} for `{name}`: a separator was dropped");
    assert!(
        long_rest.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "--{long} for `{name}`: lower case, digits and -"
    );
}

#[test]
fn flags_keep_leading_underscores_of_ims_attributes() {
    let command = otc_cli::command();
    let list = command
        .find_subcommand("ims")
        .and_then(|ims| ims.find_subcommand("glance-list-images"))
        .expect("otc ims glance-list-images");
    let flag = |id: &str| list.get_arguments().find(|arg| arg.get_id() == id).and_then(|arg| arg.get_long());
    assert_eq!(flag("__imagetype"), Some("__imagetype"));
    assert_eq!(flag("container_format"), Some("container-format"));
}

/// The builders `generated-client/src/paged_lists.rs` implements `Paginate` for: the first
/// identifier of each entry of its `offset_and_limit!` and `marker_and_limit!` invocations.
fn paged_lists() -> BTreeSet<String> {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/src/paged_lists.rs"))
            .expect("paged_lists.rs");
    let mut names = BTreeSet::new();
    for invocation in ["offset_and_limit! {", "marker_and_limit! {"] {
        let start =
            source.find(invocation).unwrap_or_else(|| panic!("no `{invocation}` in paged_lists.rs")) + invocation.len();
        let body = &source[start..start + source[start..].find("\n}").expect("the invocation's end")];
        for line in body.lines().map(str::trim) {
            if let Some((name, _)) = line.split_once(" => ")
                && !line.starts_with("//")
            {
                names.insert(name.to_owned());
            }
        }
    }
    assert!(names.len() >= 5, "{names:?}");
    names
}

/// Asynchronous: not a GET, and a 2xx JSON body with a `job_id` property.
fn answers_with_a_job(spec: &Value, method: &str, operation: &Value) -> bool {
    method != "get"
        && operation["responses"].as_object().expect("responses").iter().any(|(status, response)| {
            status.starts_with('2')
                && deref(spec, response).get("content").and_then(Value::as_object).is_some_and(|content| {
                    content.values().any(|media| {
                        media
                            .get("schema")
                            .is_some_and(|schema| deref(spec, schema)["properties"].get("job_id").is_some())
                    })
                })
        })
}

/// `otc_client::<service>::OPERATIONS`.
type Operations = &'static [(&'static str, &'static str, &'static str, bool, bool)];

#[test]
fn the_table_matches_the_clients_operations() {
    let clients: [(&str, Operations); 3] = [
        ("iam", otc_client::iam::OPERATIONS),
        ("ims", otc_client::ims::OPERATIONS),
        ("modelarts", otc_client::modelarts::OPERATIONS),
    ];
    assert_eq!(otc_cli::generated::SERVICES.len(), clients.len());
    for (name, operations) in clients {
        let service = otc_cli::generated::SERVICES.iter().find(|s| s.name == name).expect("the service");
        let ours: BTreeSet<(&str, &str, &str)> =
            service.operations.iter().map(|operation| (operation.id, operation.method, operation.path)).collect();
        let theirs: BTreeSet<(&str, &str, &str)> =
            operations.iter().map(|(id, method, path, _, _)| (*id, *method, *path)).collect();
        assert_eq!(ours, theirs, "{name}");
    }
}

#[test]
fn the_command_tree_is_consistent() {
    otc_cli::command().debug_assert();
}
