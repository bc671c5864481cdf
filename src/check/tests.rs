use std::path::{Path, PathBuf};

use super::*;
use crate::inspect::{FileProblem, OtherFacts, PdfFacts};

/// The finding as the English terminal shows it.
fn sentence(f: &Finding) -> String {
    crate::i18n::Catalog::get(crate::i18n::Lang::En).text(&f.sentence())
}

const MANIFEST: &str = r#"
[period]
start = 2023-03-02
end = 2023-06-30

[[items]]
id = "payslips"
title = "급여명세서"
files = ["급여명세서*"]
kinds = ["pdf"]
per_month = true
max_size = "1 MB"

[[items]]
id = "certificate"
title = "수료증"
files = ["수료증*"]
pages = { max = 2 }

[[items]]
id = "photos"
title = "사진"
files = ["*.jpg"]
required = false

[[recipients]]
id = "placement"
items = ["payslips", "certificate"]

[[recipients]]
id = "professor"
items = ["certificate", "photos"]
"#;

fn manifest() -> Manifest {
    crate::manifest::parse(MANIFEST, Path::new("/s/dossier.toml")).unwrap()
}

fn pdf(pages: u32) -> FileFacts {
    FileFacts {
        bytes: 1000,
        sha256: format!("{pages:064}"),
        content: Content::Pdf(PdfFacts { version: "1.7".into(), pages: Some(pages), ..Default::default() }),
        problems: vec![],
    }
}

fn html() -> FileFacts {
    FileFacts {
        bytes: 500,
        sha256: "h".repeat(64),
        content: Content::Other(OtherFacts { what: crate::inspect::OtherKind::Html }),
        problems: vec![FileProblem::error(crate::inspect::Problem::Html { named_pdf: true, secure_mail: false })],
    }
}

fn candidate(rel: &str) -> Candidate {
    Candidate {
        path: PathBuf::from("/s").join(rel),
        rel: rel.into(),
        was_nfd: false,
        bad_name: false,
        via_link: false,
        modified: None,
    }
}

fn inputs(files: &[(&str, &str, FileFacts)]) -> BTreeMap<String, ItemInput> {
    let mut map: BTreeMap<String, ItemInput> = BTreeMap::new();
    for (item, rel, facts) in files {
        map.entry(item.to_string()).or_default().files.push((candidate(rel), facts.clone()));
    }
    map
}

fn complete() -> Vec<(&'static str, &'static str, FileFacts)> {
    vec![
        ("payslips", "급여명세서/급여명세서_2023-03.pdf", pdf(1)),
        ("payslips", "급여명세서/급여명세서_2023-04.pdf", pdf(1)),
        ("payslips", "급여명세서/2023년 5월 급여명세서.pdf", pdf(1)),
        ("payslips", "급여명세서/급여명세서 (6월).pdf", pdf(1)),
        ("certificate", "수료증.pdf", pdf(1)),
    ]
}

fn run(files: &[(&str, &str, FileFacts)]) -> CheckReport {
    let m = manifest();
    let all: Vec<&Recipient> = m.recipients.iter().collect();
    check(&m, &inputs(files), &all)
}

#[test]
fn complete_folder_is_ok_and_optional_missing_items_do_not_block() {
    let report = run(&complete());
    assert!(report.ok, "{report:#?}");
    assert_eq!(report.item("payslips").unwrap().status, Status::Ok);
    let photos = report.item("photos").unwrap();
    assert_eq!(photos.status, Status::Missing);
    assert!(!photos.required);
    assert!(report.recipients.iter().all(|r| r.ok && r.missing.is_empty()));
}

#[test]
fn missing_month_is_named() {
    let mut files = complete();
    files.remove(2);
    let report = run(&files);
    assert!(!report.ok);
    let pay = report.item("payslips").unwrap();
    assert_eq!(pay.status, Status::Missing);
    let sentences: Vec<String> = pay.findings.iter().map(sentence).collect();
    assert_eq!(sentences, ["missing 2023-05: add the 급여명세서 for 2023-05, with the month in its name"]);
    let placement = &report.recipients[0];
    assert_eq!((placement.ok, placement.missing.clone()), (false, vec!["payslips".to_string()]));
    assert!(report.recipients[1].ok, "the professor does not need pay stubs");
}

#[test]
fn html_saved_as_pdf_makes_the_item_invalid_and_is_named_once_on_its_file() {
    let mut files = complete();
    files[1].2 = html();
    let report = run(&files);
    let pay = report.item("payslips").unwrap();
    assert_eq!(pay.status, Status::Invalid);
    let sentences: Vec<String> = pay.findings.iter().map(sentence).collect();
    assert!(
        sentences.contains(
            &"급여명세서/급여명세서_2023-04.pdf is an HTML page, not a PDF: open it in a browser and print it to PDF"
                .to_string()
        ),
        "{sentences:?}"
    );
    // The month's file is there but unusable: said once, on the file, not again as missing.
    assert!(!sentences.iter().any(|s| s.starts_with("missing 2023-04")), "{sentences:?}");
    assert_eq!(report.recipients[0].invalid, vec!["payslips".to_string()]);
}

#[test]
fn wrong_kind_size_and_pages_are_errors() {
    let mut files = complete();
    let mut big = pdf(1);
    big.bytes = 3_000_000;
    files[0].2 = big;
    files[4].2 = pdf(5);
    let report = run(&files);
    let pay = report.item("payslips").unwrap();
    assert!(
        sentence(&pay.findings[0]).contains("is 3.0 MB, over the limit of 1.0 MB for `payslips`"),
        "{:?}",
        pay.findings
    );
    let cert = report.item("certificate").unwrap();
    assert_eq!(cert.status, Status::Invalid);
    assert_eq!(
        sentence(&cert.findings[0]),
        "수료증.pdf has 5 pages, more than the 2 allowed for `certificate`: check that it is the right document"
    );
}

#[test]
fn name_without_month_and_out_of_period_month() {
    let mut files = complete();
    files.push(("payslips", "급여명세서/급여명세서.pdf", pdf(1)));
    files.push(("payslips", "급여명세서/급여명세서_2023-07.pdf", pdf(1)));
    let report = run(&files);
    let pay = report.item("payslips").unwrap();
    assert_eq!(pay.status, Status::Invalid);
    let sentences: Vec<String> = pay.findings.iter().map(sentence).collect();
    assert!(
        sentences.iter().any(|s| s.starts_with("급여명세서/급여명세서.pdf has no month in its name: rename it")),
        "{sentences:?}"
    );
    assert!(
        sentences.iter().any(|s| s.starts_with("급여명세서/급여명세서_2023-07.pdf is for 2023-07, outside")),
        "{sentences:?}"
    );
}

#[test]
fn nfc_and_nfd_twins_with_different_content_are_an_error() {
    let mut files = complete();
    files.push(("certificate", "수료증.pdf", pdf(2)));
    let report = run(&files);
    let cert = report.item("certificate").unwrap();
    assert_eq!(cert.status, Status::Invalid);
    assert!(sentence(&cert.findings[0]).contains("exists 2 times with different content"), "{:?}", cert.findings);
}

#[test]
fn selecting_a_recipient_checks_only_its_items() {
    let m = manifest();
    let chosen = vec![m.recipient("professor").unwrap()];
    let report = check(&m, &inputs(&complete()[4..]), &chosen);
    let ids: Vec<&str> = report.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["certificate", "photos"]);
    assert!(report.ok);
}

#[test]
fn refused_links_are_errors_naming_the_file() {
    let m = manifest();
    let all: Vec<&Recipient> = m.recipients.iter().collect();
    let mut map = inputs(&complete());
    map.get_mut("certificate").unwrap().refused.push(Refused {
        rel: "링크/수료증_링크.pdf".into(),
        why: crate::discover::RefusedWhy::LinkOutside { target: "/etc/passwd".into() },
    });
    let report = check(&m, &map, &all);
    let cert = report.item("certificate").unwrap();
    assert_eq!(cert.status, Status::Invalid);
    assert_eq!(
        sentence(&cert.findings[0]),
        "링크/수료증_링크.pdf is a link to `/etc/passwd`, outside the documents folder: copy the document into the folder, or set allow_outside_root = true in [bundle]"
    );
}

#[test]
fn an_office_source_beside_its_pdf_is_left_out_but_alone_it_is_an_error() {
    let docx = || FileFacts {
        bytes: 9000,
        sha256: "d".repeat(64),
        content: Content::Other(OtherFacts { what: crate::inspect::OtherKind::Word }),
        problems: vec![FileProblem::error(crate::inspect::Problem::Foreign { kind: crate::inspect::OtherKind::Word })],
    };
    let mut files = complete();
    files.push(("certificate", "원본/수료증.docx", docx()));
    let report = run(&files);
    let cert = report.item("certificate").unwrap();
    assert_eq!(cert.status, Status::Ok, "{:?}", cert.findings);
    assert_eq!(cert.files.iter().filter(|f| f.usable).count(), 1);
    let mut files = complete();
    files[4] = ("certificate", "수료증_원본.docx", docx());
    let report = run(&files);
    let cert = report.item("certificate").unwrap();
    assert_eq!(cert.status, Status::Invalid);
    assert_eq!(
        sentence(&cert.findings[0]),
        "수료증_원본.docx is a Word document (.docx): open it and save or export it as PDF"
    );
}
