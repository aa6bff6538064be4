//! The built `otc` against a loopback wiremock server, configured through the environment as
//! the library is (`OS_TOKEN`, `OS_PROJECT_ID`, `OS_REGION_NAME`, endpoint overrides; see `common`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{TOKEN, command};

/// `otc` configured for `server` through the environment only.
fn otc(server: &MockServer, args: &[&str]) -> Output {
    command(server, args).output().expect("otc runs")
}

/// The spec's example of a notebook, as ShowNotebook answers it.
fn notebook_example() -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/modelarts.yaml"))
        .expect("the spec");
    let spec: Value = serde_yaml::from_str(&text).expect("YAML");
    spec.pointer("/paths/~1v1~1{project_id}~1notebooks~1{id}/get/responses/200/content/application~1json/examples")
        .and_then(Value::as_object)
        .and_then(|examples| examples.values().next())
        .map(|example| example["value"].clone())
        .expect("an example")
}

fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn show_notebook_prints_the_json_and_exits_0() {
    let server = MockServer::start().await;
    let example = notebook_example();
    Mock::given(method("GET"))
        .and(path("/v1/p1/notebooks/nb-1"))
        .and(header("X-Auth-Token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(&example))
        .expect(1)
        .mount(&server)
        .await;
    let output = otc(&server, &["modelarts", "show-notebook", "--id", "nb-1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    // Not a terminal: compact, one line.
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let printed: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(without_nulls(&printed), without_nulls(&example));
    assert!(!stderr.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_404_exits_4_with_the_services_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/p1/notebooks/missing"))
        .respond_with(ResponseTemplate::new(404).insert_header("X-Request-Id", "req-42").set_body_json(json!({
            "error_code": "ModelArts.6404",
            "error_msg": "The notebook instance does not exist."
        })))
        .mount(&server)
        .await;
    let output = otc(&server, &["modelarts", "show-notebook", "--id", "missing"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "stderr: {stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.contains("ModelArts.6404"), "{stderr}");
    assert!(stderr.contains("The notebook instance does not exist."), "{stderr}");
    assert!(stderr.contains("req-42"), "the request id: {stderr}");
    assert!(!stderr.contains(TOKEN));
}

#[test]
fn missing_configuration_exits_3() {
    let output = Command::new(env!("CARGO_BIN_EXE_otc"))
        .args(["modelarts", "show-notebook", "--id", "x"])
        .env_clear()
        .env("HOME", "/nonexistent")
        .output()
        .expect("otc runs");
    assert_eq!(output.status.code(), Some(3));
}

#[test]
fn a_missing_required_flag_exits_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_otc"))
        .args(["modelarts", "show-notebook"])
        .env_clear()
        .output()
        .expect("otc runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_unreachable_endpoint_exits_5() {
    let output = Command::new(env!("CARGO_BIN_EXE_otc"))
        .args(["modelarts", "show-notebook", "--id", "x"])
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("OS_TOKEN", TOKEN)
        .env("OS_PROJECT_ID", "p1")
        .env("OS_REGION_NAME", "eu-de")
        .env("OTC_MODELARTS_ENDPOINT", "http://127.0.0.1:9")
        .env("OS_CONNECT_TIMEOUT", "2")
        .output()
        .expect("otc runs");
    assert_eq!(output.status.code(), Some(5), "{}", String::from_utf8_lossy(&output.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn project_id_overrides_the_configured_project() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/p2/notebooks/nb-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(notebook_example()))
        .expect(1)
        .mount(&server)
        .await;
    let output = otc(&server, &["modelarts", "show-notebook", "--id", "nb-1", "--project-id", "p2"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_project_id_exits_3() {
    let server = MockServer::start().await;
    let output = command(&server, &["modelarts", "show-notebook", "--id", "nb-1"])
        .env_remove("OS_PROJECT_ID")
        .output()
        .expect("otc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("project"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_body_is_read_from_standard_input() {
    let server = MockServer::start().await;
    let example = notebook_example();
    Mock::given(method("PUT"))
        .and(path("/v1/p1/notebooks/nb-1"))
        .and(body_json(json!({"description": "update"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(&example))
        .expect(1)
        .mount(&server)
        .await;
    let mut child = command(&server, &["modelarts", "update-notebook", "--id", "nb-1", "--body", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("otc runs");
    child.stdin.take().expect("stdin").write_all(br#"{"description": "update"}"#).expect("written");
    let output = child.wait_with_output().expect("otc ends");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(without_nulls(&printed), without_nulls(&example));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_of_the_wrong_shape_exits_2_before_sending() {
    let server = MockServer::start().await;
    let dir = std::env::temp_dir().join(format!("otc-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let file = dir.join("body.json");
    std::fs::write(&file, "[1, 2]").expect("written");
    let output =
        otc(&server, &["modelarts", "update-notebook", "--id", "nb-1", "--body", file.to_str().expect("UTF-8")]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_does_not_fit_is_reported_by_its_path_never_by_its_values() {
    let server = MockServer::start().await;
    // A password put where IAM's token request wants an object: serde's own message would quote it.
    let body = r#"{"auth": {"identity": {"methods": ["password"], "password": {"user": "hunter2-secret"}}}}"#;
    let mut child = command(&server, &["iam", "keystone-create-user-token-by-password", "--body", "-"])
        .env("OTC_IAM_ENDPOINT", server.uri())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("otc runs");
    child.stdin.take().expect("stdin").write_all(body.as_bytes()).expect("written");
    let output = child.wait_with_output().expect("otc ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("auth.identity.password.user"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "the body's value reached the error: {stderr}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ims_attribute_flag_sends_its_underscored_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .and(wiremock::matchers::query_param("__imagetype", "gold"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"images": [], "first": "/v2/images"})))
        .expect(1)
        .mount(&server)
        .await;
    let output = command(&server, &["ims", "glance-list-images", "--__imagetype", "gold"]).output().expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    // The old rule's `--imagetype` dropped the underscores: it is no flag now.
    let old = command(&server, &["ims", "glance-list-images", "--imagetype", "gold"]).output().expect("otc runs");
    assert_eq!(old.status.code(), Some(2));
}

fn glance_image(id: &str) -> Value {
    json!({"id": id, "name": format!("image {id}"), "status": "active", "visibility": "private"})
}

/// Glance paging by marker: `limit` 2, the `next` link naming the last id, none on the last page.
async fn mount_glance_pages(server: &MockServer) {
    let page = |ids: &[&str], next: Option<&str>| {
        let mut body =
            json!({"images": ids.iter().map(|id| glance_image(id)).collect::<Vec<_>>(), "first": "/v2/images"});
        if let Some(marker) = next {
            body["next"] = json!(format!("/v2/images?marker={marker}&limit=2"));
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    use wiremock::matchers::{query_param, query_param_is_missing};
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .and(query_param("limit", "2"))
        .and(query_param_is_missing("marker"))
        .respond_with(page(&["i1", "i2"], Some("i2")))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .and(query_param("limit", "2"))
        .and(query_param("marker", "i2"))
        .respond_with(page(&["i3", "i4"], Some("i4")))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .and(query_param("limit", "2"))
        .and(query_param("marker", "i4"))
        .respond_with(page(&["i5"], None))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn all_prints_every_item_of_three_pages_as_json_lines() {
    let server = MockServer::start().await;
    mount_glance_pages(&server).await;
    let output = command(&server, &["ims", "glance-list-images", "--all", "--limit", "2", "--status", "active"])
        .output()
        .expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let ids: Vec<String> = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("each line is one JSON item"))
        .map(|item| item["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(ids, ["i1", "i2", "i3", "i4", "i5"]);
    // The filter went with every page.
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|request| request.url.query().unwrap_or_default().contains("status=active")));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_all_one_page_is_printed_as_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "images": [glance_image("i1"), glance_image("i2")], "first": "/v2/images",
            "next": "/v2/images?marker=i2&limit=2"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let output = command(&server, &["ims", "glance-list-images", "--limit", "2"]).output().expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    assert_eq!(printed["images"].as_array().map(Vec::len), Some(2));
    assert_eq!(printed["next"], "/v2/images?marker=i2&limit=2");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_ends_with_exit_4_when_the_server_repeats_a_page() {
    let server = MockServer::start().await;
    // Every page names itself as the next one: the stream must stop, not loop.
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "images": [glance_image("i1")], "first": "/v2/images", "next": "/v2/images?marker=i1&limit=1"
        })))
        .mount(&server)
        .await;
    let output = command(&server, &["ims", "glance-list-images", "--all", "--limit", "1"]).output().expect("otc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("marker"), "{stderr}");
    let requests = server.received_requests().await.expect("recorded");
    assert!(requests.len() <= 3, "{} requests", requests.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_modelarts_notebooks_by_offset() {
    let server = MockServer::start().await;
    use wiremock::matchers::query_param;
    let notebook = |id: &str| json!({"id": id, "name": id});
    for (offset, ids) in [("0", vec!["n1", "n2"]), ("2", vec!["n3", "n4"]), ("4", vec!["n5"])] {
        Mock::given(method("GET"))
            .and(path("/v1/p1/notebooks"))
            .and(query_param("offset", offset))
            .and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "current": 0, "pages": 3, "size": 2, "total": 5,
                "data": ids.iter().map(|id| notebook(id)).collect::<Vec<_>>()
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let output = otc(&server, &["modelarts", "list-notebooks", "--all", "--limit", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let ids: Vec<String> = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("JSON")["id"].as_str().expect("an id").to_owned())
        .collect();
    assert_eq!(ids, ["n1", "n2", "n3", "n4", "n5"]);
}

/// The spec's request example `name` of IMS `CreateDataImage`.
fn create_data_image_example(name: &str) -> Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/ims.yaml")).expect("the spec");
    let spec: Value = serde_yaml::from_str(&text).expect("YAML");
    spec.pointer(&format!(
        "/paths/~1v1~1cloudimages~1dataimages~1action/post/requestBody/content/application~1json/examples/{name}/value"
    ))
    .cloned()
    .expect("the example")
}

async fn mount_create_data_image(server: &MockServer, body: Value) {
    Mock::given(method("POST"))
        .and(path("/v1/cloudimages/dataimages/action"))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "job-1"})))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_from_flags_alone_is_the_specs_example() {
    let server = MockServer::start().await;
    // Strings, an enum, an integer (a JSON number) and a repeated array flag, no --body.
    mount_create_data_image(&server, create_data_image_example("data_disk_from_obs_file_with_tags")).await;
    let output = otc(
        &server,
        &[
            "ims",
            "create-data-image",
            "--name",
            "fedora-data1",
            "--image-url",
            "image-test:fedora_data1.qcow2",
            "--description",
            "Data disk 1 of Fedora",
            "--min-disk",
            "40",
            "--tags",
            "aaa.111",
            "--tags",
            "bbb.222",
            "--os-type",
            "Linux",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(printed, json!({"job_id": "job-1"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flag_overrides_its_field_of_the_body_file_and_required_flags_are_not_demanded() {
    let server = MockServer::start().await;
    mount_create_data_image(
        &server,
        json!({"name": "from-flag", "image_url": "b:f.qcow2", "min_disk": 60, "description": "from the file"}),
    )
    .await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("body.json");
    let body = json!({"name": "from-file", "image_url": "b:f.qcow2", "min_disk": 40, "description": "from the file"});
    std::fs::write(&file, body.to_string()).expect("written");
    let file = file.to_str().expect("UTF-8");
    // --image-url is required by the schema, but the file holds it: clap must not ask for it.
    let output = otc(&server, &["ims", "create-data-image", "--body", file, "--name", "from-flag", "--min-disk", "60"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_required_field_exits_2_naming_its_flag_and_sends_nothing() {
    let server = MockServer::start().await;
    let output = otc(&server, &["ims", "create-data-image", "--name", "d", "--image-url", "b:f.qcow2"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("min_disk") && stderr.contains("--min-disk"), "{stderr}");
    // The same field missing from --body (with another field from a flag).
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("body.json");
    std::fs::write(&file, r#"{"name": "d", "image_url": "b:f.qcow2"}"#).expect("written");
    let output =
        otc(&server, &["ims", "create-data-image", "--body", file.to_str().expect("UTF-8"), "--description", "x"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--min-disk"), "{stderr}");
    // A required field that is no flag (an object) can only come from --body.
    let output = command(&server, &["modelarts", "create-notebook", "--name", "n", "--flavor", "f", "--image-id", "i"])
        .output()
        .expect("otc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`volume`") && stderr.contains("--body"), "{stderr}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_typed_field_exits_2_naming_the_flag_never_the_value() {
    let server = MockServer::start().await;
    let output = otc(
        &server,
        &["ims", "create-data-image", "--name", "d", "--image-url", "b:f.qcow2", "--min-disk", "forty-secret"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--min-disk") && stderr.contains("integer"), "{stderr}");
    assert!(!stderr.contains("forty-secret"), "the value reached the error: {stderr}");
    // An integer, but out of the field's int32: the typed body refuses it, naming the flag too.
    let output = otc(
        &server,
        &["ims", "create-data-image", "--name", "d", "--image-url", "b:f.qcow2", "--min-disk", "99999999999"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--min-disk") && !stderr.contains("99999999999"), "{stderr}");
    // Field flags cannot be set on a --body that is not a JSON object.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("body.json");
    std::fs::write(&file, r#"["hunter2-secret"]"#).expect("written");
    let output = otc(&server, &["ims", "create-data-image", "--body", file.to_str().expect("UTF-8"), "--name", "d"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not an object") && !stderr.contains("hunter2"), "{stderr}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}
