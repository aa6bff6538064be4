//! `cargo xtask audit --upstream DIR`: the upstream RST copy in `../shared/reference/upstream`,
//! rendered with the pinned docutils, is the rendered reference byte for byte, and the audit
//! finds the same differences from it as from the rendered pages.
//!
//! The docutils venv is installed by `cargo xtask audit --upstream` (network), not by this test:
//! without it the tests say so and pass, unless `OTC_UPSTREAM_AUDIT_REQUIRED=1` (`.ci/run` sets
//! it after its upstream audit step has installed the venv).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use xtask::audit::upstream;

/// The shared reference and the venv's Python, or `None` (with a message) where either is absent.
fn setup() -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var_os("OTC_UPSTREAM_AUDIT_REQUIRED").is_some_and(|value| value == "1");
    let reference = xtask::project_root().join("../shared/reference");
    let python = upstream::python(&xtask::project_root(), false);
    match (reference.join("upstream").is_dir(), python) {
        (true, Ok(python)) => Some((reference, python)),
        (has_reference, python) => {
            let why = if has_reference { python.unwrap_err() } else { format!("no {}", reference.display()) };
            assert!(!required, "OTC_UPSTREAM_AUDIT_REQUIRED=1 but {why}");
            eprintln!("skipped: {why}");
            None
        }
    }
}

fn manifest(path: &Path) -> Vec<Value> {
    let mut entries: Vec<Value> = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    entries.sort_by_key(|entry| (entry["service"].to_string(), entry["page"].to_string()));
    entries
}

#[test]
fn rendered_upstream_pages_are_the_reference_pages_and_manifest() {
    let Some((reference, python)) = setup() else { return };
    let out = upstream::Rendered::new().unwrap();
    upstream::render(&xtask::project_root(), &reference.join("upstream"), &out.0, &python).unwrap();
    let expected = manifest(&reference.join("manifest.json"));
    let got = manifest(&out.0.join("manifest.json"));
    assert_eq!(got.len(), expected.len());
    for (got, expected) in got.iter().zip(&expected) {
        for key in ["service", "page", "source", "commit", "title"] {
            assert_eq!(got[key], expected[key], "{key} of {}", expected["page"]);
        }
        // The two lists differ in the sample URIs some pages show beside the template (with a
        // query, or with concrete ids); coverage only asks whether a page documents an operation.
        let operations = |entry: &Value| -> Vec<String> {
            entry["operations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|operation| operation.as_str().unwrap().to_owned())
                .collect()
        };
        let (got_operations, expected_operations) = (operations(got), operations(expected));
        assert_eq!(got_operations.is_empty(), expected_operations.is_empty(), "{}", expected["page"]);
        assert!(
            expected_operations.is_empty()
                || got_operations.iter().any(|operation| expected_operations.contains(operation)),
            "{}: {got_operations:?} shares no operation with {expected_operations:?}",
            expected["page"]
        );
    }
    for entry in &expected {
        let page = Path::new(entry["service"].as_str().unwrap()).join(entry["page"].as_str().unwrap());
        let rendered = fs::read(out.0.join(&page)).unwrap();
        assert!(
            rendered == fs::read(reference.join(&page)).unwrap(),
            "{} differs from the rendered reference",
            page.display()
        );
    }
    assert_eq!(
        expected.len(),
        upstream::lock(&xtask::project_root()).unwrap().iter().map(|r| r.pages.len()).sum::<usize>()
    );
}

#[test]
fn the_audit_from_upstream_finds_what_the_rendered_pages_show() {
    let Some((reference, _)) = setup() else { return };
    // The rendered pages without the seeds: upstream has no seeds (they are doc-exports captures).
    let rendered = tempfile::tempdir().unwrap();
    for service in ["modelarts", "ims", "iam"] {
        fs::create_dir(rendered.path().join(service)).unwrap();
        for file in fs::read_dir(reference.join(service)).unwrap() {
            let file = file.unwrap().path();
            fs::copy(&file, rendered.path().join(service).join(file.file_name().unwrap())).unwrap();
        }
    }
    fs::copy(reference.join("manifest.json"), rendered.path().join("manifest.json")).unwrap();
    // The workflow's form: the Markdown report with the full per-operation report collapsed.
    let audit = |option: &str, dir: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["audit", "--format", "markdown", "--verbose", option])
            .arg(dir)
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8(output.stdout).unwrap())
    };
    let from_upstream = audit("--upstream", &reference.join("upstream"));
    let from_pages = audit("--reference", rendered.path());
    assert_eq!(from_upstream, from_pages);
    let report = from_upstream.1;
    for spec in ["specs/modelarts.yaml", "specs/ims.yaml", "specs/iam.yaml"] {
        assert!(report.contains(spec), "the report covers {spec}");
    }
    assert!(report.contains("## Coverage of the reference"), "the coverage of the manifest is reported:\n{report}");
}

#[test]
fn a_missing_checkout_names_the_repository_and_commit_to_clone() {
    let empty = tempfile::tempdir().unwrap();
    let out = upstream::Rendered::new().unwrap();
    let error =
        upstream::render(&xtask::project_root(), empty.path(), &out.0, Path::new("/nonexistent/python")).unwrap_err();
    let modelarts = &upstream::lock(&xtask::project_root()).unwrap()[0];
    assert!(error.contains(&format!("clone {} at {}", modelarts.repository, modelarts.commit)), "{error}");
}
