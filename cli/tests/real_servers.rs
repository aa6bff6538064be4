//! The built `otc` against the real Keystone and Glance that `tests/realserver` starts: password
//! login through `OS_*` variables, then an image's whole life from the command line (create
//! metadata from body field flags, upload a file, list, download and compare, delete; the other
//! tests create theirs from a `--body` on standard input), `--all` across Glance's pages,
//! and the error paths a script meets (a wrong password, an unknown id), with their exit codes.
//!
//! Skipped (with a message) unless `OTC_REALSERVER_KEYSTONE_URL` is set; with
//! `OTC_REALSERVER_REQUIRED=1` (`.ci/run` sets it) a missing variable fails instead.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

struct Servers {
    keystone: String,
    glance: String,
    region: String,
    user: String,
    password: String,
    domain: String,
    project: String,
}

fn servers() -> Option<Servers> {
    let var = |name: &str| std::env::var(format!("OTC_REALSERVER_{name}")).ok().filter(|value| !value.is_empty());
    let Some(keystone) = var("KEYSTONE_URL") else {
        assert!(
            std::env::var_os("OTC_REALSERVER_REQUIRED").is_none(),
            "OTC_REALSERVER_REQUIRED is set, but OTC_REALSERVER_KEYSTONE_URL is not: the real servers did not start"
        );
        println!("skipped: OTC_REALSERVER_KEYSTONE_URL is not set (tests/realserver/realserver.py start)");
        return None;
    };
    let required = |name: &str| var(name).unwrap_or_else(|| panic!("OTC_REALSERVER_{name} is not set"));
    Some(Servers {
        keystone,
        glance: required("GLANCE_URL"),
        region: required("REGION"),
        user: required("USERNAME"),
        password: required("PASSWORD"),
        domain: required("DOMAIN"),
        project: required("PROJECT"),
    })
}

/// `otc` configured as a user's shell would: password login, project by name, Glance as IMS.
fn otc(servers: &Servers, password: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_otc"));
    command
        .args(args)
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("OS_AUTH_URL", format!("{}/v3", servers.keystone))
        .env("OS_REGION_NAME", &servers.region)
        .env("OS_USERNAME", &servers.user)
        .env("OS_PASSWORD", password)
        .env("OS_USER_DOMAIN_NAME", &servers.domain)
        .env("OS_PROJECT_NAME", &servers.project)
        .env("OTC_IMS_ENDPOINT", &servers.glance);
    command
}

fn run(servers: &Servers, args: &[&str]) -> Output {
    otc(servers, &servers.password, args).output().expect("otc runs")
}

fn json_of(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn an_image_lives_and_dies_through_the_command_line() {
    let Some(servers) = servers() else { return };
    let dir = tempfile::tempdir().unwrap();

    // Create the metadata from body field flags alone (no --body): strings, an enum, an
    // integer, a boolean and a repeated list.
    let created = json_of(&run(
        &servers,
        &[
            "ims",
            "glance-create-image-metadata",
            "--name",
            "otc-cli-test",
            "--container-format",
            "bare",
            "--disk-format",
            "raw",
            "--min-disk",
            "1",
            "--protected",
            "false",
            "--tags",
            "otc-cli=flags",
            "--tags",
            "second",
        ],
    ));
    let id = created["id"].as_str().expect("an image id").to_owned();
    assert_eq!(created["name"], "otc-cli-test");
    assert_eq!((&created["disk_format"], &created["container_format"]), (&json!("raw"), &json!("bare")), "{created}");
    assert_eq!((&created["min_disk"], &created["protected"]), (&json!(1), &json!(false)), "{created}");
    let mut tags: Vec<&str> = created["tags"].as_array().expect("tags").iter().filter_map(Value::as_str).collect();
    tags.sort_unstable();
    assert_eq!(tags, ["otc-cli=flags", "second"], "{created}");

    // Upload a file, list, download it back, compare.
    let file = dir.path().join("disk.raw");
    // A few MiB: many chunks of the 64 KiB read buffer, streamed from the file.
    let bytes: Vec<u8> = (0..3 * 1024 * 1024 + 777u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&file, &bytes).unwrap();
    let uploaded =
        run(&servers, &["ims", "glance-upload-image-file", "--image-id", &id, "--body", file.to_str().unwrap()]);
    assert_eq!(uploaded.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&uploaded.stderr));
    let listed = json_of(&run(&servers, &["ims", "glance-list-images", "--name", "otc-cli-test"]));
    let images = listed["images"].as_array().expect("images");
    assert!(images.iter().any(|image| image["id"] == id.as_str()), "{listed}");
    let downloaded = run(&servers, &["ims", "glance-download-image-file", "--image-id", &id]);
    assert_eq!(downloaded.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&downloaded.stderr));
    assert!(downloaded.stdout == bytes, "the downloaded bytes differ from the uploaded file");

    // Delete; then the id is unknown: an API error (exit 4) with Glance's message on stderr.
    let deleted = run(&servers, &["ims", "glance-delete-image", "--image-id", &id]);
    assert_eq!(deleted.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&deleted.stderr));
    let gone = run(&servers, &["ims", "glance-show-image", "--image-id", &id]);
    assert_eq!(gone.status.code(), Some(4), "stderr: {}", String::from_utf8_lossy(&gone.stderr));
    let stderr = String::from_utf8_lossy(&gone.stderr);
    assert!(stderr.contains("404") && stderr.contains(&id), "{stderr}");
    assert!(gone.stdout.is_empty());
}

#[test]
fn a_wrong_password_is_an_api_error_and_is_never_echoed() {
    let Some(servers) = servers() else { return };
    let output = otc(&servers, "not-the-password", &["ims", "glance-list-images"]).output().unwrap();
    assert_eq!(output.status.code(), Some(4), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("401"), "{stderr}");
    assert!(!stderr.contains("not-the-password") && !stderr.contains(&servers.password), "{stderr}");
}

/// Creates image metadata named `name` from a body on standard input; returns its id.
fn create_image(servers: &Servers, name: &str) -> String {
    let mut create = otc(servers, &servers.password, &["ims", "glance-create-image-metadata", "--body", "-"]);
    let mut child = create.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let body = json!({"name": name, "container_format": "bare", "disk_format": "raw", "min_disk": 1});
    child.stdin.take().unwrap().write_all(body.to_string().as_bytes()).unwrap();
    let created = json_of(&child.wait_with_output().unwrap());
    created["id"].as_str().expect("an image id").to_owned()
}

/// Deletes the images it holds when dropped, so a failed assertion leaves no image behind.
struct Images<'a> {
    servers: &'a Servers,
    ids: Vec<String>,
}

impl Drop for Images<'_> {
    fn drop(&mut self) {
        for id in &self.ids {
            let _ = run(self.servers, &["ims", "glance-delete-image", "--image-id", id]);
        }
    }
}

#[test]
fn all_lists_every_image_across_glances_pages() {
    let Some(servers) = servers() else { return };
    let name = format!("otc-cli-all-{}", std::process::id());
    let mut images = Images { servers: &servers, ids: Vec::new() };
    for _ in 0..3 {
        let id = create_image(&servers, &name);
        images.ids.push(id);
    }
    // One image a page: Glance names a next page three times; --all follows every one.
    let output = run(&servers, &["ims", "glance-list-images", "--name", &name, "--limit", "1", "--all"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let mut listed: Vec<String> = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("one JSON image a line"))
        .map(|image| image["id"].as_str().expect("an id").to_owned())
        .collect();
    listed.sort();
    let mut created = images.ids.clone();
    created.sort();
    assert_eq!(listed, created);
    // Without --all, the same query is one page of one image.
    let page = json_of(&run(&servers, &["ims", "glance-list-images", "--name", &name, "--limit", "1"]));
    assert_eq!(page["images"].as_array().map(Vec::len), Some(1), "{page}");
    assert!(page["next"].is_string(), "{page}");
}

#[test]
fn an_image_file_streams_from_standard_input_and_to_an_output_file() {
    let Some(servers) = servers() else { return };
    let dir = tempfile::tempdir().unwrap();
    let name = format!("otc-cli-stdin-{}", std::process::id());
    let id = create_image(&servers, &name);
    let images = Images { servers: &servers, ids: vec![id.clone()] };

    let bytes: Vec<u8> = (0..4 * 1024 * 1024 + 123u32).map(|i| (i * 13 % 247) as u8).collect();
    let mut upload =
        otc(&servers, &servers.password, &["ims", "glance-upload-image-file", "--image-id", &id, "--body", "-"]);
    let mut child = upload.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let to_send = bytes.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&to_send));
    let uploaded = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(uploaded.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&uploaded.stderr));

    let shown = json_of(&run(&servers, &["ims", "glance-show-image", "--image-id", &id]));
    assert_eq!(shown["status"], "active", "{shown}");
    assert_eq!(shown["size"], bytes.len(), "{shown}");

    let file = dir.path().join("downloaded.raw");
    let downloaded =
        run(&servers, &["ims", "glance-download-image-file", "--image-id", &id, "--output", file.to_str().unwrap()]);
    assert_eq!(downloaded.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&downloaded.stderr));
    assert!(downloaded.stdout.is_empty(), "the file went to --output");
    assert!(std::fs::read(&file).unwrap() == bytes, "the downloaded file differs from what was sent");
    drop(images);
    let gone = run(&servers, &["ims", "glance-show-image", "--image-id", &id]);
    assert_eq!(gone.status.code(), Some(4), "deleted: {}", String::from_utf8_lossy(&gone.stderr));
}
