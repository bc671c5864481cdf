//! Packing: the zip of originals with clean names and a checksum list.
//!
//! In: entries (a path inside the zip and the bytes). Out: the bytes of a zip that every common
//! extractor (Windows Explorer, macOS Archive Utility, 7-Zip, Info-ZIP `unzip`) opens with the
//! Korean names intact, ending with `SHA256SUMS.txt`. Nothing here reads or writes files.
//!
//! The zip is reproducible: entries keep the given order, every entry is dated 1980-01-01 00:00
//! (the DOS epoch, the earliest time a zip can hold, so it is plainly "no date" rather than a
//! plausible wrong one), marked as made on Unix with mode 0644, and compressed by the same
//! deterministic deflate. There are no directory entries: every extractor creates the folders
//! of a path by itself, and leaving them out keeps the listing to the files that matter.

use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;
use zip::write::{PreparedZipFile, SimpleFileOptions};
use zip::{CompressionMethod, DateTime, System, ZipWriter};

/// The checksum list, always the last entry.
pub const CHECKSUM_FILE: &str = "SHA256SUMS.txt";

/// Deflate is kept only when it brings an entry to at most this share of its size (in percent).
///
/// Already-compressed formats (JPEG, PNG, HEIC, most scanned PDFs) shrink by 0-5% from their
/// headers alone, while PDFs with uncompressed content streams, fonts or cross-reference tables
/// shrink by 20-70%; 90% sits between the two groups. Below a 10% gain the few kilobytes saved
/// do not change whether a message fits its budget, and a stored entry is one thing less that
/// can go wrong in an old extractor or a phone's preview.
const DEFLATE_KEEP_PERCENT: u64 = 90;

/// Longest path component in characters, and in UTF-8 bytes. Linux file systems allow 255
/// bytes per name and a Hangul syllable takes 3, so the byte limit bites first for Korean
/// names; 200 leaves room for a " (2)" suffix and for tools that add their own.
const MAX_COMPONENT_CHARS: usize = 100;
const MAX_COMPONENT_BYTES: usize = 200;

/// One file to put in the zip.
#[derive(Debug, Clone)]
pub struct ZipEntry {
    /// Path inside the zip, `/`-separated; cleaned again by [`write_zip`].
    pub name: String,
    /// The contents.
    pub bytes: Arc<Vec<u8>>,
}

/// Why a zip could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The zip library refused an entry.
    #[error("cannot add `{name}` to the zip: {source}")]
    Entry {
        /// The (cleaned) entry name.
        name: String,
        /// Why.
        source: zip::result::ZipError,
    },
    /// The central directory could not be written.
    #[error("cannot finish the zip: {0}")]
    Finish(zip::result::ZipError),
}

/// "01_수료증/수료증.pdf": the item's position in the recipient's order (as given, at least two
/// digits), the item title and the file name, each cleaned with [`clean_component`].
pub fn entry_name(position: usize, item_title: &str, file_name: &str) -> String {
    let folder = clean_component(&format!("{position:02}_{item_title}"));
    format!("{folder}/{}", clean_component(file_name))
}

/// One path component made safe on Windows, macOS and Linux.
///
/// NFC (macOS hands out NFD names; Windows and most mail clients show NFD Hangul as loose
/// jamo); `/ \ : * ? " < > |` and control characters become `_`; no leading or trailing dots or
/// spaces (Windows drops trailing ones, a leading dot hides the file, `..` climbs); Windows
/// device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without an extension) get a `_`
/// prefix; at most 100 characters and 200 bytes, keeping the extension; never empty.
pub fn clean_component(name: &str) -> String {
    let replaced: String =
        name.nfc().map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { '_' } else { c }).collect();
    let mut cleaned = truncate_keeping_extension(trim_dots_spaces(&replaced));
    if is_windows_device(&cleaned) {
        cleaned.insert(0, '_');
    }
    if cleaned.is_empty() { "_".to_string() } else { cleaned }
}

fn trim_dots_spaces(name: &str) -> &str {
    name.trim_matches(|c: char| c == '.' || c.is_whitespace())
}

/// Cuts the stem so the whole name fits the limits, keeping a short extension such as ".pdf".
fn truncate_keeping_extension(name: &str) -> String {
    let fits = |s: &str| s.chars().count() <= MAX_COMPONENT_CHARS && s.len() <= MAX_COMPONENT_BYTES;
    if fits(name) {
        return name.to_string();
    }
    let (stem, extension) = match split_extension(name) {
        (stem, extension) if extension.chars().count() <= 10 => (stem, extension),
        _ => (name, ""),
    };
    let mut stem: String = stem.to_string();
    while !stem.is_empty() && !fits(&format!("{stem}{extension}")) {
        stem.pop();
    }
    let stem = trim_dots_spaces(&stem);
    let stem = if stem.is_empty() { "_" } else { stem };
    format!("{stem}{extension}")
}

/// ("report", ".pdf"); the extension is empty when there is no dot after the first character.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    }
}

fn is_windows_device(name: &str) -> bool {
    // Windows reserves these with any extension ("nul.txt") and ignores trailing spaces
    // before the dot ("CON .pdf").
    let stem = name.split('.').next().unwrap_or("").trim_end().to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let digit = stem.strip_prefix("COM").or_else(|| stem.strip_prefix("LPT"));
            // Windows also treats the superscript digits as device numbers.
            matches!(digit, Some("1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"))
        }
    }
}

/// The zip: `entries` in order under cleaned names (colliding names, compared case-insensitively,
/// get " (2)", " (3)" before the extension), then `SHA256SUMS.txt` listing every other entry.
pub fn write_zip(entries: &[ZipEntry]) -> Result<Vec<u8>, PackError> {
    let names = unique_names(entries.iter().map(|e| clean_path(&e.name)));
    let sums = checksum_list(entries, &names);
    let mut all: Vec<(&str, &[u8])> =
        names.iter().map(String::as_str).zip(entries.iter().map(|e| e.bytes.as_slice())).collect();
    all.push((CHECKSUM_FILE, sums.as_bytes()));

    // Compression is the slow part; entries are prepared in parallel and appended in order,
    // so the result does not depend on scheduling.
    let prepared: Vec<PreparedZipFile> =
        all.par_iter().map(|(name, bytes)| prepare(name, bytes)).collect::<Result<_, _>>()?;
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for file in prepared {
        let name = String::from_utf8_lossy(file.file_name_raw()).into_owned();
        zip.add_prepared_file(file).map_err(|source| PackError::Entry { name, source })?;
    }
    Ok(zip.finish().map_err(PackError::Finish)?.into_inner())
}

/// Deflates `bytes`, or stores them when deflate does not save enough.
fn prepare(name: &str, bytes: &[u8]) -> Result<PreparedZipFile, PackError> {
    let entry_error = |source| PackError::Entry { name: name.to_string(), source };
    let deflated =
        PreparedZipFile::from_data(name, options(CompressionMethod::Deflated), bytes).map_err(entry_error)?;
    let size = bytes.len() as u64;
    if deflated.compressed_size() * 100 <= size * DEFLATE_KEEP_PERCENT {
        return Ok(deflated);
    }
    PreparedZipFile::from_data(name, options(CompressionMethod::Stored), bytes).map_err(entry_error)
}

/// Fixed metadata, so two builds give the same bytes on any machine.
fn options(method: CompressionMethod) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .compression_level(None)
        .last_modified_time(DateTime::default())
        .system(System::Unix)
        .unix_permissions(0o644)
}

/// A relative `/`-separated path of clean components: no root, no `..`, no empty parts.
fn clean_path(name: &str) -> String {
    let parts: Vec<String> =
        name.split(['/', '\\']).filter(|part| !trim_dots_spaces(part).is_empty()).map(clean_component).collect();
    if parts.is_empty() { "_".to_string() } else { parts.join("/") }
}

/// Renames later duplicates (case-insensitive, as Windows and macOS compare) to "name (2).ext".
/// The checksum file's name is taken from the start.
fn unique_names(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = [CHECKSUM_FILE.to_lowercase()].into();
    names
        .map(|name| {
            let (folder, file) = match name.rfind('/') {
                Some(slash) => name.split_at(slash + 1),
                None => ("", name.as_str()),
            };
            let (stem, extension) = split_extension(file);
            let mut candidate = name.clone();
            let mut n = 2;
            while !taken.insert(candidate.to_lowercase()) {
                candidate = format!("{folder}{stem} ({n}){extension}");
                n += 1;
            }
            candidate
        })
        .collect()
}

/// `sha256sum` format: "<hex>  <name>\n" per entry. Cleaned names hold no newline or
/// backslash, so no escaping is needed.
fn checksum_list(entries: &[ZipEntry], names: &[String]) -> String {
    entries
        .iter()
        .zip(names)
        .map(|(entry, name)| format!("{}  {name}\n", hex::encode(Sha256::digest(entry.bytes.as_slice()))))
        .collect()
}

#[cfg(test)]
mod tests;
