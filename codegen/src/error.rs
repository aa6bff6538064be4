//! Errors of the pipeline: every one names the spec file and a location in it.

use std::fmt;
use std::path::PathBuf;

/// Where in a spec a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in the YAML text (1-based), as the YAML parser reports it.
    Text { line: usize, column: usize },
    /// A node of the document, as a JSON pointer (`/paths/~1v1~1images/post`).
    Pointer(String),
    /// The document as a whole.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(pointer) => write!(f, "#{pointer}"),
            Location::Document => f.write_str("(document)"),
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Text { .. } => write!(f, "{}:{}: {}", self.file.display(), self.location, self.message),
            Location::Pointer(_) | Location::Document => {
                write!(f, "{} {}: {}", self.file.display(), self.location, self.message)
            }
        }
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
