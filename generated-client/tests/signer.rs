//! AK/SK signing (`SDK-HMAC-SHA256`): each canonicalization rule on its own, a known answer
//! computed outside this crate, and a signed request verified by what a loopback server received.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use otc_client::signer::{
    AccessKey, CanonicalRequest, SignError, Signer, canonical_headers, canonical_query, canonical_request,
    canonical_uri, sdk_date, signature, signed_headers, string_to_sign,
};
use otc_client::{Runtime, Secret, ims, modelarts};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Request, Url};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const AK: &str = "AKIDEXAMPLE0000000";
const SK: &str = "SKEXAMPLE/secret+key";
const TOKEN: &str = "security-token-value";

/// 2019-03-07T10:14:59Z.
fn march_7_2019() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_551_953_699)
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    map
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

/// `Authorization: SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..` → (access, signed, signature).
fn parse_authorization(value: &str) -> (String, String, String) {
    let rest = value.strip_prefix("SDK-HMAC-SHA256 ").expect("algorithm first");
    let mut fields = rest.split(", ").map(|field| field.split_once('=').expect("name=value"));
    let mut next = |name: &str| {
        let (found, value) = fields.next().expect("three fields");
        assert_eq!(found, name);
        value.to_owned()
    };
    (next("Access"), next("SignedHeaders"), next("Signature"))
}

fn authorization_of(request: &Request) -> (String, String, String) {
    parse_authorization(request.headers()["authorization"].to_str().unwrap())
}

// --- canonical URI ---

#[test]
fn uri_always_ends_with_a_slash() {
    assert_eq!(canonical_uri("/v1/p/images"), "/v1/p/images/");
    assert_eq!(canonical_uri("/v1/p/images/"), "/v1/p/images/");
    assert_eq!(canonical_uri("/"), "/");
    assert_eq!(canonical_uri(""), "/");
}

#[test]
fn uri_segments_are_decoded_then_strictly_encoded() {
    // `%2F` inside a segment is data, not a separator: it stays encoded.
    assert_eq!(canonical_uri("/v1/objects/a%2Fb"), "/v1/objects/a%2Fb/");
    // A space and non-ASCII are encoded as UTF-8 bytes with uppercase hex, however the client escaped them.
    assert_eq!(canonical_uri("/v1/images/my%20image"), "/v1/images/my%20image/");
    assert_eq!(canonical_uri("/v1/images/%c3%a9t%C3%A9"), "/v1/images/%C3%A9t%C3%A9/");
    // Unreserved characters stay; other sub-delimiters the URL left bare get encoded.
    assert_eq!(canonical_uri("/a-b_c.d~e/f:g@h(i)"), "/a-b_c.d~e/f%3Ag%40h%28i%29/");
    // Over-escaped unreserved characters are normalized.
    assert_eq!(canonical_uri("/%61%2D%7E"), "/a-~/");
}

#[test]
fn uri_of_a_non_ascii_url_matches_what_reqwest_sends() {
    let url = url("https://example.com/v1/bilder/größe 1/a%2Fb");
    assert_eq!(url.path(), "/v1/bilder/gr%C3%B6%C3%9Fe%201/a%2Fb");
    assert_eq!(canonical_uri(url.path()), "/v1/bilder/gr%C3%B6%C3%9Fe%201/a%2Fb/");
}

// --- canonical query ---

#[test]
fn query_is_empty_without_parameters() {
    assert_eq!(canonical_query(""), "");
    assert_eq!(canonical_query("&&"), "");
}

#[test]
fn query_keys_are_sorted() {
    assert_eq!(canonical_query("limit=10&marker=x&id=1"), "id=1&limit=10&marker=x");
    // Byte order: uppercase before lowercase, a prefix before its extensions.
    assert_eq!(canonical_query("b=1&a_b=2&a=3&B=4"), "B=4&a=3&a_b=2&b=1");
}

#[test]
fn repeated_keys_keep_every_value_sorted() {
    assert_eq!(canonical_query("tag=z&name=n&tag=a&tag=m"), "name=n&tag=a&tag=m&tag=z");
    assert_eq!(canonical_query("k=&k"), "k=&k=");
}

#[test]
fn reserved_and_non_ascii_query_values_are_encoded() {
    // What reqwest writes for ("q", "a b+c/d?e=f&g"), ("name", "größe"), ("sort", "name:asc,date~"):
    let mut url = url("https://example.com/v1");
    url.query_pairs_mut()
        .append_pair("q", "a b+c/d?e=f&g")
        .append_pair("name", "größe")
        .append_pair("sort", "name:asc,date~");
    assert_eq!(url.query(), Some("q=a+b%2Bc%2Fd%3Fe%3Df%26g&name=gr%C3%B6%C3%9Fe&sort=name%3Aasc%2Cdate%7E"));
    assert_eq!(
        canonical_query(url.query().unwrap()),
        "name=gr%C3%B6%C3%9Fe&q=a%20b%2Bc%2Fd%3Fe%3Df%26g&sort=name%3Aasc%2Cdate~"
    );
    // Keys are encoded the same way, and bare reserved characters are encoded too.
    assert_eq!(canonical_query("a%20key=v:1"), "a%20key=v%3A1");
}

// --- headers ---

#[test]
fn content_type_and_underscore_headers_are_not_signed() {
    let map = headers(&[
        ("host", "example.com"),
        ("content-type", "application/json"),
        ("content-type-options", "x"),
        ("x_custom", "dropped by nginx"),
        ("x-sdk-date", "20190307T101459Z"),
        ("accept", "application/json"),
    ]);
    assert_eq!(signed_headers(&map), ["accept", "host", "x-sdk-date"]);
    let canonical = canonical_request("GET", &url("https://example.com/"), &map, b"").unwrap();
    assert_eq!(canonical.signed_headers, "accept;host;x-sdk-date");
    assert!(!canonical.text.contains("content-type") && !canonical.text.contains("x_custom"));
}

#[test]
fn header_values_are_trimmed_and_repeated_values_sorted() {
    let map = headers(&[("x-b", "  padded value \t"), ("x-a", "2"), ("x-a", "1")]);
    let signed = signed_headers(&map);
    assert_eq!(signed, ["x-a", "x-b"]);
    assert_eq!(canonical_headers(&map, &signed).unwrap(), "x-a:1\nx-a:2\nx-b:padded value\n");
}

#[test]
fn non_utf8_header_values_are_an_error_naming_only_the_header() {
    let mut map = HeaderMap::new();
    map.insert("x-bin", HeaderValue::from_bytes(b"\xff\xfe").unwrap());
    let error = canonical_headers(&map, &signed_headers(&map)).unwrap_err();
    assert_eq!(error, SignError::NonUtf8Header("x-bin".into()));
    assert_eq!(error.to_string(), "cannot sign header `x-bin`: its value is not UTF-8");
}

// --- body ---

#[test]
fn an_empty_body_hashes_as_the_empty_string() {
    let canonical = canonical_request("GET", &url("https://example.com/v1"), &HeaderMap::new(), b"").unwrap();
    assert_eq!(canonical.text, format!("GET\n/v1/\n\n\n\n{EMPTY_SHA256}"));
}

#[test]
fn a_request_without_body_is_signed_with_the_empty_hash() {
    let signer = Signer::new(AccessKey::new(AK, SK), None);
    let mut request = Request::new(Method::DELETE, url("https://ims.eu-de.otc.t-systems.com/v2/images/x"));
    signer.sign(&mut request, march_7_2019()).unwrap();
    let (_, signed, sig) = authorization_of(&request);
    let mut sent = request.headers().clone();
    sent.remove("authorization");
    let canonical = canonical_request("DELETE", request.url(), &sent, b"").unwrap();
    assert!(canonical.text.ends_with(EMPTY_SHA256));
    assert_eq!(signed, "host;x-sdk-date");
    assert_eq!(sig, signature(&Secret::new(SK), &string_to_sign("20190307T101459Z", &canonical.text)));
}

#[tokio::test]
async fn streaming_bodies_cannot_be_signed_and_the_request_is_left_alone() {
    let signer = Signer::new(AccessKey::new(AK, SK), None);
    // A file body is streamed: its bytes are not known before sending.
    let file = tokio::fs::File::open(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/signer.rs")).await.unwrap();
    let mut request = Request::new(Method::PUT, url("https://example.com/file"));
    *request.body_mut() = Some(reqwest::Body::from(file));
    let error = signer.sign(&mut request, march_7_2019()).unwrap_err();
    assert_eq!(error, SignError::StreamingBody);
    assert!(request.headers().is_empty());
}

// --- date ---

#[test]
fn sdk_date_is_compact_utc() {
    assert_eq!(sdk_date(march_7_2019()), "20190307T101459Z");
    assert_eq!(sdk_date(UNIX_EPOCH + Duration::from_secs(951_782_400)), "20000229T000000Z");
}

// --- X-Project-Id, X-Security-Token, Host ---

#[test]
fn project_id_and_security_token_are_sent_and_signed() {
    let signer = Signer::new(AccessKey::temporary(AK, SK, TOKEN), Some(PROJECT.into()));
    let mut request = Request::new(Method::GET, url("https://modelarts.eu-de.otc.t-systems.com/v1/p/notebooks"));
    signer.sign(&mut request, march_7_2019()).unwrap();

    let headers = request.headers();
    assert_eq!(headers["x-project-id"], PROJECT);
    assert_eq!(headers["x-security-token"], TOKEN);
    assert_eq!(headers["x-sdk-date"], "20190307T101459Z");
    assert_eq!(headers["host"], "modelarts.eu-de.otc.t-systems.com");
    let (access, signed, sig) = authorization_of(&request);
    assert_eq!(access, AK);
    assert_eq!(signed, "host;x-project-id;x-sdk-date;x-security-token");

    // Changing a signed header invalidates the signature.
    let mut tampered = request.headers().clone();
    tampered.insert("x-security-token", HeaderValue::from_static("another-token"));
    tampered.remove("authorization");
    let canonical = canonical_request("GET", request.url(), &tampered, b"").unwrap();
    assert_ne!(sig, signature(&Secret::new(SK), &string_to_sign("20190307T101459Z", &canonical.text)));
}

#[test]
fn without_project_or_token_neither_header_is_added() {
    let signer = Signer::new(AccessKey::new(AK, SK), None);
    let mut request = Request::new(Method::GET, url("http://127.0.0.1:8080/v1"));
    signer.sign(&mut request, march_7_2019()).unwrap();
    assert!(request.headers().get("x-project-id").is_none());
    assert!(request.headers().get("x-security-token").is_none());
    assert_eq!(request.headers()["host"], "127.0.0.1:8080");
}

#[test]
fn an_explicit_host_header_is_kept_and_signed() {
    let signer = Signer::new(AccessKey::new(AK, SK), None);
    let mut request = Request::new(Method::GET, url("http://10.0.0.1/v1"));
    request.headers_mut().insert("host", HeaderValue::from_static("ims.eu-de.otc.t-systems.com"));
    signer.sign(&mut request, march_7_2019()).unwrap();
    assert_eq!(request.headers()["host"], "ims.eu-de.otc.t-systems.com");
    assert!(authorization_of(&request).1.starts_with("host;"));
}

#[test]
fn signing_again_replaces_the_previous_authorization() {
    let signer = Signer::new(AccessKey::new(AK, SK), Some(PROJECT.into()));
    let mut request = Request::new(Method::GET, url("https://example.com/v1"));
    signer.sign(&mut request, march_7_2019()).unwrap();
    let first = authorization_of(&request);
    signer.sign(&mut request, march_7_2019() + Duration::from_secs(60)).unwrap();
    let second = authorization_of(&request);
    assert_eq!(second.1, "host;x-project-id;x-sdk-date", "the old Authorization is not signed");
    assert_ne!(first.2, second.2);
    assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
    assert_eq!(request.headers()["x-sdk-date"], "20190307T101559Z");
}

// --- known answer ---

/// The expected canonical request is written out by hand; the expected signature was computed
/// outside this crate, once, with Python's standard library:
///
/// ```text
/// python3 -c 'import hmac,hashlib
/// body=b"{\"name\":\"ubuntu-22.04\",\"image_tags\":[]}"
/// c="POST\n/v2/cloudimages/action/\na=1&b=2\nhost:ims.eu-de.otc.t-systems.com\n" \
///   "x-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20190307T101459Z\n\n" \
///   "host;x-project-id;x-sdk-date\n"+hashlib.sha256(body).hexdigest()
/// sts="SDK-HMAC-SHA256\n20190307T101459Z\n"+hashlib.sha256(c.encode()).hexdigest()
/// print(hmac.new(b"SKEXAMPLE/secret+key",sts.encode(),hashlib.sha256).hexdigest())'
/// ```
#[test]
fn known_answer() {
    const BODY: &[u8] = br#"{"name":"ubuntu-22.04","image_tags":[]}"#;
    const BODY_SHA256: &str = "0e745e434960f8412cc21193d9932aa2764daccd3e2191af17113c264bf13380";
    const CANONICAL: &str = "POST\n\
        /v2/cloudimages/action/\n\
        a=1&b=2\n\
        host:ims.eu-de.otc.t-systems.com\n\
        x-project-id:0123456789abcdef0123456789abcdef\n\
        x-sdk-date:20190307T101459Z\n\
        \n\
        host;x-project-id;x-sdk-date\n\
        0e745e434960f8412cc21193d9932aa2764daccd3e2191af17113c264bf13380";
    const CANONICAL_SHA256: &str = "28e52585057e134d49ab6001f2b196260aecba8bb2c477d3dc6a48f45dcf950c";
    const SIGNATURE: &str = "edfacfe93ab26827354a57b626acba51da94a939c885c4b963f232c97815520d";

    let signer = Signer::new(AccessKey::new(AK, SK), Some(PROJECT.into()));
    let mut request =
        Request::new(Method::POST, url("https://ims.eu-de.otc.t-systems.com/v2/cloudimages/action?b=2&a=1"));
    request.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    *request.body_mut() = Some(BODY.into());
    signer.sign(&mut request, march_7_2019()).unwrap();

    let mut signed_only = request.headers().clone();
    signed_only.remove("authorization");
    assert_eq!(
        canonical_request("POST", request.url(), &signed_only, BODY).unwrap(),
        CanonicalRequest { text: CANONICAL.to_owned(), signed_headers: "host;x-project-id;x-sdk-date".to_owned() }
    );
    assert!(CANONICAL.ends_with(BODY_SHA256));
    assert_eq!(
        string_to_sign("20190307T101459Z", CANONICAL),
        format!("SDK-HMAC-SHA256\n20190307T101459Z\n{CANONICAL_SHA256}")
    );
    assert_eq!(signature(&Secret::new(SK), &string_to_sign("20190307T101459Z", CANONICAL)), SIGNATURE);
    assert_eq!(
        request.headers()["authorization"],
        format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=host;x-project-id;x-sdk-date, Signature={SIGNATURE}")
    );
}

// --- end to end ---

/// A request signed by `Signer::sign` and sent by reqwest is verified from what the server
/// received, the way the gateway does: take the signed header names from `Authorization`,
/// rebuild the canonical request from the received method, path, query, those headers and the
/// received body bytes, and compare signatures.
#[tokio::test]
async fn a_loopback_server_verifies_the_signature_of_what_it_received() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;

    let body = "{\"name\":\"größe\",\"tags\":[\"a b\"]}".as_bytes().to_vec();
    let client = otc_client::http::client_builder().build().unwrap();
    let mut request = client
        .post(format!("{}/v1/{PROJECT}/images/my%20image/a%2Fb/%C3%A9t%C3%A9", server.uri()))
        .query(&[("tag", "z"), ("name", "a b+c/d"), ("tag", "ä"), ("marker", "")])
        .header("content-type", "application/json")
        .header("x-custom", "  padded  ")
        .header("x_underscore", "unsigned")
        .body(body.clone())
        .build()
        .unwrap();
    let signer = Signer::new(AccessKey::temporary(AK, SK, TOKEN), Some(PROJECT.into()));
    signer.sign(&mut request, SystemTime::now()).unwrap();
    let sent_authorization = request.headers()["authorization"].clone();
    assert!(client.execute(request).await.unwrap().status().is_success());

    let received = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(received.body, body, "the body on the wire is the one that was signed");
    assert_eq!(received.headers["authorization"], sent_authorization);

    let (canonical, signed) = verify_received(&received);
    assert_eq!(signed, "host;x-custom;x-project-id;x-sdk-date;x-security-token");
    let uri_and_query: Vec<&str> = canonical.text.lines().skip(1).take(2).collect();
    assert_eq!(
        uri_and_query,
        [
            format!("/v1/{PROJECT}/images/my%20image/a%2Fb/%C3%A9t%C3%A9/"),
            "marker=&name=a%20b%2Bc%2Fd&tag=z&tag=%C3%A4".to_owned()
        ]
    );
}

/// Verifies what a loopback server received the way the gateway does: takes the signed header
/// names from `Authorization`, rebuilds the canonical request from the received method, path,
/// query, those headers and body bytes, and compares signatures (keyed with [`SK`]). Returns the
/// canonical request and the signed header names.
fn verify_received(received: &wiremock::Request) -> (CanonicalRequest, String) {
    let (access, signed, received_signature) = parse_authorization(received.headers["authorization"].to_str().unwrap());
    assert_eq!(access, AK);
    let mut signed_headers = HeaderMap::new();
    for name in signed.split(';') {
        for value in received.headers.get_all(name) {
            signed_headers.append(HeaderName::from_bytes(name.as_bytes()).unwrap(), value.clone());
        }
    }
    let canonical =
        canonical_request(received.method.as_str(), &received.url, &signed_headers, &received.body).unwrap();
    assert_eq!(canonical.signed_headers, signed);
    let date = received.headers["x-sdk-date"].to_str().unwrap();
    assert_eq!(signature(&Secret::new(SK), &string_to_sign(date, &canonical.text)), received_signature);
    (canonical, signed)
}

/// The runtime builder makes the signer when it is built, so the project id set after the
/// access key is signed as well as one set before.
#[tokio::test]
async fn the_project_id_is_sent_and_signed_whichever_builder_call_comes_first() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let key_first = Runtime::builder().access_key(AccessKey::new(AK, SK)).project_id(PROJECT).build();
    let project_first = Runtime::builder().project_id(PROJECT).access_key(AccessKey::new(AK, SK)).build();
    for runtime in [key_first, project_first] {
        modelarts::Client::new(&server.uri(), runtime).show_notebook().id("nb").send().await.unwrap();
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(request.url.path(), format!("/v1/{PROJECT}/notebooks/nb"));
        assert_eq!(request.headers["x-project-id"], PROJECT);
        let (_, signed) = verify_received(request);
        assert!(signed.split(';').any(|name| name == "x-project-id"), "{signed}");
    }
}

/// A streamed body cannot be signed: the call fails before sending, as an authentication error
/// whose `source()` is the typed `SignError`.
#[tokio::test]
async fn an_unsignable_request_is_an_authentication_error_caused_by_the_sign_error() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let runtime = Runtime::builder().access_key(AccessKey::new(AK, SK)).build();
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(b"disk".to_vec())]);
    let error = ims::Client::new(&server.uri(), runtime)
        .glance_upload_image_file()
        .image_id("84ac7f2b-bf19-4efb-86a0-b5be8771b476")
        .body(otc_client::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, otc_client::Error::Authentication { operation: "GlanceUploadImageFile", .. }), "{error}");
    let cause = std::error::Error::source(&error).and_then(|cause| cause.downcast_ref::<SignError>());
    assert_eq!(cause, Some(&SignError::StreamingBody));
    assert!(error.to_string().ends_with(&SignError::StreamingBody.to_string()), "{error}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent");
}

// --- secrets stay secret ---

#[test]
fn debug_and_display_never_show_the_secret_key_or_token() {
    let secret = Secret::new(SK);
    assert!(!format!("{secret:?} {secret} {secret:#?}").contains(SK));
    assert_eq!(secret.expose(), SK);

    let credentials = AccessKey::temporary(AK, SK, TOKEN);
    let signer = Signer::new(credentials.clone(), Some(PROJECT.into()));
    for shown in
        [format!("{credentials:?}"), format!("{credentials:#?}"), format!("{signer:?}"), format!("{signer:#?}")]
    {
        assert!(!shown.contains(SK) && !shown.contains("SKEXAMPLE"), "{shown}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains(AK), "the access key is an identifier and helps debugging: {shown}");
    }
}

#[test]
fn a_signed_request_debug_hides_the_authorization_and_token() {
    let signer = Signer::new(AccessKey::temporary(AK, SK, TOKEN), None);
    let mut request = Request::new(Method::GET, url("https://example.com/"));
    signer.sign(&mut request, march_7_2019()).unwrap();
    let signature = authorization_of(&request).2;
    let shown = format!("{request:?}");
    assert!(!shown.contains(TOKEN) && !shown.contains(&signature), "{shown}");
}
