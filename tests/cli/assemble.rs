//! The assemble stage on the shared corpus: every kind of input PDF merged into one, checked
//! with qpdf and poppler, with timing and size printed for the record.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dossier::assemble::{Metadata, assemble};
use dossier::plan::{FinalPage, Layout, OutlineEntry, PageLink, PageSource, Rendered};
use lopdf::{Dictionary, Document, LoadOptions, Object, Stream, dictionary};

use crate::common;

/// Corpus files merged, in order (relative to the corpus root).
const INPUTS: &[&str] = &[
    "student/수료증.pdf",
    "student/고용산재보험_자격이력내역서.pdf",
    "student/급여명세서/급여명세서_2023-03.pdf",
    "student/급여명세서/급여명세서_2023-04.pdf",
    "student/급여명세서/급여명세서_2023-05.pdf",
    "edge/급여명세서_권한암호만.pdf",
    "student/설계포트폴리오.pdf",
    "student/ICT인턴십_수행확인서.pdf",
    "student/학점인정서_서명.pdf",
    "edge/학점인정서_양식_빈칸.pdf",
    "edge/객체스트림_xref스트림.pdf",
    "edge/선형화_설계포트폴리오.pdf",
    "edge/증분업데이트_자격이력내역서.pdf",
    "edge/PDF20_수행확인서.pdf",
    "edge/회전90_수료증.pdf",
    "edge/300쪽_부록_해석데이터.pdf",
];

/// Loads a corpus PDF: the empty password first (owner-only encryption), then 990101.
fn load(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap();
    match Document::load_mem(&bytes) {
        Ok(doc) if !doc.is_encrypted() => doc,
        _ => Document::load_mem_with_options(&bytes, LoadOptions::with_password("990101"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

/// A generated document: one A4 cover page and a stamp form. Returns (bytes, stamp number).
fn generated() -> (Vec<u8>, u32) {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = dictionary! { "Font" => dictionary! { "F1" => font } };
    let content = doc.add_object(Stream::new(Dictionary::new(), b"BT /F1 24 Tf 72 760 Td (COVER) Tj ET".to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources.clone(),
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    let pages = dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let stamp = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "Resources" => resources,
            "BBox" => vec![0.into(), 0.into(), 160.into(), 12.into()],
        },
        b"0 0 1 RG 0.5 0.5 159 11 re S BT /F1 9 Tf 4 3 Td (DSTAMP 2019123456) Tj ET".to_vec(),
    );
    let stamp = doc.add_object(stamp);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    (bytes, stamp.0)
}

/// Cover, then every input's pages, all stamped; a bookmark per input carrying its own
/// outline and a contents link on the cover per input.
fn layout(inputs: &[Document], stamp: u32) -> Layout {
    let mut pages = vec![FinalPage { source: PageSource::Generated { index: 0 }, stamp: Some(stamp) }];
    let (mut outline, mut links) = (Vec::new(), Vec::new());
    for (input, doc) in inputs.iter().enumerate() {
        let first = pages.len();
        let y = 700.0 - 14.0 * input as f32;
        links.push(PageLink { on_page: 0, rect: [72.0, y, 400.0, y + 12.0], target: first });
        let title = INPUTS[input].rsplit('/').next().unwrap().to_string();
        outline.push(OutlineEntry { title, page: first, children: Vec::new(), input_outline: Some(input) });
        for page in 1..=doc.get_pages().len() as u32 {
            pages.push(FinalPage { source: PageSource::Input { input, page }, stamp: Some(stamp) });
        }
    }
    Layout { pages, links, outline, field_forms: Vec::new() }
}

fn metadata() -> Metadata {
    Metadata {
        title: "산학인턴쉽 전공교과목 학점인정 제출 서류".into(),
        author: "김민준".into(),
        subject: "지도교수".into(),
        keywords: None,
    }
}

#[test]
fn whole_corpus_merges_cleanly() {
    let corpus = common::corpus();
    let paths: Vec<PathBuf> = INPUTS.iter().map(|p| corpus.join(p)).collect();
    let input_bytes: u64 = paths.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    let (pdf, stamp) = generated();
    let generated_bytes = pdf.len() as u64;
    let started = Instant::now();
    let inputs: Vec<Document> = paths.iter().map(|p| load(p)).collect();
    let loaded = started.elapsed();
    let layout = layout(&inputs, stamp);
    let page_count = layout.pages.len();
    let rendered = Rendered { pdf, layout, warnings: Vec::new() };
    let bytes = assemble(&rendered, inputs, &metadata()).unwrap();
    let merged = started.elapsed() - loaded;
    eprintln!(
        "corpus merge: {page_count} pages, load {loaded:?}, assemble {merged:?}, output {} bytes, inputs {} + generated {}",
        bytes.len(),
        input_bytes,
        generated_bytes
    );
    assert!(bytes.len() as f64 <= 1.05 * (input_bytes + generated_bytes) as f64, "output too large");

    let dir = tempfile::tempdir().unwrap();
    let out = match std::env::var_os("DOSSIER_ASSEMBLE_DUMP") {
        Some(dump) => PathBuf::from(dump).join("corpus.pdf"),
        None => dir.path().join("merged.pdf"),
    };
    std::fs::write(&out, &bytes).unwrap();
    let out = out.to_str().unwrap();
    let check = common::tool("qpdf", &["--check", out]);
    assert!(!check.contains("WARNING"), "{check}");
    let info = common::tool("pdfinfo", &[out]);
    assert!(info.lines().any(|l| l.split_whitespace().eq(["Pages:", &page_count.to_string()])), "{info}");
    assert!(info.lines().any(|l| l.split_whitespace().eq(["PDF", "version:", "2.0"])), "{info}");
    let text = common::tool("pdftotext", &[out, "-"]);
    assert!(text.contains("REVISED"), "the incremental update's stamp is missing");
    assert_eq!(text.matches("DSTAMP 2019123456").count(), page_count);
    check_structures(out);

    let inputs_again: Vec<Document> = paths.iter().map(|p| load(p)).collect();
    let again = assemble(&rendered, inputs_again, &metadata()).unwrap();
    assert!(again == bytes, "two merges of the same inputs differ");
}

/// Form fields, links and outline as qpdf sees them.
fn check_structures(out: &str) {
    let json = common::tool("qpdf", &["--json", "--json-key=acroform", "--json-key=outlines", out]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let fields = json["acroform"]["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["fullname"].as_str().unwrap()).collect();
    assert!(names.contains(&"student_id") && names.contains(&"student_id_2"), "{names:?}");
    let value = |name: &str| fields.iter().find(|f| f["fullname"] == name).unwrap()["value"].clone();
    // The signed form comes first in INPUTS, so it keeps the plain names and its values.
    assert_eq!(value("student_name"), "u:김민준");
    assert_eq!(json["acroform"]["needappearances"], true);
    let outlines = json["outlines"].as_array().unwrap();
    assert_eq!(outlines.len(), INPUTS.len());

    let annots = common::tool("qpdf", &["--json", "--json-key=qpdf", out]);
    let uris = annots.matches("\"/URI\": \"").count();
    assert!(uris >= 30, "URI links lost: {uris} (two copies of the portfolio with 15 each)");
}
