//! Fatal errors: problems that stop dossier before it can report on the documents.
//!
//! A missing pay stub is not an `Error`; it is a finding in the report (exit 1). An `Error` means
//! the manifest or the command line is wrong (exit 2) or an output cannot be written (exit 2).
//! Every variant carries what its message needs: the manifest path and line, the item, the file.

pub mod manifest;

use std::path::PathBuf;

use crate::i18n::{Catalog, Lang, Msg};
use crate::size::format_size;

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

/// What a fatal error was doing with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoAction {
    /// Reading.
    Read,
    /// Writing.
    Write,
    /// Creating a folder.
    CreateFolder,
    /// Writing to the terminal or a pipe.
    Print,
}

/// A command line that names something that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// `--recipient ID` that the manifest lacks.
    UnknownRecipient {
        /// The manifest.
        manifest: PathBuf,
        /// The id given.
        id: String,
        /// The ids it has.
        known: Vec<String>,
    },
    /// The documents folder is missing.
    RootMissing {
        /// The folder.
        root: PathBuf,
        /// The manifest that names it.
        manifest: PathBuf,
    },
    /// `init --template NAME` with an unknown name.
    UnknownTemplate {
        /// The name given.
        name: String,
        /// The templates there are.
        known: Vec<String>,
    },
    /// `init` where a manifest already is.
    ManifestExists {
        /// The manifest.
        path: PathBuf,
    },
    /// `--lang` with a language dossier does not speak.
    UnknownLanguage {
        /// What was given.
        given: String,
    },
    /// `verify PATH` where nothing is.
    PathMissing {
        /// The path given.
        path: PathBuf,
    },
}

/// Why one document could not go into a bundle after check accepted it.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Its bytes differ from what check hashed.
    #[error("changed while dossier was running")]
    Changed,
    /// It no longer reads as the kind check saw.
    #[error("is no longer a {}", .0.as_str())]
    KindChanged(crate::inspect::Kind),
    /// Opening it as build does failed.
    #[error("cannot be opened: {}", .0.code())]
    Open(crate::inspect::Problem),
    /// Merging it failed.
    #[error("cannot be merged")]
    Merge(#[source] crate::assemble::AssembleError),
    /// The merged PDF lost content of one of its pages (a bug in dossier, caught before writing).
    #[error("lost content in the merged PDF")]
    Proof(crate::assemble::proof::ProofFailure),
    /// The decrypted copy for the zip could not be written.
    #[error("cannot write its decrypted copy")]
    Decrypted(#[source] std::io::Error),
}

/// Why one recipient's bundle could not be made (the others still are).
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The merged PDF could not be made from the generated pages.
    #[error("the merged PDF cannot be made")]
    Assemble(#[source] crate::assemble::AssembleError),
    /// The zip could not be written.
    #[error("the zip cannot be written")]
    Zip(#[source] crate::pack::PackError),
    /// The mail draft could not be written.
    #[error("the mail draft cannot be written")]
    Mail(#[source] crate::mail::MailError),
    /// The attachments cannot be split into parts that fit.
    #[error("the attachments cannot be split to fit")]
    Split {
        /// The budget.
        budget: u64,
        /// The entry that alone is over it.
        file: String,
        /// Its size.
        bytes: u64,
        /// The size of a message carrying it alone.
        needed: u64,
    },
}

/// Everything that stops a run.
#[derive(Debug)]
pub enum Error {
    /// No manifest where one was expected.
    ManifestNotFound {
        /// The path tried.
        path: PathBuf,
    },
    /// The manifest could not be read.
    ManifestRead {
        /// The manifest.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Everything wrong in the manifest (syntax, keys, values), in the order of the text.
    Manifest(Vec<manifest::ManifestError>),
    /// The command line names something that does not exist.
    Usage(UsageError),
    /// Reading or writing a file failed.
    Io {
        /// What was being done.
        action: IoAction,
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A document of an item could not be assembled (after check passed).
    Document {
        /// The item id.
        item: String,
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: DocumentError,
    },
    /// One recipient's bundle could not be made.
    Bundle {
        /// The recipient id.
        recipient: String,
        /// What went wrong.
        source: BundleError,
    },
    /// An image could not be prepared for its page.
    Image {
        /// The item id.
        item: String,
        /// The file's label.
        file: String,
        /// The decoder's words.
        message: String,
    },
    /// The fonts for generated pages could not be loaded.
    Font {
        /// The font file.
        path: PathBuf,
        /// What went wrong (the font library's words).
        message: String,
    },
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::ManifestRead { source, .. } | Error::Io { source, .. } => Some(source),
            Error::Document { source, .. } => Some(source),
            Error::Bundle { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// English, for logs and `Debug`-minded callers; the terminal gets [`Error::message`] in the
/// user's language.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&Catalog::get(Lang::En).text(&self.message()))
    }
}

fn quoted(list: &[String]) -> String {
    list.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    text.find(" (os error").map_or(text.clone(), |at| text[..at].to_string())
}

impl From<crate::blob::BlobError> for Error {
    fn from(e: crate::blob::BlobError) -> Error {
        match e {
            crate::blob::BlobError::Changed { item, path } => {
                Error::Document { item, path, source: DocumentError::Changed }
            }
            crate::blob::BlobError::Read { path, source } => Error::io(IoAction::Read, path, source),
        }
    }
}

impl Error {
    /// The stable code of `--json`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::ManifestNotFound { .. } => "manifest.not_found",
            Error::ManifestRead { .. } => "manifest.unreadable",
            Error::Manifest(_) => "manifest.invalid",
            Error::Usage(UsageError::UnknownRecipient { .. }) => "usage.unknown_recipient",
            Error::Usage(UsageError::RootMissing { .. }) => "usage.root_missing",
            Error::Usage(UsageError::UnknownTemplate { .. }) => "usage.unknown_template",
            Error::Usage(UsageError::ManifestExists { .. }) => "usage.manifest_exists",
            Error::Usage(UsageError::UnknownLanguage { .. }) => "usage.unknown_language",
            Error::Usage(UsageError::PathMissing { .. }) => "usage.path_missing",
            Error::Io { .. } => "io.failed",
            Error::Document { .. } => "build.document",
            Error::Bundle { .. } => "build.bundle",
            Error::Image { .. } => "build.image",
            Error::Font { .. } => "font.unusable",
        }
    }

    /// What went wrong.
    pub fn message(&self) -> Msg {
        match self {
            Error::ManifestNotFound { path } => Msg::new("manifest-not_found").arg("path", path.display().to_string()),
            Error::ManifestRead { path, source } => {
                Msg::new("manifest-unreadable").arg("path", path.display().to_string()).arg("reason", io_reason(source))
            }
            Error::Manifest(errors) => match errors.as_slice() {
                [one] => one.message(),
                _ => Msg::new("manifest-errors")
                    .arg("path", errors.first().map(|e| e.location.file.display().to_string()).unwrap_or_default())
                    .arg("count", errors.len()),
            },
            Error::Usage(usage) => usage_message(usage),
            Error::Io { action, path, source } => Msg::new(match action {
                IoAction::Read => "io-read",
                IoAction::Write => "io-write",
                IoAction::CreateFolder => "io-create_folder",
                IoAction::Print => "io-print",
            })
            .arg("path", path.display().to_string())
            .arg("reason", io_reason(source)),
            Error::Document { item, path, source } => Msg::new("build-document")
                .arg("item", item)
                .arg("path", path.display().to_string())
                .with("cause", document_cause(source)),
            Error::Bundle { recipient, source } => {
                Msg::new("build-bundle").arg("recipient", recipient).with("cause", bundle_cause(source))
            }
            Error::Image { item, file, message } => {
                Msg::new("build-image").arg("item", item).arg("file", file).arg("reason", message)
            }
            Error::Font { path, message } => {
                Msg::new("font-unusable").arg("path", path.display().to_string()).arg("reason", message)
            }
        }
    }

    /// What to do about it, printed as `hint:` under the message.
    pub fn hint(&self) -> Option<Msg> {
        Some(match self {
            Error::ManifestNotFound { .. } => Msg::new("manifest-not_found-hint"),
            Error::Manifest(errors) => match errors.as_slice() {
                [one] => one.problem.hint(),
                _ => return None,
            },
            Error::Usage(UsageError::UnknownRecipient { known, .. }) => {
                Msg::new("usage-unknown_recipient-hint").arg("known", quoted(known))
            }
            Error::Usage(UsageError::RootMissing { manifest, .. }) => {
                Msg::new("usage-root_missing-hint").arg("manifest", manifest.display().to_string())
            }
            Error::Usage(UsageError::UnknownTemplate { known, .. }) => {
                Msg::new("usage-unknown_template-hint").arg("known", quoted(known))
            }
            Error::Usage(UsageError::ManifestExists { .. }) => Msg::new("usage-manifest_exists-hint"),
            Error::Usage(UsageError::UnknownLanguage { .. }) => Msg::new("usage-unknown_language-hint"),
            Error::Usage(UsageError::PathMissing { .. }) => Msg::new("usage-path_missing-hint"),
            Error::Document { source: DocumentError::Changed, .. } => Msg::new("build-again-hint"),
            Error::Document { source: DocumentError::Open(problem), .. } => return problem.hint(),
            Error::Document { source: DocumentError::Proof(_), .. } => Msg::new("build-proof_failed-hint"),
            Error::Document { .. } => Msg::new("build-document-hint"),
            Error::Bundle { source: BundleError::Split { .. }, .. } => Msg::new("build-split-hint"),
            Error::Font { .. } => Msg::new("font-unusable-hint"),
            _ => return None,
        })
    }

    /// The source line and caret for a manifest error.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Manifest(errors) if errors.len() == 1 => Some(&errors[0].location),
            _ => None,
        }
    }

    /// The manifest's problems, when that is what stopped the run.
    pub fn manifest_errors(&self) -> &[manifest::ManifestError] {
        match self {
            Error::Manifest(errors) => errors,
            _ => &[],
        }
    }

    /// The process exit code: 2 for every fatal error (1 is reserved for "documents not ready").
    pub fn exit_code(&self) -> i32 {
        2
    }

    /// Shorthand for an [`Error::Io`].
    pub fn io(action: IoAction, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { action, path: path.into(), source }
    }
}

fn usage_message(usage: &UsageError) -> Msg {
    match usage {
        UsageError::UnknownRecipient { manifest, id, .. } => {
            Msg::new("usage-unknown_recipient").arg("manifest", manifest.display().to_string()).arg("id", id)
        }
        UsageError::RootMissing { root, .. } => Msg::new("usage-root_missing").arg("root", root.display().to_string()),
        UsageError::UnknownTemplate { name, .. } => Msg::new("usage-unknown_template").arg("name", name),
        UsageError::ManifestExists { path } => {
            Msg::new("usage-manifest_exists").arg("path", path.display().to_string())
        }
        UsageError::UnknownLanguage { given } => Msg::new("usage-unknown_language").arg("given", given),
        UsageError::PathMissing { path } => Msg::new("usage-path_missing").arg("path", path.display().to_string()),
    }
}

fn document_cause(cause: &DocumentError) -> Msg {
    match cause {
        DocumentError::Changed => Msg::new("build-changed"),
        DocumentError::KindChanged(kind) => Msg::new("build-kind_changed").arg("kind", kind.as_str()),
        DocumentError::Open(problem) => problem.message(),
        DocumentError::Merge(e) => Msg::new("build-merge_failed").arg("reason", e.to_string()),
        DocumentError::Decrypted(e) => Msg::new("build-decrypted_copy").arg("reason", e.to_string()),
        DocumentError::Proof(f) => {
            Msg::new("build-proof_failed").arg("page", f.input_page).arg("detail", f.kind.to_string())
        }
    }
}

fn bundle_cause(cause: &BundleError) -> Msg {
    match cause {
        BundleError::Assemble(e) => Msg::new("build-assemble_failed").arg("reason", e.to_string()),
        BundleError::Zip(e) => Msg::new("build-zip_failed").arg("reason", e.to_string()),
        BundleError::Mail(e) => Msg::new("build-mail_failed").arg("reason", e.to_string()),
        BundleError::Split { budget, file, bytes, needed } => Msg::new("build-split_failed")
            .arg("budget", format_size(*budget))
            .arg("file", file)
            .arg("size", format_size(*bytes))
            .arg("needed", format_size(*needed)),
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
