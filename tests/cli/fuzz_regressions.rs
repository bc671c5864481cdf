//! Replays the fuzz targets' inputs without libFuzzer: every saved crash in
//! `tests/fuzz_regressions/<target>/` and the seed corpus `fuzz/seed` draws from (the
//! fixtures, the example manifests, and the shared corpus's files under 100 KB when it is
//! built). Each input goes through the same `dossier::fuzzing` function the fuzz target calls;
//! a panic fails the test and names the file.

use crate::common;
use std::path::{Path, PathBuf};

/// Seed files from the shared corpus larger than this are left out (as `fuzz/seed` does).
const MAX_SEED_BYTES: u64 = 100 * 1024;

type Target = fn(&[u8]);

/// Every regular file under `dir` (sorted; none when it does not exist). Symlinks are skipped.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The saved crashes of `target`, except the folder's README.
fn regressions(target: &str) -> Vec<PathBuf> {
    let dir = common::repo().join("tests/fuzz_regressions").join(target);
    files_under(&dir).into_iter().filter(|p| p.file_name().is_none_or(|n| n != "README.md")).collect()
}

/// The shared corpus's small files (student and edge), when it is built.
fn small_corpus_files() -> Vec<PathBuf> {
    let corpus = common::corpus();
    let mut files = files_under(&corpus.join("student"));
    files.extend(files_under(&corpus.join("edge")));
    files.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= MAX_SEED_BYTES));
    files
}

fn is_pdf(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.windows(5).take(1024).any(|w| w == b"%PDF-"))
}

/// Runs `target` on every file, catching panics so that one report names all failing files.
fn replay(target: Target, files: &[PathBuf]) {
    assert!(!files.is_empty(), "nothing to replay");
    let failed: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let data = std::fs::read(path).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&data));
            outcome.is_err().then(|| path.display().to_string())
        })
        .collect();
    assert!(failed.is_empty(), "the fuzz target panicked on:\n{}", failed.join("\n"));
}

#[test]
fn manifest_inputs_replay() {
    let mut files = regressions("manifest");
    files.extend(files_under(&common::repo().join("manifests")));
    replay(dossier::fuzzing::manifest, &files);
}

#[test]
fn inspect_inputs_replay() {
    let mut files = regressions("inspect");
    files.extend(files_under(&common::repo().join("fixtures/student")));
    files.extend(small_corpus_files());
    replay(dossier::fuzzing::inspect, &files);
}

#[test]
fn merge_inputs_replay() {
    let mut files = regressions("merge");
    let seeds = files_under(&common::repo().join("fixtures/student")).into_iter().chain(small_corpus_files());
    files.extend(seeds.filter(|p| is_pdf(p)));
    replay(dossier::fuzzing::merge, &files);
}

#[test]
fn repair_inputs_replay() {
    let mut files = regressions("repair");
    let seeds = files_under(&common::repo().join("fixtures/student")).into_iter().chain(small_corpus_files());
    files.extend(seeds.filter(|p| is_pdf(p)));
    replay(dossier::fuzzing::repair, &files);
}

#[test]
fn render_inputs_replay() {
    let mut files = regressions("render");
    files.extend(files_under(&common::repo().join("fixtures/student")).into_iter().filter(|p| !is_pdf(p)));
    replay(dossier::fuzzing::render_input, &files);
}
