//! A typed mock server for testing code that uses `otc-client`, generated from the same
//! OpenAPI specs as the client (`cargo xtask regenerate`).
//!
//! Each service module (`modelarts`, `ims`, `iam`) has a `MockServerExt` trait adding one method
//! per operation to [`MockServer`]; its closure gets typed `when` (one method per parameter, the
//! client's own types) and `then` (one method per documented success, taking the client's response
//! type) wrappers, and `then.example(name)` answers with a documented response example of the
//! spec. `into_inner()` on either gives httpmock's untyped `When`/`Then` for anything else.
//!
//! ```no_run
//! use otc_client_mock::MockServer;
//! use otc_client_mock::modelarts::MockServerExt as _;
//!
//! # async fn demo() -> Result<(), otc_client::Error> {
//! let server = MockServer::start_async().await;
//! let mock = server.show_notebook(|when, then| {
//!     when.id("6e3cd1a5-9b7e-4c8f-b1d6-2f3a4c5d6e7f");
//!     then.example("creatingNotebook");
//! });
//! let runtime = otc_client::Runtime::builder().project_id("0123456789abcdef0123456789abcdef").token("t").build();
//! let client = otc_client::modelarts::Client::new(&server.base_url(), runtime);
//! let notebook = client.show_notebook().id("6e3cd1a5-9b7e-4c8f-b1d6-2f3a4c5d6e7f").send().await?;
//! mock.assert_async().await;
//! # let _ = notebook; Ok(()) }
//! ```
//!
//! Mocks of two services can share one server, but import one service's `MockServerExt` per
//! scope when operation names repeat (`create_image` is in ModelArts and IMS).
//!
//! Put it under `[dev-dependencies]`: httpmock and its HTTP server are then compiled for tests
//! only and never enter the build of the program using `otc-client`.

pub use httpmock::{Mock, MockServer};

/// One documented response example of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The spec's `operationId` (`"ShowNotebook"`).
    pub operation_id: &'static str,
    /// The documented status.
    pub status: u16,
    /// The example's name in the spec (`"creatingNotebook"`).
    pub name: &'static str,
    /// The documented media type (`application/json`).
    pub media_type: &'static str,
    /// The body as sent: compact JSON for a JSON media type.
    pub body: &'static str,
}

impl Example {
    /// The example decoded into a type, such as the client's response type:
    /// `example.decode::<otc_client::modelarts::types::Notebook>()`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.body)
    }
}

/// `name` is an example's name, or `"<status> <name>"` when a name is found under several
/// statuses.
fn find_example(table: &'static [Example], operation_id: &str, name: &str) -> &'static Example {
    let of_operation = || table.iter().filter(|example| example.operation_id == operation_id);
    let named: Vec<_> = of_operation().filter(|example| example.name == name).collect();
    if let [example] = named.as_slice() {
        return example;
    }
    if let Some(example) = of_operation().find(|example| format!("{} {}", example.status, example.name) == name) {
        return example;
    }
    let known: Vec<_> = of_operation().map(|example| format!("\"{} {}\"", example.status, example.name)).collect();
    if named.len() > 1 {
        panic!("{operation_id} documents `{name}` under several statuses; name one of: {}", known.join(", "));
    }
    panic!("{operation_id} documents no response example `{name}`; it has: {}", known.join(", "))
}

/// A path parameter's value as the client sends it (percent-encoded), escaped for a path regex.
fn path_segment(value: String) -> String {
    regex::escape(&otc_client::__private::encode_path(&value).unwrap_or(value))
}

/// httpmock's `Then` answering with `example`.
fn answer(then: httpmock::Then, example: &Example) -> httpmock::Then {
    then.status(example.status).header("content-type", example.media_type).body(example.body)
}

// Generated modules are `include!`d so that `cargo fmt` leaves prettyplease's output alone.
#[allow(clippy::all, unused_imports, dead_code, rustdoc::all, missing_docs)]
mod generated {
    include!("generated.rs");
}

pub use generated::{iam, ims, modelarts};
