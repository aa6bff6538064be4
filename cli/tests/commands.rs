//! Golden: every operation of every spec is a command of `otc`, with the spec's parameters as
//! flags (required as the spec says, enum values as the flag's possible values), and every
//! operation of `otc-client`'s `OPERATIONS` is in the table. Every spec parameter has a long
//! flag that keeps all of its name (leading underscores, every word), and no two arguments of a
//! command share a flag.

use std::collections::BTreeSet;
use std::path::Path;

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

#[test]
fn every_spec_operation_is_a_command_with_its_parameters() {
    let root = otc_cli::command();
    let specs = specs();
    let paged = paged_lists();
    assert!(!specs.is_empty());
    let mut count = 0;
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
                    // The command line's own arguments have ids starting with `--` (`--body`, `--all`).
                    .filter(|id| !id.starts_with("--") && id != "os-cloud" && id != "help")
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
                let has_wait = command.get_arguments().any(|arg| arg.get_long() == Some("wait"));
                assert_eq!(has_wait, answers_with_a_job(spec, method, operation), "{service} {id}: --wait");
                let has_all = command.get_arguments().any(|arg| arg.get_long() == Some("all"));
                assert_eq!(has_all, paged.contains(id), "{service} {id}: --all");
                let has_body = command.get_arguments().any(|arg| arg.get_id() == "--body");
                assert_eq!(has_body, operation.get("requestBody").is_some(), "{service} {id}: --body");
            }
        }
        // Hand-written commands beside the spec's operations.
        let extra = usize::from(service == "ims" && service_command.find_subcommand("wait-job").is_some());
        assert_eq!(service == "ims", extra == 1, "`otc ims wait-job`");
        assert_eq!(commands.len() + extra, service_command.get_subcommands().count(), "{service}: no extra commands");
    }
    let total: usize = otc_cli::generated::SERVICES.iter().map(|service| service.operations.len()).sum();
    assert_eq!(count, total);
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
