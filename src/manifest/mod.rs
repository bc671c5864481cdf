//! The manifest (`dossier.toml`): which items each recipient needs, where they are, and what
//! makes each valid.
//!
//! `load(path)` reads the file and calls `parse(text, path)`, which is pure: `syntax` finds the
//! TOML mistakes people make (unquoted Korean keys, dotted dates, Windows backslashes) and
//! repairs them in a copy, serde reads the copy into the `raw` structs (unknown keys and wrong
//! types fail there), and `validate` turns them into a [`Manifest`] whose every field is
//! checked and defaulted. Problems are collected, not stopped at: the result is the manifest or
//! an [`Error::Manifest`] listing every [`ManifestError`], each pointing at its key.

mod raw;
mod syntax;
pub mod templates;
mod validate;

pub use crate::error::manifest::{ManifestError, ManifestProblem};
pub use validate::reaches_outside;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location};
pub use crate::inspect::Kind;

/// A checked manifest with every default applied.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest file.
    pub path: PathBuf,
    /// `[bundle]`.
    pub bundle: Bundle,
    /// `[student]` fields in the order written (without `password_env`).
    pub student: Vec<(String, String)>,
    /// `[student] password_env`: the variable holding this student's password for every
    /// encrypted file (in a cohort, each student's own).
    pub student_password_env: Option<String>,
    /// `[period]`, the internship period.
    pub period: Option<Period>,
    /// `[[items]]`, in manifest order.
    pub items: Vec<Item>,
    /// `[[recipients]]`, in manifest order.
    pub recipients: Vec<Recipient>,
}

/// `[bundle]` settings.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// Title shown on cover pages and in mail subjects.
    pub title: String,
    /// Short name used in output file names (default: the title without spaces).
    pub short_title: String,
    /// Where files are looked up (absolute, resolved against the manifest's folder).
    pub root: PathBuf,
    /// Where build writes (absolute). Never searched for inputs.
    pub output: PathBuf,
    /// Font for generated pages: `None` is the bundled Korean font; `font = "path"` (or
    /// `{ path, index }`) a file; `font = "system"` the system's Korean font.
    pub font: Option<FontChoice>,
    /// Page stamps on every page of merged PDFs.
    pub stamp: bool,
    /// Name of the merged PDF without `.pdf`; `{field}` is replaced by a `[student]` field.
    pub file_name: Option<String>,
    /// Let globs, paths and symlinks reach outside `root`.
    pub allow_outside_root: bool,
    /// The language of generated pages and the mail (what recipients read): `ko` by default.
    pub lang: crate::i18n::Lang,
    /// What to do when a mail would exceed its limit, for recipients that do not say.
    pub fit: Fit,
    /// Never replace photos in the zip by smaller copies, for recipients that do not say.
    pub keep_originals: bool,
}

/// The manifest's `font`, when it names one (the default is the bundled font).
#[derive(Debug, Clone, PartialEq)]
pub enum FontChoice {
    /// `font = "system"`: the system's Korean font, found through fontconfig and friends.
    System,
    /// `font = "path"` or `font = { path, index }` (write `./system` for a file named so).
    File(FontSpec),
}

/// A font file, with the face index for collections (.ttc/.otc).
#[derive(Debug, Clone, PartialEq)]
pub struct FontSpec {
    /// The font file (absolute).
    pub path: PathBuf,
    /// Face index inside a collection; 0 for single fonts.
    pub index: u32,
}

/// A calendar date (no time zone: the internship period is in days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2023.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day, 1..=31.
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A calendar month, e.g. 2023-05.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
}

impl Month {
    /// "2023년 3월" / "2023-03", as a message.
    pub fn label(self) -> crate::i18n::Msg {
        crate::i18n::Msg::new("month-label").arg("year", self.year).arg("month", self.month)
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// `[period]`: the internship, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
}

impl Period {
    /// Every calendar month the period touches, in order (2023-03-02..2023-06-30 gives 3..6).
    pub fn months(&self) -> Vec<Month> {
        let mut months = Vec::new();
        let mut m = Month { year: self.start.year, month: self.start.month };
        let last = Month { year: self.end.year, month: self.end.month };
        while m <= last {
            months.push(m);
            m = m.next();
        }
        months
    }
}

/// Page-count bounds for each PDF of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageBounds {
    /// Fewest pages allowed.
    pub min: Option<u32>,
    /// Most pages allowed.
    pub max: Option<u32>,
}

/// One `[[items]]` entry: a document the bundle needs.
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable id used by recipients and in JSON.
    pub id: String,
    /// Title shown in reports, contents, bookmarks and zip names.
    pub title: String,
    /// Globs under root, NFC-normalised.
    pub files: Vec<String>,
    /// Accepted kinds.
    pub kinds: Vec<Kind>,
    /// Must be present for the bundle to be complete.
    pub required: bool,
    /// Fewest files.
    pub min: usize,
    /// Most files.
    pub max: Option<usize>,
    /// Page bounds for each PDF.
    pub pages: PageBounds,
    /// One file per calendar month of the period.
    pub per_month: bool,
    /// Environment variable holding the password of encrypted PDFs.
    pub password_env: Option<String>,
    /// Largest size of one file, in bytes.
    pub max_size: Option<u64>,
    /// Shown when the item is missing: where to get the document.
    pub hint: Option<String>,
}

/// One `[[recipients]]` entry: who receives which items.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// Stable id, used for the output folder.
    pub id: String,
    /// Title shown on the cover ("지도교수").
    pub title: String,
    /// Item ids, in the order they appear in the merged PDF.
    pub items: Vec<String>,
    /// The mail server's limit on one message, in bytes.
    pub max_attachment: u64,
    /// Recipient's address for the mail draft.
    pub email: Option<String>,
    /// Name of this recipient's merged PDF (overrides `[bundle] file_name`).
    pub file_name: Option<String>,
    /// What the mail carries.
    pub attach: Attach,
    /// What to do when the mail would exceed `max_attachment`.
    pub fit: Fit,
    /// Never replace photos in the zip by smaller copies (parts instead).
    pub keep_originals: bool,
    /// The mail's subject, `{field}`s filled in; the default is built from the bundle.
    pub subject: Option<String>,
    /// The mail's first line ("교수님께"); the default follows the recipient's title.
    pub greeting: Option<String>,
    /// The mail's text between the greeting and the list of attachments.
    pub body: Option<String>,
}

/// The default message limit: 10 MB, Naver Mail's limit for a normal attachment and the
/// strictest common one (Gmail and Google Workspace take 25 MB, Microsoft 365 35 MB by
/// default); a student on Gmail writes `max_attachment = "25 MB"`.
pub const DEFAULT_MAX_ATTACHMENT: u64 = 10_000_000;

/// `attach = ["pdf", "zip"]`: which files the mail carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Attach {
    /// The merged PDF itself, which every mail client previews.
    pub pdf: bool,
    /// The zip of the originals (with the merged PDF inside when `pdf` is off).
    pub zip: bool,
}

impl Default for Attach {
    fn default() -> Self {
        Attach { pdf: true, zip: true }
    }
}

/// `fit = "auto"` or `"off"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fit {
    /// Compact images, then photos in the zip, then split, until every message fits.
    #[default]
    Auto,
    /// Keep every byte; only warn when a message is over the limit.
    Off,
}

impl Manifest {
    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The recipient with this id.
    pub fn recipient(&self, id: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.id == id)
    }

    /// A `[student]` field by any of the given names.
    pub fn student_field(&self, names: &[&str]) -> Option<&str> {
        self.student.iter().find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n))).map(|(_, v)| v.as_str())
    }

    /// The recipients chosen on the command line (all when `ids` is empty), or a usage error
    /// naming the unknown id.
    pub fn select_recipients(&self, ids: &[String]) -> Result<Vec<&Recipient>, Error> {
        if ids.is_empty() {
            return Ok(self.recipients.iter().collect());
        }
        ids.iter()
            .map(|id| {
                self.recipient(id).ok_or_else(|| {
                    Error::Usage(crate::error::UsageError::UnknownRecipient {
                        manifest: self.path.clone(),
                        id: id.clone(),
                        known: self.recipients.iter().map(|r| r.id.clone()).collect(),
                    })
                })
            })
            .collect()
    }
}

/// Reads and checks the manifest at `path`.
pub fn load(path: &Path) -> Result<Manifest, Error> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::ManifestNotFound { path: path.to_path_buf() });
        }
        Err(e) => {
            return Err(Error::ManifestRead { path: path.to_path_buf(), source: e });
        }
    };
    let text = decode_manifest_text(&text).ok_or_else(|| {
        let location = Location { file: path.to_path_buf(), line: 1, column: 1, source_line: String::new() };
        Error::Manifest(vec![ManifestError { location, problem: ManifestProblem::NotUtf8 }])
    })?;
    let absolute = std::path::absolute(path).map_err(|e| Error::io(crate::error::IoAction::Read, path, e))?;
    parse_shown(&text, &absolute, path)
}

/// TOML must be UTF-8; a BOM (Windows Notepad) is tolerated and dropped.
fn decode_manifest_text(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).ok()
}

/// Parses manifest text read from `path` (used for messages and to resolve relative paths).
/// Every problem found is returned, in the order of the text, not only the first.
pub fn parse(text: &str, path: &Path) -> Result<Manifest, Error> {
    parse_shown(text, path, path)
}

/// [`parse`], with locations showing `shown` (the path as the user typed it).
fn parse_shown(text: &str, path: &Path, shown: &Path) -> Result<Manifest, Error> {
    let (found, repaired) = syntax::prescan(text);
    let errors = std::cell::RefCell::new(Vec::new());
    let ctx = validate::Ctx { text, shown, repaired: &repaired, path, errors };
    for (offset, problem) in found {
        ctx.err_at(offset, problem);
    }
    // Every unknown key at once; toml's own error below would name only the first.
    let unknown: Vec<(usize, ManifestProblem)> = syntax::unknown_keys(&repaired.text);
    for (offset, problem) in &unknown {
        ctx.err_at(repaired.original(*offset), problem.clone());
    }
    let manifest = match toml::from_str::<raw::RawManifest>(&repaired.text) {
        Ok(raw) => validate::validate(raw, &ctx),
        Err(e) => {
            let problem = syntax::from_toml(e.message().trim());
            let reported = matches!(&problem, ManifestProblem::UnknownKey { .. }) && !unknown.is_empty();
            if !reported {
                ctx.err_at(repaired.original(e.span().map_or(0, |s| s.start)), problem);
            }
            None
        }
    };
    let mut errors = ctx.errors.into_inner();
    match manifest {
        Some(manifest) if errors.is_empty() => Ok(manifest),
        _ => {
            errors.sort_by_key(|e| (e.location.line, e.location.column));
            Err(Error::Manifest(errors))
        }
    }
}

#[cfg(test)]
mod tests;
