//! `otc ims wait-job` and `--wait` against a loopback wiremock IMS whose job goes RUNNING →
//! SUCCESS or RUNNING → FAIL. Polling every 50 ms; every wait is bounded by `--wait-timeout`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{command, on_a_terminal};

fn job(id: &str, status: &str) -> Value {
    json!({"job_id": id, "job_type": "importImageQuick", "status": status, "begin_time": "1733479200000"})
}

/// The job answers RUNNING `running` times, then `last`.
async fn mount_job(server: &MockServer, id: &str, running: u64, last: Value) {
    Mock::given(method("GET"))
        .and(path(format!("/v1/p1/jobs/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(job(id, "RUNNING")))
        .up_to_n_times(running)
        .with_priority(1)
        .expect(running)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/p1/jobs/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(last))
        .with_priority(2)
        .expect(1)
        .mount(server)
        .await;
}

fn succeeded(id: &str) -> Value {
    let mut done = job(id, "SUCCESS");
    done["entities"] = json!({"image_id": "img-1"});
    done["end_time"] = json!("1733479260000");
    done
}

const FAST: [&str; 4] = ["--poll-interval", "0.05", "--wait-timeout", "30"];

#[tokio::test(flavor = "multi_thread")]
async fn wait_job_prints_the_successful_job() {
    let server = MockServer::start().await;
    mount_job(&server, "job-1", 2, succeeded("job-1")).await;
    let mut args = vec!["ims", "wait-job", "job-1"];
    args.extend(FAST);
    let output = command(&server, &args).output().expect("otc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("the job's JSON");
    assert_eq!(printed["status"], "SUCCESS");
    assert_eq!(printed["entities"]["image_id"], "img-1");
    // Not a terminal: no spinner, nothing on standard error.
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3, "RUNNING, RUNNING, SUCCESS");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_job_exits_4_with_its_error() {
    let server = MockServer::start().await;
    let mut failed = job("job-2", "FAIL");
    failed["error_code"] = json!("IMG.0027");
    failed["fail_reason"] = json!("The image file does not exist in OBS.");
    mount_job(&server, "job-2", 1, failed).await;
    let mut args = vec!["ims", "wait-job", "job-2"];
    args.extend(FAST);
    let output = command(&server, &args).output().expect("otc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("job-2") && stderr.contains("IMG.0027"), "{stderr}");
    assert!(stderr.contains("The image file does not exist in OBS."), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_still_running_at_the_timeout_exits_1() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/p1/jobs/job-3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("job-3", "RUNNING")))
        .mount(&server)
        .await;
    let output = command(&server, &["ims", "wait-job", "job-3", "--poll-interval", "0.05", "--wait-timeout", "0.3"])
        .output()
        .expect("otc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("did not finish") && stderr.contains("RUNNING"), "{stderr}");
    let polls = server.received_requests().await.expect("recorded").len();
    // At most one poll per interval within the timeout (and one at the start); at least one.
    assert!((1..=8).contains(&polls), "{polls} polls in 0.3 s at 0.05 s");
}

fn import(server: &MockServer, extra: &[&str]) -> Output {
    let mut args = vec!["ims", "import-image-quick", "--body", "-"];
    args.extend(extra);
    let mut child = command(server, &args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("otc runs");
    let body = json!({"name": "imported", "image_url": "bucket:image.zvhd2", "os_version": "CentOS 7.0 64bit", "min_disk": 40});
    child.stdin.take().expect("stdin").write_all(body.to_string().as_bytes()).expect("written");
    child.wait_with_output().expect("otc ends")
}

async fn mount_import(server: &MockServer, job_id: &str) {
    Mock::given(method("POST"))
        .and(path("/v2/cloudimages/quickimport/action"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": job_id})))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_on_an_asynchronous_operation_prints_the_finished_job() {
    let server = MockServer::start().await;
    mount_import(&server, "job-4").await;
    mount_job(&server, "job-4", 2, succeeded("job-4")).await;
    let mut extra = vec!["--wait"];
    extra.extend(FAST);
    let output = import(&server, &extra);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("one JSON document: the job");
    assert_eq!(printed["job_id"], "job-4");
    assert_eq!(printed["status"], "SUCCESS");
    assert_eq!(printed["entities"]["image_id"], "img-1");
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_on_an_operation_whose_job_fails_exits_4() {
    let server = MockServer::start().await;
    mount_import(&server, "job-5").await;
    let mut failed = job("job-5", "FAIL");
    failed["error_code"] = json!("IMG.0001");
    failed["fail_reason"] = json!("quota exceeded");
    mount_job(&server, "job-5", 1, failed).await;
    let mut extra = vec!["--wait"];
    extra.extend(FAST);
    let output = import(&server, &extra);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("IMG.0001") && stderr.contains("quota exceeded"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_wait_the_first_answer_is_printed_and_no_job_is_polled() {
    let server = MockServer::start().await;
    mount_import(&server, "job-6").await;
    let output = import(&server, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(printed, json!({"job_id": "job-6"}));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[test]
fn poll_settings_without_wait_are_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_otc"))
        .args(["ims", "import-image-quick", "--body", "x.json", "--poll-interval", "1"])
        .env_clear()
        .output()
        .expect("otc runs");
    assert_eq!(output.status.code(), Some(2));
}

/// On a terminal (a pseudo-terminal from util-linux `script`), the spinner names the job on
/// standard error; the test above shows nothing reaches a standard error that is not one.
#[tokio::test(flavor = "multi_thread")]
async fn on_a_terminal_a_spinner_names_the_job() {
    let server = MockServer::start().await;
    mount_job(&server, "job-7", 2, succeeded("job-7")).await;
    // Standard output goes to /dev/null, so only standard error (the spinner) is on the terminal.
    let output = on_a_terminal(&server, "{otc} ims wait-job job-7 --poll-interval 0.4 --wait-timeout 30 >/dev/null");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(shown.contains("waiting for job job-7"), "the terminal showed: {shown:?}");
}
