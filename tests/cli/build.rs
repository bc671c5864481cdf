//! `dossier build`: the merged PDF, the zip and the mail draft, read back with qpdf, poppler,
//! unzip, 7z and Python as well as with lopdf.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Builds the case; returns exit code, stdout, stderr.
pub(crate) fn build(case: &Case, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let output = case.dossier(&all).output().unwrap();
    (output.status.code().unwrap_or(-1), stdout(&output), stderr(&output))
}

pub(crate) fn out_dir(case: &Case, recipient: &str) -> PathBuf {
    case.dir.path().join("out").join(recipient)
}

fn merged_pdf(case: &Case, recipient: &str) -> PathBuf {
    out_dir(case, recipient).join("2019123456_김민준_학점인정서류.pdf")
}

fn zip_path(case: &Case, recipient: &str) -> PathBuf {
    out_dir(case, recipient).join("2019123456_김민준_학점인정서류.zip")
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let line = info.lines().find(|l| l.starts_with("Pages:")).expect("pdfinfo prints Pages");
    line.split_whitespace().last().unwrap().parse().unwrap()
}

fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    tool("pdftotext", &["-f", &n, "-l", &n, "-layout", pdf.to_str().unwrap(), "-"])
}

fn qpdf_check(pdf: &Path) {
    let out = std::process::Command::new("qpdf").args(["--check"]).arg(pdf).output().unwrap();
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(0), "qpdf --check failed: {text}");
    assert!(!text.contains("WARNING"), "qpdf warns: {text}");
}

/// (title, page) for every line of the contents pages that ends with a page number.
fn contents_entries(pdf: &Path) -> Vec<(String, usize)> {
    let mut entries = Vec::new();
    for page in 2..=pages(pdf) {
        let text = page_text(pdf, page);
        if page > 2 && !text.contains("목차") {
            break;
        }
        for line in text.lines() {
            let trimmed = line.trim();
            let Some((head, number)) = trimmed.rsplit_once(' ') else { continue };
            let Ok(number) = number.parse::<usize>() else { continue };
            let title = head.trim_end_matches(['.', ' ']).trim().to_string();
            if !title.is_empty() && !title.contains('/') {
                entries.push((title, number));
            }
        }
    }
    entries
}

#[test]
fn example_bundles_are_valid_and_their_contents_point_at_the_right_pages() {
    let case = Case::example();
    let before = case.input_hashes();
    let (code, out, err) = build(&case, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(case.input_hashes(), before, "build must not change any input");
    for recipient in ["professor", "office", "placement"] {
        let pdf = merged_pdf(&case, recipient);
        qpdf_check(&pdf);
        let contents = page_text(&pdf, 2);
        assert!(contents.contains("목차"), "{contents}");
        let entries = contents_entries(&pdf);
        assert!(entries.len() >= 4, "{recipient}: {entries:?}");
        for (title, page) in &entries {
            // The stamp of the page the contents names carries the item's title (file lines
            // carry the file name and point into that item's pages).
            let stamp = page_text(&pdf, *page);
            let last = stamp.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default().to_string();
            assert!(last.contains(&format!("/ {}", pages(&pdf))), "{recipient} p{page}: no stamp in {last:?}");
            if !title.contains('.') {
                assert!(
                    last.contains(&format!("· {title} ·")),
                    "{recipient}: contents say {title} is on p{page}, stamp: {last}"
                );
            }
        }
    }
    // The placement bundle has only PDFs: cover + contents + every input page.
    let placement = merged_pdf(&case, "placement");
    assert_eq!(pages(&placement), 1 + 1 + 4 + 2 + 1 + 1);
    let text = tool("pdftotext", &[placement.to_str().unwrap(), "-"]);
    for needle in [
        "산학인턴쉽 전공교과목 학점인정 제출 서류",
        "현장실습지원센터",
        "김민준",
        "Pay stub 2023-05",
        "Employment insurance history",
    ] {
        assert!(text.contains(needle), "placement bundle lacks {needle}");
    }
}

#[test]
fn contents_lines_are_links_to_their_pages() {
    let case = Case::example();
    assert_eq!(build(&case, &["--recipient", "placement"]).0, 0);
    let pdf = merged_pdf(&case, "placement");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let pages = doc.get_pages();
    let number_of: std::collections::BTreeMap<lopdf::ObjectId, u32> = pages.iter().map(|(n, id)| (*id, *n)).collect();
    let contents_page = pages[&2];
    let mut targets = Vec::new();
    for annot in doc.get_page_annotations(contents_page).unwrap() {
        let dest = annot.get(b"Dest").and_then(lopdf::Object::as_array).expect("a contents link has an explicit /Dest");
        let target = dest[0].as_reference().unwrap();
        targets.push(number_of[&target] as usize);
    }
    let expected: Vec<usize> = contents_entries(&pdf).iter().map(|(_, p)| *p).collect();
    assert_eq!(targets, expected, "each contents line links to the page it names");
}

#[test]
fn stamps_can_be_turned_off() {
    let case = Case::example();
    case.edit_manifest("# stamp = false", "stamp = false");
    assert_eq!(build(&case, &["--recipient", "placement"]).0, 0);
    let text = tool("pdftotext", &[merged_pdf(&case, "placement").to_str().unwrap(), "-"]);
    assert!(!text.contains("/ 10"), "no page stamps: {text}");
    assert!(text.contains("목차"));
}

#[test]
fn the_outline_has_an_entry_per_item_and_file_and_keeps_the_inputs_own() {
    let case = Case::example();
    assert_eq!(build(&case, &["--recipient", "office"]).0, 0);
    let pdf = merged_pdf(&case, "office");
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()])).unwrap();
    fn titles(items: &serde_json::Value, out: &mut Vec<String>) {
        for item in items.as_array().unwrap() {
            out.push(item["title"].as_str().unwrap().to_string());
            titles(&item["kids"], out);
        }
    }
    let mut all = Vec::new();
    titles(&json["outlines"], &mut all);
    for expected in [
        "설계포트폴리오",
        "설계포트폴리오.pdf",
        "Detailed design",
        "수료증",
        "수료증.pdf",
        "현장사진_01.jpg",
        "연수보고서.md",
    ] {
        assert!(all.iter().any(|t| t == expected), "outline lacks {expected}: {all:?}");
    }
    // The portfolio's own "Detailed design" bookmark (a named destination) opens its page 2.
    let lopdf = lopdf::Document::load(&pdf).unwrap();
    let names = lopdf.catalog().unwrap().get(b"Names").and_then(|n| lopdf.dereference(n)).map(|(_, o)| o.clone());
    assert!(names.is_ok(), "the portfolio's named destination must survive");
}

#[test]
fn two_builds_give_the_same_bytes() {
    let case = Case::example();
    assert_eq!(build(&case, &[]).0, 0);
    let first: Vec<(PathBuf, Vec<u8>)> = output_files(&case);
    assert_eq!(build(&case, &[]).0, 0);
    let second = output_files(&case);
    assert_eq!(first.len(), second.len());
    for ((path, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{} differs between two builds", path.display());
    }
    assert!(first.iter().any(|(p, _)| p.extension().is_some_and(|e| e == "eml")));
}

fn output_files(case: &Case) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(case.dir.path().join("out"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_missing_item_builds_nothing_unless_draft() {
    let case = Case::example();
    std::fs::remove_file(case.doc("수료증.pdf")).unwrap();
    let (code, out, err) = build(&case, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("지도교수 (professor): not built: certificate not ready"), "{out}");
    assert!(!out_dir(&case, "professor").exists(), "nothing may be written for a recipient that is not ready");
    let (code, out, _) = build(&case, &["--draft"]);
    assert_eq!(code, 1, "a draft is not a finished bundle: {out}");
    let pdf = merged_pdf(&case, "professor");
    qpdf_check(&pdf);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("제출 예정: 수료증"), "{text}");
    assert!(text.contains("초안"), "the cover must say it is a draft (초안)");
}

#[test]
fn encrypted_inputs_are_merged_and_zipped_decrypted() {
    let case = Case::example();
    encrypt_with_qpdf(&case.doc("급여명세서/급여명세서_2023-04.pdf"), "990101");
    let output =
        case.dossier(&["build", "--recipient", "placement"]).env("PAYSLIP_PASSWORD", "990101").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("was encrypted"), "the report says so: {}", stdout(&output));
    let pdf = merged_pdf(&case, "placement");
    qpdf_check(&pdf);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("Pay stub 2023-04"), "the decrypted stub's text must be in the merged PDF");
    let unpacked = tempfile::tempdir().unwrap();
    tool("unzip", &["-q", zip_path(&case, "placement").to_str().unwrap(), "-d", unpacked.path().to_str().unwrap()]);
    let stub = unpacked.path().join("01_급여명세서/급여명세서_2023-04.pdf");
    qpdf_check(&stub);
    let status = std::process::Command::new("qpdf").arg("--is-encrypted").arg(&stub).status().unwrap();
    assert_eq!(status.code(), Some(2), "qpdf --is-encrypted exits 2 for a file that is not encrypted");
    for file in walkdir::WalkDir::new(case.dir.path().join("out"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(file.path()).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"990101"), "{} holds the password", file.path().display());
    }
}

#[test]
fn the_zip_has_clean_utf8_names_and_checksums() {
    let case = Case::example();
    assert_eq!(build(&case, &[]).0, 0);
    let zip = zip_path(&case, "office");
    tool("unzip", &["-tq", zip.to_str().unwrap()]);
    let listing = tool("7z", &["t", zip.to_str().unwrap()]);
    assert!(listing.contains("Everything is Ok"), "{listing}");
    let script = r##"
import sys, zipfile, unicodedata, hashlib
z = zipfile.ZipFile(sys.argv[1])
names = [i.filename for i in z.infolist()]
for i in z.infolist():
    assert i.flag_bits & 0x800 or i.filename.isascii(), i.filename
    assert unicodedata.normalize("NFC", i.filename) == i.filename, i.filename
    assert not i.filename.startswith("/") and ".." not in i.filename.split("/"), i.filename
sums = dict(reversed(l.split("  ", 1)) for l in z.read("SHA256SUMS.txt").decode().splitlines() if not l.startswith("#"))
for n in names:
    if n != "SHA256SUMS.txt":
        assert sums[n] == hashlib.sha256(z.read(n)).hexdigest(), n
pdf = sys.argv[2].rsplit("/", 1)[1]
assert pdf not in names, "the zip holds no second copy of the merged PDF"
assert sums[pdf] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest(), "SHA256SUMS.txt lists the merged PDF"
print("\n".join(names))
"##;
    let pdf = merged_pdf(&case, "office");
    let names = tool("python3", &["-c", script, zip.to_str().unwrap(), pdf.to_str().unwrap()]);
    for expected in [
        "01_산학인턴쉽 전공교과목 학점인정서/학점인정서.pdf",
        "02_학점인정서 (지도교수 서명본)/학점인정서_서명.pdf",
        "04_연수보고서 및 인턴쉽노트/2주차_메모.txt",
        "05_프로젝트수행 입증 자료/현장사진_01.jpg",
        "06_수료증/수료증.pdf",
        "SHA256SUMS.txt",
    ] {
        assert!(names.lines().any(|n| n == expected), "zip lacks {expected}:\n{names}");
    }
}

#[test]
fn the_mail_draft_carries_the_merged_pdf_itself_and_the_zip() {
    let case = Case::example();
    assert_eq!(build(&case, &[]).0, 0);
    let script = r#"
import sys, email, email.policy
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
att = [p for p in msg.iter_attachments()]
assert len(att) == 2, len(att)
assert att[0].get_content_type() == "application/pdf", att[0].get_content_type()
assert att[0].get_content() == open(sys.argv[2], "rb").read(), "the PDF part differs from the merged PDF"
assert att[1].get_content_type() == "application/zip", att[1].get_content_type()
assert att[1].get_content() == open(sys.argv[3], "rb").read(), "the zip part differs from the zip"
print(msg["Subject"]); print(msg["To"]); print(att[0].get_filename()); print(att[1].get_filename())
print(msg.get_body(("plain",)).get_content())
"#;
    let eml = out_dir(&case, "professor").join("mail.eml");
    let pdf = merged_pdf(&case, "professor");
    let zip = zip_path(&case, "professor");
    let out = tool("python3", &["-c", script, eml.to_str().unwrap(), pdf.to_str().unwrap(), zip.to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("2019123456") && lines[0].contains("김민준"), "{out}");
    assert_eq!(lines[1], "prof.lee@example.ac.kr");
    assert_eq!(lines[2], "2019123456_김민준_학점인정서류.pdf");
    assert_eq!(lines[3], "2019123456_김민준_학점인정서류.zip");
    assert_eq!(lines[4], "교수님께", "the body opens with the greeting: {out}");
    assert!(out.contains("김민준 드림"), "and closes with the student's name: {out}");
    let office = out_dir(&case, "office").join("mail.eml");
    let body = tool(
        "python3",
        &[
            "-c",
            "import sys,email,email.policy; print(email.message_from_bytes(open(sys.argv[1],'rb').read(), policy=email.policy.default).get_body(('plain',)).get_content())",
            office.to_str().unwrap(),
        ],
    );
    assert!(body.starts_with("학과 사무실 담당자님께\n"), "{body}");
}

/// The nasty inputs of the shared corpus in one bundle, built once for the tests below: AES-256
/// and RC4 pay stubs, object streams, an incremental update, PDF 2.0, a /Rotate page, junk
/// before the header, a broken xref, two forms with the same field names, an EXIF-rotated
/// photo, a CMYK JPEG, RGBA and 16-bit PNGs, and notes in CP949, UTF-16 and UTF-8 with BOM.
struct CorpusBundle {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    text: String,
    contents: Vec<(String, usize)>,
}

fn corpus_bundle() -> &'static CorpusBundle {
    static BUNDLE: std::sync::OnceLock<CorpusBundle> = std::sync::OnceLock::new();
    BUNDLE.get_or_init(build_corpus_bundle)
}

fn build_corpus_bundle() -> CorpusBundle {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let manifest = format!(
        r#"
[bundle]
title = "코퍼스 번들"
root = "{root}"
output = "{out}"

[student]
"이름" = "김민준"
"학번" = "2019123456"

[period]
start = 2023-03-02
end = 2023-06-30

[[items]]
id = "payslips"
title = "급여명세서"
files = ["student/급여명세서/*"]
per_month = true
password_env = "PAYSLIP_PASSWORD"

[[items]]
id = "forms"
title = "학점인정서"
files = ["student/학점인정서_서명.pdf", "edge/학점인정서_양식_빈칸.pdf"]
min = 2

[[items]]
id = "odd"
title = "특이한 PDF"
files = ["edge/객체스트림*", "edge/증분업데이트*", "edge/PDF20*", "edge/회전90*", "edge/머리쓰레기*", "edge/xref손상*", "edge/급여명세서_권한암호만.pdf"]
min = 7

[[items]]
id = "portfolio"
title = "설계포트폴리오"
files = ["student/설계포트폴리오.pdf"]

[[items]]
id = "evidence"
title = "입증자료"
files = ["student/프로젝트수행_입증자료/*"]
kinds = ["image"]

[[items]]
id = "notes"
title = "노트"
files = ["student/인턴쉽노트/*", "student/연수보고서.md"]
kinds = ["text"]

[[recipients]]
id = "all"
items = ["payslips", "forms", "odd", "portfolio", "evidence", "notes"]
"#,
        root = corpus.display(),
        out = dir.path().join("out").display()
    );
    std::fs::write(dir.path().join("dossier.toml"), manifest).unwrap();
    let before = hash_tree(&corpus);
    let output =
        dossier().current_dir(dir.path()).args(["build", "--json"]).env("PAYSLIP_PASSWORD", "990101").output().unwrap();
    assert_eq!(hash_tree(&corpus), before, "the corpus must be left as it was");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    let pdf = dir.path().join("out/all/2019123456_김민준_코퍼스번들.pdf");
    qpdf_check(&pdf);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let contents = contents_entries(&pdf);
    CorpusBundle { _dir: dir, pdf, text, contents }
}

impl CorpusBundle {
    fn page_of(&self, name: &str) -> usize {
        self.contents
            .iter()
            // Per-month files are labelled "2023년 4월 · 급여명세서_2023-04.pdf".
            .find(|(t, _)| t.starts_with(name) || t.ends_with(&format!(" · {name}")))
            .map(|(_, p)| *p)
            .unwrap_or_else(|| panic!("{name} not in {:?}", self.contents))
    }

    fn page_text(&self, name: &str) -> String {
        page_text(&self.pdf, self.page_of(name))
    }
}

#[test]
fn corpus_encrypted_pay_stubs_open_with_the_password() {
    let b = corpus_bundle();
    for stub in ["급여명세서_2023-04.pdf", "급여명세서_2023-05.pdf"] {
        let text = b.page_text(stub);
        assert!(text.contains("급여명세서") && text.contains("실 지급액"), "{stub} is blank or unreadable: {text}");
    }
    assert!(b.page_text("급여명세서_권한암호만.pdf").contains("실 지급액"), "owner-password-only stub");
}

#[test]
fn corpus_object_streams_and_pdf_2_0_merge() {
    let b = corpus_bundle();
    assert!(b.page_text("객체스트림_xref스트림.pdf").contains("고용보험·산재보험 자격 이력 내역서"));
    assert!(b.page_text("PDF20_수행확인서.pdf").contains("수행확인서"));
    let info = tool("pdfinfo", &[b.pdf.to_str().unwrap()]);
    let version = info.lines().find(|l| l.starts_with("PDF version:")).unwrap_or_default();
    assert_eq!(version.split_whitespace().last(), Some("2.0"), "a PDF 2.0 input makes a 2.0 output: {info}");
}

#[test]
fn corpus_incremental_update_merges_the_latest_revision() {
    let b = corpus_bundle();
    assert!(b.page_text("증분업데이트_자격이력내역서.pdf").contains("REVISED"));
}

#[test]
fn corpus_damaged_but_recoverable_pdfs_merge() {
    let b = corpus_bundle();
    assert!(b.page_text("xref손상_자격이력내역서.pdf").contains("자격 이력 내역서"));
    let cert = b.page_of("머리쓰레기_수료증.pdf");
    assert!(mean_brightness(&b.pdf, cert) > 150.0, "the scan after junk must render");
}

#[test]
fn corpus_rotated_page_keeps_its_rotation() {
    let b = corpus_bundle();
    let page = b.page_of("회전90_수료증.pdf").to_string();
    let info = tool("pdfinfo", &["-f", &page, "-l", &page, b.pdf.to_str().unwrap()]);
    let rot = info.lines().find(|l| l.starts_with("Page") && l.contains(" rot:")).unwrap_or_default();
    assert_eq!(rot.split_whitespace().last(), Some("90"), "{info}");
}

#[test]
fn corpus_rotated_photo_stands_upright() {
    let b = corpus_bundle();
    let photo = b.page_of("현장사진_01_시제품조립.jpg");
    let info = tool("pdfinfo", &["-f", &photo.to_string(), "-l", &photo.to_string(), b.pdf.to_str().unwrap()]);
    let size =
        info.lines().find(|l| l.starts_with(&format!("Page {photo:>4} size:"))).unwrap_or_else(|| panic!("{info}"));
    let dims: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(dims[1] < dims[2], "the photo page must be portrait: {size}");
    // "위 (TOP)" is drawn in red at the top of the upright picture: the top third is redder.
    let (top, bottom) = red_share_top_bottom(&b.pdf, photo);
    assert!(top > bottom * 2.0, "the red TOP marker must be at the top (top {top:.3}, bottom {bottom:.3})");
}

#[test]
fn corpus_cmyk_jpeg_and_rgba_png_render_light() {
    let b = corpus_bundle();
    for name in ["학술제포스터_CMYK.jpg", "스크린샷_02_BOM관리.png", "다이어그램_설계변경흐름.png"]
    {
        let brightness = mean_brightness(&b.pdf, b.page_of(name));
        assert!(brightness > 150.0, "{name} renders too dark ({brightness:.0}): inverted CMYK or black alpha?");
    }
}

#[test]
fn corpus_notes_in_every_encoding_are_typeset() {
    let b = corpus_bundle();
    for needle in ["똠양꿍", "햏", "시제품 발주", "브래킷 기존 설계 분석", "형상 최적화 1차안"]
    {
        assert!(b.text.contains(needle), "the bundle lacks {needle:?}");
    }
    assert!(!b.text.contains('\u{FFFD}'), "no replacement characters");
}

#[test]
fn corpus_same_named_form_fields_keep_their_own_values() {
    let b = corpus_bundle();
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json", "--json-key=acroform", b.pdf.to_str().unwrap()])).unwrap();
    let fields = json["acroform"]["fields"].as_array().unwrap();
    let values: Vec<(String, String)> = fields
        .iter()
        .filter(|f| f["fullname"].as_str().unwrap().starts_with("student_name"))
        .map(|f| {
            // qpdf's JSON writes text strings as "u:<text>".
            let value = f["value"].as_str().unwrap_or("").trim_start_matches("u:").to_string();
            (f["fullname"].as_str().unwrap().to_string(), value)
        })
        .collect();
    assert_eq!(values.len(), 2, "{values:?}");
    assert_ne!(values[0].0, values[1].0, "the names must differ");
    assert!(values.iter().any(|(_, v)| v.contains("김민준")) && values.iter().any(|(_, v)| v.is_empty()), "{values:?}");
    // The signed form's Korean values had no appearance (NeedAppearances): dossier draws them
    // with its Korean font, so every viewer shows them and their text can be extracted.
    let signed = b.page_text("학점인정서_서명.pdf");
    for value in ["김민준", "기계설계공학과", "(주)한빛테크", "2019123456"] {
        assert!(signed.contains(value), "the signed form's value {value:?} is not visible: {signed}");
    }
    assert_eq!(json["acroform"]["needappearances"], false, "dossier drew every value itself");
}

#[test]
fn corpus_portfolio_links_survive() {
    let b = corpus_bundle();
    let qdf = tool("qpdf", &["--qdf", "--object-streams=disable", b.pdf.to_str().unwrap(), "-"]);
    let links = qdf.matches("/URI (https://").count() + qdf.matches("/URI (mailto:").count();
    assert!(links >= 15, "{links} URI links left");
}

/// Share of clearly red pixels in the top and the bottom third of a rendered page.
pub(crate) fn red_share_top_bottom(pdf: &Path, page: usize) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    let n = page.to_string();
    tool("pdftoppm", &["-r", "20", "-png", "-f", &n, "-l", &n, pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
    let file = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    let img = image::open(file).unwrap().to_rgb8();
    let (w, h) = img.dimensions();
    let share = |rows: std::ops::Range<u32>| {
        let mut red = 0u32;
        let mut all = 0u32;
        for y in rows {
            for x in 0..w {
                let p = img.get_pixel(x, y);
                all += 1;
                red += u32::from(p[0] > 150 && p[1] < 90 && p[2] < 90);
            }
        }
        f64::from(red) / f64::from(all.max(1))
    };
    (share(0..h / 3), share(2 * h / 3..h))
}

/// Mean grey level (0..255) of a page rendered by pdftoppm.
fn mean_brightness(pdf: &Path, page: usize) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    let n = page.to_string();
    tool("pdftoppm", &["-r", "20", "-gray", "-f", &n, "-l", &n, pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
    let file = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    let bytes = std::fs::read(file).unwrap();
    // Binary PGM: three header lines (P5, width height, maxval), then one byte per pixel.
    let mut newlines = 0;
    let start = bytes.iter().position(|&b| {
        newlines += usize::from(b == b'\n');
        newlines == 3
    });
    let pixels = &bytes[start.unwrap() + 1..];
    pixels.iter().map(|&p| f64::from(p)).sum::<f64>() / pixels.len() as f64
}

#[test]
fn build_names_the_real_reason_an_item_is_not_ready() {
    let case = Case::example();
    std::fs::remove_file(case.doc("학점인정서.pdf")).unwrap();
    // A Word document where the form's PDF should be: the zip signature and its main part.
    std::fs::write(case.doc("학점인정서.docx"), b"PK\x03\x04\x14\0\0\0\0\0[Content_Types].xml....word/document.xml")
        .unwrap();
    let (code, out, err) = build(&case, &["--recipient", "professor"]);
    assert_eq!(code, 1, "{out}\n{err}");
    let lines: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("지도교수 (professor)")).take(2).collect();
    assert_eq!(
        lines,
        [
            "지도교수 (professor): not built: form not ready",
            "  ✗ 산학인턴쉽 전공교과목 학점인정서 (form): 학점인정서.docx is a Word document (.docx): open it and save or export it as PDF",
        ],
        "{out}"
    );
    assert!(!out.contains("no file matches"), "the form is there, not missing: {out}");
    assert!(!out_dir(&case, "professor").exists());
}
