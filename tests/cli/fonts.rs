//! The bundled font (issue 10): a build on a machine with no fonts at all embeds every font
//! it draws with, gives its Korean text back, and gives the same bytes as a build where system
//! fonts are installed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::*;

/// A fontconfig setup that lists one empty folder, and an empty HOME: no font can be found.
struct NoFonts {
    dir: tempfile::TempDir,
}

impl NoFonts {
    fn new() -> NoFonts {
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        std::fs::create_dir_all(&fonts).unwrap();
        let conf = format!(
            "<?xml version=\"1.0\"?>\n<fontconfig>\n  <dir>{}</dir>\n  <cachedir>{}</cachedir>\n</fontconfig>\n",
            fonts.display(),
            dir.path().join("cache").display()
        );
        std::fs::write(dir.path().join("fonts.conf"), conf).unwrap();
        NoFonts { dir }
    }

    /// `cmd` with the empty font setup; `fc-list` under it lists nothing (checked).
    fn apply(&self, cmd: &mut assert_cmd::Command) {
        cmd.env("FONTCONFIG_FILE", self.dir.path().join("fonts.conf")).env("HOME", self.dir.path());
    }

    fn assert_empty(&self) {
        let out = std::process::Command::new("fc-list")
            .env("FONTCONFIG_FILE", self.dir.path().join("fonts.conf"))
            .env("HOME", self.dir.path())
            .output()
            .expect("fc-list (fontconfig) is needed: tests/run installs it");
        assert_eq!(stdout(&out).trim(), "", "the empty font setup still finds fonts");
    }
}

fn merged_pdfs(case: &Case) -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = walkdir::WalkDir::new(case.dir.path().join("out"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| e.into_path())
        .collect();
    pdfs.sort();
    assert_eq!(pdfs.len(), 3, "one bundle per recipient: {pdfs:?}");
    pdfs
}

/// `pdffonts` rows: (name without subset tag, embedded).
fn fonts_of(pdf: &Path) -> Vec<(String, bool)> {
    let list = tool("pdffonts", &[pdf.to_str().unwrap()]);
    list.lines()
        .skip(2)
        .map(|l| {
            let name = l.split_whitespace().next().unwrap_or_default();
            let name = name.split_once('+').map_or(name, |(_, n)| n).to_string();
            // The columns after the encoding: emb sub uni object-id generation.
            let cols: Vec<&str> = l.split_whitespace().collect();
            (name, cols[cols.len() - 5] == "yes")
        })
        .collect()
}

/// The fonts the student's own PDFs bring (the fixtures use the standard Helvetica).
fn input_fonts(case: &Case) -> BTreeSet<String> {
    walkdir::WalkDir::new(case.dir.path().join("student"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .flat_map(|e| fonts_of(e.path()))
        .map(|(name, _)| name)
        .collect()
}

fn build(case: &Case, no_fonts: Option<&NoFonts>) {
    let mut cmd = case.dossier(&["build"]);
    cmd.env_remove("DOSSIER_NO_SYSTEM_FONTS");
    if let Some(setup) = no_fonts {
        setup.apply(&mut cmd);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(!stdout(&out).contains("font"), "no font warning expected: {}", stdout(&out));
}

#[test]
fn a_build_without_any_system_font_embeds_its_font_and_keeps_its_korean_text() {
    let case = Case::example();
    let no_fonts = NoFonts::new();
    no_fonts.assert_empty();
    build(&case, Some(&no_fonts));
    let theirs = input_fonts(&case);
    for pdf in merged_pdfs(&case) {
        let ours: Vec<(String, bool)> = fonts_of(&pdf).into_iter().filter(|(n, _)| !theirs.contains(n)).collect();
        assert_eq!(ours, vec![("NotoSansCJKkr-Regular".to_string(), true)], "{}", pdf.display());
        let cover = tool("pdftotext", &["-f", "1", "-l", "1", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
        for needle in ["산학인턴쉽 전공교과목 학점인정 제출 서류", "김민준", "기계설계공학과", "(주)한빛테크"]
        {
            assert!(cover.contains(needle), "{needle} not on the cover of {}:\n{cover}", pdf.display());
        }
    }
}

#[test]
fn the_same_folder_gives_the_same_bytes_with_and_without_system_fonts() {
    let case = Case::example();
    build(&case, None);
    let with: Vec<Vec<u8>> = merged_pdfs(&case).iter().map(|p| std::fs::read(p).unwrap()).collect();
    let no_fonts = NoFonts::new();
    build(&case, Some(&no_fonts));
    let without: Vec<Vec<u8>> = merged_pdfs(&case).iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(with == without, "the bundles differ with and without system fonts");
}

#[test]
fn font_system_with_no_system_font_warns_and_uses_the_bundled_font() {
    let case = Case::example();
    case.edit_manifest("# font = \"system\"", "font = \"system\"");
    let no_fonts = NoFonts::new();
    let mut cmd = case.dossier(&["build"]);
    no_fonts.apply(&mut cmd);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no Korean font is installed on this system; the font built into dossier is used"),
        "{}",
        stdout(&out)
    );
    let theirs = input_fonts(&case);
    for pdf in merged_pdfs(&case) {
        assert!(fonts_of(&pdf).iter().all(|(n, emb)| *emb || theirs.contains(n)), "{}", pdf.display());
    }
}
