//! `cargo xtask diff`: the verdict comes from the generated code of both revisions (each test
//! commits `before.yaml` to a temporary git repository, writes a fixture over it and compares
//! with `HEAD`); the spec-level comparison gives the wording, and the verdicts where a revision
//! does not generate.
//!
//! Every fixture in `tests/fixtures/diff/` is `before.yaml` with one change.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use xtask::diff::{self, ApiKind, Change, Kind, SpecDiff, diff_specs};

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff").join(format!("{name}.yaml"))
}

fn load(name: &str) -> Value {
    let path = fixture_path(name);
    let text = fs::read_to_string(&path).unwrap();
    otc_codegen::load::parse(&path, &text).unwrap_or_else(|error| panic!("{error}")).raw
}

/// The changes from `before.yaml` to the fixture `case`.
fn diff(case: &str) -> Vec<Change> {
    diff_specs(&load("before"), &load(case))
}

/// `(breaking, kind, location)` of each change: what the classification tests compare.
fn summary(changes: &[Change]) -> Vec<(bool, Kind, &str)> {
    changes.iter().map(|change| (change.breaking, change.kind, change.location.as_str())).collect()
}

// The spec-level comparison: what was edited, and the verdicts used when a revision does not
// generate.

/// Code reading or setting a field that is gone no longer compiles.
#[test]
fn removed_field_is_breaking() {
    let changes = diff("field_removed");
    assert_eq!(summary(&changes), [(true, Kind::FieldRemoved, "RegisterImage request body .description")]);
    assert_eq!(changes[0].detail, "was optional `string`");
}

/// Builder setters make a new optional input invisible to existing callers.
#[test]
fn new_optional_request_field_is_not_breaking() {
    let changes = diff("optional_request_field_added");
    assert_eq!(summary(&changes), [(false, Kind::FieldAdded, "RegisterImage request body .workspace_id")]);
}

/// Existing callers do not set a new required input, so their requests fail.
#[test]
fn new_required_request_field_is_breaking() {
    let changes = diff("required_request_field_added");
    assert_eq!(summary(&changes), [(true, Kind::FieldAdded, "RegisterImage request body .name")]);
    assert_eq!(changes[0].detail, "required `string`");
}

/// int32 → int64 is `i32` → `i64` in Rust: a format change is a type change.
#[test]
fn type_or_format_change_is_breaking() {
    let changes = diff("type_changed");
    assert_eq!(summary(&changes), [(true, Kind::TypeChanged, "RegisterImage response 200 .size")]);
    assert_eq!(changes[0].detail, "`integer/int32` → `integer/int64`");
}

/// A removed enum variant breaks code that constructs or matches it.
#[test]
fn removed_enum_value_is_breaking() {
    let changes = diff("enum_value_removed");
    assert_eq!(summary(&changes), [(true, Kind::EnumValueRemoved, "RegisterImage request body .arch")]);
    assert_eq!(changes[0].detail, "`AARCH64`");
}

/// The generated enums are open (`Unrecognized`), so a new value breaks nothing; array items
/// are named with `[]`.
#[test]
fn added_enum_value_is_not_breaking() {
    let changes = diff("enum_value_added");
    assert_eq!(summary(&changes), [(false, Kind::EnumValueAdded, "RegisterImage request body .resource_category[]")]);
}

#[test]
fn added_operation_is_not_breaking() {
    let changes = diff("operation_added");
    assert_eq!(summary(&changes), [(false, Kind::OperationAdded, "DeleteNotebook")]);
    assert_eq!(changes[0].detail, "`DELETE /v1/{project_id}/notebooks/{id}`");
}

#[test]
fn removed_operation_is_breaking() {
    let changes = diff("operation_removed");
    assert_eq!(summary(&changes), [(true, Kind::OperationRemoved, "ShowNotebook")]);
}

/// A response field that becomes optional turns `T` into `Option<T>`; the walk follows `$ref`s
/// into nested components.
#[test]
fn response_field_made_optional_is_breaking() {
    let changes = diff("response_field_optional");
    // Spec-level, a shared component's change is found once per operation that uses it.
    assert_eq!(
        summary(&changes),
        [
            (true, Kind::RequiredChanged, "ShowNotebook response 200 .lease.duration"),
            (true, Kind::RequiredChanged, "StartNotebook response 200 .lease.duration"),
        ]
    );
    assert_eq!(changes[0].detail, "required → optional (`T` → `Option<T>`)");
}

/// Readers of a response are not affected by a field they do not know yet, required or not.
#[test]
fn new_required_response_field_is_not_breaking() {
    let changes = diff("required_response_field_added");
    assert_eq!(summary(&changes), [(false, Kind::FieldAdded, "RegisterImage response 200 .status")]);
}

/// Descriptions only reach documentation; examples are informational and kept apart.
#[test]
fn description_and_example_changes_are_not_breaking() {
    let changes = diff("docs_and_example_changed");
    assert_eq!(
        summary(&changes),
        [
            (false, Kind::DocsChanged, "RegisterImage request body .swr_path"),
            (false, Kind::ExampleChanged, "RegisterImage request example minimal"),
        ]
    );
}

/// No false positives on the real specs, with every construct they use (oneOf, maps, shared
/// components and parameters).
#[test]
fn real_specs_compared_with_themselves_have_no_changes() {
    let specs = xtask::regenerate::spec_files(&xtask::project_root()).unwrap();
    assert!(!specs.is_empty());
    for spec in specs {
        let raw = otc_codegen::load::load(&xtask::project_root().join(&spec)).unwrap().raw;
        assert_eq!(diff_specs(&raw, &raw), [], "{}", spec.display());
    }
}

/// A deleted spec file takes its whole client module with it.
#[test]
fn removed_spec_is_breaking_and_added_spec_is_not() {
    let spec = load("before");
    let removed = diff::diff_documents(Some(&spec), None);
    assert_eq!(summary(&removed), [(true, Kind::SpecRemoved, "(document)")]);
    assert!(removed[0].detail.contains("`RegisterImage`, `ShowNotebook`"), "{}", removed[0].detail);
    assert_eq!(summary(&diff::diff_documents(None, Some(&spec))), [(false, Kind::SpecAdded, "(document)")]);
}

/// Runs git in `dir`, failing the test on error.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=diff test", "-c", "user.email=diff@test.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

fn has_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: git is not installed");
    }
    found
}

/// A temporary repository with `old` committed as `specs/images.yaml` and `new` written over it.
fn repository(old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("specs")).unwrap();
    fs::write(root.join("specs/images.yaml"), old).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "specs"]);
    git(root, &["commit", "-q", "-m", "before"]);
    fs::write(root.join("specs/images.yaml"), new).unwrap();
    dir
}

/// `cargo xtask diff HEAD` from `before.yaml` to the fixture `case`: the file's diff, the
/// Markdown report and the exit code.
fn api_diff(case: &str) -> (SpecDiff, String, i32) {
    let read = |name| fs::read_to_string(fixture_path(name)).unwrap();
    let dir = repository(&read("before"), &read(case));
    let diffs = diff::compare(dir.path(), "HEAD").unwrap_or_else(|error| panic!("{error}"));
    let markdown = diff::render("HEAD", &diffs);
    let [file] = diffs.try_into().unwrap();
    (file, markdown, diff::run(dir.path(), &["HEAD"]))
}

/// `(breaking, kind, item)` of each generated-API change.
fn api_summary(diff: &SpecDiff) -> Vec<(bool, ApiKind, String)> {
    diff.changes()
        .map(|change| (change.breaking, change.kind, format!("{}{}", change.subject, change.member)))
        .collect()
}

// The generated API of both revisions, compared.

/// `True` beside `true` collides in Rust, so `colliding_enum_variants` makes the field a plain
/// `String`: the spec says "enum value added", the generated code says the enum is gone.
#[test]
fn colliding_enum_value_turns_the_enum_into_a_string_and_is_breaking() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("colliding_enum_value_added");
    assert!(diff.generated, "{markdown}");
    assert_eq!(
        api_summary(&diff),
        [(true, ApiKind::FieldChanged, "types::Image.lazyloading".to_owned())],
        "{markdown}"
    );
    let entry = &diff.api[0];
    assert!(entry.change.detail.contains("the enum `types::ImageLazyloading` became a plain `String`"), "{markdown}");
    assert_eq!(entry.spec.len(), 1, "{markdown}");
    assert_eq!(entry.spec[0].change.kind, Kind::EnumValueAdded);
    assert!(entry.spec[0].at.as_deref().is_some_and(|at| at.starts_with("specs/images.yaml:")), "{markdown}");
    assert_eq!(code, 1);
}

/// Builders leave a parameter the caller does not set unset.
#[test]
fn optional_query_parameter_added_is_not_breaking() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("optional_query_parameter_added");
    assert_eq!(api_summary(&diff), [(false, ApiKind::SetterAdded, "Client::show_notebook.fields(..)".to_owned())]);
    assert_eq!(diff.api[0].spec[0].change.kind, Kind::ParameterAdded, "{markdown}");
    assert_eq!(code, 0);
}

/// One field gone and one of the same type added in one struct: one rename, not two changes.
#[test]
fn renamed_response_field_is_one_breaking_rename() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("response_field_renamed");
    assert_eq!(api_summary(&diff), [(true, ApiKind::FieldRenamed, "types::Image.size".to_owned())], "{markdown}");
    assert!(diff.api[0].change.detail.starts_with("`.size` → `.image_size` (`Option<i32>`)"), "{markdown}");
    let kinds: Vec<Kind> = diff.api[0].spec.iter().map(|spec| spec.change.kind).collect();
    assert_eq!(kinds, [Kind::FieldRemoved, Kind::FieldAdded], "{markdown}");
    assert!(markdown.contains("field renamed: `.size` → `.image_size`"), "{markdown}");
    assert_eq!(code, 1);
}

/// A new non-`Option` field of a request type: `send()` fails until callers set it.
#[test]
fn required_request_field_added_is_breaking() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("required_request_field_added");
    assert_eq!(
        api_summary(&diff),
        [(true, ApiKind::FieldAdded, "types::RegisterImageRequest.name".to_owned())],
        "{markdown}"
    );
    assert_eq!(diff.api[0].change.used_by, ["RegisterImage"]);
    assert_eq!(code, 1);
}

/// Only read from responses: a new field, required or not, breaks no reader.
#[test]
fn required_response_field_added_is_not_breaking() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("required_response_field_added");
    assert_eq!(api_summary(&diff), [(false, ApiKind::FieldAdded, "types::Image.status".to_owned())], "{markdown}");
    assert_eq!(code, 0);
}

#[test]
fn field_type_changed_from_integer_to_string_is_breaking() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("field_type_int_to_string");
    assert_eq!(api_summary(&diff), [(true, ApiKind::FieldChanged, "types::Image.size".to_owned())], "{markdown}");
    assert_eq!(diff.api[0].change.detail, "`Option<i32>` → `Option<String>`");
    assert_eq!(diff.api[0].spec[0].change.kind, Kind::TypeChanged, "{markdown}");
    assert_eq!(code, 1);
}

/// `Lease` is in the response of two operations: its change is reported once, under the type,
/// naming both (the spec-level comparison finds it once per operation).
#[test]
fn change_to_a_type_shared_by_two_operations_is_reported_once() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("shared_type_changed");
    assert_eq!(api_summary(&diff), [(true, ApiKind::FieldChanged, "types::Lease.duration".to_owned())], "{markdown}");
    assert_eq!(diff.api[0].change.used_by, ["ShowNotebook", "StartNotebook"]);
    assert_eq!(diff.api[0].spec.len(), 1, "one spec change, not one per operation: {markdown}");
    assert!(
        markdown.contains("| ⚠ | `types::Lease.duration` (used by `ShowNotebook`, `StartNotebook`) | field type changed: `i64` → `i32` |"),
        "{markdown}"
    );
    assert_eq!(code, 1);
}

/// Open enums take values they do not know (`Unrecognized`), so a new one breaks nothing.
#[test]
fn value_added_to_an_open_enum_is_not_breaking() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("enum_value_added");
    assert_eq!(
        api_summary(&diff),
        [(false, ApiKind::VariantAdded, "types::RegisterImageRequestResourceCategoryItem::Ascend".to_owned())],
        "{markdown}"
    );
    assert!(diff.api[0].change.detail.contains("the enum is open"), "{markdown}");
    assert_eq!(code, 0);
}

/// A removed value is a removed variant.
#[test]
fn value_removed_from_an_enum_is_breaking() {
    if !has_git() {
        return;
    }
    let (diff, markdown, _) = api_diff("enum_value_removed");
    assert_eq!(
        api_summary(&diff),
        [(true, ApiKind::VariantRemoved, "types::RegisterImageRequestArch::Aarch64".to_owned())],
        "{markdown}"
    );
}

/// The builder goes; the types only it used go with it and are not listed again.
#[test]
fn removed_operation_is_breaking_in_the_generated_api() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("operation_removed");
    assert_eq!(
        api_summary(&diff),
        [(true, ApiKind::OperationRemoved, "Client::show_notebook".to_owned())],
        "{markdown}"
    );
    assert_eq!(code, 1);
}

#[test]
fn added_operation_is_not_breaking_in_the_generated_api() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("operation_added");
    assert_eq!(
        api_summary(&diff),
        [(false, ApiKind::OperationAdded, "Client::delete_notebook".to_owned())],
        "{markdown}"
    );
    assert_eq!(code, 0);
}

/// Descriptions and examples change no generated item: listed apart, never breaking.
#[test]
fn documentation_changes_are_listed_apart() {
    if !has_git() {
        return;
    }
    let (diff, markdown, code) = api_diff("docs_and_example_changed");
    assert_eq!(api_summary(&diff), []);
    assert!(markdown.contains("Other spec changes (the generated API does not change with them):"), "{markdown}");
    assert!(markdown.contains("Examples (informational"), "{markdown}");
    assert_eq!(code, 0);
}

/// End to end through git: a committed spec, edited in the working tree, compared with `HEAD`.
/// Exit codes: 1 with a breaking change, 0 without, 2 for a revision that does not exist.
#[test]
fn end_to_end_against_head_of_a_temporary_repository() {
    if !has_git() {
        return;
    }
    let read = |name| fs::read_to_string(fixture_path(name)).unwrap();
    let dir = repository(&read("before"), &read("required_request_field_added"));
    let root = dir.path();
    assert_eq!(diff::run(root, &["HEAD"]), 1);
    let markdown = diff::render("HEAD", &diff::compare(root, "HEAD").unwrap());
    assert!(markdown.contains("⚠ **1 breaking**, 0 non-breaking."), "{markdown}");
    assert!(markdown.contains("\n### specs/images.yaml\n"), "{markdown}");
    assert!(markdown.contains("| | generated API | change | spec change |"), "{markdown}");
    assert!(
        markdown.contains(
            "| ⚠ | `types::RegisterImageRequest.name` (used by `RegisterImage`) | field added: required `String`: \
             every request must now set it (`send()` fails otherwise) | field added `RegisterImage request body .name`: \
             required `string` (specs/images.yaml:"
        ),
        "{markdown}"
    );

    fs::copy(fixture_path("optional_request_field_added"), root.join("specs/images.yaml")).unwrap();
    assert_eq!(diff::run(root, &["HEAD"]), 0);
    let markdown = diff::render("HEAD", &diff::compare(root, "HEAD").unwrap());
    assert!(markdown.contains("**0 breaking**, 1 non-breaking."), "{markdown}");

    assert_eq!(diff::run(root, &["no-such-rev"]), 2);
    assert_eq!(diff::run(root, &[]), 2);
}

/// A spec at the old revision that does not load is reported with a note naming the revision
/// and the error; the command does not fail on it.
#[test]
fn unparsable_old_spec_is_a_note_naming_rev_and_file() {
    if !has_git() {
        return;
    }
    let dir = repository(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        &fs::read_to_string(fixture_path("before")).unwrap(),
    );
    let diffs = diff::compare(dir.path(), "HEAD").unwrap();
    let note = diffs[0].note.as_deref().unwrap();
    assert!(note.contains("HEAD:specs/images.yaml:1:1 #/openapi: OpenAPI 3.1.0 is not supported"), "{note}");
    assert!(diff::render("HEAD", &diffs).contains("> **Note:** The spec at `HEAD` does not load"));
    assert_eq!(diff::run(dir.path(), &["HEAD"]), 0);
}

/// An old revision that loads but does not generate (it predates a validation rule: here an
/// operation without an operationId) is compared spec-level only, with a note; its verdicts
/// come from the spec comparison.
#[test]
fn old_spec_that_does_not_generate_falls_back_to_the_spec_comparison() {
    if !has_git() {
        return;
    }
    let before = fs::read_to_string(fixture_path("before")).unwrap();
    let old = before.replace("      operationId: StartNotebook\n", "");
    let new = fs::read_to_string(fixture_path("field_removed")).unwrap();
    let dir = repository(&old, &new);
    let diffs = diff::compare(dir.path(), "HEAD").unwrap();
    let diff = &diffs[0];
    assert!(!diff.generated);
    assert!(diff.note.as_deref().unwrap().contains("The spec at `HEAD` does not generate"), "{:?}", diff.note);
    let markdown = diff::render("HEAD", &diffs);
    assert!(markdown.contains("compared spec-level only"), "{markdown}");
    assert!(markdown.contains("| ⚠ | field removed | `RegisterImage request body .description`"), "{markdown}");
    assert_eq!(diff::run(dir.path(), &["HEAD"]), 1);
}
