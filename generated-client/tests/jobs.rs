//! Waiting for IMS jobs against a loopback server, with short intervals.

use std::time::Duration;

use otc_client::{JobError, JobPolling, Runtime, WaitForJob, ims::Client};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const JOB: &str = "ff8080814dbd65d7014dbe0d84db0013";
const FAST: JobPolling = JobPolling { interval: Duration::from_millis(5), deadline: Duration::from_secs(5) };

async fn server_with(statuses: &[serde_json::Value]) -> MockServer {
    let server = MockServer::start().await;
    for (index, body) in statuses.iter().enumerate() {
        let mock = Mock::given(method("GET")).and(path(format!("/v1/{PROJECT}/jobs/{JOB}")));
        let mock = mock.respond_with(ResponseTemplate::new(200).set_body_json(body));
        let mock = if index + 1 < statuses.len() { mock.up_to_n_times(1) } else { mock };
        mock.mount(&server).await;
    }
    server
}

fn client(server: &MockServer) -> Client {
    Client::new(&server.uri(), Runtime::builder().project_id(PROJECT).build())
}

#[tokio::test]
async fn polls_through_init_and_running_to_success() {
    let server = server_with(&[
        json!({"job_id": JOB, "status": "INIT"}),
        json!({"job_id": JOB, "status": "RUNNING"}),
        json!({"job_id": JOB, "status": "SUCCESS", "entities": {"image_id": "img-1"}, "error_code": null, "fail_reason": null}),
    ])
    .await;
    let job = client(&server).wait_for_job_with(JOB, FAST).await.unwrap();
    assert_eq!(job.entities.and_then(|entities| entities.image_id).as_deref(), Some("img-1"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_failed_job_is_an_error_with_its_reason_and_code() {
    let server = server_with(&[
        json!({"job_id": JOB, "status": "RUNNING"}),
        json!({"job_id": JOB, "status": "FAIL", "error_code": "IMG.0057", "fail_reason": "The image file is empty."}),
    ])
    .await;
    let error = client(&server).wait_for_job_with(JOB, FAST).await.unwrap_err();
    let JobError::Failed { error_code, fail_reason, .. } = &error else { panic!("{error}") };
    assert_eq!((error_code.as_deref(), fail_reason.as_deref()), (Some("IMG.0057"), Some("The image file is empty.")));
    assert_eq!(error.to_string(), format!("job {JOB} failed (IMG.0057): The image file is empty."));
}

#[tokio::test]
async fn the_deadline_names_the_last_status() {
    let server = server_with(&[json!({"job_id": JOB, "status": "RUNNING"})]).await;
    let polling = JobPolling { interval: Duration::from_millis(5), deadline: Duration::from_millis(40) };
    let error = client(&server).wait_for_job_with(JOB, polling).await.unwrap_err();
    assert!(
        matches!(&error, JobError::DeadlineExceeded { last_status: Some(status), .. } if status == "RUNNING"),
        "{error}"
    );
    assert!(server.received_requests().await.unwrap().len() >= 2);
}

#[tokio::test]
async fn an_unknown_status_keeps_polling_and_a_query_error_stops() {
    let server = server_with(&[
        json!({"job_id": JOB, "status": "QUEUED_SOMEWHERE"}),
        json!({"job_id": JOB, "status": "SUCCESS"}),
    ])
    .await;
    client(&server).wait_for_job_with(JOB, FAST).await.unwrap();

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"error": {"code": "IMG.0027", "message": "not found"}})),
        )
        .mount(&server)
        .await;
    let error = client(&server).wait_for_job_with(JOB, FAST).await.unwrap_err();
    assert!(matches!(&error, JobError::Query(inner) if inner.code() == Some("IMG.0027")), "{error}");
}
