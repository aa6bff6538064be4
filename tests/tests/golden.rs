//! Every documented example goes over the wire through the generated client against a real
//! HTTP server on loopback. Each example is its own test (libtest-mimic), named
//! `service/Operation/request/<example>` or `service/Operation/response/<status>/<example>`.

use std::collections::BTreeMap;

use libtest_mimic::{Arguments, Failed, Trial};
use otc_codegen::examples::Direction;
use otc_golden_tests::cases::{self, Answer, Case, SuccessCase};
use otc_golden_tests::dispatch::{self, Clients};
use otc_golden_tests::support::{Outcome, without_null_members};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The reference's documented example counts for the seed operations: the suite must find at
/// least these many (request, response) examples.
const DOCUMENTED: &[(&str, usize, usize)] = &[
    ("modelarts/RegisterImage", 1, 1),
    ("modelarts/ListImageGroup", 0, 1),
    ("modelarts/ShowNotebook", 0, 1),
    ("ims/ImportImageQuick", 4, 1),
    ("ims/GlanceCreateImageMetadata", 1, 1),
];

fn main() {
    let arguments = Arguments::from_args();
    let cases = cases::discover(&cases::specs_dir()).expect("the specs load");
    let mut trials: Vec<Trial> =
        cases.iter().cloned().map(|case| Trial::test(case.title(), move || block_on(replay(&case)))).collect();
    trials.extend(conformance_trials());
    trials.extend(parameter_trials());
    trials.extend(error_trials(&cases));
    trials.extend(forward_compatibility_trials(&cases));
    trials.extend(success_status_trials());
    trials.push(Trial::test("counting/documented examples are all found", move || counting(&cases)));
    libtest_mimic::run(&arguments, trials).exit();
}

fn block_on<F: Future<Output = Result<(), Failed>>>(future: F) -> Result<(), Failed> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(future)
}

async fn replay(case: &Case) -> Result<(), Failed> {
    match case.direction {
        Direction::Request => request_case(case).await,
        Direction::Response => response_case(case).await,
    }
}

/// The documented request example, sent through the generated builder, arrives as documented.
async fn request_case(case: &Case) -> Result<(), Failed> {
    let (status, answer) = &case.success;
    let server = serve(*status, answer.as_ref()).await;
    let outcome = dispatch::call(
        &Clients::new(&server.uri()),
        &case.service,
        &case.operation_id,
        &case.path_parameters,
        Some(&case.value),
    )
    .await
    .map_err(|error| format!("{}: {error}", case.pointer))?;
    let requests = server.received_requests().await.unwrap_or_default();
    let [request] = requests.as_slice() else {
        return Err(format!("expected one request, got {}", requests.len()).into());
    };
    expect_eq("method", request.method.as_str(), case.method.as_str())?;
    expect_eq("path", request.url.path(), &case.expected_path())?;
    expect_eq("query", request.url.query().unwrap_or(""), "")?;
    let content_type = request.headers.get("content-type").and_then(|value| value.to_str().ok()).unwrap_or("(none)");
    expect_eq("Content-Type", content_type, &case.media_type)?;
    let body: Value =
        serde_json::from_slice(&request.body).map_err(|error| format!("the body is not JSON: {error}"))?;
    if body != case.value {
        return Err(format!(
            "the body differs from the documented example\n  sent:       {body}\n  documented: {}",
            case.value
        )
        .into());
    }
    if answer.is_some() && decoded(&outcome).is_none() {
        return Err(format!("the documented success answer did not decode: {outcome:?}").into());
    }
    Ok(())
}

/// The documented response, served by the server, decodes into the generated type and encodes
/// back to the documented JSON (a `null` member counting as absent).
async fn response_case(case: &Case) -> Result<(), Failed> {
    let status = cases::status_code(case.status.as_deref().unwrap_or("200"));
    let server = serve(status, Some(&case.value)).await;
    let clients = Clients::new(&server.uri());
    let outcome =
        dispatch::call(&clients, &case.service, &case.operation_id, &case.path_parameters, case.request_body.as_ref())
            .await
            .map_err(|error| format!("{}: {error}", case.pointer))?;
    let documented = without_null_members(&case.value);
    match outcome {
        Outcome::Success { .. } | Outcome::OptionalSuccess { .. } => {
            let (got, body) =
                decoded(&outcome).ok_or_else(|| format!("a documented body came back as none: {outcome:?}"))?;
            expect_eq("status", &got.to_string(), &status.to_string())?;
            let body = without_null_members(body);
            if body != documented {
                return Err(
                    format!("re-encoded response differs\n  decoded:    {body}\n  documented: {documented}").into()
                );
            }
        }
        Outcome::Failure(error) => {
            expect_eq("status", &error.status.as_u16().to_string(), &status.to_string())?;
            if (200..300).contains(&status) {
                return Err(format!("a documented success status came back as a failure: {error}").into());
            }
            let body: Value = serde_json::from_str(&error.body).map_err(|e| format!("error body is not JSON: {e}"))?;
            expect_eq("error body", &body.to_string(), &case.value.to_string())?;
            if error.code.is_none() || error.message.is_none() {
                return Err(format!("the documented error body gave no code or message: {error:?}").into());
            }
        }
    }
    if let Some(schema) = &case.schema_component {
        let typed = dispatch::round_trip_component(&case.service, schema, &case.value)?;
        if without_null_members(&typed) != documented {
            return Err(
                format!("`{schema}` does not round-trip\n  decoded:    {typed}\n  documented: {documented}").into()
            );
        }
    }
    Ok(())
}

/// The status and decoded body of a success that has one.
fn decoded(outcome: &Outcome) -> Option<(u16, &Value)> {
    match outcome {
        Outcome::Success { status, body } | Outcome::OptionalSuccess { status, body: Some(body) } => {
            Some((*status, body))
        }
        Outcome::OptionalSuccess { body: None, .. } | Outcome::Failure(_) => None,
    }
}

/// Every documented success status of every operation, answered as documented (with its
/// example, or empty where the spec documents no body), is a success with that status: a
/// documented body decodes (`Some` where the operation also documents bodiless statuses), an
/// empty one is `None` there and `()` (or an empty stream) elsewhere.
fn success_status_trials() -> Vec<Trial> {
    let cases = cases::success_cases(&cases::specs_dir()).expect("the specs load");
    cases
        .into_iter()
        .map(|case| Trial::test(format!("success/{}", case.title()), move || block_on(success_status(&case))))
        .collect()
}

async fn success_status(case: &SuccessCase) -> Result<(), Failed> {
    let status = cases::status_code(&case.status);
    let server = MockServer::start().await;
    let template = match &case.answer {
        Answer::Json(body) => ResponseTemplate::new(status).set_body_json(body),
        Answer::Raw(bytes) => ResponseTemplate::new(status).set_body_raw(bytes.as_bytes(), "application/octet-stream"),
        Answer::Empty => ResponseTemplate::new(status),
    };
    Mock::given(any()).respond_with(template).mount(&server).await;
    let outcome = dispatch::call(
        &Clients::new(&server.uri()),
        &case.service,
        &case.operation_id,
        &case.path_parameters,
        case.request_body.as_ref(),
    )
    .await
    .map_err(|error| format!("a documented success failed: {error}"))?;
    let got = match &outcome {
        Outcome::Success { status, .. } | Outcome::OptionalSuccess { status, .. } => *status,
        Outcome::Failure(error) => return Err(format!("a documented success came back as a failure: {error}").into()),
    };
    expect_eq("status", &got.to_string(), &status.to_string())?;
    match (&case.answer, &outcome) {
        (Answer::Json(documented), _) => {
            let (_, body) =
                decoded(&outcome).ok_or_else(|| format!("the documented body came back as none: {outcome:?}"))?;
            let (body, documented) = (without_null_members(body), without_null_members(documented));
            if body == documented { Ok(()) } else { Err(format!("body: got {body}, want {documented}").into()) }
        }
        (Answer::Raw(bytes), Outcome::Success { body, .. }) => expect_eq("body", body.as_str().unwrap_or(""), bytes),
        (Answer::Empty, Outcome::OptionalSuccess { body: None, .. }) => Ok(()),
        // `()` encodes as null; an empty download reads as "".
        (Answer::Empty, Outcome::Success { body, .. }) if body.is_null() || body == "" => Ok(()),
        _ => Err(format!("unexpected outcome for a documented {} answer: {outcome:?}", case.title()).into()),
    }
}

/// A loopback server answering every request with `status` and `body`.
async fn serve(status: u16, body: Option<&Value>) -> MockServer {
    let server = MockServer::start().await;
    let template = match body {
        Some(body) => ResponseTemplate::new(status).set_body_json(body),
        None => ResponseTemplate::new(status),
    };
    Mock::given(any()).respond_with(template).mount(&server).await;
    server
}

fn expect_eq(what: &str, got: &str, want: &str) -> Result<(), Failed> {
    if got == want { Ok(()) } else { Err(format!("{what}: got `{got}`, want `{want}`").into()) }
}

/// Reports the examples found per operation and checks none of the documented ones is missing.
fn counting(cases: &[Case]) -> Result<(), Failed> {
    let mut found: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for case in cases {
        let entry = found.entry(format!("{}/{}", case.service, case.operation_id)).or_default();
        match case.direction {
            Direction::Request => entry.0 += 1,
            Direction::Response => entry.1 += 1,
        }
    }
    for (operation, (requests, responses)) in &found {
        println!("  {operation}: {requests} request and {responses} response examples");
    }
    let mut documented_total = 0;
    for (operation, requests, responses) in DOCUMENTED {
        documented_total += requests + responses;
        let (got_requests, got_responses) = found.get(*operation).copied().unwrap_or_default();
        if got_requests < *requests || got_responses < *responses {
            return Err(format!(
                "{operation}: found {got_requests} request and {got_responses} response examples, the reference documents {requests} and {responses}"
            )
            .into());
        }
    }
    if cases.len() < documented_total {
        return Err(
            format!("found {} examples, the reference documents at least {documented_total}", cases.len()).into()
        );
    }
    Ok(())
}

/// ShowNotebook ids that need encoding (each must arrive as exactly one path segment), and ids
/// no URL can carry as a segment (refused before anything is sent).
const NOTEBOOK_IDS: &[(&str, &str, Option<&str>)] = &[
    ("plain", "6e3cd1a5-9b7e-4c8f", Some("6e3cd1a5-9b7e-4c8f")),
    ("slash", "a/b", Some("a%2Fb")),
    ("dot-dot-inside", "a/../b", Some("a%2F..%2Fb")),
    ("space", "with space", Some("with%20space")),
    ("non-ascii", "ümlaut-日本", Some("%C3%BCmlaut-%E6%97%A5%E6%9C%AC")),
    ("reserved", "a?b#c%d", Some("a%3Fb%23c%25d")),
    ("dot-dot", "..", None),
    ("dot", ".", None),
    ("empty", "", None),
];

/// One ListImageGroup query case: label, parameters as JSON, expected query pairs.
type QueryCase = (&'static str, Value, Vec<(&'static str, &'static str)>);

fn list_image_group_queries() -> Vec<QueryCase> {
    use serde_json::json;
    vec![
        ("none", json!({}), vec![]),
        ("name", json!({"name": "pytorch_1_8"}), vec![("name", "pytorch_1_8")]),
        ("fuzzy-true", json!({"name_fuzzy_match": true}), vec![("name_fuzzy_match", "true")]),
        ("fuzzy-false", json!({"name_fuzzy_match": false}), vec![("name_fuzzy_match", "false")]),
        (
            "namespace",
            json!({"namespace": "op_svc_modelarts_container2"}),
            vec![("namespace", "op_svc_modelarts_container2")],
        ),
        ("type-known", json!({"type": "BUILD_IN"}), vec![("type", "BUILD_IN")]),
        ("type-unknown", json!({"type": "SHARED"}), vec![("type", "SHARED")]),
        ("workspace", json!({"workspace_id": "0"}), vec![("workspace_id", "0")]),
        (
            "all",
            json!({"name": "a b&c", "name_fuzzy_match": false, "namespace": "ns", "type": "DEDICATED", "workspace_id": "w-1"}),
            vec![
                ("name", "a b&c"),
                ("name_fuzzy_match", "false"),
                ("namespace", "ns"),
                ("type", "DEDICATED"),
                ("workspace_id", "w-1"),
            ],
        ),
    ]
}

fn parameter_trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for (label, id, encoded) in NOTEBOOK_IDS {
        trials.push(Trial::test(format!("parameters/ShowNotebook/id/{label}"), move || {
            block_on(notebook_id(id, *encoded))
        }));
    }
    for (label, params, pairs) in list_image_group_queries() {
        trials.push(Trial::test(format!("parameters/ListImageGroup/query/{label}"), move || {
            block_on(image_group_query(params, pairs))
        }));
    }
    trials
}

async fn notebook_id(id: &str, encoded: Option<&str>) -> Result<(), Failed> {
    let server = serve(200, Some(&serde_json::json!({"id": id}))).await;
    let mut params = serde_json::Map::new();
    params.insert("project_id".into(), Value::from(cases::sample_value("project_id")));
    params.insert("id".into(), Value::from(id));
    let outcome = dispatch::call(&Clients::new(&server.uri()), "modelarts", "ShowNotebook", &params, None).await;
    let requests = server.received_requests().await.unwrap_or_default();
    match encoded {
        Some(encoded) => {
            outcome.map_err(|error| error.to_string())?;
            let [request] = requests.as_slice() else { return Err(format!("{} requests", requests.len()).into()) };
            let want = format!("/v1/{}/notebooks/{encoded}", cases::sample_value("project_id"));
            expect_eq("path", request.url.path(), &want)
        }
        None => {
            let error = outcome.err().ok_or("the client sent an id no URL can carry as one segment")?;
            if !error.to_string().contains("cannot be sent as a URL path segment") {
                return Err(format!("unexpected error: {error}").into());
            }
            expect_eq("requests sent", &requests.len().to_string(), "0")
        }
    }
}

async fn image_group_query(params: Value, pairs: Vec<(&str, &str)>) -> Result<(), Failed> {
    let server = serve(200, Some(&serde_json::json!({"data": []}))).await;
    let mut params = params.as_object().cloned().unwrap_or_default();
    params.insert("project_id".into(), Value::from(cases::sample_value("project_id")));
    dispatch::call(&Clients::new(&server.uri()), "modelarts", "ListImageGroup", &params, None)
        .await
        .map_err(|error| error.to_string())?;
    let requests = server.received_requests().await.unwrap_or_default();
    let [request] = requests.as_slice() else { return Err(format!("{} requests", requests.len()).into()) };
    expect_eq("path", request.url.path(), &format!("/v1/{}/images/group", cases::sample_value("project_id")))?;
    let mut got: Vec<(String, String)> =
        request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mut want: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    got.sort();
    want.sort();
    if got != want {
        return Err(format!("query: got {got:?}, want {want:?} (raw `{}`)", request.url.query().unwrap_or("")).into());
    }
    Ok(())
}

/// One operation per service to provoke errors on, with a valid call.
fn probe(cases: &[Case], service: &str, operation: &str) -> (serde_json::Map<String, Value>, Option<Value>) {
    let case = cases
        .iter()
        .find(|case| case.service == service && case.operation_id == operation)
        .expect("the operation has examples");
    (case.path_parameters.clone(), case.request_body.clone())
}

/// Documented-shape error bodies at 400, 401, 403 and 404 for each service, an older ModelArts
/// shape, and an HTML gateway page at 502.
fn error_trials(cases: &[Case]) -> Vec<Trial> {
    use serde_json::json;
    let modelarts = json!({"error_code": "ModelArts.6309", "error_msg": "The instance does not exist."});
    let modelarts_old = json!({"error_code": "ModelArts.0104", "error_message": "Invalid parameter."});
    let ims = json!({"error": {"code": "IMG.0024", "message": "The imagetype is invalid."}});
    let mut trials = Vec::new();
    for status in [400u16, 401, 403, 404] {
        for (label, service, operation, body, code, message) in [
            ("modelarts", "modelarts", "ShowNotebook", &modelarts, "ModelArts.6309", "The instance does not exist."),
            (
                "modelarts-error_message",
                "modelarts",
                "ShowNotebook",
                &modelarts_old,
                "ModelArts.0104",
                "Invalid parameter.",
            ),
            ("ims", "ims", "ImportImageQuick", &ims, "IMG.0024", "The imagetype is invalid."),
            ("glance", "ims", "GlanceCreateImageMetadata", &ims, "IMG.0024", "The imagetype is invalid."),
        ] {
            let (params, request) = probe(cases, service, operation);
            let body = body.to_string();
            trials.push(Trial::test(format!("errors/{label}/{status}"), move || {
                block_on(expect_api_error(service, operation, params, request, status, body, Some((code, message))))
            }));
        }
    }
    for (service, operation) in [("modelarts", "ShowNotebook"), ("ims", "ImportImageQuick")] {
        let (params, request) = probe(cases, service, operation);
        trials.push(Trial::test(format!("errors/html-502/{operation}"), move || {
            block_on(expect_api_error(service, operation, params, request, 502, HTML_502.to_owned(), None))
        }));
    }
    trials
}

const HTML_502: &str = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";

async fn expect_api_error(
    service: &str,
    operation: &str,
    params: serde_json::Map<String, Value>,
    request: Option<Value>,
    status: u16,
    body: String,
    documented: Option<(&str, &str)>,
) -> Result<(), Failed> {
    let server = MockServer::start().await;
    let content_type = if documented.is_some() { "application/json" } else { "text/html" };
    let template = ResponseTemplate::new(status)
        .set_body_raw(body.clone().into_bytes(), content_type)
        .insert_header("x-request-id", "req-42");
    Mock::given(any()).respond_with(template).mount(&server).await;
    let outcome = dispatch::call(&Clients::new(&server.uri()), service, operation, &params, request.as_ref()).await;
    let Ok(Outcome::Failure(error)) = outcome else {
        return Err(format!("expected an API error, got {outcome:?}").into());
    };
    expect_eq("status", &error.status.as_u16().to_string(), &status.to_string())?;
    expect_eq("operation", error.operation, operation)?;
    expect_eq("request id", error.request_id.as_deref().unwrap_or(""), "req-42")?;
    match documented {
        Some((code, message)) => {
            expect_eq("code", error.code.as_deref().unwrap_or(""), code)?;
            expect_eq("message", error.message.as_deref().unwrap_or(""), message)?;
            let shown = error.to_string();
            let want = format!("{code} ({status}) on {operation}: {message} [request-id req-42]");
            expect_eq("display", &shown, &want)
        }
        None => {
            // The page reduced to its text; its repeated status shown once.
            expect_eq("body", &error.body, "502 Bad Gateway")?;
            expect_eq("code", &format!("{:?}", error.code), "None")?;
            expect_eq(
                "display",
                &error.to_string(),
                &format!("HTTP 502 Bad Gateway on {operation} [request-id req-42]"),
            )
        }
    }
}

/// Success bodies with fields and enum values the spec does not know still decode, and the
/// unknown enum values survive re-encoding.
fn forward_compatibility_trials(cases: &[Case]) -> Vec<Trial> {
    cases
        .iter()
        .filter(|case| {
            case.direction == Direction::Response && case.status.as_deref().is_some_and(|s| s.starts_with('2'))
        })
        .filter(|case| case.value.is_object())
        .map(|case| {
            let case = case.clone();
            Trial::test(format!("forward-compatible/{}", case.title()), move || block_on(unknown_members(&case)))
        })
        .collect()
}

async fn unknown_members(case: &Case) -> Result<(), Failed> {
    let mut body = case.value.clone();
    let object = body.as_object_mut().expect("filtered to objects");
    object.insert("field_added_later".into(), serde_json::json!({"nested": [1, 2, 3]}));
    // Every string member that holds an enum value gets one the spec does not list.
    let replaced: Vec<String> = ["status", "arch", "type", "visibility"]
        .into_iter()
        .filter(|key| object.get(*key).is_some_and(Value::is_string))
        .map(str::to_owned)
        .collect();
    for key in &replaced {
        object.insert(key.clone(), Value::from("VALUE_ADDED_LATER"));
    }
    let status = cases::status_code(case.status.as_deref().unwrap_or("200"));
    let server = serve(status, Some(&body)).await;
    let outcome = dispatch::call(
        &Clients::new(&server.uri()),
        &case.service,
        &case.operation_id,
        &case.path_parameters,
        case.request_body.as_ref(),
    )
    .await
    .map_err(|error| error.to_string())?;
    let Some((_, decoded)) = decoded(&outcome) else {
        return Err(format!("did not decode: {outcome:?}").into());
    };
    for key in &replaced {
        expect_eq(key, decoded.get(key).and_then(Value::as_str).unwrap_or("(missing)"), "VALUE_ADDED_LATER")?;
    }
    Ok(())
}

/// Every example validates against its schema (undefined properties forbidden); differences the
/// spec records in `x-reference-notes` are accepted and listed.
fn conformance_trials() -> Vec<Trial> {
    let mut specs: Vec<_> = std::fs::read_dir(cases::specs_dir())
        .expect("specs/")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    specs
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            Trial::test(format!("conformance/{name}"), move || {
                let spec = otc_codegen::load::load(&path).map_err(|error| error.to_string())?;
                let report = otc_codegen::conformance::check(&spec.raw);
                for accepted in report.accepted() {
                    println!("  accepted: {accepted}");
                }
                let errors: Vec<String> = report.errors().map(ToString::to_string).collect();
                if report.checked == 0 {
                    return Err("no example was checked".into());
                }
                if errors.is_empty() { Ok(()) } else { Err(errors.join("\n").into()) }
            })
        })
        .collect()
}
