//! Shared test helpers: the binary, the shared corpus, temporary copies of fixtures.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `dossier` binary under test.
pub fn dossier() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("dossier").expect("the dossier binary is built");
    // The assertions read the English messages, whatever the machine's locale.
    cmd.env("DOSSIER_LANG", "en");
    cmd
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The corpus made by `../shared/corpus/make-corpus` (env `DOSSIER_CORPUS`, default
/// `target/corpus`). A test that needs it fails when it is absent, never passes by skipping:
/// `bash tests/run` builds it.
pub fn corpus() -> PathBuf {
    let dir = std::env::var_os("DOSSIER_CORPUS").map(PathBuf::from).unwrap_or_else(|| repo().join("target/corpus"));
    assert!(
        dir.join("student").is_dir(),
        "the shared corpus is missing at {}: run `bash tests/run`, which builds it with ../shared/corpus/make-corpus",
        dir.display()
    );
    dir
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

/// A test case: the example student folder copied into a temporary directory with its own
/// `dossier.toml`, so a test can break it. Remembers every input's hash to check, afterwards,
/// that dossier changed none of them.
pub struct Case {
    /// The temporary directory (holds `dossier.toml`, `student/`, and `out/` after a build).
    pub dir: tempfile::TempDir,
}

impl Case {
    /// The complete example: fixtures/student and manifests/example.toml, root and output
    /// pointed at the copy.
    pub fn example() -> Case {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("fixtures/student"), &dir.path().join("student"));
        let manifest = std::fs::read_to_string(repo().join("manifests/example.toml")).unwrap();
        let manifest = manifest
            .replace("root = \"../fixtures/student\"", "root = \"student\"")
            .replace("output = \"../out/example\"", "output = \"out\"");
        std::fs::write(dir.path().join("dossier.toml"), manifest).unwrap();
        Case { dir }
    }

    /// A path under the student folder.
    pub fn doc(&self, rel: &str) -> PathBuf {
        self.dir.path().join("student").join(rel)
    }

    /// The manifest.
    pub fn manifest(&self) -> PathBuf {
        self.dir.path().join("dossier.toml")
    }

    /// Replaces text in the manifest (the text must be there).
    pub fn edit_manifest(&self, from: &str, to: &str) -> &Case {
        let text = std::fs::read_to_string(self.manifest()).unwrap();
        assert!(text.contains(from), "the manifest has no `{from}`");
        std::fs::write(self.manifest(), text.replacen(from, to, 1)).unwrap();
        self
    }

    /// `dossier ARGS` run in the case folder, with no password variables inherited.
    pub fn dossier(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = dossier();
        cmd.current_dir(self.dir.path()).args(args).env_remove("PAYSLIP_PASSWORD").env("NO_COLOR", "1");
        cmd
    }

    /// The hash of every file under the student folder.
    pub fn input_hashes(&self) -> std::collections::BTreeMap<PathBuf, String> {
        hash_tree(&self.dir.path().join("student"))
    }
}

/// sha256 of every regular file below `dir` (links are not followed).
pub fn hash_tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, String> {
    use sha2::Digest;
    let mut out = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            out.insert(entry.path().to_path_buf(), hex::encode(sha2::Sha256::digest(&bytes)));
        }
    }
    out
}

/// Encrypts `pdf` in place with qpdf (AES-256, user password `user`).
pub fn encrypt_with_qpdf(pdf: &Path, user: &str) {
    let tmp = pdf.with_extension("enc.tmp");
    tool("qpdf", &["--encrypt", user, "owner-secret", "256", "--", pdf.to_str().unwrap(), tmp.to_str().unwrap()]);
    std::fs::rename(tmp, pdf).unwrap();
}

/// stdout of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr of a finished command as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The `dossier` binary as a plain command (for runs under a watchdog, which `assert_cmd`
/// cannot kill).
pub fn dossier_command() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
}
