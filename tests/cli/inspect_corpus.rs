//! `dossier::inspect` on every file of the shared corpus, checked against what its README
//! (`../shared/corpus/README.md`) says a correct tool does.

use crate::common;
use dossier::inspect::{
    self, ColorModel, Content, FileFacts, ImageFacts, ImageFormat, PasswordSource, PdfFacts, Secret, Severity,
    TextEncoding,
};
use std::path::{Path, PathBuf};

const VAR: &str = "PAYSLIP_PASSWORD";

/// Every regular file under `dir`; symlinks are skipped (they are discovery's business).
fn regular_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .collect()
}

fn with_password(password: &str) -> PasswordSource {
    PasswordSource {
        env_var: Some(VAR.into()),
        password: Some(Secret::new(password)),
        ask: dossier::inspect::PasswordAsk::SetVar(VAR.into()),
    }
}

fn facts(corpus: &Path, rel: &str, passwords: &PasswordSource) -> FileFacts {
    inspect::inspect(&corpus.join(rel), passwords)
}

fn pdf(f: &FileFacts) -> &PdfFacts {
    match &f.content {
        Content::Pdf(pdf) => pdf,
        other => panic!("not a PDF: {other:?}"),
    }
}

fn image(f: &FileFacts) -> &ImageFacts {
    match &f.content {
        Content::Image(image) => image,
        other => panic!("not an image: {other:?}"),
    }
}

fn en(msg: &dossier::i18n::Msg) -> String {
    dossier::i18n::Catalog::get(dossier::i18n::Lang::En).text(msg)
}

/// The noun phrase the English terminal uses for content dossier does not use.
fn other_what(f: &FileFacts) -> String {
    match &f.content {
        Content::Other(other) => en(&other.what.noun()),
        content => panic!("not Other: {content:?}"),
    }
}

fn messages(f: &FileFacts, severity: Severity) -> Vec<String> {
    f.problems.iter().filter(|p| p.severity == severity).map(|p| en(&p.problem.message())).collect()
}

fn hint(p: &dossier::inspect::FileProblem) -> Option<String> {
    p.problem.hint().map(|h| en(&h))
}

#[test]
fn every_file_is_inspected_and_usable_pdfs_open() {
    let corpus = common::corpus();
    let passwords = with_password("990101");
    let files = regular_files(&corpus);
    assert!(files.len() >= 45, "only {} files in the corpus", files.len());
    for path in files {
        let f = inspect::inspect(&path, &passwords);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(f.bytes, bytes.len() as u64, "{}", path.display());
        assert_eq!(f.sha256.len(), 64, "{}", path.display());
        if let (Content::Pdf(facts), false) = (&f.content, f.has_errors()) {
            let doc = inspect::open_pdf(&bytes, passwords.password.as_ref())
                .unwrap_or_else(|p| panic!("{}: {p:?}", path.display()));
            assert!(!doc.trailer.has(b"Encrypt"), "{}", path.display());
            assert_eq!(Some(doc.get_pages().len() as u32), facts.pages, "{}", path.display());
        }
    }
}

#[test]
fn encrypted_pay_stubs() {
    let corpus = common::corpus();
    for (rel, method) in [
        ("student/급여명세서/급여명세서_2023-04.pdf", "AES-256"),
        ("student/급여명세서/급여명세서_2023-05.pdf", "RC4 128-bit"),
    ] {
        let opened = facts(&corpus, rel, &with_password("990101"));
        let enc = pdf(&opened).encryption.as_ref().expect("encrypted");
        assert_eq!((enc.method.as_str(), enc.needs_password, enc.opened), (method, true, true));
        assert_eq!(pdf(&opened).pages, Some(1));
        assert!(opened.problems.is_empty(), "{rel}: {:?}", opened.problems);

        let locked = facts(
            &corpus,
            rel,
            &PasswordSource {
                env_var: Some(VAR.into()),
                password: None,
                ask: dossier::inspect::PasswordAsk::SetVar(VAR.into()),
            },
        );
        assert_eq!(messages(&locked, Severity::Error), [format!("is encrypted with a password ({method})")]);
        assert_eq!(
            hint(&locked.problems[0]).as_deref(),
            Some(
                "set the environment variable PAYSLIP_PASSWORD to its password (often the birth date, 6 digits) and run again"
            )
        );
        assert_eq!(pdf(&locked).pages, None);

        let wrong = facts(&corpus, rel, &with_password("000000"));
        assert_eq!(
            messages(&wrong, Severity::Error),
            ["does not open with the password in PAYSLIP_PASSWORD (wrong password)"]
        );
        assert!(!format!("{wrong:?}").contains("000000"), "the password leaked");
        let bytes = std::fs::read(corpus.join(rel)).unwrap();
        assert!(inspect::open_pdf(&bytes, None).is_err());
        // Really decrypted, not blank: the page content holds text-showing operators.
        let doc = inspect::open_pdf(&bytes, Some(&Secret::new("990101"))).unwrap();
        let page = *doc.get_pages().get(&1).unwrap();
        let content = doc.get_page_content(page);
        assert!(content.windows(2).any(|w| w == b"Tj" || w == b"TJ"), "{rel}: no text shown");
    }
}

#[test]
fn owner_password_only_opens_with_or_without_the_birth_date() {
    let corpus = common::corpus();
    let rel = "edge/급여명세서_권한암호만.pdf";
    for passwords in [with_password("990101"), PasswordSource::default()] {
        let f = facts(&corpus, rel, &passwords);
        let enc = pdf(&f).encryption.as_ref().expect("encrypted");
        assert_eq!((enc.method.as_str(), enc.needs_password, enc.opened), ("AES-128", false, true));
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }
}

#[test]
fn broken_and_odd_pdfs() {
    let corpus = common::corpus();
    let none = PasswordSource::default();

    let truncated = facts(&corpus, "edge/잘린파일_설계포트폴리오.pdf", &none);
    assert!(matches!(truncated.content, Content::Pdf(_)));
    assert_eq!(
        messages(&truncated, Severity::Error),
        ["is damaged: it ends before the end of the PDF (truncated download?)"]
    );

    let xref = facts(&corpus, "edge/xref손상_자격이력내역서.pdf", &none);
    assert!(pdf(&xref).repaired);
    assert_eq!(pdf(&xref).pages, Some(2));
    assert_eq!(
        messages(&xref, Severity::Warning),
        [
            "was damaged and has been repaired (its cross-reference table was rebuilt from its objects); nothing was lost"
        ]
    );
    assert!(!xref.has_errors());

    let junk = facts(&corpus, "edge/머리쓰레기_수료증.pdf", &none);
    let at = pdf(&junk).junk_before_header;
    assert!(at > 0);
    assert_eq!(
        messages(&junk, Severity::Warning),
        [format!("has {at} bytes before the PDF header (a mail gateway's header?)")]
    );
    assert_eq!(pdf(&junk).pages, Some(1));

    let streams = facts(&corpus, "edge/객체스트림_xref스트림.pdf", &none);
    assert_eq!((pdf(&streams).version.as_str(), pdf(&streams).pages), ("1.5", Some(2)));
    let v2 = facts(&corpus, "edge/PDF20_수행확인서.pdf", &none);
    assert_eq!((pdf(&v2).version.as_str(), pdf(&v2).pages), ("2.0", Some(1)));
    assert_eq!(pdf(&facts(&corpus, "edge/300쪽_부록_해석데이터.pdf", &none)).pages, Some(300));
    assert_eq!(pdf(&facts(&corpus, "edge/선형화_설계포트폴리오.pdf", &none)).pages, Some(12));
    assert_eq!(pdf(&facts(&corpus, "student/설계포트폴리오.pdf", &none)).pages, Some(12));
    assert!(pdf(&facts(&corpus, "student/학점인정서_서명.pdf", &none)).has_form);
    assert!(!pdf(&facts(&corpus, "student/수료증.pdf", &none)).has_form);
    assert_eq!(
        pdf(&facts(&corpus, "student/고용산재보험_자격이력내역서.pdf", &none)).title.as_deref(),
        Some("고용·산재보험 자격 이력 내역서")
    );
}

#[test]
fn incremental_update_gives_the_latest_revision() {
    let corpus = common::corpus();
    let bytes = std::fs::read(corpus.join("edge/증분업데이트_자격이력내역서.pdf")).unwrap();
    let doc = inspect::open_pdf(&bytes, None).unwrap();
    let first = *doc.get_pages().get(&1).unwrap();
    // The update's page 1 has a /Contents array: the original stream plus the stamp.
    let contents = doc.get_dictionary(first).unwrap().get(b"Contents").unwrap();
    assert!(contents.as_array().is_ok_and(|a| a.len() >= 2), "{contents:?}");
}

#[test]
fn not_pdfs() {
    let corpus = common::corpus();
    let none = PasswordSource::default();
    let empty = facts(&corpus, "edge/빈파일.pdf", &none);
    assert_eq!(other_what(&empty), "an empty file");
    assert_eq!(messages(&empty, Severity::Error), ["is empty (0 bytes)"]);

    let html = facts(&corpus, "edge/급여명세서_2023-07.pdf", &none);
    assert_eq!(other_what(&html), "an HTML page");
    assert_eq!(messages(&html, Severity::Error), ["is an HTML page, not a PDF (a secure-mail page, 보안메일)"]);
    assert_eq!(
        hint(&html.problems[0]).as_deref(),
        Some("open it in a browser, enter the password, then print it to PDF")
    );

    let docx = facts(&corpus, "student/학점인정서.docx", &none);
    assert_eq!(other_what(&docx), "a Word document (.docx)");
    assert!(docx.has_errors());
    assert_eq!(
        other_what(&facts(&corpus, "student/원본/설계포트폴리오.odp", &none)),
        "an OpenDocument file (.odt/.odp)"
    );
}

#[test]
fn images_from_headers() {
    let corpus = common::corpus();
    let none = PasswordSource::default();
    for rel in ["edge/PNG폭탄_50000x50000.png", "edge/PNG헤더_거대크기선언.png"] {
        let bomb = facts(&corpus, rel, &none);
        let errors = messages(&bomb, Severity::Error);
        assert_eq!(errors.len(), 1, "{rel}: {errors:?}");
        assert!(errors[0].starts_with("declares ") && errors[0].ends_with("more than dossier will decode (200)"));
    }
    assert_eq!(
        messages(&facts(&corpus, "edge/PNG폭탄_50000x50000.png", &none), Severity::Error),
        ["declares 50000×50000 pixels (2500 megapixels), more than dossier will decode (200)"]
    );

    let big = facts(&corpus, "edge/40메가픽셀_원본사진.jpg", &none);
    assert_eq!((image(&big).width, image(&big).height), (7744, 5164));
    assert!(big.problems.is_empty());

    for rel in [
        "student/프로젝트수행_입증자료/현장사진_01_시제품조립.jpg",
        "student/프로젝트수행_입증자료/KakaoTalk_20230502_101544123.jpg",
    ] {
        let photo = image(&facts(&corpus, rel, &none)).clone();
        assert_eq!(photo.orientation, Some(6), "{rel}");
        assert_eq!(photo.upright_size(), (1512, 2016), "{rel}");
    }
    let cmyk = image(&facts(&corpus, "student/프로젝트수행_입증자료/학술제포스터_CMYK.jpg", &none)).clone();
    assert!(cmyk.adobe);
    assert!(matches!(cmyk.color, ColorModel::Cmyk | ColorModel::Ycck));
    let progressive = facts(&corpus, "student/프로젝트수행_입증자료/현장사진_03_시험장비_progressive.jpg", &none);
    assert!(image(&progressive).progressive);
    let deep = image(&facts(&corpus, "student/프로젝트수행_입증자료/다이어그램_설계변경흐름.png", &none)).clone();
    assert_eq!((deep.bit_depth, deep.has_alpha), (16, true));
    let shot = facts(&corpus, "student/프로젝트수행_입증자료/스크린샷 2023-04-12 오후 3.14.15.png", &none);
    assert!(image(&shot).has_alpha);

    let misnamed = facts(&corpus, "edge/확장자불일치_실제는JPEG.png", &none);
    assert_eq!(image(&misnamed).format, ImageFormat::Jpeg);
    assert_eq!(messages(&misnamed, Severity::Warning), ["is a JPEG named .png"]);
    assert!(!misnamed.has_errors());
}

#[test]
fn notes_in_every_encoding() {
    let corpus = common::corpus();
    let dir = corpus.join("student/인턴쉽노트");
    for (name, encoding, crlf) in [
        ("1주차_인턴쉽노트.md", TextEncoding::Utf8, false),
        ("2주차_인턴쉽노트.md", TextEncoding::Utf8Bom, true),
        ("3주차_메모.txt", TextEncoding::Cp949, true),
        ("4주차_인턴쉽노트.txt", TextEncoding::Utf8, false),
        ("5주차_인턴쉽노트.txt", TextEncoding::Utf16le, true),
    ] {
        let f = inspect::inspect(&dir.join(name), &PasswordSource::default());
        let Content::Text(text) = &f.content else { panic!("{name}: {:?}", f.content) };
        assert_eq!((text.encoding, text.crlf, text.markdown), (encoding, crlf, name.ends_with(".md")), "{name}");
        let (decoded, _) = inspect::decode_text(&std::fs::read(dir.join(name)).unwrap()).unwrap();
        assert!(!decoded.contains(['\r', '\u{FEFF}', '\u{FFFD}']), "{name}: {decoded:?}");
        assert!(decoded.chars().any(|c| ('가'..='힣').contains(&c)), "{name}: no Hangul");
    }
    let (memo, _) = inspect::decode_text(&std::fs::read(dir.join("3주차_메모.txt")).unwrap()).unwrap();
    assert!(memo.contains('똠') && memo.contains('햏'), "{memo}");
}

/// Damaged copies (random bytes overwritten, some cut short) of real PDFs: inspection must
/// return facts, not panic or hang, whatever lopdf makes of them.
#[test]
fn mutated_pdfs_never_panic() {
    let corpus = common::corpus();
    let passwords = with_password("990101");
    for rel in [
        "student/급여명세서/급여명세서_2023-04.pdf",
        "student/급여명세서/급여명세서_2023-05.pdf",
        "edge/객체스트림_xref스트림.pdf",
        "edge/증분업데이트_자격이력내역서.pdf",
    ] {
        let original = std::fs::read(corpus.join(rel)).unwrap();
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 24
        };
        for round in 0..60 {
            let mut bytes = original.clone();
            for _ in 0..20 {
                let at = next() as usize % bytes.len();
                bytes[at] = next() as u8;
            }
            let len = if round % 3 == 0 { bytes.len() * (round % 50) / 50 } else { bytes.len() };
            let f = inspect::facts(&bytes[..len], "damaged.pdf", &passwords);
            assert_eq!(f.bytes, len as u64, "{rel} round {round}");
        }
    }
}
