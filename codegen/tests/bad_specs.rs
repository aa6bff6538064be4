//! The bad-spec corpus: each fixture gives exactly one clear diagnostic naming the file, the
//! line and column, and the node's JSON pointer when there is one, through the same entry point
//! `cargo xtask regenerate` uses, and never panics.

use std::path::Path;

use otc_codegen::generate_file;

/// (fixture, expected `LINE:COL` or `LINE:COL #pointer`, expected words in the message)
const CASES: &[(&str, &str, &str)] = &[
    ("malformed-yaml.yaml", "2:7", "inside this flow collection: is its closing bracket missing?"),
    ("not-utf8.yaml", "4:6", "not UTF-8: invalid byte 0xe9 at byte offset"),
    ("second-document.yaml", "4:1", "a spec is one YAML document; a second one starts here"),
    ("custom-tag.yaml", "2:29", "the tag `!include` is not supported"),
    ("openapi-3-1.yaml", "1:1 #/openapi", "OpenAPI 3.1.0 is not supported"),
    ("swagger-2.yaml", "1:1 #/swagger", "Swagger 2.0 documents are not supported"),
    (
        "typed-model-error.yaml",
        "7:7 #/paths/~1v1~1images/get/responses",
        "not a valid OpenAPI document: invalid type: integer `5`",
    ),
    (
        "duplicate-key-in-operation.yaml",
        "8:7 #/paths/~1v1~1images/get/operationId",
        "duplicate key `operationId` (first at 6:7)",
    ),
    (
        "duplicate-key-in-schema.yaml",
        "11:9 #/components/schemas/Image/properties/name",
        "duplicate key `name` (first at 9:9)",
    ),
    (
        "duplicate-key-in-parameter.yaml",
        "11:11 #/paths/~1v1~1images/get/parameters/0/in",
        "duplicate key `in` (first at 9:11)",
    ),
    (
        "duplicate-key-in-response.yaml",
        "10:11 #/paths/~1v1~1images/get/responses/200/description",
        "duplicate key `description` (first at 9:11)",
    ),
    (
        "shared-type-incompatible-members.yaml",
        "15:16 #/components/schemas/ListImagesImage/properties/size/type",
        "type \"string\" here, type \"integer\" in another member of its shared type",
    ),
    (
        "shared-type-name-taken.yaml",
        "9:7 #/components/schemas/ShowImageResponse/x-otc-type-name",
        "`Image` is already the name of a component schema",
    ),
    ("duplicate-path.yaml", "8:3 #/paths/~1v1~1images", "duplicate key `/v1/images` (first at 4:3)"),
    ("missing-operation-id.yaml", "5:5 #/paths/~1v1~1images/get", "GET /v1/images has no operationId"),
    (
        "duplicate-operation-id.yaml",
        "10:7 #/paths/~1v2~1images/get/operationId",
        "operationId `ListImages` is already used at #/paths/~1v1~1images/get",
    ),
    (
        "unresolved-ref.yaml",
        "12:24 #/paths/~1v1~1images/get/responses/200/content/application~1json/schema/$ref",
        "`$ref: #/components/schemas/Missing` does not resolve",
    ),
    (
        "undeclared-path-parameter.yaml",
        "5:5 #/paths/~1v1~1{project_id}~1images~1{id}/get",
        "path parameter `{id}` of `/v1/{project_id}/images/{id}` is not declared",
    ),
    (
        "multipart-body.yaml",
        "9:11 #/paths/~1v1~1files/post/requestBody/content/multipart~1form-data",
        "`multipart/form-data` request bodies are not supported",
    ),
    (
        "two-binary-media-types.yaml",
        "8:9 #/paths/~1v1~1files/post/requestBody/content",
        "several media types needs a JSON one to send, found application/octet-stream, text/plain",
    ),
    (
        "colliding-field-names.yaml",
        "10:9 #/components/schemas/Image/properties/__os_version",
        "properties `os_version` and `__os_version` would both become the Rust field `os_version`",
    ),
    (
        "two-success-types.yaml",
        "7:7 #/paths/~1v1~1images/post/responses",
        "success responses have 2 distinct body types",
    ),
    (
        "non-string-enum.yaml",
        "9:36 #/components/schemas/Image/properties/protected/enum",
        "an enum of type `boolean` is not supported",
    ),
    (
        "mixed-enum.yaml",
        "9:47 #/components/schemas/Image/properties/status/enum/1",
        "enum value 3 is not of the schema's type `string`",
    ),
    (
        "unrecognized-enum-value.yaml",
        "9:47 #/components/schemas/Image/properties/status/enum/1",
        "would become the variant `Unrecognized`",
    ),
    (
        "self-referential-all-of.yaml",
        "8:11 #/components/schemas/Image/allOf/0/$ref",
        "the schema includes itself through `allOf`",
    ),
    ("ref-cycle.yaml", "9:7 #/components/schemas/Picture/$ref", "`$ref` cycle with no property or item in between"),
    (
        "colliding-operation-ids.yaml",
        "14:7 #/paths/~1v2~1things~1{id}/get/operationId",
        "and `showThing` would both become the builder method `show_thing`",
    ),
    (
        "colliding-schema-names.yaml",
        "7:5 #/components/schemas/ImageInfo",
        "schemas `image_info` and `ImageInfo` would both become the type `ImageInfo`",
    ),
    ("path-and-query-parameter.yaml", "9:11 #/paths/~1v1~1images~1{id}/get/parameters/1", "path parameter `id`"),
    (
        "colliding-parameter-setters.yaml",
        "9:11 #/paths/~1v1~1images/get/parameters/1",
        "would both become the builder setter `page_size`",
    ),
    (
        "operation-named-like-a-client-method.yaml",
        "6:7 #/paths/~1v1~1clients/get/operationId",
        "would become `Client::client`",
    ),
    (
        "unknown-type.yaml",
        "9:16 #/components/schemas/Image/properties/size/type",
        "`type: \"long\"` is not an OpenAPI 3.0 type",
    ),
    (
        "format-without-type.yaml",
        "11:11 #/components/schemas/Image/properties/size/format",
        "`format` needs a `type` beside it",
    ),
    (
        "schema-ref-to-a-response.yaml",
        "11:17 #/components/schemas/Image/properties/error/$ref",
        "this `$ref` must name one of `#/components/schemas/…`, not `#/components/responses/NotFound`",
    ),
    (
        "inline-body-named-like-a-component.yaml",
        "11:13 #/paths/~1v1~1things/post/requestBody/content/application~1json/schema",
        "this inline schema would be the type `CreateThingBody`, which is the name of #/components/schemas/CreateThingBody",
    ),
    (
        "inline-enum-named-like-a-component.yaml",
        "9:9 #/components/schemas/Thing/properties/status",
        "this inline schema would be the type `ThingStatus`",
    ),
];

#[test]
fn every_bad_spec_gives_one_located_error() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut wrong = Vec::new();
    for (fixture, location, words) in CASES {
        let path = fixtures.join(fixture);
        let error = generate_file(&path, fixture).expect_err(fixture);
        let diagnostic = &error.diagnostics[0];
        let shown = diagnostic.location.to_string();
        let prefix = format!("error: {}:{shown}", path.display());
        if error.diagnostics.len() != 1
            || diagnostic.file != path
            || shown != *location
            || !diagnostic.message.contains(words)
            || !error.to_string().starts_with(&prefix)
        {
            wrong.push(format!("{fixture}: expected {location} `{words}`, got {shown}: {error}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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
