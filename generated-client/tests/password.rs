//! Password authentication against an IAM on loopback: the token is fetched once and shared,
//! replaced when it expires and after a 401, and the project id can come from the token.

use otc_client::{Cloud, Config, ConnectError, Credentials, RetryPolicy, Service, TokenError, User};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn token_answer(token: &str, expires_at: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).insert_header("x-subject-token", token).set_body_json(json!({
        "token": {"expires_at": expires_at, "methods": ["password"], "project": {"id": PROJECT, "name": "eu-de_demo"}}
    }))
}

async fn mount_iam(server: &MockServer, answers: &[(&str, &str)]) {
    for (token, expires_at) in answers {
        Mock::given(method("POST"))
            .and(path("/v3/auth/tokens"))
            .respond_with(token_answer(token, expires_at))
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
}

fn config(server: &MockServer, project_id: Option<&str>) -> Config {
    let mut builder = Config::builder()
        .region("eu-de")
        .project_name("eu-de_demo")
        .credentials(Credentials::Password {
            user: User::Name { name: "alice".into(), domain: "OTC-EU-DE-0001".into() },
            password: "pa55word".into(),
        })
        .endpoint(Service::Iam, server.uri())
        .endpoint(Service::ModelArts, server.uri())
        .retry(RetryPolicy::none());
    if let Some(project_id) = project_id {
        builder = builder.project_id(project_id);
    }
    builder.build().unwrap()
}

fn iam_requests(requests: &[Request]) -> Vec<&Request> {
    requests.iter().filter(|request| request.url.path() == "/v3/auth/tokens").collect()
}

#[tokio::test]
async fn many_concurrent_calls_share_one_token_fetch() {
    let server = MockServer::start().await;
    mount_iam(&server, &[("token-1", "2099-01-01T00:00:00.000000Z")]).await;
    Mock::given(method("GET"))
        .and(header("x-auth-token", "token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let cloud = Cloud::new(config(&server, Some(PROJECT))).unwrap();
    let calls = (0..20).map(|i| {
        let client = cloud.modelarts();
        async move { client.show_notebook().id(format!("nb-{i}")).send().await }
    });
    for result in futures_join_all(calls).await {
        result.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(iam_requests(&requests).len(), 1);
    assert_eq!(requests.len(), 21);

    let login = iam_requests(&requests)[0];
    assert!(login.headers.get("x-auth-token").is_none(), "token creation takes no credentials");
    let body: Value = serde_json::from_slice(&login.body).unwrap();
    assert_eq!(
        body,
        json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {"name": "alice", "password": "pa55word", "domain": {"name": "OTC-EU-DE-0001"}}}},
            "scope": {"project": {"id": PROJECT}}
        }})
    );
}

#[tokio::test]
async fn a_token_close_to_expiry_is_replaced() {
    let server = MockServer::start().await;
    mount_iam(&server, &[("old", "2000-01-01T00:00:00Z"), ("new", "2099-01-01T00:00:00Z")]).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let cloud = Cloud::new(config(&server, Some(PROJECT))).unwrap();
    cloud.modelarts().show_notebook().id("a").send().await.unwrap();
    cloud.modelarts().show_notebook().id("b").send().await.unwrap();
    cloud.modelarts().show_notebook().id("c").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(iam_requests(&requests).len(), 2);
    let tokens: Vec<&str> = requests
        .iter()
        .filter(|request| request.method.as_str() == "GET")
        .map(|request| request.headers.get("x-auth-token").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(tokens, ["old", "new", "new"]);
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_retries() {
    let server = MockServer::start().await;
    mount_iam(&server, &[("revoked", "2099-01-01T00:00:00Z"), ("fresh", "2099-01-01T00:00:00Z")]).await;
    Mock::given(method("GET"))
        .and(header("x-auth-token", "revoked"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("x-auth-token", "fresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let cloud = Cloud::new(config(&server, Some(PROJECT))).unwrap();
    cloud.modelarts().show_notebook().id("nb").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(iam_requests(&requests).len(), 2);
    assert_eq!(requests.len(), 4);
}

#[tokio::test]
async fn a_second_401_is_the_callers_error() {
    let server = MockServer::start().await;
    mount_iam(&server, &[("one", "2099-01-01T00:00:00Z"), ("two", "2099-01-01T00:00:00Z")]).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401).set_body_json(json!({
        "error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}
    })))
    .mount(&server)
    .await;
    let cloud = Cloud::new(config(&server, Some(PROJECT))).unwrap();
    let error = cloud.modelarts().show_notebook().id("nb").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.code(), Some("401"));
    assert_eq!(iam_requests(&server.received_requests().await.unwrap()).len(), 2);
}

#[tokio::test]
async fn connect_learns_the_project_id_from_a_project_name() {
    let server = MockServer::start().await;
    mount_iam(&server, &[("t", "2099-01-01T00:00:00Z")]).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let cloud = Cloud::connect(config(&server, None)).await.unwrap();
    assert_eq!(cloud.project_id().as_deref(), Some(PROJECT));
    cloud.modelarts().show_notebook().id("nb").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&iam_requests(&requests)[0].body).unwrap();
    // Keystone finds a project name only within a domain; none configured: the user's.
    assert_eq!(body["auth"]["scope"], json!({"project": {"name": "eu-de_demo", "domain": {"name": "OTC-EU-DE-0001"}}}));
    assert_eq!(requests.last().unwrap().url.path(), format!("/v1/{PROJECT}/notebooks/nb"));
    assert_eq!(iam_requests(&requests).len(), 1, "the token fetched by connect is reused");
}

#[tokio::test]
async fn connect_scopes_a_project_name_by_the_configured_domain() {
    for (config, domain) in [
        (Config::builder().project_domain_id("d-1"), json!({"id": "d-1"})),
        (Config::builder().project_domain_name("other"), json!({"name": "other"})),
    ] {
        let server = MockServer::start().await;
        mount_iam(&server, &[("t", "2099-01-01T00:00:00Z")]).await;
        let config = config
            .region("eu-de")
            .project_name("eu-de_demo")
            .credentials(Credentials::Password {
                user: User::Name { name: "alice".into(), domain: "OTC-EU-DE-0001".into() },
                password: "pa55word".into(),
            })
            .endpoint(Service::Iam, server.uri())
            .build()
            .unwrap();
        let cloud = Cloud::connect(config).await.unwrap();
        assert_eq!(cloud.project_id().as_deref(), Some(PROJECT));
        let requests = server.received_requests().await.unwrap();
        let body: Value = serde_json::from_slice(&iam_requests(&requests)[0].body).unwrap();
        assert_eq!(body["auth"]["scope"], json!({"project": {"name": "eu-de_demo", "domain": domain}}));
    }
}

/// IAM refusing the password, with a request id.
async fn refusing_iam() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).insert_header("x-request-id", "req-42").set_body_json(json!({
            "error": {"code": 401, "title": "Unauthorized", "message": "The username or password is wrong."}
        })))
        .mount(&server)
        .await;
    server
}

/// The IAM error somewhere in the `source()` chain of `error`.
fn iam_error_in<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a otc_client::Error> {
    let mut cause = error.source();
    for _ in 0..8 {
        let found = cause?;
        if let Some(iam) = found.downcast_ref::<otc_client::Error>() {
            return Some(iam);
        }
        cause = found.source();
    }
    None
}

#[tokio::test]
async fn a_failed_login_is_an_authentication_error_with_iams_answer_as_its_cause() {
    let server = refusing_iam().await;
    let cloud = Cloud::new(config(&server, Some(PROJECT))).unwrap();
    let error = cloud.modelarts().show_notebook().id("nb").send().await.unwrap_err();
    assert!(matches!(error, otc_client::Error::Authentication { operation: "ShowNotebook", .. }), "{error}");
    let token_error = std::error::Error::source(&error).and_then(|cause| cause.downcast_ref::<TokenError>());
    assert!(matches!(token_error, Some(TokenError::Iam(_))), "{error:?}");
    let iam = iam_error_in(&error).expect("IAM's error in the source chain");
    assert_eq!(iam.status().map(|status| status.as_u16()), Some(401));
    assert_eq!(iam.operation(), "KeystoneCreateUserTokenByPassword");
    assert!(matches!(iam, otc_client::Error::Api(api) if api.request_id.as_deref() == Some("req-42")), "{iam:?}");
    let shown = format!("{error} {error:?} {cloud:?}");
    assert!(error.to_string().ends_with("The username or password is wrong. [request-id req-42]"), "{error}");
    assert!(!shown.contains("pa55word"), "{shown}");
}

#[tokio::test]
async fn connect_with_a_wrong_password_fails_early_as_authentication() {
    let server = refusing_iam().await;
    let error = Cloud::connect(config(&server, None)).await.unwrap_err();
    assert!(matches!(error, ConnectError::Authentication(TokenError::Iam(_))), "{error:?}");
    let iam = iam_error_in(&error).expect("IAM's error in the source chain");
    assert_eq!(iam.status().map(|status| status.as_u16()), Some(401));
    let shown = format!("{error} {error:?}");
    assert!(error.to_string().starts_with("authentication failed: IAM did not issue a token: "), "{error}");
    assert!(shown.contains("The username or password is wrong."), "{shown}");
    assert!(!shown.contains("pa55word"), "{shown}");
}

#[tokio::test]
async fn connect_without_any_project_is_a_config_error() {
    let server = MockServer::start().await;
    let user = User::Name { name: "alice".into(), domain: "OTC-EU-DE-0001".into() };
    let config = Config::builder()
        .region("eu-de")
        .credentials(Credentials::Password { user, password: "pa55word".into() })
        .endpoint(Service::Iam, server.uri())
        .build()
        .unwrap();
    // Without project id or name the token is domain-scoped and names no project.
    let answer = token_answer("t", "2099-01-01T00:00:00Z")
        .set_body_json(json!({"token": {"expires_at": "2099-01-01T00:00:00Z", "methods": ["password"]}}));
    Mock::given(method("POST")).respond_with(answer).mount(&server).await;
    let error = Cloud::connect(config).await.unwrap_err();
    assert!(matches!(error, ConnectError::Config(_)), "{error:?}");
    assert!(error.to_string().contains("names no project"), "{error}");
}

/// Polls every future to completion concurrently (on one task, as a caller's `join_all` would).
async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = handles.iter().map(|_| None).collect();
    let mut handles: Vec<Option<_>> = handles.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, output) in handles.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => {
                        *output = Some(value);
                        *slot = None;
                    }
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().map(|output| output.expect("completed")).collect()
}
