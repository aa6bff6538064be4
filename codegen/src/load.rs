//! Stage 1: read a spec file into both a raw JSON tree (for pointer-based checks) and the typed
//! `openapiv3` model (for the generator), with a locator placing every node of the tree in the
//! text. The YAML is parsed once, strictly (`yaml.rs`); the typed model is read from the tree.
//! Nothing here panics on bad input, and every error has a line and column.

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Location, Result};
use crate::locate::{Locator, Position};
use crate::{tree, yaml};

/// A spec as read from disk.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The path the spec was read from, as given (used in every diagnostic).
    pub path: PathBuf,
    /// The document as plain JSON, exactly as written.
    pub raw: Value,
    /// The typed OpenAPI model of the same document.
    pub openapi: OpenAPI,
    /// Where each node of `raw` is in the text.
    pub locator: Locator,
}

impl Spec {
    /// The file stem (`modelarts` for `specs/modelarts.yaml`): names the generated module.
    pub fn name(&self) -> String {
        self.path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// The location of the node at `pointer` (or of its nearest ancestor in the text).
    pub fn at(&self, pointer: &str) -> Location {
        node_location(&self.locator, pointer)
    }

    /// An error about the node at `pointer` (`""` for the document as a whole).
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::one(&self.path, self.at(pointer), message)
    }
}

fn node_location(locator: &Locator, pointer: &str) -> Location {
    let (Position { line, column }, _) = locator.nearest(pointer);
    Location::Node { pointer: pointer.to_owned(), line, column }
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Spec> {
    let start = Location::Text { line: 1, column: 1 };
    let bytes =
        std::fs::read(path).map_err(|error| Error::one(path, start, format!("cannot read the spec: {error}")))?;
    let text = String::from_utf8(bytes).map_err(|error| not_utf8(path, error.as_bytes(), error.utf8_error()))?;
    parse(path, &text)
}

/// Invalid UTF-8: the byte offset, and the line and column of the last valid character.
fn not_utf8(path: &Path, bytes: &[u8], error: std::str::Utf8Error) -> Error {
    let offset = error.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    Error::one(
        path,
        Location::Text { line, column },
        format!("the spec is not UTF-8: invalid byte 0x{:02x} at byte offset {offset}", bytes[offset]),
    )
}

/// Parses spec text; `path` only names the source in diagnostics.
pub fn parse(path: &Path, text: &str) -> Result<Spec> {
    let document = yaml::parse(text).map_err(|error| {
        let Position { line, column } = error.position;
        let location = match error.pointer {
            Some(pointer) => Location::Node { pointer, line, column },
            None => Location::Text { line, column },
        };
        Error::one(path, location, error.message)
    })?;
    let yaml::Document { value: raw, locator } = document;
    check_version(path, &raw, &locator)?;
    let openapi: OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|error| {
        let (pointer, message) = narrower_typed_error(&raw, &locator)
            .unwrap_or_else(|| (error_pointer(error.path()), error.inner().to_string()));
        Error::one(path, node_location(&locator, &pointer), format!("not a valid OpenAPI document: {message}"))
    })?;
    Ok(Spec { path: path.to_owned(), raw, openapi, locator })
}

/// serde's path ends where openapiv3's untagged `ReferenceOr` buffers a node (often at
/// `/paths`), so on failure each operation and component is read on its own: the first one in
/// the text that fails gives the precise node and message.
fn narrower_typed_error(raw: &Value, locator: &Locator) -> Option<(String, String)> {
    /// The pointer and message of `node`'s first error as a `T`.
    type Attempt = fn(&Value, &str) -> Option<(String, String)>;
    fn attempt<T: serde::de::DeserializeOwned>(node: &Value, pointer: &str) -> Option<(String, String)> {
        let error = serde_path_to_error::deserialize::<_, T>(node).err()?;
        Some((format!("{pointer}{}", error_pointer(error.path())), error.inner().to_string()))
    }
    let mut failures = Vec::new();
    for operation in tree::operations(raw) {
        failures.extend(attempt::<openapiv3::Operation>(operation.node, &operation.pointer));
    }
    let components: [(&str, Attempt); 4] = [
        ("schemas", attempt::<openapiv3::Schema>),
        ("responses", attempt::<openapiv3::ReferenceOr<openapiv3::Response>>),
        ("parameters", attempt::<openapiv3::ReferenceOr<openapiv3::Parameter>>),
        ("requestBodies", attempt::<openapiv3::ReferenceOr<openapiv3::RequestBody>>),
    ];
    for (section, attempt) in components {
        let pointer = tree::push("/components", section);
        for (name, node) in raw.pointer(&pointer).and_then(Value::as_object).into_iter().flatten() {
            failures.extend(attempt(node, &tree::push(&pointer, name)));
        }
    }
    failures.into_iter().min_by_key(|(pointer, _)| locator.nearest(pointer).0)
}

/// The JSON pointer of the node serde stopped at.
fn error_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter().fold(String::new(), |pointer, segment| match segment {
        Segment::Seq { index } => tree::push(&pointer, &index.to_string()),
        Segment::Map { key } => tree::push(&pointer, key),
        Segment::Enum { .. } | Segment::Unknown => pointer,
    })
}

/// The generator reads OpenAPI 3.0.x only; say so before the typed parse gives a vaguer message.
fn check_version(path: &Path, raw: &Value, locator: &Locator) -> Result<()> {
    let at = |pointer: &str| node_location(locator, pointer);
    if let Some(swagger) = raw.get("swagger") {
        return Err(Error::one(
            path,
            at("/swagger"),
            format!("Swagger {} documents are not supported; write OpenAPI 3.0.3", display_scalar(swagger)),
        ));
    }
    match raw.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") => Ok(()),
        Some(version) => Err(Error::one(
            path,
            at("/openapi"),
            format!("OpenAPI {} is not supported; the generator reads OpenAPI 3.0.x", display_scalar(version)),
        )),
        None if raw.is_object() => Err(Error::one(path, at(""), "missing `openapi: 3.0.3`")),
        None => Err(Error::one(path, at(""), "the document is not a YAML mapping")),
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
        assert!(message.starts_with("error: specs/x.yaml:2:7: not valid YAML: unclosed bracket"), "{message}");
    }

    #[test]
    fn openapi_31_is_refused_with_pointer() {
        let message = parse_err("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert_eq!(
            message,
            "error: specs/x.yaml:1:1 #/openapi: OpenAPI 3.1.0 is not supported; the generator reads OpenAPI 3.0.x"
        );
    }

    #[test]
    fn swagger_2_is_refused() {
        let message = parse_err("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
        assert!(message.contains("#/swagger: Swagger 2.0 documents are not supported"), "{message}");
    }

    #[test]
    fn type_errors_point_at_the_node_that_does_not_fit() {
        let error = parse(
            Path::new("x.yaml"),
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n",
        )
        .unwrap_err();
        let pointer = "/paths/~1a/get/responses".to_owned();
        assert_eq!(error.diagnostics[0].location, Location::Node { pointer, line: 6, column: 7 });
    }

    #[test]
    fn a_duplicate_operation_key_is_located_not_a_panic() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: A\n      operationId: B\n";
        let message = parse_err(text);
        assert!(message.starts_with("error: specs/x.yaml:7:7 #/paths/~1a/get/operationId: duplicate key"), "{message}");
    }

    #[test]
    fn non_utf8_names_the_byte_offset() {
        let bytes = [b"a: 1\nb: ".as_slice(), &[0xff]].concat();
        let error = not_utf8(Path::new("x.yaml"), &bytes, std::str::from_utf8(&bytes).unwrap_err());
        assert_eq!(error.to_string(), "error: x.yaml:2:4: the spec is not UTF-8: invalid byte 0xff at byte offset 8");
    }
}
