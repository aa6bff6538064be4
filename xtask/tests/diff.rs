//! `cargo xtask diff`: each kind of spec change is found and classified as breaking or not for a
//! user of the generated client, and the command reads old specs from git and reports Markdown.
//!
//! Every fixture in `tests/fixtures/diff/` is `before.yaml` with one change.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use xtask::diff::{self, Change, Kind, diff_specs};

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
    assert_eq!(summary(&changes), [(true, Kind::RequiredChanged, "ShowNotebook response 200 .lease.duration")]);
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

/// End to end through git: a committed spec, edited in the working tree, compared with `HEAD`.
/// Exit codes: 1 with a breaking change, 0 without, 2 for a revision that does not exist.
#[test]
fn end_to_end_against_head_of_a_temporary_repository() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("specs")).unwrap();
    let spec = root.join("specs/images.yaml");
    fs::copy(fixture_path("before"), &spec).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "specs"]);
    git(root, &["commit", "-q", "-m", "before"]);

    fs::copy(fixture_path("required_request_field_added"), &spec).unwrap();
    assert_eq!(diff::run(root, &["HEAD"]), 1);
    let markdown = diff::render("HEAD", &diff::compare(root, "HEAD").unwrap());
    assert!(markdown.contains("⚠ **1 breaking**, 0 non-breaking."), "{markdown}");
    assert!(markdown.contains("\n### specs/images.yaml\n"), "{markdown}");
    assert!(markdown.contains("| | change | where | detail |"), "{markdown}");
    assert!(
        markdown.contains("| ⚠ | field added | `RegisterImage request body .name` | required `string` |"),
        "{markdown}"
    );

    fs::copy(fixture_path("optional_request_field_added"), &spec).unwrap();
    assert_eq!(diff::run(root, &["HEAD"]), 0);
    let markdown = diff::render("HEAD", &diff::compare(root, "HEAD").unwrap());
    assert!(markdown.contains("**0 breaking**, 1 non-breaking."), "{markdown}");

    assert_eq!(diff::run(root, &["no-such-rev"]), 2);
    assert_eq!(diff::run(root, &[]), 2);
}

/// A spec at the old revision that does not parse is an error naming the revision and file.
#[test]
fn unparsable_old_spec_is_an_error_naming_rev_and_file() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("specs")).unwrap();
    fs::write(root.join("specs/images.yaml"), "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "specs"]);
    git(root, &["commit", "-q", "-m", "broken"]);
    fs::copy(fixture_path("before"), root.join("specs/images.yaml")).unwrap();

    let error = diff::compare(root, "HEAD").unwrap_err();
    assert!(error.contains("HEAD:specs/images.yaml:1:1 #/openapi: OpenAPI 3.1.0 is not supported"), "{error}");
    assert_eq!(diff::run(root, &["HEAD"]), 2);
}
