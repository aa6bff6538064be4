//! `cargo xtask audit`: the page parser on snippets of both HTML flavours, each kind of
//! difference on the fixture pair in `tests/fixtures/audit/`, and the real specs against
//! `../shared/reference` (skipped when that folder is absent).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use xtask::audit::page::{Direction, Field};
use xtask::audit::{self, Kind, Page, SpecAudit};

// ---------------------------------------------------------------------------------------------
// Parser: doc-exports seeds (page-capture noise, h4 sections, `Table N ` captions)

const SEED: &str = r##"doc-exports/docs/modelarts/api-ref/ListImageGroup.html
2025-05-09 10:22:58 +00:00
263 lines
<a name="EN-US_TOPIC_1"></a>
|
|
<h1 class="topictitle1">Obtaining User Image Groups</h1>
<div class="section"><h4 class="sectiontitle">URI</h4><p>GET /v1/{project_id}/images/group</p>
<div class="tablenoborder"><table><caption><b>Table 2 </b>Query Parameters</caption>
<thead align="left"><tr><th><p>Parameter</p></th>
|
|
<th><p>Mandatory</p></th><th><p>Type</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>type</p></td><td><p>No</p></td><td><p>String</p></td>
<td><p>Image type. Enums:</p>
|
|
<ul><li><p><a name="li1"></a><strong>BUILD_IN</strong>: built-in system image</p>
</li><li><p><a name="li2"></a><strong>DEDICATED</strong>: image you have saved</p></li></ul></td></tr>
</tbody></table></div></div>
<div class="section"><h4 class="sectiontitle">Response Parameters</h4><p><strong>Status code: 200</strong></p>
<div class="tablenoborder"><table><caption><b>Table 3 </b>Response body parameters</caption>
<thead><tr><th><p>Parameter</p></th><th><p>Type</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>data</p></td><td><p><a href="#x">ImageGroup</a> objects</p></td><td><p>Data.</p></td></tr>
<tr><td><p>total</p></td><td><p>Long</p></td><td><p>Total.</p></td></tr></tbody></table></div>
<div class="tablenoborder"><table><caption><b>Table 4 </b>ImageGroup</caption>
<thead><tr><th><p>Parameter</p></th><th><p>Type</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>name</p></td><td><p>String</p></td><td><p>The image name.</p></td></tr></tbody></table></div>
</div>
<div class="section"><h4 class="sectiontitle">Example Responses</h4><p><strong>Status code: 200</strong></p>
<pre class="screen">{
|
|
"total" : 3
}</pre></div>
<div class="section"><h4 class="sectiontitle">Status Codes</h4>
<div class="tablenoborder"><table><thead><tr><th><p>Status Code</p></th><th><p>Description</p></th></tr></thead>
<tbody><tr><td><p>200</p></td><td><p>OK</p></td></tr><tr><td><p>401</p></td><td><p>Unauthorized</p></td></tr>
</tbody></table></div></div>
"##;

#[test]
fn seed_page_drops_capture_noise_and_reads_title_and_uri() {
    let page = Page::parse(SEED);
    assert_eq!(page.title, "Obtaining User Image Groups");
    assert_eq!(page.operations, [("GET".to_owned(), "/v1/{project_id}/images/group".to_owned())]);
}

#[test]
fn seed_page_reads_captioned_query_response_and_nested_tables() {
    let page = Page::parse(SEED);
    assert_eq!(page.query_parameters.len(), 1);
    let query = &page.query_parameters[0];
    assert_eq!((query.name.as_str(), query.mandatory, query.ty.as_str()), ("type", Some(false), "String"));
    assert_eq!(query.enums, ["BUILD_IN", "DEDICATED"]);
    let (status, response) = &page.responses[0];
    assert_eq!(*status, Some(200));
    assert_eq!(names(&response.fields), ["data", "total"]);
    assert_eq!(response.fields[0].ty, "ImageGroup objects");
    assert_eq!(page.objects.len(), 1);
    assert_eq!(page.objects[0].label, "ImageGroup");
    assert_eq!(names(&page.objects[0].fields), ["name"]);
}

#[test]
fn seed_page_reads_status_code_table_and_example_with_stray_bars() {
    let page = Page::parse(SEED);
    assert_eq!(page.status_codes, [200, 401]);
    assert_eq!(page.examples.len(), 1);
    assert_eq!(page.examples[0].direction, Direction::Response);
    assert_eq!(page.examples[0].status, Some(200));
    assert_eq!(page.examples[0].value, json!({"total": 3}));
}

#[test]
fn seed_example_table_ignores_the_line_number_column_and_strips_the_request_line() {
    let html = r#"<h1>T</h1><div class="section"><h4 class="sectiontitle">Example Request</h4>
<ul><li>Creating an image<div class="codecoloring"><div class="highlight"><table class="highlighttable"><tr>
<td class="linenos"><div class="linenodiv"><pre><span class="normal">1</span>
<span class="normal">2</span></pre></div></td><td class="code"><div><pre><span class="n">POST</span><span class="w"> </span><span class="n">https</span><span class="p">:</span><span class="c1">//{Endpoint}/v2/cloudimages/quickimport/action</span>
<span class="p">{</span><span class="s">&quot;name&quot;</span><span class="p">:</span> <span class="s">&quot;a&quot;</span><span class="p">}</span>
</pre></div></td></tr></table></div></div></li></ul></div>"#;
    let page = Page::parse(html);
    assert_eq!(page.examples.len(), 1, "{page:#?}");
    assert_eq!(page.examples[0].direction, Direction::Request);
    assert_eq!(page.examples[0].label, "Creating an image");
    assert_eq!(page.examples[0].value, json!({"name": "a"}));
}

#[test]
fn a_request_line_without_body_is_no_example() {
    let html = r#"<h4 class="sectiontitle">Example Requests</h4><pre class="screen">GET https://{endpoint}/v1/{project_id}/notebooks/{id}</pre>"#;
    assert!(Page::parse(html).examples.is_empty());
}

#[test]
fn an_example_that_is_no_json_becomes_a_note() {
    let html = r#"<h2>Example Responses</h2><pre>{"a": 1,}</pre>"#;
    let page = Page::parse(html);
    assert!(page.examples.is_empty());
    assert!(page.notes[0].contains("is not JSON"), "{:?}", page.notes);
}

// ---------------------------------------------------------------------------------------------
// Parser: docutils renderings (h2 sections, IMS bulleted sections with uncaptioned tables)

/// The IMS quick-import shape: two alternative request tables, a response table, a nested
/// "Data structure" table, a `STATUS CODE` line before the example, and Returned Values.
const IMS: &str = r#"<!DOCTYPE html><html><head><title>Importing</title></head><body><main>
<h1 class="title">Importing an Image File Quickly</h1>
<section><h2>URI</h2><p>POST /v2/cloudimages/quickimport/action</p></section>
<section><h2>Request</h2><ul>
<li><p>Parameters in the request body when an image file is used to create a system disk image</p>
<table><thead><tr><th class="head"><p>Parameter</p></th><th class="head"><p>Mandatory</p></th>
<th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>os_version</p></td><td><p>Yes</p></td><td><p>String</p></td><td><p>OS version.</p></td></tr>
<tr><td><p>image_tags</p></td><td><p>No</p></td><td><p>Array of objects</p></td><td><p>Tags.</p></td></tr>
<tr><td><p>architecture</p></td><td><p>No</p></td><td><p>String</p></td>
<td><p>Specifies the image architecture type. Available values include:</p>
<ul class="simple"><li><p>x86</p></li><li><p>arm</p></li></ul><p>The default value is x86.</p></td></tr>
</tbody></table></li>
<li><p>Parameters description when an image file uploaded to the OBS bucket is used to create an image</p>
<table><thead><tr><th class="head"><p>Parameter</p></th><th class="head"><p>Mandatory</p></th>
<th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>os_type</p></td><td><p>No</p></td><td><p>String</p></td>
<td><p>Specifies the OS version.</p><p>When a data disk image created, the value can be Linux or Windows. The default is Linux.</p></td></tr>
</tbody></table>
<table><caption><strong>Table 1</strong> Data structure of the image_tags field</caption>
<thead><tr><th class="head"><p>Parameter</p></th><th class="head"><p>Mandatory</p></th>
<th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>key</p></td><td><p>Yes</p></td><td><p>String</p></td><td><p>Tag key.</p></td></tr></tbody></table>
</li></ul></section>
<section><h2>Response</h2><ul>
<li><p>Response parameters</p>
<table><thead><tr><th class="head"><p>Parameter</p></th><th class="head"><p>Type</p></th>
<th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>job_id</p></td><td><p>String</p></td><td><p>Job ID.</p></td></tr></tbody></table></li>
<li><p>Example response</p>
<pre class="code text literal-block"><code>STATUS CODE 200</code></pre>
<pre class="literal-block">{
    &quot;job_id&quot;: &quot;8a12&quot;
}</pre></li></ul></section>
<section><h2>Returned Values</h2><ul>
<li><p>Normal</p><p>200</p></li>
<li><p>Abnormal</p>
<table><thead><tr><th class="head"><p>Returned Value</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>400 Bad Request</p></td><td><p>Request error.</p></td></tr>
<tr><td><p>503 Service Unavailable</p></td><td><p>Unavailable.</p></td></tr></tbody></table></li></ul></section>
</main></body></html>"#;

#[test]
fn ims_page_reads_alternative_request_tables_from_bulleted_sections() {
    let page = Page::parse(IMS);
    assert_eq!(page.title, "Importing an Image File Quickly");
    assert_eq!(page.request_bodies.len(), 2);
    assert!(page.request_bodies[0].label.starts_with("Parameters in the request body when"));
    assert_eq!(names(&page.request_bodies[0].fields), ["os_version", "image_tags", "architecture"]);
    assert_eq!(names(&page.request_bodies[1].fields), ["os_type"]);
    assert_eq!(page.responses.len(), 1);
    assert_eq!(page.responses[0].0, None);
    assert_eq!(names(&page.responses[0].1.fields), ["job_id"]);
}

#[test]
fn ims_data_structure_tables_are_keyed_by_field_name() {
    let page = Page::parse(IMS);
    assert_eq!(page.objects.len(), 1);
    assert_eq!(page.objects[0].label, "image_tags");
    assert_eq!(page.object(None, "image_tags").map(|table| names(&table.fields)), Some(vec!["key"]));
}

#[test]
fn ims_returned_values_give_normal_and_abnormal_codes() {
    assert_eq!(Page::parse(IMS).status_codes, [200, 400, 503]);
}

#[test]
fn ims_status_code_block_sets_the_status_of_the_next_example() {
    let page = Page::parse(IMS);
    assert_eq!(page.examples.len(), 1);
    assert_eq!(page.examples[0].status, Some(200));
    assert_eq!(page.examples[0].label, "Example response");
    assert_eq!(page.examples[0].value, json!({"job_id": "8a12"}));
}

#[test]
fn enum_values_from_bare_list_items_and_from_prose() {
    let page = Page::parse(IMS);
    assert_eq!(page.request_bodies[0].fields[2].enums, ["x86", "arm"]);
    assert_eq!(page.request_bodies[1].fields[0].enums, ["Linux", "Windows"]);
    assert!(page.request_bodies[0].fields[0].enums.is_empty());
}

#[test]
fn rendered_page_reads_captions_and_nested_tables_by_dotted_path() {
    let html = r#"<h1 class="title">Obtaining a Token</h1>
<section><h2>URI</h2><p>POST /v3/auth/tokens</p>
<table><caption><strong>Table 1</strong> Query parameters</caption><thead><tr><th class="head"><p>Parameter</p></th>
<th class="head"><p>Mandatory</p></th><th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>nocatalog</p></td><td><p>No</p></td><td><p>String</p></td><td><p>Skip the catalog.</p></td></tr></tbody></table></section>
<section><h2>Request Parameters</h2><ul>
<li><p>Parameters in the request header</p><table><thead><tr><th class="head"><p>Parameter</p></th>
<th class="head"><p>Mandatory</p></th><th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>Content-Type</p></td><td><p>Yes</p></td><td><p>String</p></td><td><p>JSON.</p></td></tr></tbody></table></li>
<li><p>Parameters in the request body</p><table><thead><tr><th class="head"><p>Parameter</p></th>
<th class="head"><p>Mandatory</p></th><th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>auth</p></td><td><p>Yes</p></td><td><p>Object</p></td><td><p>Authentication.</p></td></tr></tbody></table></li>
<li><p>auth.identity</p><table><thead><tr><th class="head"><p>Parameter</p></th>
<th class="head"><p>Mandatory</p></th><th class="head"><p>Type</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>methods</p></td><td><p>Yes</p></td><td><p>Array of strings</p></td><td><p>Methods.</p></td></tr></tbody></table></li>
</ul></section>"#;
    let page = Page::parse(html);
    assert_eq!(names(&page.query_parameters), ["nocatalog"]);
    assert_eq!(page.request_bodies.len(), 1, "the header table is not a body");
    assert_eq!(names(&page.request_bodies[0].fields), ["auth"]);
    assert_eq!(page.object(None, "auth.identity").map(|table| table.fields.len()), Some(1));
}

#[test]
fn generic_uri_table_splits_path_and_query_parameters_by_the_template() {
    let html = r#"<h2>URI</h2><p>GET /v1/{project_id}/jobs/{job_id}</p>
<table><caption><strong>Table 1</strong> Parameter description</caption><thead><tr><th class="head"><p>Parameter</p></th>
<th class="head"><p>Mandatory</p></th><th class="head"><p>Description</p></th></tr></thead>
<tbody><tr><td><p>job_id</p></td><td><p>Yes</p></td><td><p>Job ID.</p></td></tr>
<tr><td><p>limit</p></td><td><p>No</p></td><td><p>Page size.</p></td></tr></tbody></table>"#;
    let page = Page::parse(html);
    assert_eq!(names(&page.path_parameters), ["job_id"]);
    assert_eq!(names(&page.query_parameters), ["limit"]);
    assert_eq!(page.path_parameters[0].ty, "", "no Type column");
}

/// A one-row request table whose Description cell is `description`.
fn described(description: &str) -> Field {
    let html = format!(
        "<h2>Request Parameters</h2><table><caption><strong>Table 2</strong> Request body parameters</caption>\
         <thead><tr><th><p>Parameter</p></th><th><p>Mandatory</p></th><th><p>Type</p></th><th><p>Description</p></th></tr>\
         </thead><tbody><tr><td><p>f</p></td><td><p>No</p></td><td><p>String</p></td><td>{description}</td></tr></tbody></table>"
    );
    Page::parse(&html).request_bodies.remove(0).fields.remove(0)
}

#[test]
fn enum_values_after_an_enums_marker_in_list_items() {
    let field = described(
        "<p>Processor architecture. Enums:</p><ul><li><p><strong>X86_64</strong>: x86</p></li>\
         <li><p>AARCH64: Arm</p></li></ul>",
    );
    assert_eq!(field.enums, ["X86_64", "AARCH64"]);
    assert_eq!(field.description, "Processor architecture. Enums: X86_64: x86 AARCH64: Arm");
}

#[test]
fn enum_values_after_an_options_marker_in_paragraphs() {
    let field = described(
        "<p>Charged resource. Options:</p><p>STORAGE: Storage.</p><p>ALL: all types</p><p>Default value:</p><p>ALL</p>",
    );
    assert_eq!(field.enums, ["STORAGE", "ALL"]);
}

#[test]
fn enum_values_from_the_value_can_be_prose() {
    let field = described("<p>Image format. The value can be zvhd2, vhd, raw, or qcow2. The default is zvhd2.</p>");
    assert_eq!(field.enums, ["zvhd2", "vhd", "raw", "qcow2"]);
}

#[test]
fn lists_of_sentences_conditions_or_examples_are_no_enums() {
    let sentences = described("<ul><li>If the value is 0, the default project.</li><li>Else a UUID.</li></ul>");
    assert!(sentences.enums.is_empty());
    let condition = described(
        "<p>Returned only when the value of job_type is one of the following:</p><ul><li>imsA</li><li>imsB</li></ul>",
    );
    assert!(condition.enums.is_empty());
    let examples = described("<p>The following flavors are for reference only.</p><ul><li>cpu.2u: small</li></ul>");
    assert!(examples.enums.is_empty());
    let one_of =
        described("<p>The value can be one of the following:</p><ul><li>queued: new</li><li>active: ok</li></ul>");
    assert_eq!(one_of.enums, ["queued", "active"]);
}

// ---------------------------------------------------------------------------------------------
// Comparison on the fixture pair: tests/fixtures/audit/{widgets.yaml, reference/}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

fn fixture_spec() -> Value {
    serde_yaml::from_str(&fs::read_to_string(fixtures().join("widgets.yaml")).unwrap()).unwrap()
}

fn audit_of(spec: &Value) -> SpecAudit {
    let audit = audit::audit_document("widgets.yaml", "widgets", spec, &fixtures().join("reference"));
    assert!(audit.errors.is_empty(), "{:?}", audit.errors);
    audit
}

/// The unaccepted differences as (kind, where) pairs.
fn failing(spec: &Value) -> Vec<(Kind, String)> {
    audit_of(spec).differences().filter(|d| !d.is_accepted()).map(|d| (d.kind, d.location.clone())).collect()
}

fn node<'a>(spec: &'a mut Value, pointer: &str) -> &'a mut Value {
    spec.pointer_mut(pointer).unwrap_or_else(|| panic!("fixture has {pointer}"))
}

#[test]
fn fixture_spec_matches_its_pages() {
    let audit = audit_of(&fixture_spec());
    let differences: Vec<_> = audit.differences().collect();
    assert!(differences.is_empty(), "{differences:#?}");
    let pages: Vec<_> = audit.operations.iter().map(|operation| operation.page.clone().unwrap()).collect();
    // Operations come in document order, GET before POST within a path item.
    assert_eq!(pages, ["widgets/en-us_topic_0000000002.html", "seeds/widgets-CreateWidget.html"]);
}

#[test]
fn detects_a_missing_field() {
    let mut spec = fixture_spec();
    node(&mut spec, "/components/schemas/CreateWidgetRequest/properties").as_object_mut().unwrap().remove("size");
    assert_eq!(failing(&spec), [(Kind::MissingField, "CreateWidgetRequest.size".to_owned())]);
}

#[test]
fn detects_an_extra_field_in_a_nested_object() {
    let mut spec = fixture_spec();
    node(&mut spec, "/components/schemas/WidgetSpec/properties")["width"] =
        json!({"type": "integer", "format": "int32"});
    assert_eq!(failing(&spec), [(Kind::ExtraField, "WidgetSpec.width".to_owned())]);
}

#[test]
fn detects_a_type_mismatch() {
    let mut spec = fixture_spec();
    *node(&mut spec, "/components/schemas/CreateWidgetResponse/properties/created_at/format") = json!("int32");
    assert_eq!(failing(&spec), [(Kind::Type, "CreateWidgetResponse.created_at".to_owned())]);
}

#[test]
fn detects_a_type_mismatch_of_a_query_parameter() {
    let mut spec = fixture_spec();
    *node(&mut spec, "/paths/~1v1~1{project_id}~1widgets/get/parameters/1/schema") = json!({"type": "string"});
    assert_eq!(failing(&spec), [(Kind::Type, "query parameter `limit`".to_owned())]);
}

#[test]
fn detects_a_required_mismatch() {
    let mut spec = fixture_spec();
    *node(&mut spec, "/components/schemas/WidgetSpec/required") = json!(["depth", "shape"]);
    assert_eq!(failing(&spec), [(Kind::Required, "WidgetSpec.shape".to_owned())]);
}

#[test]
fn detects_a_missing_enum_value() {
    let mut spec = fixture_spec();
    *node(&mut spec, "/components/schemas/CreateWidgetRequest/properties/color/enum") = json!(["RED"]);
    assert_eq!(failing(&spec), [(Kind::MissingEnumValue, "CreateWidgetRequest.color".to_owned())]);
}

#[test]
fn detects_an_extra_enum_value() {
    let mut spec = fixture_spec();
    *node(&mut spec, "/components/schemas/Widget/properties/state/enum") = json!(["ready", "broken", "gone", "lost"]);
    let audit = audit_of(&spec);
    let difference = audit.differences().next().unwrap();
    assert_eq!((difference.kind, difference.location.as_str()), (Kind::ExtraEnumValue, "Widget.state"));
    assert_eq!(difference.spec, "`lost`");
    assert_eq!(audit.unaccepted(), 1);
}

#[test]
fn detects_an_extra_enum_value_against_a_prose_value_list() {
    let mut spec = fixture_spec();
    *node(&mut spec, "/paths/~1v1~1{project_id}~1widgets/get/parameters/0/schema/enum") = json!(["ready", "new"]);
    let found = failing(&spec);
    assert!(found.contains(&(Kind::MissingEnumValue, "query parameter `state`".to_owned())), "{found:?}");
    assert!(found.contains(&(Kind::ExtraEnumValue, "query parameter `state`".to_owned())), "{found:?}");
}

#[test]
fn detects_a_title_that_is_not_the_page_title() {
    let mut spec = fixture_spec();
    *node(&mut spec, "/paths/~1v1~1{project_id}~1widgets/post/externalDocs/description") = json!("Create a Widget");
    assert_eq!(failing(&spec), [(Kind::Title, "externalDocs.description".to_owned())]);
}

#[test]
fn detects_a_missing_status_code() {
    let mut spec = fixture_spec();
    node(&mut spec, "/paths/~1v1~1{project_id}~1widgets/get/responses").as_object_mut().unwrap().remove("404");
    assert_eq!(failing(&spec), [(Kind::MissingStatusCode, "response 404".to_owned())]);
}

#[test]
fn detects_an_extra_status_code() {
    let mut spec = fixture_spec();
    node(&mut spec, "/paths/~1v1~1{project_id}~1widgets/post/responses")["409"] =
        json!({"$ref": "#/components/responses/Error"});
    assert_eq!(failing(&spec), [(Kind::ExtraStatusCode, "response 409".to_owned())]);
}

#[test]
fn detects_an_example_that_is_not_equal() {
    let mut spec = fixture_spec();
    let example = "/paths/~1v1~1{project_id}~1widgets/post/requestBody/content/application~1json/examples/red/value";
    *node(&mut spec, &format!("{example}/spec/depth")) = json!(13);
    let audit = audit_of(&spec);
    let difference = audit.differences().next().unwrap();
    assert_eq!((difference.kind, difference.location.as_str()), (Kind::ExampleNotEqual, "request example `red`"));
    assert_eq!(difference.reference, "`/spec/depth`: `12`");
    assert_eq!(difference.spec, "`/spec/depth`: `13`");
}

#[test]
fn key_order_of_examples_is_free() {
    let mut spec = fixture_spec();
    let example = "/paths/~1v1~1{project_id}~1widgets/post/responses/200/content/application~1json/examples/created";
    *node(&mut spec, &format!("{example}/value")) =
        json!({"tags": ["blue"], "created_at": 1671708630448u64, "id": "a1b2"});
    assert!(failing(&spec).is_empty());
}

#[test]
fn detects_a_missing_example_and_a_missing_parameter() {
    let mut spec = fixture_spec();
    let content = "/paths/~1v1~1{project_id}~1widgets/get/responses/200/content/application~1json";
    node(&mut spec, content).as_object_mut().unwrap().remove("examples");
    node(&mut spec, "/paths/~1v1~1{project_id}~1widgets/get/parameters").as_array_mut().unwrap().remove(1);
    assert_eq!(
        failing(&spec),
        [
            (Kind::MissingParameter, "query parameter `limit`".to_owned()),
            (Kind::MissingExample, "response 200 example".to_owned())
        ]
    );
}

#[test]
fn a_difference_on_a_node_with_notes_is_accepted() {
    let mut spec = fixture_spec();
    let color = node(&mut spec, "/components/schemas/CreateWidgetRequest/properties/color");
    color["enum"] = json!(["RED", "GREEN", "BLUE"]);
    color["x-reference-notes"] = json!(["The example service also sends BLUE, which the page does not list."]);
    let audit = audit_of(&spec);
    assert_eq!(audit.unaccepted(), 0);
    assert_eq!(audit.accepted(), 1);
    let difference = audit.differences().next().unwrap();
    assert_eq!(difference.kind, Kind::ExtraEnumValue);
    assert_eq!(
        difference.notes.as_deref().unwrap(),
        ["The example service also sends BLUE, which the page does not list."]
    );
}

#[test]
fn a_note_elsewhere_does_not_accept_a_difference() {
    let mut spec = fixture_spec();
    node(&mut spec, "/components/schemas/CreateWidgetRequest/properties/color/enum").as_array_mut().unwrap().pop();
    node(&mut spec, "/components/schemas/CreateWidgetRequest/properties/name")["x-reference-notes"] =
        json!(["Unrelated."]);
    assert_eq!(audit_of(&spec).unaccepted(), 1);
}

// ---------------------------------------------------------------------------------------------
// The command: exit codes and the Markdown report

/// Writes `spec` as `<tmp>/widgets.yaml` and runs the command on it.
fn run_on(spec: &Value, extra: &[&str]) -> (i32, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("widgets.yaml");
    fs::write(&path, serde_yaml::to_string(spec).unwrap()).unwrap();
    let reference = fixtures().join("reference");
    let mut args = vec!["--reference", reference.to_str().unwrap(), path.to_str().unwrap()];
    args.extend(extra);
    (audit::run(dir.path(), &args), dir)
}

#[test]
fn exit_code_is_0_when_clean_or_accepted_and_1_on_an_unaccepted_difference() {
    let mut spec = fixture_spec();
    assert_eq!(run_on(&spec, &[]).0, 0);
    let size = "/components/schemas/CreateWidgetRequest/properties/size";
    node(&mut spec, size)["format"] = json!("int64");
    assert_eq!(run_on(&spec, &[]).0, 1);
    node(&mut spec, size)["x-reference-notes"] = json!(["Sizes beyond 2^31 cm occur."]);
    assert_eq!(run_on(&spec, &[]).0, 0);
}

#[test]
fn exit_code_is_2_on_usage_and_io_errors() {
    let spec = fixture_spec();
    assert_eq!(run_on(&spec, &["--frobnicate"]).0, 2);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(audit::run(dir.path(), &["--reference", "/nonexistent/reference", "x.yaml"]), 2);
    assert_eq!(audit::run(dir.path(), &["--reference"]), 2);
    if !dir.path().join("../shared/reference").exists() {
        assert_eq!(audit::run(dir.path(), &[]), 2, "no default reference folder next to this root");
    }
    let missing = dir.path().join("missing.yaml");
    let reference = fixtures().join("reference");
    assert_eq!(audit::run(dir.path(), &["--reference", reference.to_str().unwrap(), missing.to_str().unwrap()]), 2);
    let mut lost = spec.clone();
    *node(&mut lost, "/paths/~1v1~1{project_id}~1widgets/get/externalDocs/url") = json!("Nowhere.html");
    let audit = audit::audit_document("widgets.yaml", "widgets", &lost, &reference);
    assert!(audit.errors[0].contains("Nowhere.html"), "{:?}", audit.errors);
    assert_eq!(run_on(&lost, &[]).0, 2);
    // Read from a file, the error names the line and column of the `url` (JSON is YAML).
    let text = serde_json::to_string_pretty(&lost).unwrap();
    let line = text.lines().position(|line| line.contains("Nowhere.html")).unwrap() + 1;
    let file = dir.path().join("lost.yaml");
    std::fs::write(&file, &text).unwrap();
    let audit = audit::audit_file(&file, "lost.yaml", &reference).unwrap();
    let expected = format!("lost.yaml:{line}:");
    assert!(audit.errors[0].starts_with(&expected), "{:?}", audit.errors);
    assert!(
        audit.errors[0].contains(" #/paths/~1v1~1{project_id}~1widgets/get/externalDocs/url: "),
        "{:?}",
        audit.errors
    );
}

/// The fixture spec with one unaccepted difference (`size` missing from CreateWidgetRequest) and
/// one accepted (an extra enum value `BLUE`, explained by a note).
fn spec_with_a_finding_and_an_accepted_difference() -> Value {
    let mut spec = fixture_spec();
    node(&mut spec, "/components/schemas/CreateWidgetRequest/properties").as_object_mut().unwrap().remove("size");
    let color = node(&mut spec, "/components/schemas/CreateWidgetRequest/properties/color");
    color["enum"] = json!(["RED", "GREEN", "BLUE"]);
    color["x-reference-notes"] = json!(["BLUE is sent | too."]);
    spec
}

/// `spec` written as `<tmp>/widgets.yaml` and audited from that file (so differences are
/// placed at lines and columns), with where a key of the text is (`line:col` of its first match).
fn audited_file(spec: &Value) -> (audit::Audit, impl Fn(&str) -> String + use<>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("widgets.yaml");
    let text = serde_yaml::to_string(spec).unwrap();
    fs::write(&path, &text).unwrap();
    let audited = audit::audit_file(&path, "specs/widgets.yaml", &fixtures().join("reference")).unwrap();
    let place = move |key: &str| {
        let (index, line) = text.lines().enumerate().find(|(_, line)| line.trim_start() == key).unwrap();
        format!("specs/widgets.yaml:{}:{}", index + 1, line.len() - line.trim_start().len() + 1)
    };
    (audit::Audit { specs: vec![audited], coverage: None }, place)
}

#[test]
fn plain_report_prints_findings_first_at_file_line_col_then_one_count_line() {
    let (audited, place) = audited_file(&spec_with_a_finding_and_an_accepted_difference());
    let report = audit::report::text(&audited, false);
    let lines: Vec<&str> = report.lines().collect();
    let at = place("CreateWidgetRequest:");
    assert_eq!(
        lines,
        [
            format!(
                "{at} missing-field error: CreateWidget CreateWidgetRequest.size: reference `size` (Integer, \
                 Mandatory: No), spec —"
            )
            .as_str(),
            "1 error, 1 accepted, 0 notes (--verbose lists them); 2 operations",
        ],
        "{report}"
    );
    // With --verbose the accepted difference follows the findings, with its note; the count
    // line stays last and drops its hint.
    let verbose = audit::report::text(&audited, true);
    let lines: Vec<&str> = verbose.lines().collect();
    assert_eq!(lines.len(), 4, "{verbose}");
    assert!(lines[0].starts_with(&format!("{at} missing-field error: ")), "{verbose}");
    assert_eq!(
        lines[1],
        format!(
            "{} extra-enum-value accepted: CreateWidget CreateWidgetRequest.color: reference `RED`, `GREEN`, spec `BLUE`",
            place("color:")
        )
    );
    assert_eq!(lines[2], "    note: BLUE is sent | too.");
    assert_eq!(lines[3], "1 error, 1 accepted, 0 notes; 2 operations");
}

#[test]
fn markdown_report_is_a_short_table_then_the_count_with_details_only_with_verbose() {
    let (audited, place) = audited_file(&spec_with_a_finding_and_an_accepted_difference());
    let report = audit::report::markdown(&audited, false);
    assert_eq!(
        report,
        format!(
            "# Reference audit\n\n\
             | where | operation | difference | reference | spec |\n| --- | --- | --- | --- | --- |\n\
             | `{}` | `CreateWidget` | missing field `CreateWidgetRequest.size` | `size` (Integer, Mandatory: No) | — |\n\
             \n**1 error, 1 accepted, 0 notes (`--verbose` lists them); 2 operations**\n",
            place("CreateWidgetRequest:")
        )
    );
    let verbose = audit::report::markdown(&audited, true);
    let (visible, details) = verbose.split_once("<details>").expect("a collapsed block");
    assert!(visible.ends_with("**1 error, 1 accepted, 0 notes; 2 operations**\n\n"), "{verbose}");
    assert!(!visible.contains("BLUE"), "accepted differences stay collapsed: {verbose}");
    assert!(details.contains("BLUE is sent \\| too."), "{verbose}");
    assert!(details.contains("\n### `ListWidgets` — `GET /v1/{project_id}/widgets`\n\nReference: `widgets/en-us_topic_0000000002.html`\n\nno differences\n"), "{verbose}");
    assert!(verbose.ends_with("</details>\n"), "{verbose}");
    // A clean audit says so in one line.
    let (clean, _) = audited_file(&fixture_spec());
    assert_eq!(
        audit::report::markdown(&clean, false),
        "# Reference audit\n\nNo unaccepted differences.\n\n**0 errors, 0 accepted, 0 notes; 2 operations**\n"
    );
}

#[test]
fn github_annotations_place_each_unaccepted_difference_at_its_node() {
    let (audited, place) = audited_file(&spec_with_a_finding_and_an_accepted_difference());
    let at = place("CreateWidgetRequest:");
    let (line, col) = at.trim_start_matches("specs/widgets.yaml:").split_once(':').unwrap();
    assert_eq!(
        audit::github::render(&audited),
        format!(
            "::error file=specs/widgets.yaml,line={line},col={col},title=audit missing field::CreateWidget: missing \
             field at CreateWidgetRequest.size: reference `size` (Integer, Mandatory: No), spec —\n"
        )
    );
}

#[test]
fn full_report_has_a_heading_per_spec_and_a_table_per_operation() {
    let report = audit::report::details(&[audit_of(&spec_with_a_finding_and_an_accepted_difference())]);
    assert!(report.contains("\n## `widgets.yaml`\n"), "{report}");
    assert!(report.contains("\n### `CreateWidget` — `POST /v1/{project_id}/widgets`\n"), "{report}");
    assert!(report.contains("| kind | where | reference | spec | at |\n| --- | --- | --- | --- | --- |\n"), "{report}");
    // Audited without its text, every node is at 1:1.
    assert!(
        report.contains(
            "| missing field | CreateWidgetRequest.size | `size` (Integer, Mandatory: No) | — | `widgets.yaml:1:1` |"
        ),
        "{report}"
    );
    assert!(report.contains(
        "| extra enum value | CreateWidgetRequest.color | `RED`, `GREEN` | `BLUE` | `widgets.yaml:1:1` | BLUE is sent \\| too. |"
    ));
    assert!(report.contains("### `ListWidgets` — `GET /v1/{project_id}/widgets`\n\nReference: `widgets/en-us_topic_0000000002.html`\n\nno differences\n"));
}

#[test]
fn format_and_verbose_flags_are_taken_out_and_others_refused() {
    use audit::Format;
    assert_eq!(audit::take_flags(&["--format", "github", "a.yaml"]).unwrap(), (Format::Github, false, vec!["a.yaml"]));
    assert_eq!(audit::take_flags(&["--format=markdown", "--verbose"]).unwrap(), (Format::Markdown, true, vec![]));
    assert_eq!(audit::take_flags(&["a.yaml"]).unwrap(), (Format::Text, false, vec!["a.yaml"]));
    assert!(audit::take_flags(&["--format", "json"]).unwrap_err().contains("unknown format"));
    let spec = fixture_spec();
    assert_eq!(run_on(&spec, &["--format", "markdown", "--verbose"]).0, 0);
    assert_eq!(run_on(&spec, &["--format", "github"]).0, 0);
    assert_eq!(run_on(&spec, &["--format", "json"]).0, 2);
}

#[test]
fn alternative_request_tables_are_paired_with_one_of_variants() {
    let html = IMS.replace("</main>", "");
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("quick")).unwrap();
    fs::write(dir.path().join("quick/page.html"), html).unwrap();
    let spec = json!({
        "openapi": "3.0.3",
        "paths": {"/v2/cloudimages/quickimport/action": {"post": {
            "operationId": "ImportImageQuick",
            "externalDocs": {"description": "Importing an Image File Quickly", "url": "page.html"},
            "requestBody": {"content": {"application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/Data"}, {"$ref": "#/components/schemas/System"}]}}}},
            "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"type": "object",
                "properties": {"job_id": {"type": "string"}}}, "examples": {"job": {"value": {"job_id": "8a12"}}}}}},
                "400": {"description": ""}, "503": {"description": ""}}}}},
        "components": {"schemas": {
            "System": {"type": "object", "required": ["os_version"], "properties": {
                "os_version": {"type": "string"},
                "image_tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                "architecture": {"type": "string", "enum": ["x86", "arm"]}}},
            "Data": {"type": "object", "properties": {"os_type": {"type": "string", "enum": ["Linux"]}}},
            "Tag": {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}}}}}
    });
    let audit = audit::audit_document("quick.yaml", "quick", &spec, dir.path());
    let found: Vec<_> = audit.differences().map(|d| (d.kind, d.location.clone())).collect();
    assert_eq!(found, [(Kind::MissingEnumValue, "Data.os_type".to_owned())]);
    let notes = &audit.operations[0].notes;
    assert!(notes.iter().any(|note| note.contains("2 alternative tables") && note.contains("↔ `System`")), "{notes:?}");
}

// ---------------------------------------------------------------------------------------------
// The real specs and pages

/// `../shared/reference`, or `None` (with a message) on a machine without it.
fn shared_reference() -> Option<PathBuf> {
    let dir = xtask::project_root().join("../shared/reference");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: no reference pages at {}", dir.display());
        None
    }
}

#[test]
fn real_specs_match_their_reference_pages() {
    let Some(reference) = shared_reference() else { return };
    let root = xtask::project_root();
    for name in ["specs/modelarts.yaml", "specs/ims.yaml", "specs/iam.yaml"] {
        let audit = audit::audit_file(&root.join(name), name, &reference).unwrap();
        assert!(audit.errors.is_empty(), "{:?}", audit.errors);
        // Both specs audit clean today: every difference is accepted by an x-reference-notes.
        // A spec change that makes this fail shows up in `cargo xtask audit`.
        assert_eq!(audit.unaccepted(), 0, "{}", audit::report::details(std::slice::from_ref(&audit)));
        assert!(!audit.operations.is_empty());
    }
}

/// A clean audit of the real specs prints one line: the count (and with --format markdown, a
/// heading, one sentence and the count).
#[test]
fn real_specs_report_is_one_count_line() {
    let Some(reference) = shared_reference() else { return };
    let root = xtask::project_root();
    let mut audited = audit::Audit::default();
    let mut raws = std::collections::BTreeMap::new();
    for name in ["iam", "ims", "modelarts"] {
        let display = format!("specs/{name}.yaml");
        audited.specs.push(audit::audit_file(&root.join(&display), &display, &reference).unwrap());
        raws.insert(
            name.to_owned(),
            serde_yaml::from_str::<Value>(&fs::read_to_string(root.join(&display)).unwrap()).unwrap(),
        );
    }
    audited.coverage = audit::completeness::check(&reference, &raws);
    let text = audit::report::text(&audited, false);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("0 errors, ") && text.contains(" (--verbose lists them); "), "{text}");
    let markdown = audit::report::markdown(&audited, false);
    assert!(markdown.starts_with("# Reference audit\n\nNo unaccepted differences.\n\n**0 errors, "), "{markdown}");
    assert_eq!(markdown.lines().count(), 5, "{markdown}");
    // Everything accepted is still one flag away, each at its line.
    let verbose = audit::report::text(&audited, true);
    assert!(verbose.lines().any(|line| line.starts_with("specs/modelarts.yaml:") && line.contains(" accepted: ")));
}

#[test]
fn seed_operations_are_read_from_the_seeds() {
    let Some(reference) = shared_reference() else { return };
    let root = xtask::project_root();
    let audit = audit::audit_file(&root.join("specs/modelarts.yaml"), "modelarts", &reference).unwrap();
    let register = audit.operations.iter().find(|operation| operation.operation_id == "RegisterImage").unwrap();
    assert_eq!(register.page.as_deref(), Some("seeds/modelarts-RegisterImage.html"));
}

/// Every rendered page parses to the title and URI lines `manifest.json` records for it.
#[test]
fn rendered_pages_parse_to_their_manifest_title_and_operations() {
    let Some(reference) = shared_reference() else { return };
    let manifest: Value = serde_json::from_str(&fs::read_to_string(reference.join("manifest.json")).unwrap()).unwrap();
    let entries = manifest.as_array().unwrap();
    assert!(entries.len() > 50);
    for entry in entries {
        let (service, file) = (entry["service"].as_str().unwrap(), entry["page"].as_str().unwrap());
        let page = Page::parse(&fs::read_to_string(reference.join(service).join(file)).unwrap());
        assert_eq!(page.title, entry["title"].as_str().unwrap(), "{service}/{file}");
        let listed: Vec<String> =
            entry["operations"].as_array().unwrap().iter().map(|op| op.as_str().unwrap().to_owned()).collect();
        let parsed: Vec<String> = page.operations.iter().map(|(method, path)| format!("{method} {path}")).collect();
        assert_eq!(parsed.is_empty(), listed.is_empty(), "{service}/{file}: {parsed:?} vs {listed:?}");
        assert!(parsed.iter().all(|op| listed.contains(op)), "{service}/{file}: {parsed:?} vs {listed:?}");
    }
}

fn names(fields: &[Field]) -> Vec<&str> {
    fields.iter().map(|field| field.name.as_str()).collect()
}

/// A body the page documents as `[Array]` is compared item by item: UpdateImage's operations
/// lose a field in a copy of the real spec, and the audit names it.
#[test]
fn an_array_body_is_compared_through_its_item_table() {
    let Some(reference) = shared_reference() else { return };
    let root = xtask::project_root();
    let mut spec: Value = serde_yaml::from_str(&fs::read_to_string(root.join("specs/ims.yaml")).unwrap()).unwrap();
    let audit_update = |spec: &Value| {
        let audit = audit::audit_document("ims.yaml", "ims", spec, &reference);
        let update = audit.operations.into_iter().find(|operation| operation.operation_id == "UpdateImage").unwrap();
        update.differences.into_iter().filter(|d| !d.is_accepted()).map(|d| (d.kind, d.location)).collect::<Vec<_>>()
    };
    assert_eq!(audit_update(&spec), []);
    let items = node(&mut spec, "/components/schemas/UpdateImageOperation").as_object_mut().unwrap();
    items.remove("x-reference-notes");
    items["properties"].as_object_mut().unwrap().remove("op");
    assert_eq!(audit_update(&spec), [(Kind::MissingField, "UpdateImageOperation.op".to_owned())]);
}

/// Every operation page of the manifest is covered by a spec operation or skipped with a reason.
#[test]
fn the_specs_cover_the_whole_reference() {
    let Some(reference) = shared_reference() else { return };
    let root = xtask::project_root();
    let mut specs = std::collections::BTreeMap::new();
    for name in ["iam", "ims", "modelarts"] {
        let text = fs::read_to_string(root.join(format!("specs/{name}.yaml"))).unwrap();
        specs.insert(name.to_owned(), serde_yaml::from_str::<Value>(&text).unwrap());
    }
    let coverage = audit::completeness::check(&reference, &specs).expect("the reference has a manifest");
    assert!(coverage.errors.is_empty(), "{:?}", coverage.errors);
    assert_eq!(coverage.covered + coverage.skipped.len(), coverage.pages);
    assert!(coverage.skipped.iter().all(|skip| skip.reason.contains("Deprecated")), "{:?}", coverage.skipped);
}
