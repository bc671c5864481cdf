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

use std::io::{Seek, Write};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;
use zip::write::{PreparedZipFile, SimpleFileOptions};
use zip::{CompressionMethod, DateTime, System, ZipWriter};

use crate::blob::{Blob, BlobError};

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
    /// The contents (a photo is read from its file only while it is packed).
    pub bytes: Blob,
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
    /// An entry's file could not be read again, or changed since check.
    #[error(transparent)]
    Source(#[from] BlobError),
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
    write_packed(pack_entries(entries)?, &Sums::default())
}

/// An entry compressed (or stored) and named, ready to be written into a zip.
pub struct PackedEntry {
    /// Its cleaned, unique name in the zip.
    pub name: String,
    /// SHA-256 of its contents, lower-case hex.
    pub sha256: String,
    /// Its size before compression.
    pub bytes: u64,
    data: Data,
}

/// An entry's data as the zip will hold it.
enum Data {
    /// Deflated (or stored from bytes only in memory), ready to copy in.
    Prepared(PreparedZipFile),
    /// Stored as it is: read from its blob only when the zip is written, so a folder of
    /// photos is never held in memory at once.
    Stored(Blob),
}

impl PackedEntry {
    /// Bytes its data takes in the zip (compressed or stored).
    pub fn stored_size(&self) -> u64 {
        match &self.data {
            Data::Prepared(file) => file.compressed_size(),
            Data::Stored(blob) => blob.len(),
        }
    }
}

/// Bytes an entry takes in the zip besides its data: local header (30) and central directory
/// record (46), ZIP64 extra fields in both (20 + 28) in case the entry is large, a data
/// descriptor (24) that our writer does not use today, two copies of its name and its line in
/// `SHA256SUMS.txt` ("<64 hex>  <name>\n").
pub fn entry_overhead(name: &str) -> u64 {
    148 + 3 * name.len() as u64 + 67
}

/// Bytes of a zip besides its entries: the end of central directory (22) with its ZIP64 record
/// and locator (56 + 20), and the headers and name of `SHA256SUMS.txt`.
pub const ZIP_FIXED: u64 = 98 + 148 + 2 * CHECKSUM_FILE.len() as u64;

/// Lines `SHA256SUMS.txt` has besides the zip's own entries.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    /// Files sent beside the zip (the merged PDF): name and SHA-256.
    pub beside: Vec<(String, String)>,
    /// Comment lines ("# 현장사진_1.jpg: 4000×3000 → 2000×1500, …"); `sha256sum -c` skips them.
    pub notes: Vec<String>,
}

/// Cleans and de-duplicates the names and compresses every entry.
pub fn pack_entries(entries: &[ZipEntry]) -> Result<Vec<PackedEntry>, PackError> {
    pack_named(entries, &entry_names(entries))
}

/// The entries' names as the zip holds them: cleaned, and made unique (case-insensitively, as
/// Windows and macOS compare) with " (2)", " (3)" before the extension.
pub fn entry_names(entries: &[ZipEntry]) -> Vec<String> {
    unique_names(entries.iter().map(|e| clean_path(&e.name)))
}

/// Compresses every entry under the name given for it, in parallel (compression is the slow
/// part; the result does not depend on scheduling).
pub fn pack_named(entries: &[ZipEntry], names: &[String]) -> Result<Vec<PackedEntry>, PackError> {
    names.par_iter().zip(entries.par_iter()).map(|(name, entry)| pack_blob(name, &entry.bytes)).collect()
}

/// One entry compressed (or stored) under `name`, which must already be clean.
pub fn pack_one(name: &str, bytes: &[u8]) -> Result<PackedEntry, PackError> {
    Ok(PackedEntry {
        sha256: hex::encode(Sha256::digest(bytes)),
        bytes: bytes.len() as u64,
        data: Data::Prepared(prepare(name, bytes)?),
        name: name.to_string(),
    })
}

/// One entry from a blob under `name`, which must already be clean. Data that is compressed
/// already (a photo) is not read now: it is stored, read only when the zip is written. Other
/// data is read and deflated, and kept deflated only when that pays.
pub fn pack_blob(name: &str, blob: &Blob) -> Result<PackedEntry, PackError> {
    let entry = |data| PackedEntry { sha256: blob.sha256(), bytes: blob.len(), data, name: name.to_string() };
    if blob.head(16).is_ok_and(|head| already_compressed(&head)) {
        return Ok(entry(Data::Stored(blob.clone())));
    }
    let bytes = blob.load()?;
    Ok(entry(match deflated(name, &bytes)? {
        Some(file) => Data::Prepared(file),
        None => Data::Stored(blob.clone()),
    }))
}

/// The zip of `entries` in order, then `SHA256SUMS.txt` listing them, the files in
/// `sums.beside` and the notes.
pub fn write_packed(entries: Vec<PackedEntry>, sums: &Sums) -> Result<Vec<u8>, PackError> {
    Ok(write_packed_to(entries, sums, std::io::Cursor::new(Vec::new()))?.into_inner())
}

/// [`write_packed`] into `out` (a file being staged): entries stored from their blobs are read
/// one at a time, so the zip is never whole in memory.
pub fn write_packed_to<W: Write + Seek>(entries: Vec<PackedEntry>, sums: &Sums, out: W) -> Result<W, PackError> {
    let mut list: String = entries.iter().map(|e| format!("{}  {}\n", e.sha256, e.name)).collect();
    for (name, sha256) in &sums.beside {
        list.push_str(&format!("{sha256}  {}\n", clean_component(name)));
    }
    for note in &sums.notes {
        list.push_str(&format!("# {}\n", one_line(note)));
    }
    let checksums = prepare(CHECKSUM_FILE, list.as_bytes())?;
    let mut zip = ZipWriter::new(out);
    let entry_error = |name: &str| {
        let name = name.to_string();
        move |source| PackError::Entry { name, source }
    };
    let checksums = (CHECKSUM_FILE.to_string(), Data::Prepared(checksums));
    for (name, data) in entries.into_iter().map(|e| (e.name, e.data)).chain([checksums]) {
        let file = match data {
            Data::Prepared(file) => file,
            Data::Stored(blob) => {
                let bytes = blob.load()?;
                PreparedZipFile::from_data(&name, options(CompressionMethod::Stored), &bytes)
                    .map_err(entry_error(&name))?
            }
        };
        zip.add_prepared_file(file).map_err(entry_error(&name))?;
    }
    zip.finish().map_err(PackError::Finish)
}

/// `text` on one line: control characters (line breaks) end a piece, pieces are joined by a
/// space. A checksum note and a mail subject must each stay one line.
pub(crate) fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Deflates `bytes`, or stores them: formats that are compressed already (JPEG, PNG, GIF,
/// WebP, HEIC, zip-based office files, gzip) are stored without trying, since deflating a
/// photo costs more time than anything else in a build and saves nothing; other entries are
/// deflated and stored instead when deflate does not save enough.
fn prepare(name: &str, bytes: &[u8]) -> Result<PreparedZipFile, PackError> {
    match deflated(name, bytes)? {
        Some(file) => Ok(file),
        None => PreparedZipFile::from_data(name, options(CompressionMethod::Stored), bytes)
            .map_err(|source| PackError::Entry { name: name.to_string(), source }),
    }
}

/// `bytes` deflated, when that brings them to at most [`DEFLATE_KEEP_PERCENT`] of their size;
/// `None` for data to store (compressed already, or deflate does not pay).
fn deflated(name: &str, bytes: &[u8]) -> Result<Option<PreparedZipFile>, PackError> {
    if already_compressed(bytes) {
        return Ok(None);
    }
    let deflated = PreparedZipFile::from_data(name, options(CompressionMethod::Deflated), bytes)
        .map_err(|source| PackError::Entry { name: name.to_string(), source })?;
    let size = bytes.len() as u64;
    Ok((deflated.compressed_size() * 100 <= size * DEFLATE_KEEP_PERCENT).then_some(deflated))
}

/// The file's own bytes say it is compressed: JPEG, PNG, GIF, WebP, HEIC/AVIF and MP4, zip
/// (docx, xlsx, hwpx, odt), gzip, 7z. PDFs are not among them: a PDF may hold uncompressed
/// content, fonts or cross-reference tables that deflate halves.
pub fn already_compressed(bytes: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\xFF\xD8\xFF",
        b"\x89PNG\r\n\x1a\n",
        b"GIF87a",
        b"GIF89a",
        b"PK\x03\x04",
        b"\x1F\x8B",
        b"7z\xBC\xAF\x27\x1C",
    ];
    let riff_webp = bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
    let iso_media = bytes.get(4..8) == Some(b"ftyp".as_slice());
    riff_webp || iso_media || MAGIC.iter().any(|m| bytes.starts_with(m))
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

#[cfg(test)]
mod tests;
