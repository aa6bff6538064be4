//! Servers that redirect: a credential never reaches an origin it was not configured for.
//!
//! Every redirect status × every authentication mode × every method, against a loopback
//! server that redirects to a second loopback port (another origin). That second port is a
//! bare listener nobody accepts on: any connection attempt would sit in its backlog, so "no
//! pending connection" proves that nothing, not even a TCP handshake, went there.

use std::net::TcpListener;
use std::time::{Duration, SystemTime};

use otc_client::redirect::{MAX_REDIRECTS, NotFollowed};
use otc_client::signer::{canonical_request, signature, string_to_sign};
use otc_client::{Cloud, Config, Credentials, Error, RetryPolicy, Runtime, Secret, Service, User};
use reqwest::header::{HeaderMap, HeaderName};
use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const TOKEN: &str = "token-value-never-elsewhere";
const PASSWORD: &str = "pa55word-never-elsewhere";
const AK: &str = "HSTEST7AKEXAMPLE";
const SK: &str = "sk-never-elsewhere";
const SECURITY_TOKEN: &str = "security-token-never-elsewhere";
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// A port on loopback that never accepts: connections to it would wait in its backlog.
struct Canary(TcpListener);

impl Canary {
    fn new() -> Canary {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Canary(listener)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.0.local_addr().unwrap().port())
    }

    fn assert_untouched(&self) {
        match self.0.accept() {
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("something connected to the other origin: {other:?}"),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Auth {
    Anonymous,
    Token,
    AccessKey,
    Password,
}

const AUTHS: [Auth; 4] = [Auth::Anonymous, Auth::Token, Auth::AccessKey, Auth::Password];

/// A cloud whose every endpoint is `server`; password logins get a token from its IAM path.
async fn cloud(server: &MockServer, auth: Auth) -> Cloud {
    let credentials = match auth {
        Auth::Anonymous => None,
        Auth::Token => Some(Credentials::Token(TOKEN.into())),
        Auth::AccessKey => Some(Credentials::AccessKey {
            access_key: AK.into(),
            secret_key: SK.into(),
            security_token: Some(SECURITY_TOKEN.into()),
        }),
        Auth::Password => {
            Mock::given(method("POST"))
                .and(path("/v3/auth/tokens"))
                .respond_with(ResponseTemplate::new(201).insert_header("x-subject-token", TOKEN).set_body_json(json!({
                    "token": {"expires_at": "2099-01-01T00:00:00.000000Z", "project": {"id": PROJECT}}
                })))
                .mount(server)
                .await;
            Some(Credentials::Password {
                user: User::Name { name: "alice".into(), domain: "OTC-EU-DE-0001".into() },
                password: PASSWORD.into(),
            })
        }
    };
    let mut builder = Config::builder()
        .region("eu-de")
        .project_id(PROJECT)
        .retry(RetryPolicy::none())
        .endpoint(Service::Iam, server.uri())
        .endpoint(Service::ModelArts, server.uri());
    if let Some(credentials) = credentials {
        builder = builder.credentials(credentials);
    }
    Cloud::new(builder.build().unwrap()).unwrap()
}

/// One call of each method: GET, POST, PUT and DELETE.
async fn call(cloud: &Cloud, method: &str) -> Result<u16, Error> {
    let modelarts = cloud.modelarts();
    Ok(match method {
        "GET" => modelarts.show_notebook().id("nb").send().await?.status().as_u16(),
        "POST" => modelarts.start_notebook().id("nb").send().await?.status().as_u16(),
        "PUT" => {
            let body = serde_json::from_value::<otc_client::modelarts::types::UpdateNotebookRequest>(
                json!({"name": "renamed"}),
            )
            .unwrap();
            modelarts.update_notebook().id("nb").body(body).send().await?.status().as_u16()
        }
        "DELETE" => modelarts.delete_notebook().id("nb").send().await?.status().as_u16(),
        other => unreachable!("{other}"),
    })
}

const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

fn notebook_calls() -> wiremock::matchers::PathRegexMatcher {
    path_regex(r"^/v1/[0-9a-f]+/notebooks/nb(/start)?$")
}

fn assert_no_secret_in(text: &str) {
    for secret in [TOKEN, PASSWORD, SK, SECURITY_TOKEN] {
        assert!(!text.contains(secret), "a secret leaked into {text}");
    }
}

#[tokio::test]
async fn cross_origin_redirects_are_never_followed_whatever_the_status_auth_or_method() {
    let canary = Canary::new();
    for status in REDIRECTS {
        for auth in AUTHS {
            let server = MockServer::start().await;
            let location = canary.url("/stolen?from=otc");
            Mock::given(notebook_calls())
                .respond_with(ResponseTemplate::new(status).insert_header("location", location.as_str()))
                .mount(&server)
                .await;
            let cloud = cloud(&server, auth).await;
            for method in METHODS {
                let error = call(&cloud, method).await.expect_err("a redirect elsewhere is an error");
                let case = format!("{status} {auth:?} {method}: {error}");
                match &error {
                    Error::Redirect { status: got, location: Some(shown), reason, .. } => {
                        assert_eq!(got.as_u16(), status, "{case}");
                        assert_eq!(shown, &location, "{case}");
                        assert_eq!(*reason, NotFollowed::OtherOrigin, "{case}");
                    }
                    other => panic!("{case}: not a redirect error: {other:?}"),
                }
                assert!(error.to_string().contains(&location), "{case}");
                assert_no_secret_in(&format!("{error} {error:?}"));
                canary.assert_untouched();
            }
            let requests = server.received_requests().await.unwrap();
            assert!(requests.iter().all(|request| request.headers.get("referer").is_none()), "no Referer");
        }
    }
}

#[tokio::test]
async fn the_iam_token_request_is_never_redirected_anywhere() {
    let canary = Canary::new();
    for status in REDIRECTS {
        for elsewhere in [true, false] {
            let server = MockServer::start().await;
            let location = if elsewhere { canary.url("/v3/auth/tokens") } else { format!("{}/moved", server.uri()) };
            Mock::given(method("POST"))
                .and(path("/v3/auth/tokens"))
                .respond_with(ResponseTemplate::new(status).insert_header("location", location.as_str()))
                .mount(&server)
                .await;
            Mock::given(path("/moved")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
            let config = Config::builder()
                .region("eu-de")
                .project_name("eu-de_demo")
                .credentials(Credentials::Password {
                    user: User::Name { name: "alice".into(), domain: "OTC-EU-DE-0001".into() },
                    password: PASSWORD.into(),
                })
                .endpoint(Service::Iam, server.uri())
                .retry(RetryPolicy::none())
                .build()
                .unwrap();
            let error = Cloud::connect(config).await.expect_err("no token without following the redirect");
            let shown = format!("{error} {error:?}");
            assert!(shown.contains(&status.to_string()), "{status}: {shown}");
            assert_no_secret_in(&shown);
            canary.assert_untouched();
            let requests = server.received_requests().await.unwrap();
            assert_eq!(requests.len(), 1, "{status} to {location}: the password was sent once, to IAM only");
            assert_eq!(requests[0].url.path(), "/v3/auth/tokens");
        }
    }
}

/// Whether a received AK/SK request carries a valid signature for what arrived.
fn signature_verifies(received: &Request) -> bool {
    let Some(authorization) = received.headers.get("authorization").and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let field = |name: &str| {
        authorization.split([' ', ',']).find_map(|part| part.strip_prefix(name)).unwrap_or_default().to_owned()
    };
    let (signed, sent) = (field("SignedHeaders="), field("Signature="));
    let mut headers = HeaderMap::new();
    for name in signed.split(';') {
        for value in received.headers.get_all(name) {
            headers.append(HeaderName::from_bytes(name.as_bytes()).unwrap(), value.clone());
        }
    }
    let Ok(canonical) = canonical_request(received.method.as_str(), &received.url, &headers, &received.body) else {
        return false;
    };
    let date = received.headers["x-sdk-date"].to_str().unwrap();
    signature(&Secret::new(SK), &string_to_sign(date, &canonical.text)) == sent
}

#[tokio::test]
async fn same_origin_redirects_are_followed_with_fresh_credentials() {
    // (status, method, followed, method at the target)
    let cases = [
        (301, "GET", true, "GET"),
        (302, "GET", true, "GET"),
        (303, "GET", true, "GET"),
        (307, "GET", true, "GET"),
        (308, "GET", true, "GET"),
        (301, "POST", false, ""),
        (302, "PUT", false, ""),
        (303, "POST", true, "GET"),
        (303, "DELETE", true, "GET"),
        (307, "POST", true, "POST"),
        (308, "PUT", true, "PUT"),
        (307, "DELETE", true, "DELETE"),
    ];
    for (status, method, followed, target_method) in cases {
        for auth in AUTHS {
            let server = MockServer::start().await;
            let case = format!("{status} {method} {auth:?}");
            Mock::given(notebook_calls())
                .respond_with(
                    ResponseTemplate::new(status).insert_header("location", format!("/v1/{PROJECT}/moved").as_str()),
                )
                .mount(&server)
                .await;
            Mock::given(path(format!("/v1/{PROJECT}/moved")))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "nb"})))
                .mount(&server)
                .await;
            let cloud = cloud(&server, auth).await;
            let result = call(&cloud, method).await;
            let requests = server.received_requests().await.unwrap();
            let service: Vec<&Request> =
                requests.iter().filter(|request| request.url.path() != "/v3/auth/tokens").collect();
            if !followed {
                let error = result.expect_err(&case);
                assert!(
                    matches!(error, Error::Redirect { reason: NotFollowed::MethodWouldChange, .. }),
                    "{case}: {error:?}"
                );
                assert_eq!(service.len(), 1, "{case}");
                continue;
            }
            assert_eq!(result.unwrap_or_else(|error| panic!("{case}: {error}")), 200, "{case}");
            assert_eq!(service.len(), 2, "{case}");
            let hop = service[1];
            assert_eq!(hop.method.as_str(), target_method, "{case}");
            if target_method == "GET" && method != "GET" {
                assert!(hop.body.is_empty(), "{case}: 303 drops the body");
            } else {
                assert_eq!(hop.body, service[0].body, "{case}: the body is sent again");
            }
            match auth {
                Auth::Token | Auth::Password => assert_eq!(hop.headers["x-auth-token"], TOKEN, "{case}"),
                Auth::AccessKey => {
                    assert!(signature_verifies(service[0]), "{case}: first hop signed");
                    assert!(signature_verifies(hop), "{case}: the redirected request is signed for its new URL");
                    assert_eq!(hop.headers["x-security-token"], SECURITY_TOKEN, "{case}");
                }
                Auth::Anonymous => {
                    assert!(hop.headers.get("x-auth-token").is_none() && hop.headers.get("authorization").is_none())
                }
            }
            assert!(hop.headers.get("referer").is_none(), "{case}: no Referer");
        }
    }
}

#[tokio::test]
async fn a_redirect_loop_ends_after_a_bounded_number_of_hops() {
    let server = MockServer::start().await;
    Mock::given(notebook_calls())
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("/v1/{PROJECT}/notebooks/nb").as_str()),
        )
        .mount(&server)
        .await;
    let runtime = Runtime::builder().project_id(PROJECT).token(TOKEN).retry(RetryPolicy::none()).build();
    let client = otc_client::modelarts::Client::new(&server.uri(), runtime);
    let error = client.show_notebook().id("nb").send().await.unwrap_err();
    assert!(matches!(error, Error::Redirect { reason: NotFollowed::TooMany, .. }), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len() as u32, MAX_REDIRECTS + 1);
}

#[tokio::test]
async fn a_redirect_without_location_or_with_an_absurd_one_is_a_clear_error() {
    let server = MockServer::start().await;
    let absurd = format!("http://127.0.0.1:1/{}", "a".repeat(20_000));
    Mock::given(path(format!("/v1/{PROJECT}/notebooks/absurd")))
        .respond_with(ResponseTemplate::new(307).insert_header("location", absurd.as_str()))
        .mount(&server)
        .await;
    Mock::given(path(format!("/v1/{PROJECT}/notebooks/none")))
        .respond_with(ResponseTemplate::new(302))
        .mount(&server)
        .await;
    let runtime = Runtime::builder().project_id(PROJECT).retry(RetryPolicy::none()).build();
    let client = otc_client::modelarts::Client::new(&server.uri(), runtime);
    let started = SystemTime::now();
    let error = client.show_notebook().id("absurd").send().await.unwrap_err();
    assert!(matches!(error, Error::Redirect { reason: NotFollowed::OtherOrigin, .. }), "{error:?}");
    assert!(error.to_string().len() < 600, "the Location is shortened: {} bytes", error.to_string().len());
    let error = client.show_notebook().id("none").send().await.unwrap_err();
    assert!(matches!(error, Error::Redirect { reason: NotFollowed::NoLocation, location: None, .. }), "{error:?}");
    assert!(started.elapsed().unwrap() < Duration::from_secs(10));
}

#[test]
fn clients_built_for_new_with_client_follow_no_redirects() {
    let canary = Canary::new();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", canary.url("/x").as_str()))
            .mount(&server)
            .await;
        let http = otc_client::http::client_builder().build().unwrap();
        let response = http.get(server.uri()).header("x-auth-token", TOKEN).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 302, "reqwest hands the redirect back");
    });
    canary.assert_untouched();
}
