//! `bench/run`'s measurement of the zip and mail steps against the I/O floor (issue 9: "the zip
//! and mail steps together within 1.5x the time of copying the same bytes"). For the folder
//! given, the median of five runs of each:
//!
//! * pack: the folder's files as zip entries read from their files (as build reads photos),
//!   written into a zip file entry by entry and hashed, the zip read back and attached to a
//!   mail draft, the draft written and hashed (what `build` does for one message);
//! * copy: the same bytes copied, the zip and the draft each to a new file (`std::fs::copy`).
//!
//! Neither syncs (build syncs once per folder, at commit, whatever it wrote). One tab-separated
//! line: files, zip bytes, mail bytes, pack ms, copy ms, pack/copy.
//!
//!     cargo run --release --example pack_cost -- FOLDER
#![allow(clippy::disallowed_methods)] // a bench tool: it writes into a temporary folder

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dossier::blob::Blob;
use dossier::digest::HashingWriter;
use dossier::mail::{self, MailSpec};
use dossier::pack::{self, Sums, ZipEntry};
use sha2::Digest;

fn main() {
    let folder = std::env::args().nth(1).expect("usage: pack_cost FOLDER");
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(&folder)
        .into_iter()
        .map(|e| e.unwrap_or_else(|e| panic!("{folder}: {e}")))
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    paths.sort();
    // Hashing is check's work, done before build: not timed.
    let entries: Vec<ZipEntry> = paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let sha = hex::encode(sha2::Sha256::digest(&bytes));
            let name = p.strip_prefix(&folder).unwrap().to_string_lossy().into_owned();
            ZipEntry { name, bytes: Blob::file(p, "bench", &sha, bytes.len() as u64) }
        })
        .collect();
    // Build checks each photo once against check's hash, streaming, before it packs: not timed.
    entries.iter().for_each(|e| e.bytes.verify().expect("unchanged"));
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let (zip, eml) = (scratch.path().join("bundle.zip"), scratch.path().join("mail.eml"));
    let mut pack_runs = Vec::new();
    let mut copy_runs = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        pack_and_draft(&entries, &zip, &eml);
        pack_runs.push(start.elapsed());
        let start = Instant::now();
        std::fs::copy(&zip, scratch.path().join("copy.zip")).expect("copy");
        std::fs::copy(&eml, scratch.path().join("copy.eml")).expect("copy");
        copy_runs.push(start.elapsed());
    }
    let median = |mut runs: Vec<Duration>| {
        runs.sort();
        runs[2].as_secs_f64() * 1000.0
    };
    let (pack_ms, copy_ms) = (median(pack_runs), median(copy_runs));
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    println!("{}\t{}\t{}\t{pack_ms:.1}\t{copy_ms:.1}\t{:.2}", entries.len(), size(&zip), size(&eml), pack_ms / copy_ms);
}

/// What build does for one message (`build::deliver`): the zip written entry by entry and
/// hashed as it is written (a photo read only while it is copied in), read back, attached; the
/// draft hashed as it is written.
fn pack_and_draft(entries: &[ZipEntry], zip: &Path, eml: &Path) {
    let names = pack::entry_names(entries);
    let packed = pack::pack_named(entries, &names).expect("packs");
    let file = HashingWriter::new(std::fs::File::create(zip).expect("creates the zip")).expect("a thread");
    let zipped = pack::write_packed_to(packed, &Sums::default(), file).expect("writes the zip");
    let zip_sha256 = zipped.finish().expect("flushes the zip").sha256.expect("written in order");
    let bytes = Arc::new(std::fs::read(zip).expect("reads the zip back"));
    let spec = MailSpec {
        from: None,
        to: None,
        subject: "학점인정 제출 서류".to_string(),
        body: "교수님께\n".to_string(),
        attachments: vec![("bundle.zip".to_string(), bytes)],
        digests: vec![zip_sha256],
        date: 1_688_137_200,
        message_id: "bench@dossier.invalid".to_string(),
    };
    let mut out = HashingWriter::new(std::fs::File::create(eml).expect("creates the draft")).expect("a thread");
    mail::draft_to(&spec, &mut out).expect("writes the draft");
    out.finish().expect("flushes the draft").sha256.expect("written in order");
}
