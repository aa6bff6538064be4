//! Turns a hand-written OpenAPI spec into a generated Rust module of `otc-client`.
//!
//! The pipeline, one module per stage, data flowing top to bottom:
//!
//! 1. [`load`]: YAML text → raw JSON tree + typed `openapiv3` model.
//! 2. [`validate`]: everything the generator would panic or fail on, as diagnostics.
//! 3. [`normalize`]: named passes adapting a copy of the faithful spec to progenitor.
//! 4. `generate`: progenitor → syn tree.
//! 5. [`postprocess`]: named passes over the syn tree (open enums, no `api-version`, ...).
//! 6. `format`: prettyplease, with a "do not edit" header.

pub mod cli;
pub mod conformance;
pub mod dispatch;
mod error;
pub mod examples;
mod format;
mod generate;
pub mod load;
pub mod locate;
pub mod media_types;
pub mod mock;
pub mod normalize;
pub mod postprocess;
pub mod tree;
pub mod validate;
pub mod yaml;

use std::path::Path;

pub use error::{Diagnostic, Error, Location, Result};
pub use load::Spec;
pub use locate::{Locator, Position};

/// Generated source for one spec.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Module name, the spec's file stem (`modelarts`).
    pub module: String,
    /// The formatted Rust source.
    pub source: String,
    /// The post-processed syntax tree (what later generators, like the golden dispatch, read).
    pub file: syn::File,
}

/// Runs the whole pipeline on the spec at `path`. `display_path` is how the header names it
/// (`specs/modelarts.yaml`), so the output does not depend on where the checkout lives.
pub fn generate_file(path: &Path, display_path: &str) -> Result<Generated> {
    let spec = load::load(path)?;
    generate_spec(&spec, display_path)
}

/// Stages 2–6 on an already loaded spec.
pub fn generate_spec(spec: &Spec, display_path: &str) -> Result<Generated> {
    generate_prepared(spec, &prepare(spec)?, display_path)
}

/// Stages 2–3: validates the spec and returns the normalized copy progenitor is fed. Everything
/// after this only reads the spec, so callers may generate the client and the mock server from
/// it at the same time.
pub fn prepare(spec: &Spec) -> Result<openapiv3::OpenAPI> {
    validate::validate(spec)?;
    normalize::normalize(&spec.openapi).map_err(|message| spec.error("", message))
}

/// Stages 4–6 on what [`prepare`] returned for the same spec.
pub fn generate_prepared(spec: &Spec, normalized: &openapiv3::OpenAPI, display_path: &str) -> Result<Generated> {
    let mut file = generate::generate(spec, normalized)?;
    postprocess::postprocess(&mut file, &spec.openapi, normalized).map_err(|message| spec.error("", message))?;
    Ok(Generated { module: spec.name(), source: format::format(&file, display_path), file })
}
