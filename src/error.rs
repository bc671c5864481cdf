//! Fatal errors: problems that stop dossier before it can report on the documents.
//!
//! A missing pay stub is not an `Error`; it is a finding in the report (exit 1). An `Error` means
//! the manifest or the command line is wrong (exit 2) or an output cannot be written (exit 2).
//! Every variant carries what its message needs: the manifest path and line, the item, the file.

use std::path::PathBuf;

/// A position in the manifest, 1-based, for messages such as `dossier.toml:14:9`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The manifest file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The text of that line, shown under the message with a caret.
    pub source_line: String,
}

impl Location {
    /// The location of byte offset `offset` in `text`, which was read from `file`.
    pub fn from_offset(file: impl Into<PathBuf>, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let source_line = text[line_start..].lines().next().unwrap_or("").to_string();
        Location { file: file.into(), line, column, source_line }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// Everything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No manifest where one was expected.
    #[error("no manifest at `{}`", path.display())]
    ManifestNotFound {
        /// The path tried.
        path: PathBuf,
    },

    /// The manifest could not be read.
    #[error("cannot read manifest `{}`: {source}", path.display())]
    ManifestRead {
        /// The manifest.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// TOML syntax or a key of the wrong type or name: toml's own message, which already
    /// carries line, column and a snippet.
    #[error("invalid manifest `{}`: {message}", location.file.display())]
    ManifestSyntax {
        /// Where.
        location: Location,
        /// toml's message (without its own snippet; we print ours).
        message: String,
        /// What to do.
        hint: Option<String>,
    },

    /// A problem found after parsing: duplicate id, unknown item, bad date or size.
    #[error("{location}: {message}")]
    ManifestInvalid {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: Option<String>,
    },

    /// The command line names something the manifest does not have.
    #[error("{message}")]
    Usage {
        /// What is wrong.
        message: String,
        /// What to do.
        hint: Option<String>,
    },

    /// Reading or writing a file failed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// "write", "create folder", ...
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// A document of an item could not be assembled (after check passed).
    #[error("item `{item}`, file `{}`: {message}", path.display())]
    Document {
        /// The item id.
        item: String,
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// The fonts for generated pages could not be loaded.
    #[error("font `{}`: {message}", path.display())]
    Font {
        /// The font file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// What to do about it, printed as `hint:` under the message.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::ManifestNotFound { .. } => Some(
                "run `dossier init` to write a starter manifest, or name the manifest: `dossier check path/to/dossier.toml`"
                    .into(),
            ),
            Error::ManifestSyntax { hint, .. }
            | Error::ManifestInvalid { hint, .. }
            | Error::Usage { hint, .. } => hint.clone(),
            Error::Font { .. } => Some(
                "set `font` in [bundle] to a TrueType/OpenType file with Hangul, e.g. NanumGothic.ttf".into(),
            ),
            _ => None,
        }
    }

    /// The source line and caret for manifest errors.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::ManifestSyntax { location, .. } | Error::ManifestInvalid { location, .. } => {
                Some(location)
            }
            _ => None,
        }
    }

    /// The process exit code: 2 for every fatal error (1 is reserved for "documents not ready").
    pub fn exit_code(&self) -> i32 {
        2
    }

    /// Shorthand for an [`Error::Io`].
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { action, path: path.into(), source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "[bundle]\ntitle = \"학점\"\nroot = 3\n";
        let offset = text.find("3").unwrap();
        let loc = Location::from_offset("d.toml", text, offset);
        assert_eq!((loc.line, loc.column), (3, 8));
        assert_eq!(loc.source_line, "root = 3");
        let hangul = text.find("점").unwrap();
        let loc = Location::from_offset("d.toml", text, hangul);
        assert_eq!((loc.line, loc.column), (2, 11));
        assert_eq!(loc.to_string(), "d.toml:2:11");
    }
}
