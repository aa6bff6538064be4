//! Golden cases, discovered from the specs: one per documented example, request or response.

use std::path::{Path, PathBuf};

use otc_codegen::examples::{self, Direction};
use otc_codegen::tree;
use serde_json::{Map, Value};

/// One documented example of one operation, with what is needed to replay it.
#[derive(Debug, Clone)]
pub struct Case {
    /// The spec's file stem (`modelarts`).
    pub service: String,
    pub operation_id: String,
    /// Upper case (`POST`).
    pub method: String,
    pub path_template: String,
    pub direction: Direction,
    /// The documented status of a response example (`"200"`, `"4XX"`).
    pub status: Option<String>,
    pub name: String,
    /// The media type the example is documented under (the `Content-Type` a request must have).
    pub media_type: String,
    /// Where the example is in the spec (JSON pointer).
    pub pointer: String,
    pub value: Value,
    /// The component schema the example's media type refers to, if it is a `$ref`.
    pub schema_component: Option<String>,
    /// Path parameters with the sample values the case sends.
    pub path_parameters: Map<String, Value>,
    /// The operation's first request example in the media type the client sends, or sample
    /// bytes for a raw body (a response case needs a valid call to get there).
    pub request_body: Option<Value>,
    /// The operation's first success status and, if documented, its first example (what the
    /// server answers to a request case).
    pub success: (u16, Option<Value>),
}

impl Case {
    /// `modelarts/RegisterImage/request/cpuX86Image`, `ims/ImportImageQuick/response/200/ok`.
    pub fn title(&self) -> String {
        match (&self.direction, &self.status) {
            (Direction::Request, _) => format!("{}/{}/request/{}", self.service, self.operation_id, self.name),
            (Direction::Response, status) => {
                format!(
                    "{}/{}/response/{}/{}",
                    self.service,
                    self.operation_id,
                    status.as_deref().unwrap_or("?"),
                    self.name
                )
            }
        }
    }

    /// The path the client must request: the template with the sample values substituted.
    pub fn expected_path(&self) -> String {
        let mut path = self.path_template.clone();
        for (name, value) in &self.path_parameters {
            path = path.replace(&format!("{{{name}}}"), value.as_str().unwrap_or_default());
        }
        path
    }
}

/// `specs/` of this workspace.
pub fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// Every case of every spec in `dir`, in a stable order.
pub fn discover(dir: &Path) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for path in spec_paths(dir)? {
        let spec = otc_codegen::load::load(&path).map_err(|error| error.to_string())?;
        let root = &spec.raw;
        let all = examples::examples(root);
        for example in &all {
            let operation =
                tree::operations(root).into_iter().find(|op| op.path == example.path && op.method == example.method);
            let Some(operation) = operation else { continue };
            let sent = sent_media_type(root, &operation);
            // A request example in a media type the client does not send (Glance's legacy
            // v2.0 patch format) cannot go over the wire; the conformance trial checks it.
            if example.direction == Direction::Request && sent.as_deref() != Some(example.media_type) {
                continue;
            }
            let request_body = request_body(root, &operation, &all);
            cases.push(Case {
                service: spec.name(),
                operation_id: example.operation_id.to_owned(),
                method: example.method.to_uppercase(),
                path_template: example.path.to_owned(),
                direction: example.direction,
                status: example.status.map(str::to_owned),
                name: example.name.to_owned(),
                media_type: example.media_type.to_owned(),
                pointer: example.pointer.clone(),
                value: example.value.clone(),
                schema_component: example
                    .schema
                    .and_then(|schema| schema.get("$ref"))
                    .and_then(Value::as_str)
                    .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
                    .map(str::to_owned),
                path_parameters: path_parameters(root, &operation),
                request_body,
                success: success(&operation, &all),
            });
        }
    }
    Ok(cases)
}

/// What the server answers for one documented success status.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The status's first documented JSON example.
    Json(Value),
    /// Sample bytes, for a raw (`application/octet-stream`) body documented without example.
    Raw(&'static str),
    /// Nothing: the status is documented without a body.
    Empty,
}

/// One documented success status of one operation (every one, also those without examples):
/// the server answers it as documented, and the call must succeed with that status.
#[derive(Debug, Clone)]
pub struct SuccessCase {
    pub service: String,
    pub operation_id: String,
    /// The status key as documented (`"201"`, `"2XX"`, `"300"`).
    pub status: String,
    pub answer: Answer,
    pub path_parameters: Map<String, Value>,
    /// A valid request body for the call, as in [`Case::request_body`].
    pub request_body: Option<Value>,
}

impl SuccessCase {
    /// `modelarts/RegisterImage/201/empty`.
    pub fn title(&self) -> String {
        let answer = match self.answer {
            Answer::Json(_) => "json",
            Answer::Raw(_) => "raw",
            Answer::Empty => "empty",
        };
        format!("{}/{}/{}/{answer}", self.service, self.operation_id, self.status)
    }
}

/// Every documented success status (2xx, and 3xx where an operation documents one) of every
/// operation of every spec in `dir`, in a stable order.
pub fn success_cases(dir: &Path) -> Result<Vec<SuccessCase>, String> {
    let mut cases = Vec::new();
    for path in spec_paths(dir)? {
        let spec = otc_codegen::load::load(&path).map_err(|error| error.to_string())?;
        let root = &spec.raw;
        let all = examples::examples(root);
        for operation in tree::operations(root) {
            let Some(responses) = operation.node.get("responses").and_then(Value::as_object) else { continue };
            let operation_id = operation.node.get("operationId").and_then(Value::as_str).unwrap_or_default();
            for (status, response) in responses.iter().filter(|(status, _)| status.starts_with(['2', '3'])) {
                let content = tree::deref(root, response).get("content").and_then(Value::as_object);
                let example = all.iter().find(|e| {
                    e.path == operation.path && e.method == operation.method && e.status == Some(status.as_str())
                });
                let answer = match (content.filter(|content| !content.is_empty()), example) {
                    (None, _) => Answer::Empty,
                    (Some(_), Some(example)) => Answer::Json(example.value.clone()),
                    (Some(content), None)
                        if content.keys().all(|media_type| !otc_codegen::media_types::is_json(media_type)) =>
                    {
                        Answer::Raw(SAMPLE_BYTES)
                    }
                    (Some(_), None) => return Err(format!("{operation_id} {status}: a JSON body without an example")),
                };
                cases.push(SuccessCase {
                    service: spec.name(),
                    operation_id: operation_id.to_owned(),
                    status: status.clone(),
                    answer,
                    path_parameters: path_parameters(root, &operation),
                    request_body: request_body(root, &operation, &all),
                });
            }
        }
    }
    Ok(cases)
}

/// The `*.yaml` files of `dir`, sorted.
fn spec_paths(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    Ok(specs)
}

/// The operation's first request example in the media type the client sends, or sample bytes
/// for a raw body.
fn request_body(root: &Value, operation: &tree::Operation<'_>, all: &[examples::Example<'_>]) -> Option<Value> {
    let sent = sent_media_type(root, operation);
    all.iter()
        .find(|other| {
            other.path == operation.path
                && other.method == operation.method
                && other.direction == Direction::Request
                && sent.as_deref() == Some(other.media_type)
        })
        .map(|other| other.value.clone())
        .or_else(|| {
            sent.as_deref()
                .filter(|media_type| !otc_codegen::media_types::is_json(media_type))
                .map(|_| Value::from(SAMPLE_BYTES))
        })
}

/// What a case sends as a raw (`application/octet-stream`) body.
pub const SAMPLE_BYTES: &str = "sample image file bytes";

/// The request media type the generated call sends, if the operation has a body.
fn sent_media_type(root: &Value, operation: &tree::Operation<'_>) -> Option<String> {
    let body = tree::deref(root, operation.node.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    otc_codegen::media_types::chosen_request_media_type(content.keys().map(String::as_str)).map(str::to_owned)
}

/// The sample value sent for a path parameter: recognisable, and plain (encoding is tested on
/// its own).
pub fn sample_value(name: &str) -> String {
    match name {
        "project_id" => "0123456789abcdef0123456789abcdef".to_owned(),
        other => format!("sample-{}", other.replace('_', "-")),
    }
}

fn path_parameters(root: &Value, operation: &tree::Operation<'_>) -> Map<String, Value> {
    let own = operation.node.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    operation
        .path_parameters
        .iter()
        .chain(own)
        .map(|parameter| tree::deref(root, parameter))
        .filter(|parameter| parameter.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|parameter| parameter.get("name").and_then(Value::as_str))
        .map(|name| (name.to_owned(), Value::String(sample_value(name))))
        .collect()
}

/// Status code for a status key: `"201"` → 201, `"2XX"` → 200.
pub fn status_code(key: &str) -> u16 {
    key.parse().unwrap_or_else(|_| key.as_bytes().first().map_or(500, |class| u16::from(class - b'0') * 100))
}

fn success(operation: &tree::Operation<'_>, all: &[examples::Example<'_>]) -> (u16, Option<Value>) {
    let responses = operation.node.get("responses").and_then(Value::as_object);
    let key = responses.and_then(|responses| responses.keys().find(|key| key.starts_with('2')).cloned());
    let Some(key) = key else { return (200, None) };
    let example = all
        .iter()
        .find(|e| e.path == operation.path && e.method == operation.method && e.status == Some(key.as_str()))
        .map(|e| e.value.clone());
    (status_code(&key), example)
}
