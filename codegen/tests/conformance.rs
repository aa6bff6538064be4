//! Documented examples conform to their schemas: the real specs pass (known contradictions are
//! accepted through their notes), and each kind of mistake in a fixture is caught.

use std::path::Path;

use otc_codegen::conformance::{Finding, Report, check};
use otc_codegen::{examples::examples, load::load};

fn check_file(path: &Path) -> (Report, usize) {
    let spec = load(path).unwrap_or_else(|error| panic!("{error}"));
    (check(&spec.raw), examples(&spec.raw).len())
}

fn spec(name: &str) -> (Report, usize) {
    check_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(name))
}

fn fixture(name: &str) -> Report {
    check_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance").join(name)).0
}

fn errors(report: &Report) -> Vec<&Finding> {
    report.errors().collect()
}

fn listed(findings: &[&Finding]) -> String {
    findings.iter().map(|finding| format!("\n  {finding}")).collect()
}

#[test]
fn modelarts_examples_conform_except_noted_contradictions() {
    let (report, count) = spec("modelarts.yaml");
    assert_eq!(report.checked, count);
    assert!(errors(&report).is_empty(), "{}", listed(&errors(&report)));
    // Every accepted finding is accepted by notes; RegisterImage's "x86_64" is one of them.
    let accepted: Vec<&Finding> = report.accepted().collect();
    assert!(accepted.iter().all(|finding| finding.accepted_by.as_ref().is_some_and(|notes| !notes.is_empty())));
    let arch = accepted
        .iter()
        .find(|finding| {
            finding.example_pointer
                == "/paths/~1v1~1{project_id}~1images/post/responses/200/content/application~1json/examples/registeredImage"
        })
        .unwrap_or_else(|| panic!("the arch contradiction is not reported: {}", listed(&accepted)));
    assert_eq!(arch.instance_path, "/arch");
    assert_eq!(arch.schema_pointer, "/components/schemas/RegisterImageResponse/properties/arch");
    assert!(arch.accepted_by.as_ref().is_some_and(|notes| notes[0].contains("\"x86_64\"")));
}

#[test]
fn ims_examples_conform_including_each_one_of_variant() {
    let (report, count) = spec("ims.yaml");
    assert_eq!(report.checked, count);
    assert!(errors(&report).is_empty(), "{}", listed(&errors(&report)));
    // ShowJob's documented examples send values outside the documented enums; the spec notes it.
    let mut accepted: Vec<(&str, &str)> =
        report.accepted().map(|finding| (finding.schema_pointer.as_str(), finding.instance_path.as_str())).collect();
    accepted.sort();
    assert_eq!(
        accepted,
        [
            ("/components/schemas/JobResult/properties/status", "/entities/results/0/status"),
            ("/components/schemas/JobResult/properties/status", "/entities/results/0/status"),
            ("/components/schemas/SubJobResult/properties/job_type", "/entities/sub_jobs_result/0/job_type"),
            ("/components/schemas/SubJobResult/properties/job_type", "/entities/sub_jobs_result/0/job_type"),
        ]
    );
}

#[test]
fn misspelled_field_is_an_error_at_the_field() {
    let report = fixture("misspelled-field.yaml");
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{}", listed(&errors));
    assert_eq!(
        errors[0].example_pointer,
        "/paths/~1v1~1images/post/requestBody/content/application~1json/examples/misspelled"
    );
    assert_eq!(errors[0].instance_path, "/swr_pth");
    assert_eq!(errors[0].schema_pointer, "/components/schemas/RegisterImageRequest");
    assert!(errors[0].to_string().contains("/swr_pth"), "{}", errors[0]);
}

#[test]
fn wrong_type_is_an_error() {
    let report = fixture("wrong-type.yaml");
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{}", listed(&errors));
    assert_eq!(errors[0].instance_path, "/data/1/version_count");
    assert_eq!(errors[0].schema_pointer, "/components/schemas/Group/properties/version_count");
    assert!(errors[0].message.contains("integer"), "{}", errors[0]);
}

#[test]
fn wrong_value_at_a_noted_node_is_accepted() {
    let report = fixture("accepted-by-note.yaml");
    assert!(errors(&report).is_empty(), "{}", listed(&errors(&report)));
    let accepted: Vec<(&str, &str)> = report
        .accepted()
        .map(|finding| (finding.instance_path.as_str(), finding.accepted_by.as_ref().unwrap()[0].as_str()))
        .collect();
    assert_eq!(
        accepted,
        [
            ("/arch", "The field table lists X86_64/AARCH64, but the example sends \"x86_64\"."),
            // The note sits on the referenced schema, not on the property.
            ("/size", "Typed Long, but the example sends a string."),
        ]
    );
}

#[test]
fn example_mixing_one_of_variants_fails_naming_each_variant() {
    let report = fixture("oneof-mixed.yaml");
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{}", listed(&errors));
    assert!(errors[0].example_pointer.ends_with("/examples/mixed"), "{}", errors[0]);
    assert_eq!(errors[0].instance_path, "");
    assert_eq!(errors[0].schema_pointer, "/components/schemas/ImportImageQuickRequest");
    let message = &errors[0].message;
    assert!(message.contains("SystemDisk: /type:"), "{message}");
    assert!(message.contains("DataDisk: /os_version: not a property the schema defines"), "{message}");
}

#[test]
fn one_of_failure_is_accepted_when_a_variant_fails_only_at_noted_nodes() {
    let report = fixture("oneof-mixed.yaml");
    let accepted: Vec<&Finding> = report.accepted().collect();
    assert_eq!(accepted.len(), 1, "{}", listed(&accepted));
    assert!(accepted[0].example_pointer.ends_with("/examples/noted_value"), "{}", accepted[0]);
    assert_eq!(
        accepted[0].accepted_by.as_deref(),
        Some(&["The example sends os_type Solaris, which is not among the documented values.".to_owned()][..])
    );
}
