//! The bad-spec corpus: each fixture gives exactly one clear diagnostic naming the file and the
//! location, through the same entry point `cargo xtask regenerate` uses, and never panics.

use std::path::Path;

use otc_codegen::{Location, generate_file};

/// (fixture, expected location, expected words in the message)
const CASES: &[(&str, &str, &str)] = &[
    ("malformed-yaml.yaml", "3:1", "not a valid OpenAPI document"),
    ("openapi-3-1.yaml", "#/openapi", "OpenAPI 3.1.0 is not supported"),
    ("swagger-2.yaml", "#/swagger", "Swagger 2.0 documents are not supported"),
    ("missing-operation-id.yaml", "#/paths/~1v1~1images/get", "GET /v1/images has no operationId"),
    (
        "duplicate-operation-id.yaml",
        "#/paths/~1v2~1images/get/operationId",
        "operationId `ListImages` is already used at #/paths/~1v1~1images/get",
    ),
    (
        "unresolved-ref.yaml",
        "#/paths/~1v1~1images/get/responses/200/content/application~1json/schema/$ref",
        "`$ref: #/components/schemas/Missing` does not resolve",
    ),
    (
        "undeclared-path-parameter.yaml",
        "#/paths/~1v1~1{project_id}~1images~1{id}/get",
        "path parameter `{id}` of `/v1/{project_id}/images/{id}` is not declared",
    ),
    (
        "multipart-body.yaml",
        "#/paths/~1v1~1files/post/requestBody/content/multipart~1form-data",
        "`multipart/form-data` request bodies are not supported",
    ),
    (
        "two-binary-media-types.yaml",
        "#/paths/~1v1~1files/post/requestBody/content",
        "several media types needs a JSON one to send, found application/octet-stream, text/plain",
    ),
    (
        "colliding-field-names.yaml",
        "#/components/schemas/Image/properties/__os_version",
        "properties `os_version` and `__os_version` would both become the Rust field `os_version`",
    ),
    ("two-success-types.yaml", "#/paths/~1v1~1images/post/responses", "success responses have 2 distinct body types"),
    (
        "non-string-enum.yaml",
        "#/components/schemas/Image/properties/protected/enum",
        "an enum of type `boolean` is not supported",
    ),
    (
        "mixed-enum.yaml",
        "#/components/schemas/Image/properties/status/enum/1",
        "enum value 3 is not of the schema's type `string`",
    ),
];

#[test]
fn every_bad_spec_gives_one_located_error() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    for (fixture, location, words) in CASES {
        let path = fixtures.join(fixture);
        let error = generate_file(&path, fixture).expect_err(fixture);
        assert_eq!(error.diagnostics.len(), 1, "{fixture}: {error}");
        let diagnostic = &error.diagnostics[0];
        assert_eq!(diagnostic.file, path, "{fixture}");
        let shown = match &diagnostic.location {
            Location::Text { line, column } => format!("{line}:{column}"),
            other => other.to_string(),
        };
        assert_eq!(&shown, location, "{fixture}: {error}");
        assert!(diagnostic.message.contains(words), "{fixture}: {error}");
        assert!(error.to_string().starts_with(&format!("error: {}", path.display())), "{fixture}: {error}");
    }
}

#[test]
fn the_corpus_is_covered_by_the_table() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(fixtures)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(name, _, _)| (*name).to_owned()).collect();
    listed.sort();
    assert_eq!(names, listed);
}
