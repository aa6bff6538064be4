//! `cargo xtask lint`: each rule fires on a fixture that breaks it, the real specs are clean, and
//! findings point at the right line.

use std::fs;
use std::path::{Path, PathBuf};

use xtask::lint::{self, Linted, RULES, Severity};

/// Each fixture in `tests/fixtures/lint/` and the one rule it breaks (`None`: the clean base the
/// others are edited from).
const FIXTURES: &[(&str, Option<&str>)] = &[
    ("clean.yaml", None),
    ("operation-id.yaml", Some("operation-id")),
    ("operation-summary.yaml", Some("operation-summary")),
    ("operation-tags.yaml", Some("operation-tags")),
    ("operation-reference.yaml", Some("operation-reference")),
    ("request-example.yaml", Some("request-example")),
    ("response-example.yaml", Some("response-example")),
    ("example-schema.yaml", Some("example-schema")),
    ("example-schema-schema.yaml", Some("example-schema")),
    ("example-schema-property.yaml", Some("example-schema")),
    ("example-schema-parameter.yaml", Some("example-schema")),
    ("example-schema-parameter-examples.yaml", Some("example-schema")),
    ("example-schema-header.yaml", Some("example-schema")),
    ("example-schema-component.yaml", Some("example-schema")),
    ("snake-case.yaml", Some("snake-case")),
    ("security-declared.yaml", Some("security-declared")),
    ("error-responses.yaml", Some("error-responses")),
    ("unused-component.yaml", Some("unused-component")),
    ("lint-accept.yaml", Some("lint-accept")),
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint").join(name)
}

fn lint_fixture(name: &str) -> Linted {
    lint::lint_file(&fixture(name), name).unwrap_or_else(|error| panic!("{error}"))
}

/// A rule that never fires is no rule; a fixture breaking two rules would hide which one fired.
/// Errors fail the run and warnings do not, and every finding is located exactly.
#[test]
fn each_fixture_breaks_exactly_its_rule() {
    for &(name, rule) in FIXTURES {
        let linted = lint_fixture(name);
        let rendered: Vec<String> = linted.findings.iter().map(|finding| linted.render(finding)).collect();
        let fired: Vec<&str> = linted.findings.iter().map(|finding| finding.rule).collect();
        match rule {
            None => assert!(fired.is_empty(), "{name} should lint clean:\n{}", rendered.join("\n")),
            Some(rule) => {
                assert!(
                    !fired.is_empty() && fired.iter().all(|fired| *fired == rule),
                    "{name}:\n{}",
                    rendered.join("\n")
                );
            }
        }
        for line in &rendered {
            assert!(!line.contains("(at #"), "not located exactly: {line}");
        }
        let severity = rule.map(|id| RULES.iter().find(|r| r.id == id).expect("a known rule").severity);
        let expected_exit = if severity == Some(Severity::Error) { 1 } else { 0 };
        let path = fixture(name);
        assert_eq!(lint::run(&xtask::project_root(), &[path.to_str().unwrap()]), expected_exit, "{name}");
    }
}

/// The table must not silently skip a fixture file, and every rule needs a fixture.
#[test]
fn the_table_covers_every_fixture_and_every_rule() {
    let mut files: Vec<String> = fs::read_dir(fixture(""))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|(name, _)| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed);
    for rule in RULES {
        assert!(FIXTURES.iter().any(|(_, fired)| *fired == Some(rule.id)), "no fixture for {}", rule.id);
    }
}

/// Every place an example can be written is checked against its schema: each fixture has one
/// wrong example value, reported once, as an error, at that value (line and column of the
/// fixture text).
#[test]
fn every_example_location_is_checked_at_its_value() {
    const LOCATIONS: &[(&str, &str, &str)] = &[
        ("example-schema-schema.yaml", "/components/schemas/Thing/example/colour", "64:9"),
        ("example-schema-property.yaml", "/components/schemas/Thing/properties/size/example", "65:11"),
        ("example-schema-parameter.yaml", "/paths/~1v1~1thing/put/parameters/0/example", "25:11"),
        (
            "example-schema-parameter-examples.yaml",
            "/paths/~1v1~1thing/put/parameters/0/examples/number/value",
            "31:15",
        ),
        ("example-schema-header.yaml", "/paths/~1v1~1thing/put/responses/200/headers/X-Request-Count/example", "37:15"),
        ("example-schema-component.yaml", "/components/examples/Number/value", "56:7"),
    ];
    for &(name, pointer, at) in LOCATIONS {
        let linted = lint_fixture(name);
        let rendered: Vec<String> = linted.findings.iter().map(|finding| linted.render(finding)).collect();
        assert_eq!(linted.findings.len(), 1, "{name}:\n{}", rendered.join("\n"));
        assert_eq!(linted.findings[0].pointer, pointer, "{name}");
        assert!(rendered[0].starts_with(&format!("{name}:{at} example-schema error: ")), "{}", rendered[0]);
    }
    // The messages say what is wrong with the value.
    let property = lint_fixture("example-schema-property.yaml");
    assert!(property.findings[0].message.contains("\"100GB\" is not of type \"integer\""), "{:?}", property.findings);
    let parameter = lint_fixture("example-schema-parameter.yaml");
    assert!(parameter.findings[0].message.contains("64 is not of type \"string\""), "{:?}", parameter.findings);
}

/// A note on the node holding an example (here the parameter) accepts its finding.
#[test]
fn a_note_on_the_holder_accepts_an_example_finding() {
    let text = fs::read_to_string(fixture("example-schema-parameter.yaml")).unwrap().replace(
        "          example: 64\n",
        "          example: 64\n          x-reference-notes:\n            - The page shows 64 as the example colour.\n",
    );
    let linted = lint::lint_text("specs/x.yaml", &text).unwrap();
    let rendered: Vec<String> = linted.findings.iter().map(|finding| linted.render(finding)).collect();
    assert_eq!(linted.findings.len(), 1, "{rendered:#?}");
    assert_eq!(linted.findings[0].label(), "accepted");
    assert_eq!(linted.count("error"), 0);
}

/// The example-schema fixture with an accepted snake-case exception added to Thing.
fn fixture_with_an_error_and_an_accepted_finding() -> Linted {
    let text = fs::read_to_string(fixture("example-schema.yaml")).unwrap().replace(
        "        thing_name:\n          type: string\n    ThingError:",
        "        thing_name:\n          type: string\n        thingSize:\n          type: integer\n          \
         x-lint-accept: [snake-case]\n          x-reference-notes:\n            - The page spells it in camel case.\n    \
         ThingError:",
    );
    lint::lint_text("specs/x.yaml", &text).unwrap_or_else(|error| panic!("{error}"))
}

/// Findings first, each at `file:LINE:COL`, then one count line; accepted findings (with their
/// notes) only with --verbose, after the others.
#[test]
fn report_prints_findings_first_then_one_count_line_and_accepted_only_when_verbose() {
    let linted = [fixture_with_an_error_and_an_accepted_finding()];
    let error = "specs/x.yaml:41:21 example-schema error: example value at /colour: not a property the schema \
                 defines (schema #/components/schemas/Thing)";
    assert_eq!(
        lint::report(&linted, false),
        format!("{error}\n1 error, 0 warnings, 1 accepted (--verbose lists them)\n")
    );
    assert_eq!(
        lint::report(&linted, true),
        format!(
            "{error}\nspecs/x.yaml:63:9 snake-case accepted: property name `thingSize` is not snake_case\n    \
             note: The page spells it in camel case.\n1 error, 0 warnings, 1 accepted\n"
        )
    );
}

/// The committed specs follow their own house rules; accepted exceptions are counted, and
/// listed only with --verbose, so a clean run prints one line.
#[test]
fn the_real_specs_lint_clean() {
    let root = xtask::project_root();
    assert_eq!(lint::run(&root, &[]), 0, "the specs have lint errors (see the output)");
    assert_eq!(lint::run(&root, &["--verbose"]), 0);
    let linted: Vec<Linted> = ["specs/iam.yaml", "specs/ims.yaml", "specs/modelarts.yaml"]
        .iter()
        .map(|name| lint::lint_file(&root.join(name), name).unwrap())
        .collect();
    let report = lint::report(&linted, false);
    assert_eq!(report.lines().count(), 1, "{report}");
    assert!(report.starts_with("0 errors, 0 warnings, ") && report.ends_with(" accepted (--verbose lists them)\n"));
}

/// Keys at any indentation, `- ` items (at their first character), quoted and escaped keys,
/// flow style; block scalar text is never mistaken for a key.
#[test]
fn the_locator_finds_keys_items_and_quoted_keys() {
    let text = "\
openapi: 3.0.3
info:
  description: >-
    paths: not a key
paths:
  /v1/{id}:
    get:
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/x'
      responses:
        '200':
          description: OK
        \"it's\":
          description: quoted
tags: [a, b]
";
    let locator = otc_codegen::yaml::parse(text).unwrap().locator;
    let locate = |pointer: &str| locator.position(pointer).map(|at| (at.line, at.column));
    assert_eq!(locate(""), Some((1, 1)));
    assert_eq!(locate("/paths"), Some((5, 1)));
    assert_eq!(locate("/paths/~1v1~1{id}/get"), Some((7, 5)));
    assert_eq!(locate("/paths/~1v1~1{id}/get/parameters/1"), Some((11, 11)));
    assert_eq!(locate("/paths/~1v1~1{id}/get/parameters/0/in"), Some((10, 11)));
    assert_eq!(locate("/paths/~1v1~1{id}/get/responses/200/description"), Some((14, 11)));
    assert_eq!(locate("/paths/~1v1~1{id}/get/responses/it's"), Some((15, 9)));
    assert_eq!(locate("/tags/1"), Some((17, 11)));
    assert_eq!(locate("/info/paths"), None);
    assert_eq!(locate("/paths/~1v1~1{id}/post"), None);
}

/// A missing or unparsable spec is a usage problem (exit 2) naming the file, not a lint result.
#[test]
fn unreadable_or_invalid_specs_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yaml");
    fs::write(&broken, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
    let error = lint::lint_file(&broken, "specs/broken.yaml").unwrap_err();
    assert!(error.contains("specs/broken.yaml:1:1 #/openapi: OpenAPI 3.1.0 is not supported"), "{error}");
    assert_eq!(lint::run(dir.path(), &[broken.to_str().unwrap()]), 2);
    assert_eq!(lint::run(dir.path(), &["missing.yaml"]), 2);
    assert_eq!(lint::run(dir.path(), &["--fix"]), 2);
}
