//! Constructs the reference uses or may use, through the whole pipeline: a HEAD operation,
//! an array query parameter, several success codes (with and without a body), a 204, and
//! properties named like Rust keywords or with leading underscores.

use std::path::Path;

fn generated() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/widgets.yaml");
    otc_codegen::generate_file(&path, "widgets.yaml").expect("the generator takes every construct").source
}

#[test]
fn head_and_204_operations_have_bodiless_results() {
    let source = generated();
    assert!(source.contains(".head(url)"), "no HEAD request");
    assert!(source.contains("pub async fn send(self) -> Result<ResponseValue<()>, crate::Error>"));
    assert!(source.contains("204u16 => Ok(ResponseValue::empty(response))"));
    // A body, when there is one, is decoded by the runtime (capped, with JSON paths).
    assert!(source.contains("crate::__private::json(response, client.inner(), &info).await"));
}

#[test]
fn several_success_codes_decode_into_one_type() {
    // 200 and 201 with a body, 202 without: one optional body, decoded by the runtime.
    let source: String = generated().split_whitespace().collect();
    assert!(source.contains("Result<ResponseValue<::std::option::Option<types::Widget>>,crate::Error>"), "{source}");
    assert!(
        source.contains("200..=299=>{crate::__private::optional_json(response,client.inner(),&info,&[202u16],).await"),
        "{source}"
    );
    assert!(!source.contains("from_response"), "{source}");
}

#[test]
fn array_query_parameters_are_sent_per_item() {
    let source = generated();
    assert!(source.contains("pub fn tag<V>(mut self, value: V) -> Self"));
    assert!(source.contains("V: std::convert::TryInto<::std::vec::Vec<::std::string::String>>"));
    assert!(source.contains(r#".query(&progenitor_client::QueryParam::new("tag", &tag))"#));
}

#[test]
fn keyword_and_underscore_names_keep_their_wire_names() {
    let source = generated();
    for (field, wire) in [("self_", "self"), ("type_", "type"), ("match_", "match"), ("os_version", "__os_version")] {
        assert!(source.contains(&format!("pub {field}: ::std::option::Option")), "no field `{field}`");
        assert!(source.contains(&format!("rename = \"{wire}\"")), "`{field}` is not renamed to `{wire}`");
    }
    // The query parameter `type` gets a keyword-safe setter too.
    assert!(source.contains("pub fn type_<V>(mut self, value: V) -> Self"));
}
