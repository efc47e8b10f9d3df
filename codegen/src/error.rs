//! The error type of the pipeline and the locations it reports.

use std::fmt;
use std::path::{Path, PathBuf};

/// A JSON pointer (RFC 6901) into a loaded document, such as
/// `/paths/~1customers~1{id}/get`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The pointer to the document root (the empty string).
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Parses a pointer written as text; it must be empty or start with `/`.
    pub fn parse(text: &str) -> Option<Self> {
        (text.is_empty() || text.starts_with('/')).then(|| Self(text.to_owned()))
    }

    /// The pointer one level down, through an object key or an array index.
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{}", self.0, token))
    }

    /// The pointer one level up, or `None` at the root.
    pub fn parent(&self) -> Option<Self> {
        self.0.rfind('/').map(|at| Self(self.0[..at].to_owned()))
    }

    /// The pointer as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("/")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// The `operationId` of an OpenAPI operation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OperationId(pub String);

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A place in a source file: the file, and a 1-based line and column when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, as the caller named it.
    pub file: PathBuf,
    /// The 1-based line, if known.
    pub line: Option<usize>,
    /// The 1-based column, if known.
    pub column: Option<usize>,
}

impl Location {
    pub(crate) fn new(file: &Path, line: Option<usize>, column: Option<usize>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// One problem found in a document: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file and line of the element.
    pub location: Location,
    /// The element the problem is on.
    pub pointer: JsonPointer,
    /// The operation the element belongs to, if any.
    pub operation: Option<OperationId>,
    /// What is wrong, in lowercase, without a trailing period.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at {}", self.location, self.pointer)?;
        if let Some(operation) = &self.operation {
            write!(f, " (operation `{operation}`)")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything that can go wrong between a spec on disk and files written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read, written or renamed.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What was being done, e.g. "cannot read".
        action: &'static str,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not well-formed YAML or JSON.
    #[error("{location}: malformed {format}: {message}")]
    Syntax {
        /// Where the parser stopped.
        location: Location,
        /// "YAML" or "JSON".
        format: &'static str,
        /// The parser's message.
        message: String,
    },
    /// The document declares an OpenAPI version the pipeline cannot handle.
    #[error("{location}: unsupported OpenAPI version `{found}`: only OpenAPI 3.0.x documents are supported (progenitor cannot generate 3.1 or Swagger 2.0)")]
    UnsupportedVersion {
        /// Where the version is declared.
        location: Location,
        /// The declared version, or a note that none was found.
        found: String,
    },
    /// The document is well-formed but is not a valid OpenAPI 3.0 document.
    #[error("{0}")]
    Structure(Box<Diagnostic>),
    /// The document is valid OpenAPI but uses what the generator cannot
    /// handle, or its samples contradict its schemas.
    #[error("{} problem(s) in {}:\n{}", .0.len(), file_of(.0), list(.0))]
    Invalid(Vec<Diagnostic>),
    /// The settings file beside a spec is missing or wrong.
    #[error("{}: invalid settings: {message}", path.display())]
    Settings {
        /// The settings file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// progenitor returned an error or panicked on an operation.
    #[error("{}: operation `{operation}`: the generator failed: {message}", file.display())]
    Generator {
        /// The spec being generated.
        file: PathBuf,
        /// The operation that failed, or `*` when it could not be narrowed down.
        operation: OperationId,
        /// progenitor's message.
        message: String,
    },
    /// Two documents cannot be compared (for example, one has duplicate
    /// endpoints).
    #[error("{}: {source}", file.display())]
    Diff {
        /// The spec being compared.
        file: PathBuf,
        /// What the differ refused.
        source: Box<crate::diff::DiffError>,
    },
    /// The generated tokens are not valid Rust.
    #[error("{}: generated code does not parse as Rust: {message}", file.display())]
    Format {
        /// The spec being generated.
        file: PathBuf,
        /// The parser's message.
        message: String,
    },
}

fn file_of(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .first()
        .map(|d| d.location.file.display().to_string())
        .unwrap_or_default()
}

fn list(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("  - {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
