//! Case folders: `tests/cases/<case>/` holds a manifest and its documents, `args` (the
//! command line after `dossier`), an optional `env` (`KEY=VALUE` lines) and `expected/` with
//! the exit code (`code`), the whole standard output (`stdout`) and, when it says something,
//! standard error (`stderr`). See tests/README.md. `DOSSIER_BLESS=1` rewrites `expected/`.

use std::path::{Path, PathBuf};

use crate::common::*;

/// What a case expects, or what a run gave.
#[derive(Debug, PartialEq)]
struct Outcome {
    code: String,
    stdout: String,
    stderr: String,
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Runs one case in a copy of its folder; the copy's path is written `$CASE` in the output.
fn run_case(case: &Path) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(case, dir.path());
    let args = read(&case.join("args"));
    let mut cmd = dossier();
    cmd.current_dir(dir.path()).args(args.split_whitespace()).env("NO_COLOR", "1");
    for line in read(&case.join("env")).lines().filter(|l| !l.trim().is_empty()) {
        let (key, value) = line.split_once('=').expect("env lines are KEY=VALUE");
        cmd.env(key.trim(), value.trim());
        if key.trim() == "LANG" {
            // The case names its language; the harness default (English) steps aside.
            cmd.env_remove("DOSSIER_LANG").env_remove("LC_ALL").env_remove("LC_MESSAGES");
        }
    }
    let out = cmd.output().unwrap();
    let here = dir.path().canonicalize().unwrap();
    let clean = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .replace(&here.display().to_string(), "$CASE")
            .replace(&dir.path().display().to_string(), "$CASE")
    };
    Outcome {
        code: format!("{}\n", out.status.code().unwrap_or(-1)),
        stdout: clean(&out.stdout),
        stderr: clean(&out.stderr),
    }
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("args").is_file())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_case_gives_its_expected_output() {
    let cases = cases();
    assert!(cases.len() >= 4, "tests/cases holds the case folders");
    let bless = std::env::var_os("DOSSIER_BLESS").is_some();
    let mut failed = Vec::new();
    for case in &cases {
        let got = run_case(&case.join("."));
        let expected_dir = case.join("expected");
        if bless {
            std::fs::create_dir_all(&expected_dir).unwrap();
            std::fs::write(expected_dir.join("code"), &got.code).unwrap();
            std::fs::write(expected_dir.join("stdout"), &got.stdout).unwrap();
            std::fs::write(expected_dir.join("stderr"), &got.stderr).unwrap();
            continue;
        }
        let expected = Outcome {
            code: read(&expected_dir.join("code")),
            stdout: read(&expected_dir.join("stdout")),
            stderr: read(&expected_dir.join("stderr")),
        };
        if got != expected {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            eprintln!("case {name}:\n--- expected\n{expected:#?}\n--- got\n{got:#?}");
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "cases that differ: {failed:?} (DOSSIER_BLESS=1 rewrites expected/ after a wanted change)"
    );
}
