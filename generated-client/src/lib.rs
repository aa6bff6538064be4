//! Rust client for Open Telekom Cloud ModelArts and Image Management Service (IMS).
//!
//! Every operation and type is generated from the OpenAPI documents in `specs/`, which are
//! transcribed by hand from the OTC API reference. Each service is a module with its own
//! [`modelarts::Client`]-style client, its request/response [`modelarts::types`], and the
//! per-operation request builders in `builder`.
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
//! Enums are open: a value the service adds later decodes into `Unrecognized(String)` and
//! encodes back unchanged, so new server values never break decoding.

// Built without any service feature only the runtime is left, and much of it has no caller.
#![cfg_attr(not(any(feature = "modelarts", feature = "ims", feature = "iam")), allow(dead_code, unused))]

// Generated modules are `include!`d so that `cargo fmt` leaves prettyplease's output alone.
#[cfg(feature = "modelarts")]
#[allow(clippy::all, unused_imports, dead_code, rustdoc::all)]
mod generated_modelarts {
    include!("generated/modelarts.rs");
}

#[cfg(feature = "iam")]
#[allow(clippy::all, unused_imports, dead_code, rustdoc::all)]
mod generated_iam {
    include!("generated/iam.rs");
}

#[cfg(feature = "ims")]
#[allow(clippy::all, unused_imports, dead_code, rustdoc::all)]
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

/// The README's quick start is compiled as a doc test, so it stays true.
#[doc = include_str!("../../README.md")]
#[cfg(all(doctest, feature = "modelarts", feature = "ims", feature = "iam"))]
pub struct ReadmeDoctests;
