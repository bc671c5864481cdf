//! Inspection: what a file really is, sniffed from its content, never from its extension.
//!
//! Takes a path (or bytes) and returns [`FileFacts`]: the detected kind, page count, size,
//! checksum, encryption, image geometry and text encoding, plus the [`FileProblem`]s that would
//! make it unusable. `inspect(path, ..)` reads the file; `facts(bytes, ..)` is its pure twin.
//!
//! `sniff` tells the format from magic bytes; `pdf`, `image` and `text` read each format's facts.
//! This file holds the shared types and the thin public functions: [`inspect`], [`facts`],
//! [`decode_text`] and [`open_pdf`] (the same PDF reading as `facts`, for merging).

use serde::Serialize;

pub use problem::{OtherKind, PasswordAsk, Problem, TreeFault};

/// The password used to open an encrypted PDF. `Debug` and `Display` never show the value,
/// so it cannot leak into a report, a log line or a panic message.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a password.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The password itself; call only where it is handed to the decryptor.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Where the password of an item's encrypted PDFs comes from.
#[derive(Debug, Clone)]
pub struct PasswordSource {
    /// The environment variable the password came from, for messages; `None` when it was
    /// typed at the terminal or not given.
    pub env_var: Option<String>,
    /// Its value, or the one typed at the terminal; `None` when neither was given.
    pub password: Option<Secret>,
    /// What the hint for a locked file tells the person to do.
    pub ask: PasswordAsk,
}

impl Default for PasswordSource {
    fn default() -> Self {
        PasswordSource { env_var: None, password: None, ask: PasswordAsk::InspectOption }
    }
}

/// The broad kind of a file, as the manifest's `kinds` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A PDF document.
    Pdf,
    /// A raster image (JPEG, PNG, ...).
    Image,
    /// Plain text or Markdown notes.
    Text,
}

impl Kind {
    /// The manifest spelling: `pdf`, `image` or `text`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Image => "image",
            Kind::Text => "text",
        }
    }
}

/// Everything dossier learned about one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileFacts {
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// What the content is.
    pub content: Content,
    /// Why the file cannot be used as it is (errors) or should be looked at (warnings).
    pub problems: Vec<FileProblem>,
}

impl FileFacts {
    /// The manifest kind of the content, if it is one dossier can use.
    pub fn kind(&self) -> Option<Kind> {
        match &self.content {
            Content::Pdf(_) => Some(Kind::Pdf),
            Content::Image(_) => Some(Kind::Image),
            Content::Text(_) => Some(Kind::Text),
            Content::Other(_) => None,
        }
    }

    /// Pages this file contributes to a merged PDF (a PDF's page count, 1 for an image),
    /// `None` where not known without layout (text) or not usable.
    pub fn pages(&self) -> Option<u32> {
        match &self.content {
            Content::Pdf(pdf) => pdf.pages,
            Content::Image(_) => Some(1),
            _ => None,
        }
    }

    /// True when a problem of error severity was found.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// The detected content of a file.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Content {
    /// A PDF (possibly damaged or encrypted; see its problems).
    Pdf(PdfFacts),
    /// A raster image.
    Image(ImageFacts),
    /// Text or Markdown.
    Text(TextFacts),
    /// Anything else: what it is, in words ("an HTML page", "empty", "a Word document").
    Other(OtherFacts),
}

/// Facts about a PDF.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PdfFacts {
    /// Version from the header, e.g. "1.7" or "2.0".
    pub version: String,
    /// Number of pages; `None` when the file could not be opened (damaged, wrong password).
    pub pages: Option<u32>,
    /// Encryption, if any.
    pub encryption: Option<EncryptionFacts>,
    /// The file was damaged and repaired (see `repairs`).
    pub repaired: bool,
    /// What reading the file repaired, in order.
    pub repairs: Vec<RepairKind>,
    /// What could not be recovered even so.
    pub unrecovered: Vec<Unrecovered>,
    /// Bytes of junk (e.g. a mail header) before `%PDF-`.
    pub junk_before_header: u64,
    /// The document has an interactive form (AcroForm fields).
    pub has_form: bool,
    /// Title from the document information dictionary, if any.
    pub title: Option<String>,
}

/// How a PDF is encrypted and whether dossier could open it.
#[derive(Debug, Clone, Serialize)]
pub struct EncryptionFacts {
    /// The cipher in words: "RC4 128-bit", "AES-128", "AES-256".
    pub method: String,
    /// A user password is needed to open it (false for owner-password-only files).
    pub needs_password: bool,
    /// dossier opened it (with the empty password or the item's password).
    pub opened: bool,
}

/// Image container formats dossier recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// JPEG (baseline or progressive).
    Jpeg,
    /// PNG.
    Png,
    /// GIF.
    Gif,
    /// WebP.
    Webp,
    /// BMP.
    Bmp,
    /// TIFF.
    Tiff,
}

/// Colour model of an image as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorModel {
    /// One grey channel.
    Gray,
    /// Red, green, blue.
    Rgb,
    /// Cyan, magenta, yellow, black (JPEG).
    Cmyk,
    /// YCCK JPEG (Adobe), decoded to CMYK by readers.
    Ycck,
    /// Palette-based.
    Indexed,
}

/// Facts about a raster image, read from its header without decoding the pixels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageFacts {
    /// Container format.
    pub format: ImageFormat,
    /// Stored width in pixels (before EXIF orientation).
    pub width: u32,
    /// Stored height in pixels (before EXIF orientation).
    pub height: u32,
    /// Valid EXIF orientation (1..=8); `None` when absent or invalid.
    pub orientation: Option<u16>,
    /// Colour model.
    pub color: ColorModel,
    /// Bits per channel.
    pub bit_depth: u8,
    /// Has an alpha channel (or PNG transparency).
    pub has_alpha: bool,
    /// Progressive JPEG / interlaced PNG.
    pub progressive: bool,
    /// JPEG with an Adobe APP14 marker (CMYK data is then stored inverted).
    pub adobe: bool,
}

impl ImageFacts {
    /// Width and height as displayed, after the EXIF orientation is applied.
    pub fn upright_size(&self) -> (u32, u32) {
        match self.orientation {
            Some(5..=8) => (self.height, self.width),
            _ => (self.width, self.height),
        }
    }
}

/// Text encodings dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    /// UTF-8 without BOM (plain ASCII included).
    Utf8,
    /// UTF-8 with a byte-order mark (Windows Notepad "UTF-8 with BOM").
    Utf8Bom,
    /// UTF-16 little-endian with BOM (Notepad "Unicode").
    Utf16le,
    /// UTF-16 big-endian with BOM.
    Utf16be,
    /// CP949 / Unified Hangul Code, what Korean Windows calls "ANSI" (a superset of EUC-KR).
    Cp949,
}

impl TextEncoding {
    /// Human name for reports.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16le => "UTF-16LE",
            TextEncoding::Utf16be => "UTF-16BE",
            TextEncoding::Cp949 => "CP949 (EUC-KR)",
        }
    }
}

/// Facts about a text file.
#[derive(Debug, Clone, Serialize)]
pub struct TextFacts {
    /// Detected encoding.
    pub encoding: TextEncoding,
    /// Markdown (by extension .md/.markdown), otherwise plain text.
    pub markdown: bool,
    /// Number of lines.
    pub lines: usize,
    /// Line ends are CRLF.
    pub crlf: bool,
    /// For Markdown, the images it links to, as written.
    pub image_links: Vec<String>,
}

/// Facts about a file dossier cannot use.
#[derive(Debug, Clone, Serialize)]
pub struct OtherFacts {
    /// What it is.
    pub what: OtherKind,
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used as it is.
    Error,
    /// Usable, but worth a look (repaired, junk before the header, ...).
    Warning,
}

/// One thing wrong with a file, and how serious it is.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileProblem {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, with its data.
    #[serde(flatten)]
    pub problem: Problem,
}

impl FileProblem {
    /// A problem that makes the file unusable.
    pub fn error(problem: Problem) -> Self {
        FileProblem { severity: Severity::Error, problem }
    }
    /// A problem worth a look.
    pub fn warning(problem: Problem) -> Self {
        FileProblem { severity: Severity::Warning, problem }
    }
}

mod image;
mod pdf;
pub mod problem;
pub mod repair;
pub use repair::{RepairKind, Unrecovered};
mod sniff;
mod text;

use sha2::{Digest, Sha256};
use sniff::Sniffed;
use std::io::Read;
use std::path::Path;

/// The header facts of an image file's bytes (any format dossier reads), or `None` when the
/// bytes are not an image or its header is damaged. This is the one JPEG/PNG header and EXIF
/// reader: inspect uses it for every file and render for images linked from notes.
pub fn image_header(bytes: &[u8]) -> Option<ImageFacts> {
    let Sniffed::Image(format) = sniff::sniff(bytes) else {
        return None;
    };
    image::header(bytes, format).ok()
}

/// Whether a JPEG has a component sampled below full resolution (from its frame header), or
/// `None` when it is not a readable JPEG.
pub fn jpeg_subsampled(bytes: &[u8]) -> Option<bool> {
    image::jpeg_subsampled(bytes)
}

/// Files larger than this are not read: no document in a submission is this big.
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Reads `path` and returns its facts. An unreadable file gives facts with one error problem.
pub fn inspect(path: &Path, passwords: &PasswordSource) -> FileFacts {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match read_limited(path) {
        Ok(bytes) => facts(&bytes, &name, passwords),
        Err(problem) => FileFacts {
            bytes: std::fs::metadata(path).map_or(0, |m| m.len()),
            sha256: String::new(),
            content: Content::Other(OtherFacts { what: OtherKind::Unreadable }),
            problems: vec![problem],
        },
    }
}

/// Reads a whole file opened read-only, refusing files over [`MAX_FILE_BYTES`].
fn read_limited(path: &Path) -> Result<Vec<u8>, FileProblem> {
    let unreadable = |e: std::io::Error| FileProblem::error(Problem::Unreadable { reason: os_reason(&e) });
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.is_dir() {
        return Err(FileProblem::error(Problem::Folder));
    }
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err(FileProblem::error(Problem::TooLarge { megabytes: len / (1024 * 1024) }));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    file.by_ref().take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

/// "Permission denied", without Rust's " (os error 13)" suffix.
fn os_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The pure twin of [`inspect`]: facts about `bytes`, whose file name is `name` (used only to
/// tell Markdown from plain text and for hints; never to decide the kind).
pub fn facts(bytes: &[u8], name: &str, passwords: &PasswordSource) -> FileFacts {
    let (content, problems) = match sniff::sniff(bytes) {
        Sniffed::Empty => other(OtherKind::Empty, Problem::Empty),
        Sniffed::Pdf { header_at } => {
            let (pdf, problems, _) = pdf::examine(bytes, header_at, passwords);
            (Content::Pdf(pdf), problems)
        }
        Sniffed::Image(format) => image::facts(bytes, format, name),
        Sniffed::Html { secure_mail } => html(name, secure_mail),
        Sniffed::Foreign(kind) => other(kind, Problem::Foreign { kind }),
        Sniffed::Unknown => misnamed_text(text::facts(bytes, name), name),
    };
    FileFacts { bytes: bytes.len() as u64, sha256: hex::encode(Sha256::digest(bytes)), content, problems }
}

/// Text under a document or image name (`passwd` linked as `x.pdf`, a note renamed `.jpg`) is
/// not what its name promises: refuse it rather than typeset it as notes.
fn misnamed_text((content, mut problems): (Content, Vec<FileProblem>), name: &str) -> (Content, Vec<FileProblem>) {
    const BINARY: &[&str] = &[".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic"];
    let lower = name.to_lowercase();
    if let (Content::Text(_), Some(ext)) = (&content, BINARY.iter().find(|e| lower.ends_with(*e))) {
        let ext = ext.trim_start_matches('.').to_uppercase();
        problems.push(FileProblem::error(Problem::MisnamedText { ext }));
    }
    (content, problems)
}

/// Content we cannot use, with the one error that says so.
fn other(what: OtherKind, problem: Problem) -> (Content, Vec<FileProblem>) {
    (Content::Other(OtherFacts { what }), vec![FileProblem::error(problem)])
}

/// An HTML page, often a pay stub's secure-mail wrapper saved under a .pdf name.
fn html(name: &str, secure_mail: bool) -> (Content, Vec<FileProblem>) {
    let named_pdf = name.to_lowercase().ends_with(".pdf");
    other(OtherKind::Html, Problem::Html { named_pdf, secure_mail })
}

/// Decodes a PDF text string (UTF-16BE or UTF-8 with BOM, else PDFDocEncoding).
pub fn decode_pdf_string(bytes: &[u8]) -> String {
    pdf::decode_pdf_string(bytes)
}

/// The image links of a Markdown note, in order, as written.
pub fn markdown_image_links(text: &str) -> Vec<String> {
    text::markdown_image_links(text)
}

/// Decodes text as [`TextFacts::encoding`] detected it: BOM stripped, CRLF turned into LF.
pub fn decode_text(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    text::decode(bytes)
}

/// Opens a PDF for merging: skips junk before the header, repairs a broken xref, decrypts
/// with the empty password first and then `password`. The result holds no encryption.
/// Any error problem [`facts`] would report (truncated, locked, broken page tree) is the `Err`.
pub fn open_pdf(bytes: &[u8], password: Option<&Secret>) -> Result<lopdf::Document, FileProblem> {
    let Sniffed::Pdf { header_at } = sniff::sniff(bytes) else {
        return Err(FileProblem::error(Problem::Damaged));
    };
    let passwords = PasswordSource { password: password.cloned(), ..PasswordSource::default() };
    let (_, problems, document) = pdf::examine(bytes, header_at, &passwords);
    if let Some(error) = problems.into_iter().find(|p| p.severity == Severity::Error) {
        return Err(error);
    }
    let mut document = document.ok_or_else(|| FileProblem::error(Problem::Damaged))?;
    // lopdf keeps the decryption state (key included) for incremental saves; a merge writes a
    // new file, so drop it: nothing downstream can re-encrypt by accident.
    document.encryption_state = None;
    Ok(document)
}

#[cfg(test)]
mod tests;
