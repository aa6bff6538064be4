//! Errors of the pipeline: every one names the spec file and a line and column in it, plus the
//! JSON pointer of the node when there is one, like compiler diagnostics.

use std::fmt;
use std::path::PathBuf;

/// Where in a spec a problem is. There is no "somewhere in the document": a problem without a
/// node of its own is placed at the root (1:1, pointer `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in the YAML text (1-based) where no node is concerned (a syntax error).
    Text { line: usize, column: usize },
    /// A node of the document: its JSON pointer (`/paths/~1v1~1images/post`) and where the text
    /// shows it, or its nearest ancestor the text shows when it has no text of its own.
    Node { pointer: String, line: usize, column: usize },
}

impl Location {
    /// `LINE:COL`, as every diagnostic starts.
    pub fn position(&self) -> (usize, usize) {
        match self {
            Location::Text { line, column } | Location::Node { line, column, .. } => (*line, *column),
        }
    }

    /// The node's JSON pointer, if the problem is about one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Location::Text { .. } => None,
            Location::Node { pointer, .. } => Some(pointer),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "{line}:{column}"),
            Location::Node { pointer, line, column } => write!(f, "{line}:{column} #{pointer}"),
        }
    }
}

/// One problem found in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `specs/x.yaml:12:7 #/paths/~1a/get: message` (the pointer only when there is a node).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.location.position();
        write!(f, "{}:{line}:{column}", self.file.display())?;
        if let Some(pointer) = self.location.pointer() {
            write!(f, " #{pointer}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a spec could not be turned into code: one or more diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub(crate) fn one(file: impl Into<PathBuf>, location: Location, message: impl Into<String>) -> Self {
        Error { diagnostics: vec![Diagnostic { file: file.into(), location, message: message.into() }] }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, diagnostic) in self.diagnostics.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
