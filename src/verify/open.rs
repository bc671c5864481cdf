//! Opening what was received, without trusting it: files are read into memory with a size
//! cap, zips are read entry by entry in memory (never extracted), and a zip that names a path
//! outside its folder, a link, a name twice, or unpacks to far more than it weighs is refused
//! before any of its bytes are used. Mails give their attachments; PDFs their embedded record.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::Path;

use mail_parser::MimeHeaders;
use unicode_normalization::UnicodeNormalization;

use super::{Problem, Received, ReceivedContent, SUMS_PREFIX, UnsafeReason, sha256};
use crate::i18n::Msg;
use crate::inspect::{Content, PasswordSource};
use crate::pack::CHECKSUM_FILE;
use crate::record::{RECORD_FILE, Record, RecordError};

/// How much a received file may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file read (a mail, a zip, a PDF).
    pub max_file: u64,
    /// Most entries in a zip.
    pub max_entries: usize,
    /// Largest unpacked entry.
    pub max_entry: u64,
    /// Largest unpacked zip, all entries together.
    pub max_total: u64,
    /// Largest unpacked/packed ratio of an entry over 1 MiB: documents deflate to 1:1-1:10,
    /// zip bombs to 1:1000.
    pub max_ratio: u64,
}

impl Default for Limits {
    /// Generous for any bundle (mail servers cap messages at 25-50 MB), small next to memory.
    fn default() -> Self {
        Limits { max_file: 1 << 30, max_entries: 10_000, max_entry: 512 << 20, max_total: 1 << 30, max_ratio: 100 }
    }
}

/// Nested containers followed (a zip attached to a mail): mail › zip is depth 2.
const MAX_DEPTH: usize = 3;

/// Opens the file at `path`; a mail gives one [`Received`] per attachment.
pub fn open_path(path: &Path, source: &str, limits: &Limits) -> Vec<Received> {
    let refused = |problem| vec![Received { source: source.to_string(), content: ReceivedContent::Refused(problem) }];
    let bytes = match read_capped(path, limits.max_file) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return refused(Problem::Unsafe { entry: source.to_string(), reason: UnsafeReason::Bomb }),
        Err(e) => return refused(Problem::Damaged { reason: e.to_string() }),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    open_bytes(&bytes, &name, source, limits, 0)
}

/// The file's bytes, or `None` when it is larger than `cap`.
fn read_capped(path: &Path, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// Opens received bytes named `name`.
pub fn open_bytes(bytes: &[u8], name: &str, source: &str, limits: &Limits, depth: usize) -> Vec<Received> {
    let lower = name.to_lowercase();
    let one = |content| vec![Received { source: source.to_string(), content }];
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // Word, Excel and OpenDocument files are zips too: say what they are.
        if !lower.ends_with(".zip")
            && let Some(what) = foreign(bytes, name)
        {
            return one(ReceivedContent::Refused(Problem::NotDossier { what }));
        }
        return one(open_zip(bytes, limits));
    }
    if bytes.len() >= 5 && bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return one(open_pdf(bytes));
    }
    if lower.ends_with(".eml") || looks_like_mail(bytes) {
        if depth >= MAX_DEPTH {
            return one(ReceivedContent::Refused(Problem::NotDossier { what: Msg::new("verify-what-mail") }));
        }
        return open_mail(bytes, source, limits, depth);
    }
    let what = foreign(bytes, name).unwrap_or_else(|| Msg::new("verify-what-other"));
    one(ReceivedContent::Refused(Problem::NotDossier { what }))
}

/// What inspection calls a file that is neither a zip nor a PDF, when it is something else.
fn foreign(bytes: &[u8], name: &str) -> Option<Msg> {
    let facts = crate::inspect::facts(bytes, name, &PasswordSource::default());
    match facts.content {
        Content::Other(other) if other.what == crate::inspect::OtherKind::Zip => None,
        Content::Other(other) => Some(other.what.noun()),
        Content::Image(_) => Some(Msg::new("verify-what-image")),
        Content::Text(_) => Some(Msg::new("verify-what-text")),
        Content::Pdf(_) => None,
    }
}

fn looks_like_mail(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    ["mime-version:", "received:", "return-path:", "message-id:"].iter().any(|h| head.contains(h))
        && head.contains("content-type:")
}

/// A zip's entries in memory, checked; its record and checksum list.
fn open_zip(bytes: &[u8], limits: &Limits) -> ReceivedContent {
    let files = match read_zip(bytes, limits) {
        Ok(files) => files,
        Err(problem) => return ReceivedContent::Refused(problem),
    };
    let Some((_, record_bytes)) = files.iter().find(|(n, _)| n == RECORD_FILE) else {
        return ReceivedContent::Refused(Problem::NotDossier { what: Msg::new("verify-what-zip") });
    };
    let record = match read_record(record_bytes) {
        Ok(record) => record,
        Err(problem) => return ReceivedContent::Refused(problem),
    };
    let mut entries: BTreeMap<String, (String, u64)> =
        files.iter().map(|(n, b)| (n.clone(), (sha256(b), b.len() as u64))).collect();
    if let Some((_, sums)) = files.iter().find(|(n, _)| n == CHECKSUM_FILE) {
        for line in String::from_utf8_lossy(sums).lines() {
            if let Some((hash, name)) = line.split_once("  ") {
                entries.insert(format!("{SUMS_PREFIX}{name}"), (hash.trim().to_ascii_lowercase(), 0));
            }
        }
    }
    ReceivedContent::Zip { record, entries }
}

fn read_record(bytes: &[u8]) -> Result<Record, Problem> {
    Record::from_json(bytes).map_err(|e| Problem::RecordUnreadable {
        reason: match e {
            RecordError::Malformed(reason) => reason,
            RecordError::NewerFormat(n) => format!("format {n}, newer than this dossier reads"),
        },
    })
}

/// Every file entry of a zip, read in memory, or the first reason to refuse the whole zip.
pub fn read_zip(bytes: &[u8], limits: &Limits) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        let reason = e.to_string();
        if reason.to_lowercase().contains("duplicate") {
            Problem::Unsafe { entry: String::new(), reason: UnsafeReason::Duplicate }
        } else {
            Problem::Damaged { reason }
        }
    })?;
    if archive.len() > limits.max_entries {
        return Err(Problem::Unsafe { entry: String::new(), reason: UnsafeReason::TooManyEntries });
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut total: u64 = 0;
    let mut files = Vec::new();
    for index in 0..archive.len() {
        let file = archive.by_index_raw(index).map_err(|e| Problem::Damaged { reason: e.to_string() })?;
        let name = match std::str::from_utf8(file.name_raw()) {
            Ok(name) => name.to_string(),
            Err(_) => file
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(file.name_raw()).into_owned()),
        };
        let refuse = |reason| Err(Problem::Unsafe { entry: name.clone(), reason });
        if let Some(reason) = unsafe_name(&name) {
            return refuse(reason);
        }
        if file.is_symlink() {
            return refuse(UnsafeReason::Symlink);
        }
        if !seen.insert(name.trim_end_matches('/').nfc().collect::<String>().to_lowercase()) {
            return refuse(UnsafeReason::Duplicate);
        }
        if file.is_dir() {
            continue;
        }
        if file.encrypted() {
            return refuse(UnsafeReason::Encrypted);
        }
        let (size, packed) = (file.size(), file.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > limits.max_entry || total > limits.max_total || (size > 1 << 20 && size / packed > limits.max_ratio) {
            return refuse(UnsafeReason::Bomb);
        }
        drop(file);
        let file = archive.by_index(index).map_err(|e| Problem::Damaged { reason: e.to_string() })?;
        let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(64 << 20));
        // The header's size is a claim: read at most that much (and one byte to catch a lie).
        file.take(size + 1).read_to_end(&mut data).map_err(|e| Problem::Damaged { reason: e.to_string() })?;
        if data.len() as u64 != size {
            return refuse(UnsafeReason::Bomb);
        }
        files.push((name, data));
    }
    Ok(files)
}

/// Names that would land outside the folder they are extracted into.
fn unsafe_name(name: &str) -> Option<UnsafeReason> {
    let bytes = name.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if name.starts_with(['/', '\\']) || drive || name.contains('\0') {
        return Some(UnsafeReason::Absolute);
    }
    if name.split(['/', '\\']).any(|part| part.trim() == "..") {
        return Some(UnsafeReason::Traversal);
    }
    None
}

/// A merged PDF and its embedded record.
fn open_pdf(bytes: &[u8]) -> ReceivedContent {
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(e) => return ReceivedContent::Refused(Problem::Damaged { reason: e.to_string() }),
    };
    let Some(record_bytes) = crate::assemble::embedded_file(&doc, RECORD_FILE) else {
        return ReceivedContent::Refused(Problem::NotDossier { what: Msg::new("verify-what-pdf") });
    };
    match read_record(&record_bytes) {
        Ok(record) => ReceivedContent::Pdf {
            record,
            pages: u32::try_from(doc.get_pages().len()).unwrap_or(u32::MAX),
            sha256: sha256(bytes),
        },
        Err(problem) => ReceivedContent::Refused(problem),
    }
}

/// A mail's attachments, each opened; a mail with none that dossier can use says so.
fn open_mail(bytes: &[u8], source: &str, limits: &Limits, depth: usize) -> Vec<Received> {
    let Some(message) = mail_parser::MessageParser::default().parse(bytes) else {
        return vec![Received {
            source: source.to_string(),
            content: ReceivedContent::Refused(Problem::NotDossier { what: Msg::new("verify-what-mail") }),
        }];
    };
    let mut found = Vec::new();
    for (n, attachment) in message.attachments().enumerate() {
        let name = attachment.attachment_name().map(str::to_string).unwrap_or_else(|| format!("attachment {}", n + 1));
        let inner = format!("{source} › {name}");
        let contents = attachment.contents();
        if contents.len() as u64 > limits.max_file {
            found.push(Received {
                source: inner.clone(),
                content: ReceivedContent::Refused(Problem::Unsafe { entry: name, reason: UnsafeReason::Bomb }),
            });
            continue;
        }
        found.extend(open_bytes(contents, &name, &inner, limits, depth + 1));
    }
    if found.is_empty() {
        found.push(Received {
            source: source.to_string(),
            content: ReceivedContent::Refused(Problem::NotDossier { what: Msg::new("verify-what-mail") }),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_the_folder_are_unsafe() {
        assert_eq!(unsafe_name("../x.pdf"), Some(UnsafeReason::Traversal));
        assert_eq!(unsafe_name("a/../../x.pdf"), Some(UnsafeReason::Traversal));
        assert_eq!(unsafe_name("a\\..\\x.pdf"), Some(UnsafeReason::Traversal));
        assert_eq!(unsafe_name("/etc/passwd"), Some(UnsafeReason::Absolute));
        assert_eq!(unsafe_name("C:/Windows/x"), Some(UnsafeReason::Absolute));
        assert_eq!(unsafe_name("01_수료증/수료증.pdf"), None);
        assert_eq!(unsafe_name("a..b/x.pdf"), None);
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let entries: Vec<crate::pack::ZipEntry> = entries
            .iter()
            .map(|(n, b)| crate::pack::ZipEntry { name: n.to_string(), bytes: b.to_vec().into() })
            .collect();
        crate::pack::write_zip(&entries).unwrap()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        let zeros = vec![0u8; 8 << 20];
        let zip = zip_of(&[("zeros.pdf", &zeros)]);
        assert!(zip.len() < 100_000);
        let err = read_zip(&zip, &Limits::default()).unwrap_err();
        assert_eq!(err, Problem::Unsafe { entry: "zeros.pdf".into(), reason: UnsafeReason::Bomb });
        let small = Limits { max_total: 1000, ..Limits::default() };
        let zip = zip_of(&[("a.txt", &[7u8; 600]), ("b.txt", &[8u8; 600])]);
        assert!(matches!(read_zip(&zip, &small), Err(Problem::Unsafe { reason: UnsafeReason::Bomb, .. })));
    }

    #[test]
    fn a_zip_without_a_record_or_of_an_office_document_says_what_it_is() {
        let zip = zip_of(&[("a.txt", b"hello")]);
        let got = open_bytes(&zip, "x.zip", "x.zip", &Limits::default(), 0);
        assert!(
            matches!(&got[0].content, ReceivedContent::Refused(Problem::NotDossier { what }) if what.id == "verify-what-zip")
        );
        let text = open_bytes(b"just some words\n", "notes.txt", "notes.txt", &Limits::default(), 0);
        assert!(
            matches!(&text[0].content, ReceivedContent::Refused(Problem::NotDossier { what }) if what.id == "verify-what-text")
        );
    }
}
