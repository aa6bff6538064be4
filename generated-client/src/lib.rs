//! Rust client for Open Telekom Cloud ModelArts and Image Management Service (IMS).
//!
//! Start with a [`Cloud`]: it reads the configuration the OpenStack way ([`Config::from_env`]:
//! `OS_CLOUD` and `clouds.yaml`, or `OS_*` variables; [`Config::builder`] does the same in
//! code) and hands out one client per service, all sharing a connection pool, the project and
//! the credentials. [`Cloud::connect`] also logs in now when the credentials are a password, so a
//! wrong password or an unknown project fails there ([`ConnectError`]); [`Cloud::from_env`]
//! builds the clients without a request.
//!
//! ```no_run
//! use otc_client::{Cloud, Config};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let cloud = Cloud::connect(Config::from_env()?).await?;
//! // The configured project fills every `{project_id}`.
//! let notebooks = cloud.modelarts().list_notebooks().limit(10).send().await?;
//! for notebook in notebooks.data.iter().flatten() {
//!     println!("{:?} {:?}", notebook.name, notebook.status);
//! }
//! # Ok(()) }
//! ```
//!
//! Every operation is a method of the service's client returning a builder: set the parameters
//! and the body, then `send()`. The operations and types are generated from the OpenAPI
//! documents in the repository's `specs/`, transcribed by hand from the OTC API reference.
//!
//! # Services and features
//!
//! One cargo feature per service, all on by default: `modelarts` ([`Cloud::modelarts`],
//! [`modelarts`]), `ims` ([`Cloud::ims`], [`ims`], [`WaitForJob`] for asynchronous IMS jobs)
//! and `iam` ([`Cloud::iam`], [`iam`]; password authentication needs it, tokens and access keys
//! do not). Each module has its `Client`, its request and response `types`, the per-operation
//! request `builder`s and `OPERATIONS`, the operation ids it knows.
//!
//! # Types
//!
//! - **Shared types**: one type per resource within a service, whichever operation returns it:
//!   a Glance image is `ims::types::GlanceImage`, a ModelArts notebook
//!   `modelarts::types::Notebook`.
//! - **Open enums**: a value the service adds later decodes into `Unrecognized(String)` and
//!   encodes back unchanged, so a new server value never breaks decoding; every enum converts
//!   from and displays as its wire string.
//! - **Request bodies**: request types have a `builder()` (a missing required field is a
//!   conversion error, not a panic) or are plain structs; the JSON-patch operations of image
//!   updates have constructors (`GlanceUpdateImageOperation::replace("name", "x")`).
//! - **Lists and files**: paged lists stream every item with [`Paginate::items`]; image files
//!   go up as a [`Body`] (a `tokio::fs::File` is streamed as read) and come down as a
//!   [`ByteStream`].
//! - Operations documenting a success with a body and one without return
//!   `ResponseValue<Option<T>>`.
//!
//! # Errors
//!
//! Every call fails with [`Error`], which names the operation and carries the HTTP status, the
//! service's error code and message ([`ApiError`]) and the request id; transport failures,
//! timeouts, redirects the client refuses to follow ([`http`]), stalled paging and bodies that
//! do not decode (with the JSON path of the field) are variants of their own. Secrets never
//! appear in `Debug`, `Display`, traces or errors ([`Secret`]). Idempotent calls are retried
//! ([`RetryPolicy`]); every request is one `tracing` span.
//!
//! # Lower level
//!
//! A [`Runtime`] (project, credentials, retries, limits) and a service `Client` can be built
//! without a [`Cloud`], for example with a token obtained elsewhere:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let runtime = otc_client::Runtime::builder()
//!     .project_id("0123456789abcdef0123456789abcdef")
//!     .token(std::env::var("OS_TOKEN")?)
//!     .build();
//! let client = otc_client::modelarts::Client::new("https://modelarts.eu-de.otc.t-systems.com", runtime);
//! let notebook = client.show_notebook().id("6e3cd1a5-9b7e-4c8f-b1d6-2f3a4c5d6e7f").send().await?;
//! println!("{:?}", notebook.status);
//! # Ok(()) }
//! ```
//!
//! The repository's `generated-client/examples/` has runnable programs for the main journeys.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Built without any service feature only the runtime is left, and much of it has no caller.
#![cfg_attr(not(any(feature = "modelarts", feature = "ims", feature = "iam")), allow(dead_code, unused))]

// Generated modules are `include!`d so that `cargo fmt` leaves prettyplease's output alone.
#[cfg(feature = "modelarts")]
#[allow(clippy::all, unused_imports, dead_code, missing_docs, rustdoc::all)]
mod generated_modelarts {
    include!("generated/modelarts.rs");
}

#[cfg(feature = "iam")]
#[allow(clippy::all, unused_imports, dead_code, missing_docs, rustdoc::all)]
mod generated_iam {
    include!("generated/iam.rs");
}

#[cfg(feature = "ims")]
#[allow(clippy::all, unused_imports, dead_code, missing_docs, rustdoc::all)]
mod generated_ims {
    include!("generated/ims.rs");
}

/// ModelArts DevEnviron: notebooks and images (feature `modelarts`).
#[cfg(feature = "modelarts")]
pub mod modelarts {
    pub use crate::generated_modelarts::{Client, OPERATIONS, builder, types};
}

/// Identity and Access Management: tokens (feature `iam`, which password authentication needs).
#[cfg(feature = "iam")]
pub mod iam {
    pub use crate::generated_iam::{Client, OPERATIONS, builder, types};
}

/// Image Management Service: IMS images and the native OpenStack (Glance v2) image API (feature
/// `ims`).
#[cfg(feature = "ims")]
pub mod ims {
    pub use crate::generated_ims::{Client, OPERATIONS, builder, types};
}

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod cloud;
mod clouds;
mod config;
mod decode;
mod error;
mod handoff;
mod hooks;
mod html_text;
pub mod http;
#[cfg(feature = "ims")]
mod jobs;
mod paged_lists;
pub mod pagination;
#[cfg(feature = "ims")]
mod patch;
pub mod progress;
pub mod redirect;
mod retry;
mod runtime;
mod secret;
pub mod signer;
mod tls;
mod token;

pub use cloud::{Cloud, ConnectError};
pub use config::{Config, ConfigBuilder, ConfigError, Credentials, Domain, Service, Timeouts, User};
pub use error::{ApiError, Error};
#[cfg(feature = "ims")]
pub use jobs::{JobError, JobPolling, WaitForJob};
pub use paged_lists::Paginate;
/// A downloaded file as a stream of chunks (`GlanceDownloadImageFile`).
pub use progenitor_client::ByteStream;
/// A decoded response with its status and headers.
pub use progenitor_client::ResponseValue;
/// A raw request body (`GlanceUploadImageFile`): bytes, a `tokio::fs::File`, or
/// `Body::wrap_stream(..)`; files and streams are sent as they are read, never held whole.
pub use reqwest::Body;
pub use retry::RetryPolicy;
pub use runtime::{Runtime, RuntimeBuilder};
pub use secret::Secret;
pub use token::TokenError;
