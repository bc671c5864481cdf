//! Every PDF of the real-world corpus (`../shared/realworld-pdfs`, or `DOSSIER_REALWORLD`)
//! through `dossier inspect` and `dossier build`, checked against qpdf (issue 11).
//!
//! For every file: no panic and no hang (a watchdog kills a run after [`WATCHDOG`]; that is a
//! failure, not a timing assertion). For every file qpdf can merge (`qpdf --empty --pages`,
//! with the password from the corpus README where it needs one): dossier builds it with every
//! page (the build's proof passed, or it would have failed), and the first [`COMPARED_PAGES`]
//! pages rendered at 20 dpi look like qpdf's merge of the same file, the stamp band aside.
//! The few files dossier refuses are in [`REFUSED`], each with its reason.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common;

/// Longest a single dossier or tool run may take before it counts as a hang.
const WATCHDOG: Duration = Duration::from_secs(240);
/// Pages rendered and compared per file.
const COMPARED_PAGES: u32 = 4;
/// Mean absolute difference (0..255) of 2×2-averaged grey pixels above which a page differs.
const MAX_DIFFERENCE: f64 = 8.0;
/// The foot of the page where the stamp is drawn (its lowest 12 %), not compared.
const STAMP_BAND: f64 = 0.12;

/// Files qpdf can merge that dossier refuses, and why.
const REFUSED: &[(&str, &str)] = &[(
    "qpdf__bad-direct-root.pdf",
    "fuzzed past repair: no header, a trailer of binary garbage with a direct /Root, a page \
     without /Contents; qpdf's merge is one blank page, so there is nothing to keep",
)];

/// Passwords from the corpus README ("Passwords, from the source repositories' own tests").
const PASSWORDS: &[(&str, &str)] = &[
    ("pdfminer__rc4-40.pdf", "foo"),
    ("pdfminer__rc4-128.pdf", "foo"),
    ("pdfminer__aes-128.pdf", "foo"),
    ("pdfminer__aes-128-m.pdf", "foo"),
    ("pdfminer__aes-256.pdf", "foo"),
    ("pdfminer__aes-256-m.pdf", "foo"),
    ("pdfminer__aes-256-r6.pdf", "usersecret"),
    ("pdfbox__PasswordSample-40bit.pdf", "user"),
    ("pdfbox__PasswordSample-256bit.pdf", "user"),
    ("pdfbox__sign_me_protected.pdf", " "),
    ("pdfjs__encrypted-attachment.pdf", "000000"),
    ("pdfjs__pr6531_1.pdf", "asdfasdf"),
    ("qpdf__enc-XI-R6_V5_U_view_O_master.pdf", "view"),
    ("qpdf__c-r6-in.pdf", "owner4"),
];

/// The corpus folder; missing is a failure, not a skip.
fn corpus() -> PathBuf {
    let dir = std::env::var_os("DOSSIER_REALWORLD")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo().join("../shared/realworld-pdfs"));
    assert!(
        dir.join("SOURCES.tsv").is_file(),
        "the real-world corpus is missing at {} (it sits beside the repository in CI; or set DOSSIER_REALWORLD)",
        dir.display()
    );
    dir
}

/// Runs `command` under the watchdog: `None` if it had to be killed.
fn run(mut command: Command) -> Option<Output> {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the program runs");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait works").is_some() {
            return Some(child.wait_with_output().expect("output is read"));
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A grey PGM (P5, 8-bit) as width, height, pixels.
fn read_pgm(path: &Path) -> (usize, usize, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "{}", path.display());
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, bytes[at + 1..].to_vec())
}

/// Mean absolute difference of two renderings (2×2 blocks, stamp band left out); `None` when
/// their sizes differ.
fn difference(a: &Path, b: &Path) -> Option<f64> {
    let (wa, ha, pa) = read_pgm(a);
    let (wb, hb, pb) = read_pgm(b);
    if wa.abs_diff(wb) > 1 || ha.abs_diff(hb) > 1 {
        return None;
    }
    let (w, h) = (wa.min(wb), (ha.min(hb) as f64 * (1.0 - STAMP_BAND)) as usize);
    let block = |p: &[u8], stride: usize, x: usize, y: usize| {
        let at = |x: usize, y: usize| f64::from(p[y * stride + x]);
        (at(x, y) + at(x + 1, y) + at(x, y + 1) + at(x + 1, y + 1)) / 4.0
    };
    let (mut sum, mut n) = (0.0, 0usize);
    for y in (0..h.saturating_sub(1)).step_by(2) {
        for x in (0..w.saturating_sub(1)).step_by(2) {
            sum += (block(&pa, wa, x, y) - block(&pb, wb, x, y)).abs();
            n += 1;
        }
    }
    Some(sum / n.max(1) as f64)
}

/// Renders pages `first..=last` of `pdf` as grey PGMs named `prefix-N.pgm`, in page order.
fn render(pdf: &Path, first: u32, last: u32, prefix: &Path) -> Option<Vec<PathBuf>> {
    let mut cmd = Command::new("pdftoppm");
    cmd.args(["-r", "20", "-gray", "-f", &first.to_string(), "-l", &last.to_string()]).arg(pdf).arg(prefix);
    let out = run(cmd)?;
    assert!(out.status.success(), "pdftoppm {}: {}", pdf.display(), common::stderr(&out));
    let dir = prefix.parent().unwrap();
    let stem = prefix.file_name().unwrap().to_string_lossy().into_owned();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{stem}-")))
        .collect();
    pages.sort();
    Some(pages)
}

/// qpdf's page count of a PDF.
fn pages_of(pdf: &Path) -> u32 {
    common::tool("qpdf", &["--show-npages", pdf.to_str().unwrap()]).trim().parse().unwrap()
}

/// What happened to one file; `Err` holds what went wrong.
fn check_file(corpus: &Path, name: &str) -> Result<Verdict, String> {
    let file = corpus.join(name);
    let dir = tempfile::tempdir().unwrap();
    let password = PASSWORDS.iter().find(|(f, _)| *f == name).map_or("", |(_, p)| *p);

    // inspect: no panic, no hang, whatever the file.
    let mut inspect = common::dossier_command();
    inspect.args(["inspect", "--json", "--password-env", "PW"]).arg(&file).env("PW", password);
    let out = run(inspect).ok_or("inspect hung")?;
    if out.status.code() == Some(101) || common::stderr(&out).contains("panicked") {
        return Err(format!("inspect panicked: {}", common::stderr(&out)));
    }

    // build: no panic, no hang.
    let manifest = format!(
        "[bundle]\ntitle = \"실세계\"\nroot = \"{root}\"\noutput = \"{out}\"\n\n[student]\n\"이름\" = \"김민준\"\n\"학번\" = \"2019123456\"\n\n\
         [[items]]\nid = \"doc\"\ntitle = \"문서\"\nfiles = [\"{name}\"]\npassword_env = \"PW\"\n\n[[recipients]]\nid = \"all\"\nitems = [\"doc\"]\n",
        root = corpus.display(),
        out = dir.path().join("out").display(),
    );
    std::fs::write(dir.path().join("dossier.toml"), manifest).unwrap();
    let mut build = common::dossier_command();
    build.current_dir(dir.path()).args(["build", "--pdf-only"]).env("PW", password).env("NO_COLOR", "1");
    let built = run(build).ok_or("build hung")?;
    if built.status.code() == Some(101) || common::stderr(&built).contains("panicked") {
        return Err(format!("build panicked: {}", common::stderr(&built)));
    }

    // What qpdf makes of it decides what dossier must do.
    let reference = dir.path().join("qpdf.pdf");
    let mut qpdf = Command::new("qpdf");
    qpdf.arg("--empty").arg("--pages").arg(&file).arg(format!("--password={password}")).arg("--").arg(&reference);
    let merged_by_qpdf = run(qpdf).ok_or("qpdf hung")?.status.code().is_some_and(|c| c == 0 || c == 3);
    if !merged_by_qpdf {
        return Ok(Verdict::QpdfCannot { dossier_built: built.status.success() });
    }
    let refused = REFUSED.iter().any(|(f, _)| *f == name);
    let merged = walkdir::WalkDir::new(dir.path().join("out"))
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .find(|p| p.extension().is_some_and(|e| e == "pdf"));
    let (true, Some(merged)) = (built.status.success(), merged) else {
        return if refused {
            Ok(Verdict::Refused)
        } else {
            Err(format!("qpdf merges it, dossier does not build it:\n{}", common::stdout(&built)))
        };
    };
    if refused {
        return Err("dossier builds it: take it off REFUSED".into());
    }
    let pages = pages_of(&reference);
    let total = pages_of(&merged);
    // One item of one file: the generated cover and contents come first, the input last.
    let generated = total.checked_sub(pages).ok_or(format!("{total} merged pages for {pages} input pages"))?;
    if generated != 2 {
        return Err(format!("{total} merged pages: expected {pages} input pages after the cover and contents"));
    }
    let compared = pages.min(COMPARED_PAGES);
    if compared > 0 {
        let theirs = render(&reference, 1, compared, &dir.path().join("q")).ok_or("pdftoppm hung")?;
        let ours =
            render(&merged, generated + 1, generated + compared, &dir.path().join("m")).ok_or("pdftoppm hung")?;
        if theirs.len() != ours.len() {
            return Err(format!("rendered {} pages of qpdf's merge, {} of dossier's", theirs.len(), ours.len()));
        }
        for (page, (a, b)) in (1..).zip(theirs.iter().zip(&ours)) {
            match difference(a, b) {
                Some(d) if d <= MAX_DIFFERENCE => {}
                Some(d) => return Err(format!("page {page} looks different from qpdf's (difference {d:.1})")),
                None => return Err(format!("page {page} has another size than qpdf's")),
            }
        }
    }
    Ok(Verdict::Merged)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    /// qpdf merges it and so does dossier, every page like qpdf's.
    Merged,
    /// qpdf merges it, dossier refuses it as listed in [`REFUSED`].
    Refused,
    /// qpdf cannot merge it (so dossier need not); whether dossier built it anyway.
    QpdfCannot { dossier_built: bool },
}

#[test]
fn every_realworld_pdf_is_read_and_what_qpdf_merges_dossier_merges_alike() {
    let corpus = corpus();
    let sources = std::fs::read_to_string(corpus.join("SOURCES.tsv")).unwrap();
    let names: Vec<String> = sources.lines().skip(1).filter_map(|l| l.split('\t').next()).map(str::to_string).collect();
    assert!(names.len() > 300, "SOURCES.tsv lists {} files", names.len());
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(name) = names.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let verdict = check_file(&corpus, name);
                    results.lock().unwrap().push((name.clone(), verdict));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    let count = |f: &dyn Fn(&Result<Verdict, String>) -> bool| results.iter().filter(|(_, v)| f(v)).count();
    let merged = count(&|v| matches!(v, Ok(Verdict::Merged)));
    let refused = count(&|v| matches!(v, Ok(Verdict::Refused)));
    let qpdf_cannot = count(&|v| matches!(v, Ok(Verdict::QpdfCannot { .. })));
    let failures: Vec<String> =
        results.iter().filter_map(|(n, v)| v.as_ref().err().map(|e| format!("{n}: {e}"))).collect();
    eprintln!(
        "real-world corpus: {} files; qpdf merges {}; dossier merges {merged} of them alike, refuses {refused} (listed), fails {}; qpdf cannot merge {qpdf_cannot}",
        results.len(),
        merged + refused + failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{} file(s):\n{}", failures.len(), failures.join("\n"));
    assert_eq!(refused, REFUSED.len(), "every file in REFUSED is in the corpus and refused");
}
