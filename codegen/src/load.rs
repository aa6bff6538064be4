//! Stage 1: read a spec file into both a raw JSON tree (for pointer-based checks) and the typed
//! `openapiv3` model (for the generator). Nothing here panics on bad input.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Location, Result};

/// A spec as read from disk.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The path the spec was read from, as given (used in every diagnostic).
    pub path: PathBuf,
    /// The document as plain JSON, exactly as written.
    pub raw: Value,
    /// The typed OpenAPI model of the same document.
    pub openapi: OpenAPI,
}

impl Spec {
    /// The file stem (`modelarts` for `specs/modelarts.yaml`): names the generated module.
    pub fn name(&self) -> String {
        self.path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Spec> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| Error::one(path, Location::Document, format!("cannot read the spec: {error}")))?;
    parse(path, &text)
}

/// Parses spec text; `path` only names the source in diagnostics.
pub fn parse(path: &Path, text: &str) -> Result<Spec> {
    let raw: Value = serde_yaml::from_str(text).map_err(|error| yaml_error(path, &error))?;
    check_version(path, &raw)?;
    let openapi: OpenAPI = serde_yaml::from_str(text).map_err(|error| yaml_error(path, &error))?;
    Ok(Spec { path: path.to_owned(), raw, openapi })
}

fn yaml_error(path: &Path, error: &serde_yaml::Error) -> Error {
    let location = match error.location() {
        Some(mark) => Location::Text { line: mark.line(), column: mark.column() },
        None => Location::Document,
    };
    // serde_yaml appends " at line L column C" to its messages; the location says it already.
    let message = error.to_string();
    let message = match message.find(" at line ") {
        Some(cut) if error.location().is_some() => message[..cut].to_owned(),
        _ => message,
    };
    Error::one(path, location, format!("not a valid OpenAPI document: {message}"))
}

/// The generator reads OpenAPI 3.0.x only; say so before the typed parse gives a vaguer message.
fn check_version(path: &Path, raw: &Value) -> Result<()> {
    if let Some(swagger) = raw.get("swagger") {
        return Err(Error::one(
            path,
            Location::Pointer("/swagger".into()),
            format!("Swagger {} documents are not supported; write OpenAPI 3.0.3", display_scalar(swagger)),
        ));
    }
    match raw.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") => Ok(()),
        Some(version) => Err(Error::one(
            path,
            Location::Pointer("/openapi".into()),
            format!("OpenAPI {} is not supported; the generator reads OpenAPI 3.0.x", display_scalar(version)),
        )),
        None if raw.is_object() => Err(Error::one(path, Location::Document, "missing `openapi: 3.0.3`")),
        None => Err(Error::one(path, Location::Document, "the document is not a YAML mapping")),
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        parse(Path::new("specs/x.yaml"), text).unwrap_err().to_string()
    }

    #[test]
    fn malformed_yaml_names_line_and_column() {
        let message = parse_err("openapi: 3.0.3\ninfo: [unclosed\n");
        assert!(message.starts_with("error: specs/x.yaml:"), "{message}");
        assert!(message.contains("not a valid OpenAPI document"), "{message}");
    }

    #[test]
    fn openapi_31_is_refused_with_pointer() {
        let message = parse_err("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(
            message,
            "error: specs/x.yaml #/openapi: OpenAPI 3.1.0 is not supported; the generator reads OpenAPI 3.0.x"
        );
    }

    #[test]
    fn swagger_2_is_refused() {
        let message = parse_err("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(message.contains("#/swagger: Swagger 2.0 documents are not supported"), "{message}");
    }

    #[test]
    fn type_errors_carry_a_text_location() {
        let error =
            parse(Path::new("x.yaml"), "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 5\n").unwrap_err();
        assert!(matches!(error.diagnostics[0].location, Location::Text { .. }), "{error}");
    }
}
