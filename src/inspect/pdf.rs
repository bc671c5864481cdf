//! PDF: bytes (and the item's password) in; [`PdfFacts`], problems and, when it opened, the
//! decrypted `lopdf::Document` out. `facts` and `open_pdf` both go through [`examine`], so
//! what check reports and what build merges are the same reading of the file.
//!
//! lopdf (lenient mode) skips junk before `%PDF-`, rebuilds a broken cross-reference table and
//! decrypts. It tries the empty user password itself before the one we give it, which is what
//! owner-password-only files need (handing them the user's password would fail).

use super::repair::{self, RepairKind};
use super::{EncryptionFacts, FileProblem, PasswordSource, PdfFacts, Problem, Secret, TreeFault};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use std::collections::HashSet;

/// Bound on one object or xref stream once inflated, against decompression bombs. Content
/// streams are never inflated here.
const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// Deeper page trees than this are broken or hostile; real ones are 2 to 4 levels deep.
const MAX_TREE_DEPTH: usize = 64;
/// `%%EOF` must appear this close to the end, or the file was cut short.
const EOF_WINDOW: usize = 1024;

/// Everything known about one PDF, and the opened document if it could be opened.
pub(super) fn examine(
    bytes: &[u8],
    header_at: usize,
    passwords: &PasswordSource,
) -> (PdfFacts, Vec<FileProblem>, Option<Document>) {
    let body = bytes.get(header_at..).unwrap_or_default();
    let prepared = repair::prepare(body);
    let mut facts = PdfFacts {
        version: header_version(&prepared.bytes),
        junk_before_header: header_at as u64,
        ..PdfFacts::default()
    };
    facts.repairs = prepared.repairs.clone();
    let mut problems = Vec::new();
    if header_at > 0 {
        facts.repairs.push(RepairKind::JunkBeforeHeader { bytes: header_at as u64 });
        problems.push(FileProblem::warning(Problem::JunkBeforeHeader { bytes: header_at as u64 }));
    }
    let truncated = is_truncated(body);
    match load(&prepared.bytes, passwords.password.as_ref(), prepared.force_reconstruct) {
        Err(Failure::Damaged(problem)) => {
            problems.push(if truncated { FileProblem::error(Problem::Truncated) } else { problem });
            (facts, problems, None)
        }
        Err(Failure::Locked { method, wrong_password }) => {
            problems.push(locked(&method, wrong_password, passwords));
            facts.encryption = Some(EncryptionFacts { method, needs_password: true, opened: false });
            (facts, problems, None)
        }
        Ok(mut opened) => {
            facts.encryption = opened.encryption;
            if truncated {
                // qpdf reads what is there too; the proof after the build checks every page.
                facts.repairs.push(RepairKind::Truncated);
            }
            let (repairs, lost) = repair::after_load(&mut opened.document);
            facts.repairs.extend(repairs);
            facts.unrecovered = lost;
            describe_opened(&opened.document, &mut facts, &mut problems);
            (facts, problems, Some(opened.document))
        }
    }
}

/// Fills what an opened document tells: repair, pages, form, title.
fn describe_opened(doc: &Document, facts: &mut PdfFacts, problems: &mut Vec<FileProblem>) {
    facts.repaired = facts.repairs.iter().any(|r| !matches!(r, RepairKind::JunkBeforeHeader { .. }));
    // One verdict per file: a file refused for its page tree is not also "repaired".
    match count_pages(doc) {
        Ok(0) => problems.push(FileProblem::error(Problem::NoPages)),
        Err(problem) => problems.push(problem),
        Ok(pages) => {
            facts.pages = Some(pages);
            if let Some(problem) = repair::problem(&facts.repairs, &facts.unrecovered) {
                // A warning even when something stays lost: qpdf merges such a file too, and
                // the student must see what is missing rather than have the file refused.
                problems.push(FileProblem::warning(problem));
            }
        }
    }
    facts.has_form = has_form(doc);
    facts.title = title(doc);
}

/// The version after `%PDF-`, e.g. "1.7".
fn header_version(body: &[u8]) -> String {
    let rest = body.get(5..).unwrap_or_default();
    let len = rest.iter().take(8).take_while(|b| b.is_ascii_digit() || **b == b'.').count();
    String::from_utf8_lossy(&rest[..len]).into_owned()
}

/// No `%%EOF` near the end: an interrupted download or copy.
fn is_truncated(body: &[u8]) -> bool {
    let tail = &body[body.len().saturating_sub(EOF_WINDOW)..];
    super::sniff::find(tail, b"%%EOF").is_none()
}

/// An opened (and, if it was encrypted, decrypted) document.
struct Opened {
    document: Document,
    encryption: Option<EncryptionFacts>,
}

/// Why a document did not open.
enum Failure {
    /// Unreadable; the problem says why.
    Damaged(FileProblem),
    /// Encrypted and neither the empty password nor the given one opened it.
    Locked { method: String, wrong_password: bool },
}

/// Loads `body` (starting at `%PDF-`): first without a password, since lopdf then tries the
/// empty one; only if the file stays locked, again with `password`.
fn load(body: &[u8], password: Option<&Secret>, rebuild: bool) -> Result<Opened, Failure> {
    let document = parse(body, None, rebuild)?;
    if let Ok(encrypt) = document.get_encrypted() {
        // Still locked: lopdf keeps /Encrypt in the trailer when no password opened it.
        let method = method_from_dictionary(&document, encrypt);
        let Some(password) = password else {
            return Err(Failure::Locked { method, wrong_password: false });
        };
        return match parse(body, Some(password), rebuild) {
            Ok(document) if !document.is_encrypted() => {
                let encryption = Some(EncryptionFacts { method, needs_password: true, opened: true });
                Ok(Opened { document, encryption })
            }
            Ok(_) | Err(Failure::Locked { .. }) => Err(Failure::Locked { method, wrong_password: true }),
            Err(damaged) => Err(damaged),
        };
    }
    let encryption = document.encryption_state.as_ref().map(|state| EncryptionFacts {
        method: method_from_state(state),
        needs_password: false,
        opened: true,
    });
    Ok(Opened { document, encryption })
}

/// One lopdf load, its errors turned into [`Failure`]s. No `catch_unwind`: lopdf 0.47 did not
/// panic on cut or byte-mangled copies of the corpus PDFs (`mutated_pdfs_never_panic` in
/// tests/cli/inspect_corpus.rs), so a panic here would be a bug to report, not to hide.
///
/// A document whose table was read as written but some of whose pages do not load is parsed
/// again with the table rebuilt from the objects (qpdf does the same), and the rebuilt one is
/// kept when it loses fewer pages.
fn parse(body: &[u8], password: Option<&Secret>, rebuild: bool) -> Result<Document, Failure> {
    let options = |force_reconstruct| LoadOptions {
        password: password.map(|p| p.expose().to_string()),
        strict: false,
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        force_reconstruct,
        ..LoadOptions::default()
    };
    let document = Document::load_mem_with_options(body, options(rebuild)).map_err(failure)?;
    if !repair::worth_rebuilding(&document) {
        return Ok(document);
    }
    match Document::load_mem_with_options(body, options(true)) {
        Ok(rebuilt)
            if repair::missing_pages(&rebuilt) < repair::missing_pages(&document)
                && rebuilt.page_iter().count() >= document.page_iter().count() =>
        {
            Ok(rebuilt)
        }
        _ => Ok(document),
    }
}

/// A lopdf error as a [`Failure`].
fn failure(error: lopdf::Error) -> Failure {
    match error {
        lopdf::Error::InvalidPassword => {
            // The caller knows the cipher; this placeholder is replaced there.
            Failure::Locked { method: "unknown encryption".into(), wrong_password: true }
        }
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            Failure::Damaged(FileProblem::error(Problem::Inflates { limit_mb: (MAX_STREAM_BYTES >> 20) as u64 }))
        }
        _ => Failure::Damaged(FileProblem::error(Problem::Damaged)),
    }
}

/// The error for a PDF that stayed locked. Never contains the password.
fn locked(method: &str, wrong_password: bool, passwords: &PasswordSource) -> FileProblem {
    if wrong_password {
        return FileProblem::error(Problem::WrongPassword { var: passwords.env_var.clone() });
    }
    FileProblem::error(Problem::Encrypted { method: method.to_string(), ask: passwords.ask.clone() })
}

/// The cipher named by an /Encrypt dictionary (/V, /Length, and /CFM of the stream filter).
fn method_from_dictionary(doc: &Document, encrypt: &Dictionary) -> String {
    let int = |key: &[u8]| encrypt.get(key).ok().and_then(|o| o.as_i64().ok());
    let filter = encrypt.get(b"StmF").and_then(Object::as_name).unwrap_or(b"StdCF");
    let cfm = encrypt
        .get(b"CF")
        .and_then(|cf| doc.dereference(cf).map(|(_, o)| o))
        .and_then(Object::as_dict)
        .and_then(|cf| cf.get(filter))
        .and_then(Object::as_dict)
        .and_then(|f| f.get(b"CFM"))
        .and_then(Object::as_name)
        .ok();
    cipher_words(int(b"V").unwrap_or(0), int(b"Length").unwrap_or(40), cfm)
}

/// The same for a document lopdf already decrypted (its /Encrypt dictionary is gone).
fn method_from_state(state: &lopdf::encryption::EncryptionState) -> String {
    let cfm = state.crypt_filters().get(state.default_stream_filter()).map(|f| f.method());
    let bits = state.key_length().map_or(40, |l| if l <= 32 { l * 8 } else { l });
    cipher_words(state.version(), i64::try_from(bits).unwrap_or(40), cfm)
}

/// "RC4 128-bit", "AES-128", "AES-256".
fn cipher_words(version: i64, length_bits: i64, cfm: Option<&[u8]>) -> String {
    match (version, cfm) {
        (4..=6, Some(b"AESV3")) | (5 | 6, _) => "AES-256".into(),
        (4, Some(b"AESV2")) => "AES-128".into(),
        (4, _) => "RC4 128-bit".into(),
        (1, _) => "RC4 40-bit".into(),
        (2 | 3, _) => format!("RC4 {length_bits}-bit"),
        _ => format!("unknown encryption (V {version})"),
    }
}

/// Counts pages by walking the page tree iteratively, refusing loops and absurd depth, so a
/// hostile file cannot overflow the stack or hang us.
fn count_pages(doc: &Document) -> Result<u32, FileProblem> {
    let missing = || FileProblem::error(Problem::PagesMissing);
    let broken = |fault| FileProblem::error(Problem::BrokenPageTree { fault });
    let root = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| missing())?;
    let mut stack: Vec<(ObjectId, usize)> = vec![(root, 0)];
    let mut seen = HashSet::new();
    let mut pages: u32 = 0;
    while let Some((id, depth)) = stack.pop() {
        if depth > MAX_TREE_DEPTH {
            return Err(broken(TreeFault::TooDeep));
        }
        let node = doc.get_dictionary(id).map_err(|_| missing())?;
        match node_kids(doc, node) {
            // A node met twice is a loop (or a shared subtree, which no producer writes); a page
            // met twice is a repeated page, which qpdf copies and so does the merge.
            Some(_) if !seen.insert(id) => return Err(broken(TreeFault::Loops)),
            Some(kids) => {
                for kid in kids {
                    stack.push((kid.as_reference().map_err(|_| missing())?, depth + 1));
                }
            }
            None => pages = pages.checked_add(1).ok_or_else(|| broken(TreeFault::TooManyPages))?,
        }
    }
    Ok(pages)
}

/// The kids of an intermediate node (/Type /Pages, or untyped with /Kids), `None` for a page.
fn node_kids<'a>(doc: &'a Document, node: &'a Dictionary) -> Option<&'a Vec<Object>> {
    if node.has_type(b"Page") {
        return None;
    }
    let kids = node.get(b"Kids").ok()?;
    doc.dereference(kids).ok()?.1.as_array().ok()
}

/// The catalog's /AcroForm has at least one field.
fn has_form(doc: &Document) -> bool {
    let fields = || -> Option<bool> {
        let catalog = doc.catalog().ok()?;
        let form = doc.dereference(catalog.get(b"AcroForm").ok()?).ok()?.1.as_dict().ok()?;
        let fields = doc.dereference(form.get(b"Fields").ok()?).ok()?.1.as_array().ok()?;
        Some(!fields.is_empty())
    };
    fields().unwrap_or(false)
}

/// /Info /Title, decoded; `None` when absent or blank.
fn title(doc: &Document) -> Option<String> {
    let info = doc.dereference(doc.trailer.get(b"Info").ok()?).ok()?.1.as_dict().ok()?;
    let title = doc.dereference(info.get(b"Title").ok()?).ok()?.1.as_str().ok()?;
    let text = decode_pdf_string(title);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// A PDF text string: UTF-16BE with BOM, UTF-8 with BOM (PDF 2.0), else PDFDocEncoding.
pub(super) fn decode_pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = rest.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]]));
        return char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// PDFDocEncoding: Latin-1 except 0x18..0x1F and 0x80..0x9F (PDF 32000-1, Annex D).
fn pdf_doc_char(byte: u8) -> char {
    const LOW: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
    const HIGH: [char; 32] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚', '™', 'ﬁ', 'ﬂ', 'Ł',
        'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}',
    ];
    match byte {
        0x18..=0x1F => LOW[usize::from(byte - 0x18)],
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        0xA0 => '€',
        _ => char::from(byte),
    }
}
