//! `bench/run`'s measurement of the zip and mail steps against the I/O floor (issue 9: "the zip
//! and mail steps together within 1.5x the time of copying the same bytes"). For the folder
//! given, the median of five runs of each:
//!
//! * pack: the folder's files as zip entries read from their files (as build reads photos),
//!   written into a zip file entry by entry and hashed, then the mail draft written and hashed
//!   with the zip encoded into it as it is read back (what `build` does for one message);
//! * copy: the same bytes copied, the zip and the draft each to a new file (`std::fs::copy`,
//!   which Linux does inside the kernel, `copy_file_range`: what `cp` does);
//! * user copy: the same copy through a 1 MiB buffer in this process (`read` and `write`, as
//!   `dd bs=1M`): the floor of any program that must look at the bytes it writes.
//!
//! None syncs (build syncs once per folder, at commit, whatever it wrote), and each writes new
//! files. One tab-separated line: files, zip bytes, mail bytes, pack ms, copy ms, pack/copy,
//! user copy ms, pack/user copy.
//!
//!     cargo run --release --example pack_cost -- FOLDER
#![allow(clippy::disallowed_methods)] // a bench tool: it writes into a temporary folder

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::blob::Blob;
use dossier::digest::HashingWriter;
use dossier::mail::{self, Data, MailSpec};
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
    let mut user_copy_runs = Vec::new();
    let copies = [scratch.path().join("copy.zip"), scratch.path().join("copy.eml")];
    for _ in 0..5 {
        // Both write new files, as build does (into its staging folder): rewriting a file in
        // place costs more on ext4, which writes the old blocks out when the file is closed.
        let _ = [&zip, &eml].map(std::fs::remove_file);
        let start = Instant::now();
        pack_and_draft(&entries, &zip, &eml);
        pack_runs.push(start.elapsed());
        let _ = copies.each_ref().map(std::fs::remove_file);
        let start = Instant::now();
        std::fs::copy(&zip, &copies[0]).expect("copy");
        std::fs::copy(&eml, &copies[1]).expect("copy");
        copy_runs.push(start.elapsed());
        let _ = copies.each_ref().map(std::fs::remove_file);
        let start = Instant::now();
        user_copy(&zip, &copies[0]);
        user_copy(&eml, &copies[1]);
        user_copy_runs.push(start.elapsed());
    }
    let median = |mut runs: Vec<Duration>| {
        runs.sort();
        runs[2].as_secs_f64() * 1000.0
    };
    let (pack_ms, copy_ms, user_ms) = (median(pack_runs), median(copy_runs), median(user_copy_runs));
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    println!(
        "{}\t{}\t{}\t{pack_ms:.1}\t{copy_ms:.1}\t{:.2}\t{user_ms:.1}\t{:.2}",
        entries.len(),
        size(&zip),
        size(&eml),
        pack_ms / copy_ms,
        pack_ms / user_ms
    );
}

/// `from` copied to the new file `to` through a 1 MiB buffer.
fn user_copy(from: &Path, to: &Path) {
    use std::io::{Read, Write};
    let mut source = std::fs::File::open(from).expect("opens the copy's source");
    let mut target = std::fs::File::create(to).expect("creates the copy");
    let mut buffer = vec![0; 1 << 20];
    loop {
        match source.read(&mut buffer).expect("reads") {
            0 => break,
            n => target.write_all(&buffer[..n]).expect("writes"),
        }
    }
}

/// What build does for one message (`build::deliver`): the zip written entry by entry and
/// hashed as it is written (a photo read only while it is copied in); the draft written and
/// hashed with the zip encoded into it as it is read from its file.
fn pack_and_draft(entries: &[ZipEntry], zip: &Path, eml: &Path) {
    let names = pack::entry_names(entries);
    let packed = pack::pack_named(entries, &names).expect("packs");
    let file = HashingWriter::new(std::fs::File::create(zip).expect("creates the zip")).expect("a thread");
    let zipped = pack::write_packed_to(packed, &Sums::default(), file).expect("writes the zip");
    let zipped = zipped.finish().expect("flushes the zip");
    let spec = MailSpec {
        from: None,
        to: None,
        subject: "학점인정 제출 서류".to_string(),
        body: "교수님께\n".to_string(),
        attachments: vec![("bundle.zip".to_string(), Data::Streamed(zipped.bytes))],
        digests: vec![zipped.sha256.expect("written in order")],
        date: 1_688_137_200,
        message_id: "bench@dossier.invalid".to_string(),
    };
    let mut out = HashingWriter::new(std::fs::File::create(eml).expect("creates the draft")).expect("a thread");
    let zip_file: Box<dyn std::io::Read> = Box::new(std::fs::File::open(zip).expect("opens the zip"));
    mail::draft_to(&spec, &mut out, vec![zip_file]).expect("writes the draft");
    out.finish().expect("flushes the draft").sha256.expect("written in order");
}
