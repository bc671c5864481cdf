//! Writes the sample student folder under `fixtures/student/` that `manifests/example.toml`
//! points at and the tests copy. Run `cargo run --example make_fixtures` after changing it and
//! commit the result; CI regenerates and fails if the committed files differ.
#![allow(clippy::disallowed_methods)] // tests and fixtures set up files and read the environment
//!
//! Everything is deterministic (no dates, fixed content) and small. The PDFs are written with
//! lopdf in ASCII (Helvetica); their file names are Korean, one of them in macOS NFD form.

use std::io::Cursor;
use std::path::PathBuf;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};
use unicode_normalization::UnicodeNormalization;

fn main() {
    let out = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("fixtures/student"));
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("remove the old fixtures");
    }
    for dir in ["", "급여명세서", "인턴쉽노트", "프로젝트수행_입증자료"] {
        std::fs::create_dir_all(out.join(dir)).unwrap();
    }
    let w = |name: &str, bytes: Vec<u8>| std::fs::write(out.join(name), bytes).unwrap();

    w(
        "수료증.pdf",
        pdf(
            &[Page::a4(&["Certificate of Completion", "Kim Minjun, 2023-03-02 ~ 2023-06-30", "(seal)"])],
            Extras::inherited(),
        ),
    );
    w("학점인정서.pdf", pdf(&[Page::a4(&["Credit recognition form (unsigned)"])], Extras::form("unsigned")));
    w(
        "학점인정서_서명.pdf",
        pdf(&[Page::a4(&["Credit recognition form (signed by the professor)"])], Extras::form("signed")),
    );
    w(
        "설계포트폴리오.pdf",
        pdf(
            &[
                Page::a4(&["Design portfolio", "see chapter 2"]),
                Page { size: [842.0, 473.6], rotate: 0, lines: vec!["Chapter 2: detailed design (16:9 slide)".into()] },
                Page::a4(&["Chapter 3: test and verification"]),
            ],
            Extras::portfolio(),
        ),
    );
    w(
        "고용산재보험_자격이력내역서.pdf",
        pdf(&[Page::a4(&["Employment insurance history", "page 1"]), Page::a4(&["page 2"])], Extras::none()),
    );
    w("ICT인턴십_수행확인서.pdf", pdf(&[Page::a4(&["ICT internship confirmation"])], Extras::none()));
    for month in 3..=6 {
        let file = format!("급여명세서_2023-{month:02}.pdf");
        // May's stub is saved by a Mac: its name is decomposed (NFD).
        let file: String = if month == 5 { file.nfd().collect() } else { file };
        let name = format!("급여명세서/{file}");
        w(&name, pdf(&[Page::a4(&[&format!("Pay stub 2023-{month:02}"), "Net pay: 2,050,000 KRW"])], Extras::none()));
    }
    w(
        "프로젝트수행_입증자료/시연자료_회전.pdf",
        pdf(
            &[Page { size: [595.0, 842.0], rotate: 90, lines: vec!["Demo handout, page rotated 90".into()] }],
            Extras::none(),
        ),
    );
    w("프로젝트수행_입증자료/현장사진_01.jpg", photo_with_orientation_6());
    w("프로젝트수행_입증자료/스크린샷_01.png", screenshot_rgba());
    w("연수보고서.md", REPORT.as_bytes().to_vec());
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(NOTE_WEEK1.replace('\n', "\r\n").as_bytes());
    w("인턴쉽노트/1주차_인턴쉽노트.md", bom);
    let (cp949, _, bad) = encoding_rs::EUC_KR.encode(NOTE_WEEK2);
    assert!(!bad, "the CP949 note must encode");
    w("인턴쉽노트/2주차_메모.txt", cp949.replace('\n', "\r\n"));
    println!("wrote {}", out.display());
}

trait Crlf {
    fn replace(&self, from: char, to: &str) -> Vec<u8>;
}

impl Crlf for std::borrow::Cow<'_, [u8]> {
    fn replace(&self, from: char, to: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for &b in self.iter() {
            if b == from as u8 { out.extend(to.as_bytes()) } else { out.push(b) }
        }
        out
    }
}

const REPORT: &str = "# 연수보고서 — (주)한빛테크 현장실습

- **성명**: 김민준 (2019123456)
- **기간**: 2023.03.02 ~ 2023.06.30

## 1. 실습 개요

산업용 브래킷의 경량화 설계를 담당하였다. 주요 업무는 아래와 같다.

| 주차 | 업무 |
|---|---|
| 1–4 | 사내 교육, CAD 표준 숙지 |
| 5–10 | 브래킷 형상 최적화 |

## 2. 수행 내용

1. 기존 설계 분석
2. 형상 최적화와 구조 해석
3. 시제품 제작 및 시험

```python
sigma = F / A  # 응력 계산 (MPa)
```

> 참고: 상세 내용은 설계 포트폴리오를 참조.
";

const NOTE_WEEK1: &str = "# 1주차 인턴쉽노트\n\n- 입사 교육, 보안 서약서 작성\n- CAD 표준 문서 숙지\n";
const NOTE_WEEK2: &str = "2주차 메모 (메모장 ANSI = CP949)\n- 똠양꿍 회식 (UHC 확장 음절)\n- 해석 조건: 하중 1.2kN\n";

struct Page {
    size: [f32; 2],
    rotate: i64,
    lines: Vec<String>,
}

impl Page {
    fn a4(lines: &[&str]) -> Page {
        Page { size: [595.0, 842.0], rotate: 0, lines: lines.iter().map(|s| s.to_string()).collect() }
    }
}

/// What a fixture PDF carries besides its pages.
struct Extras {
    /// MediaBox and Resources on the page tree root instead of the pages (inherited).
    inherited: bool,
    /// A one-field form with this value (the two credit forms share the field name).
    form_value: Option<&'static str>,
    /// A named destination on page 2, a link to it on page 1, an outline, a URI link.
    portfolio: bool,
}

impl Extras {
    fn none() -> Extras {
        Extras { inherited: false, form_value: None, portfolio: false }
    }
    fn inherited() -> Extras {
        Extras { inherited: true, ..Extras::none() }
    }
    fn form(value: &'static str) -> Extras {
        Extras { form_value: Some(value), ..Extras::none() }
    }
    fn portfolio() -> Extras {
        Extras { portfolio: true, ..Extras::none() }
    }
}

fn pdf(pages: &[Page], extras: Extras) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"});
    let resources = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font}});
    let mut kids = Vec::new();
    for page in pages {
        let mut ops = vec![Operation::new("BT", vec![]), Operation::new("Tf", vec!["F1".into(), 18.into()])];
        ops.push(Operation::new("Td", vec![60.into(), Object::Real(page.size[1] - 90.0)]));
        for line in &page.lines {
            ops.push(Operation::new("Tj", vec![Object::string_literal(line.as_str())]));
            ops.push(Operation::new("Td", vec![0.into(), (-28).into()]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap()));
        let mut dict = dictionary! {"Type" => "Page", "Parent" => pages_id, "Contents" => content};
        if !extras.inherited {
            dict.set("MediaBox", vec![0.into(), 0.into(), Object::Real(page.size[0]), Object::Real(page.size[1])]);
            dict.set("Resources", resources);
        }
        if page.rotate != 0 {
            dict.set("Rotate", page.rotate);
        }
        kids.push(doc.add_object(dict));
    }
    let mut root = dictionary! {"Type" => "Pages", "Kids" => kids.iter().map(|k| Object::Reference(*k)).collect::<Vec<_>>(), "Count" => kids.len() as i64};
    if extras.inherited {
        root.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
        root.set("Resources", resources);
    }
    doc.objects.insert(pages_id, Object::Dictionary(root));
    let mut catalog = dictionary! {"Type" => "Catalog", "Pages" => pages_id};
    if let Some(value) = extras.form_value {
        add_form(&mut doc, &mut catalog, kids[0], font, value);
    }
    if extras.portfolio {
        add_links_and_outline(&mut doc, &mut catalog, &kids);
    }
    let catalog = doc.add_object(catalog);
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

fn add_form(doc: &mut Document, catalog: &mut Dictionary, page: lopdf::ObjectId, font: lopdf::ObjectId, value: &str) {
    let field = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "T" => Object::string_literal("student_name"),
        "V" => Object::string_literal(value), "Rect" => vec![200.into(), 600.into(), 450.into(), 630.into()],
        "P" => page, "DA" => Object::string_literal("/Helv 12 Tf 0 g"), "F" => 4,
    });
    doc.get_dictionary_mut(page).unwrap().set("Annots", vec![Object::Reference(field)]);
    catalog.set("AcroForm", dictionary! {
        "Fields" => vec![Object::Reference(field)], "NeedAppearances" => true,
        "DA" => Object::string_literal("/Helv 12 Tf 0 g"), "DR" => dictionary! {"Font" => dictionary! {"Helv" => font}},
    });
}

fn add_links_and_outline(doc: &mut Document, catalog: &mut Dictionary, pages: &[lopdf::ObjectId]) {
    let dest = vec![Object::Reference(pages[1]), "XYZ".into(), Object::Null, Object::Null, Object::Null];
    let names = doc.add_object(
        dictionary! {"Names" => vec![Object::String(b"chapter2".to_vec(), StringFormat::Literal), dest.into()]},
    );
    catalog.set("Names", dictionary! {"Dests" => names});
    let internal = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link", "Rect" => vec![60.into(), 700.into(), 300.into(), 730.into()],
        "Border" => vec![0.into(), 0.into(), 0.into()], "Dest" => Object::String(b"chapter2".to_vec(), StringFormat::Literal),
    });
    let uri = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Link", "Rect" => vec![60.into(), 650.into(), 300.into(), 680.into()],
        "Border" => vec![0.into(), 0.into(), 0.into()],
        "A" => dictionary! {"S" => "URI", "URI" => Object::string_literal("https://github.com/example/hanbit-bracket")},
    });
    doc.get_dictionary_mut(pages[0]).unwrap().set("Annots", vec![Object::Reference(internal), Object::Reference(uri)]);
    let outlines = doc.new_object_id();
    let first = doc.new_object_id();
    let second = doc.new_object_id();
    doc.objects.insert(first, Object::Dictionary(dictionary! {"Title" => Object::string_literal("Overview"), "Parent" => outlines, "Next" => second, "Dest" => vec![Object::Reference(pages[0]), "Fit".into()]}));
    doc.objects.insert(second, Object::Dictionary(dictionary! {"Title" => Object::string_literal("Detailed design"), "Parent" => outlines, "Prev" => first, "Dest" => Object::String(b"chapter2".to_vec(), StringFormat::Literal)}));
    doc.objects.insert(
        outlines,
        Object::Dictionary(dictionary! {"Type" => "Outlines", "First" => first, "Last" => second, "Count" => 2}),
    );
    catalog.set("Outlines", outlines);
}

/// A portrait scene with a red "up" triangle, stored turned on its side with EXIF
/// orientation 6, as phone cameras write it.
fn photo_with_orientation_6() -> Vec<u8> {
    let upright = image::RgbImage::from_fn(240, 320, |x, y| {
        let in_triangle = y < 100 && (x as i32 - 120).abs() < (y as i32);
        if in_triangle { image::Rgb([210, 30, 30]) } else { image::Rgb([(x / 2) as u8 + 60, 150, (y / 3) as u8 + 60]) }
    });
    let stored = image::imageops::rotate270(&upright);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut jpeg), 85).encode_image(&stored).unwrap();
    // APP1 Exif: little-endian TIFF, one IFD entry: Orientation (0x0112) SHORT = 6.
    let tiff: &[u8] = &[b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A window capture with a transparent margin, like a macOS screenshot.
fn screenshot_rgba() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(320, 200, |x, y| {
        let margin = x < 16 || y < 16 || x >= 304 || y >= 184;
        if margin {
            image::Rgba([0, 0, 0, 0])
        } else if y < 40 {
            image::Rgba([230, 230, 230, 255])
        } else {
            image::Rgba([66, 133, 244, 255])
        }
    });
    let mut png = Vec::new();
    img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    png
}
