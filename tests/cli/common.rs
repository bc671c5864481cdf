//! Shared test helpers: the binary, the shared corpus, temporary copies of fixtures.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `dossier` binary under test.
pub fn dossier() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("dossier").expect("the dossier binary is built")
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus made by `../shared/corpus/make-corpus` (env `DOSSIER_CORPUS`, default
/// `target/corpus`). Returns `None` when it is absent and not required; `tests/run` builds it
/// and sets `DOSSIER_REQUIRE_CORPUS=1`, so in CI a missing corpus fails instead of skipping.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("DOSSIER_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/corpus"));
    if dir.join("student").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("DOSSIER_REQUIRE_CORPUS").is_none(),
        "the shared corpus is missing at {}: run `bash tests/run`, which builds it",
        dir.display()
    );
    eprintln!(
        "skipping: no corpus at {} (run `bash tests/run` to build it)",
        dir.display()
    );
    None
}

/// Runs an external tool and returns its stdout, failing the test with its stderr.
pub fn tool(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} (install it: see tests/run): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies a folder tree (files and folders; symlinks recreated as symlinks).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let link = std::fs::read_link(entry.path()).unwrap();
            std::os::unix::fs::symlink(link, target).unwrap();
        } else if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
