//! Checks of render as a whole: the contents' fixed point, determinism, and full bundles read
//! back with independent tools (qpdf, pdftotext, pdffonts), with real fonts and corpus images.
#![allow(clippy::disallowed_methods)] // tests set up files and read test-only variables

use std::path::{Path, PathBuf};

use super::*;
use crate::render::text::tests::bundled;
use crate::spec::{SectionFile, StampSpec};

fn section(id: &str, title: &str, files: Vec<SectionFile>) -> Section {
    Section { id: id.into(), title: title.into(), files }
}

fn pdf_file(name: &str, input: usize, pages: u32) -> SectionFile {
    SectionFile { name: name.into(), body: FileBody::Pdf { input, pages } }
}

/// A note; the images it links to are read from `base_dir` here, as build hands them over.
fn text_file(name: &str, text: &str, markdown: bool, base_dir: &Path) -> SectionFile {
    let images = crate::inspect::markdown_image_links(text)
        .into_iter()
        .filter_map(|url| {
            let bytes = std::fs::read(base_dir.join(markdown::local_path(&url)?)).ok()?;
            let facts = image::sniff(&bytes)?;
            Some(crate::spec::LinkedImage { url, bytes: bytes.into(), facts })
        })
        .collect();
    SectionFile { name: name.into(), body: FileBody::Text { text: text.into(), markdown, images } }
}

fn image_file(path: &Path) -> SectionFile {
    let bytes = std::fs::read(path).unwrap();
    let facts = image::sniff(&bytes).expect("a JPEG or PNG");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    SectionFile { name, body: FileBody::Image { bytes: bytes.into(), facts } }
}

fn spec(sections: Vec<Section>, draft: bool) -> BundleSpec {
    BundleSpec {
        cover: crate::spec::CoverText {
            title: "산학인턴쉽 전공교과목 학점인정 제출 서류".into(),
            recipient: "제출처: 지도교수".into(),
            rows: vec![
                ("이름".into(), "김민준".into()),
                ("학번".into(), "2019123456".into()),
                ("학과".into(), "기계설계공학과".into()),
                ("실습 기간".into(), "2023-03-02 ~ 2023-06-30".into()),
            ],
            draft,
        },
        labels: crate::plan::labels(crate::i18n::Catalog::get(crate::i18n::Lang::Ko)),
        sections,
        stamp: Some(StampSpec { label: "2019123456".into() }),
        fields: Vec::new(),
        compacted: Default::default(),
    }
}

/// The corpus folder (env `DOSSIER_CORPUS`, `/work/corpus` or `target/corpus`), if built.
fn corpus() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("DOSSIER_CORPUS").map(PathBuf::from),
        Some(PathBuf::from("/work/corpus")),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/corpus")),
    ];
    candidates.into_iter().flatten().find(|d| d.join("student").is_dir())
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/render-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs an independent tool (tests/run installs them); a missing tool fails the test.
fn tool(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed (tests/run installs it): {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every font `pdffonts` lists is embedded, and there is at least one.
fn assert_all_fonts_embedded(path: &Path) -> Vec<String> {
    let list = tool("pdffonts", &[path.to_str().unwrap()]);
    let fonts: Vec<String> = list.lines().skip(2).map(str::to_string).collect();
    assert!(!fonts.is_empty(), "{list}");
    assert!(fonts.iter().all(|l| l.contains("yes yes")), "{list}");
    fonts
}

/// Writes the PDF and checks it with qpdf; returns its path.
fn write_checked(name: &str, pdf: &[u8]) -> PathBuf {
    let path = out_dir().join(name);
    std::fs::write(&path, pdf).unwrap();
    let out = tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    path
}

fn text_of(path: &Path) -> String {
    tool("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"])
}

#[test]
fn contents_fixed_point_counts_a_second_contents_page() {
    let fonts = bundled();
    let shaper = Shaper::new(&fonts);
    let entries: Vec<Entry> =
        (0..70).map(|i| Entry { title: format!("서류 {i}"), level: (i % 2) as u8, body_page: i * 2 }).collect();
    let (pages, links) = pages::contents(&shaper, &entries, "목차");
    assert_eq!(pages.len(), 2);
    assert_eq!(links.len(), 70);
    assert_eq!(links[0].target, 3, "cover + 2 contents pages come first");
    assert_eq!(links[69].target, 3 + 138);
    assert!(links.iter().all(|l| l.on_page == 1 || l.on_page == 2));
    assert!(links.iter().any(|l| l.on_page == 2));
}

fn text_bundle(dir: &Path) -> BundleSpec {
    let long: String = (1..=80)
        .map(|i| format!("{i}. 오늘은 설계 변경 사항을 검토하고 BOM을 정리했다. Rust와 PDF 작업도 했다.\n"))
        .collect();
    let md = "# 연수보고서\n\n## 1. 개요\n\n(주)한빛테크에서 **기계설계** 실습을 했다. 漢字 ① ㈜ 25℃ 😀\n\n- 도면 검토\n- BOM 관리\n  - 하위 항목\n\n1. 첫째\n2. 둘째\n\n> 인용문: 안전이 먼저다.\n\n```rust\nfn main() { println!(\"안녕\"); }\n```\n\n| 주차 | 내용 |\n|---|---|\n| 1 | 오리엔테이션 |\n| 2 | 도면 검토와 설계 변경 요청서 작성 |\n\n[홈페이지](https://example.com)\n\n![없는 그림](없음.png)\n";
    spec(
        vec![
            section("cert", "수료증", vec![pdf_file("수료증.pdf", 0, 1)]),
            section(
                "pay",
                "급여명세서",
                vec![pdf_file("급여명세서_2023-03.pdf", 1, 1), pdf_file("급여명세서_2023-04.pdf", 2, 2)],
            ),
            section(
                "notes",
                "인턴쉽 노트",
                vec![text_file("1주차_인턴쉽노트.txt", &long, false, dir), text_file("연수보고서.md", md, true, dir)],
            ),
            section(
                "form",
                "학점인정서",
                vec![SectionFile {
                    name: "제출 예정: 학점인정서".into(),
                    body: FileBody::Placeholder { heading: "제출 예정: 학점인정서".into() },
                }],
            ),
        ],
        true,
    )
}

#[test]
fn text_bundle_is_valid_small_embedded_and_extractable() {
    let fonts = bundled();
    let dir = out_dir();
    let spec = text_bundle(&dir);
    let r = render(&spec, &fonts).unwrap();
    assert_eq!(r.pdf, render(&spec, &fonts).unwrap().pdf, "deterministic");
    assert!(r.pdf.len() < 150 * 1024, "{} bytes", r.pdf.len());
    let path = write_checked("text.pdf", &r.pdf);
    let text = text_of(&path);
    for needle in ["산학인턴쉽", "목차", "제출처: 지도교수", "제출 예정: 학점인정서", "연수보고서", "오리엔테이션"]
    {
        assert!(text.contains(needle), "{needle} not in text");
    }
    let fonts = assert_all_fonts_embedded(&path);
    assert_eq!(fonts.len(), 1, "the bundled face alone: {fonts:?}");
    assert!(fonts[0].contains("NotoSansCJKkr-Regular"), "{fonts:?}");
    assert_eq!(r.warnings.len(), 1, "only the emoji is missing: {:?}", r.warnings);
    assert_eq!(r.warnings[0].value("code"), Some(&crate::i18n::Arg::Str("U+1F600".into())), "{:?}", r.warnings);
    let layout = &r.layout;
    assert_eq!(layout.pages.len(), layout.pages.iter().filter(|p| p.stamp.is_some()).count());
    assert_eq!(layout.pages[2].source, PageSource::Input { input: 0, page: 1 });
    assert_eq!(layout.outline[2].children[0].input_outline, Some(0));
}

/// A CFF face from a collection (Noto Sans CJK KR, face 1 of the .ttc), named as the manifest
/// would: FontFile3. Needs fonts-noto-cjk, which tests/run installs.
#[test]
fn cff_collection_font_from_the_manifest_is_embedded_as_subset() {
    let path = PathBuf::from("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    assert!(path.exists(), "{} is needed: apt-get install fonts-noto-cjk (tests/run does)", path.display());
    let choice = crate::manifest::FontChoice::File(crate::manifest::FontSpec { path, index: 1 });
    let (fonts, warnings) = FontSet::resolve(Some(&choice), SystemFonts::Denied).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let r = render(&text_bundle(&out_dir()), &fonts).unwrap();
    assert!(r.pdf.len() < 150 * 1024, "{} bytes", r.pdf.len());
    let path = write_checked("cff.pdf", &r.pdf);
    assert!(text_of(&path).contains("학점인정"));
    let fonts = assert_all_fonts_embedded(&path);
    assert!(fonts.iter().all(|l| l.contains("NotoSansCJKkr-Regular") && l.contains("CID Type 0C")), "{fonts:?}");
}

/// A character the bundled face lacks (an emoji) comes from a system face, embedded too.
/// Needs Symbola (fonts-symbola, an outline emoji font), which tests/run installs.
#[test]
fn system_fonts_are_consulted_only_for_what_the_bundled_face_lacks() {
    assert!(
        std::path::Path::new("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf").exists(),
        "Symbola is needed: apt-get install fonts-symbola (tests/run does)"
    );
    let (fonts, _) = FontSet::resolve(None, SystemFonts::Allowed).unwrap();
    let covered = render(&spec(vec![section("cert", "수료증", vec![pdf_file("수료증.pdf", 0, 1)])], false), &fonts);
    assert!(covered.unwrap().warnings.is_empty());
    assert!(!fonts.scanned_system_fonts(), "covered text does no font discovery");
    let r = render(&text_bundle(&out_dir()), &fonts).unwrap();
    assert!(fonts.scanned_system_fonts());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let path = write_checked("system.pdf", &r.pdf);
    let text = text_of(&path);
    assert!(text.contains("㈜") && text.contains("😀"), "{text}");
    let fonts = assert_all_fonts_embedded(&path);
    assert_eq!(fonts.len(), 2, "{fonts:?}");
}

/// A 2048-unit CFF font laid out like Pretendard OTF (patches/PATCHES.md): the subset keeps
/// its widths and scale, and poppler draws it at full size.
#[test]
fn cff_2048_units_per_em_is_drawn_at_full_size() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/fonts/cff-2048.otf");
    let data = std::fs::read(&path).unwrap();
    let face = ttf_parser::Face::parse(&data, 0).unwrap();
    let mut remapper = subsetter::GlyphRemapper::new();
    for c in ['H', '가'] {
        remapper.remap(face.glyph_index(c).unwrap().0);
    }
    let subset = subsetter::subset(&data, 0, &remapper).unwrap();
    let small = ttf_parser::Face::parse(&subset, 0).unwrap();
    assert_eq!(small.units_per_em(), 2048);
    let advances: Vec<u16> = (1..=2).map(|g| small.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap()).collect();
    assert_eq!(advances, vec![1024, 2048]);
    let matrix = small.tables().cff.unwrap().matrix();
    assert!((matrix.sx - 1.0 / 2048.0).abs() < 1e-6 && (matrix.sy - 1.0 / 2048.0).abs() < 1e-6, "{matrix:?}");

    // Drawn by poppler: '가' (0.9 em tall) at 100 pt, 72 dpi, is 90 px tall.
    let choice = crate::manifest::FontChoice::File(crate::manifest::FontSpec { path, index: 0 });
    let (fonts, _) = FontSet::resolve(Some(&choice), SystemFonts::Denied).unwrap();
    let shaper = Shaper::new(&fonts);
    let page = PageDraw {
        size: (300.0, 200.0),
        items: vec![layout::Item::Text {
            x: 50.0,
            y: 50.0,
            size: 100.0,
            bold: false,
            color: layout::Color(0.0, 0.0, 0.0),
            text: "가".into(),
        }],
    };
    let doc = writer::Document { pages: std::slice::from_ref(&page), images: &[], stamps: &[], fields: &[] };
    let (pdf, _) = writer::write(&shaper, &doc).unwrap();
    let pdf_path = write_checked("cff2048.pdf", &pdf);
    let (width, height, gray) = rasterize(&pdf_path, 72);
    let inked: Vec<usize> = (0..height).filter(|y| (0..width).any(|x| gray[y * width + x] < 128)).collect();
    let tall = inked.last().unwrap() - inked.first().unwrap() + 1;
    assert!((88..=92).contains(&tall), "'가' is {tall} px tall, 90 expected");
}

/// The first page as 8-bit grey pixels, by pdftoppm: (width, height, pixels).
fn rasterize(pdf: &Path, dpi: u32) -> (usize, usize, Vec<u8>) {
    let stem = pdf.with_extension("");
    tool("pdftoppm", &["-gray", "-r", &dpi.to_string(), "-singlefile", pdf.to_str().unwrap(), stem.to_str().unwrap()]);
    let pgm = std::fs::read(stem.with_extension("pgm")).unwrap();
    // "P5\n<w> <h>\n255\n" then the pixels.
    let mut fields = pgm.splitn(4, |b| b.is_ascii_whitespace());
    let magic = fields.next().unwrap();
    assert_eq!(magic, b"P5");
    let number = |f: Option<&[u8]>| std::str::from_utf8(f.unwrap()).unwrap().parse::<usize>().unwrap();
    let (width, height) = (number(fields.next()), number(fields.next()));
    let rest = fields.next().unwrap();
    let pixels = rest[rest.len() - width * height..].to_vec();
    (width, height, pixels)
}

#[test]
fn corpus_images_and_report() {
    let Some(corpus) = corpus() else {
        assert!(std::env::var_os("DOSSIER_REQUIRE_CORPUS").is_none(), "tests/run builds the corpus");
        return;
    };
    let fonts = bundled();
    let student = corpus.join("student");
    let evidence = student.join("프로젝트수행_입증자료");
    let images = [
        "현장사진_01_시제품조립.jpg",
        "학술제포스터_CMYK.jpg",
        "스크린샷 2023-04-12 오후 3.14.15.png",
        "다이어그램_설계변경흐름.png",
        "현장사진_03_시험장비_progressive.jpg",
    ];
    let files = images.iter().map(|n| image_file(&evidence.join(n))).collect();
    let report = std::fs::read_to_string(student.join("연수보고서.md")).unwrap();
    let spec = spec(
        vec![
            section("photos", "프로젝트 수행 입증자료", files),
            section("report", "연수보고서", vec![text_file("연수보고서.md", &report, true, &student)]),
        ],
        false,
    );
    let r = render(&spec, &fonts).unwrap();
    let path = write_checked("corpus.pdf", &r.pdf);
    assert!(text_of(&path).contains("연수보고서"));
}

/// 300 input pages need 300 stamp forms; the generated PDF must stay small.
#[test]
fn stamps_for_a_300_page_input_stay_small() {
    let fonts = bundled();
    let files = vec![pdf_file("300쪽_부록_해석데이터.pdf", 0, 300)];
    let r = render(&spec(vec![section("appendix", "부록", files)], false), &fonts).unwrap();
    assert_eq!(r.layout.pages.len(), 302);
    assert!(r.pdf.len() < 150 * 1024, "{} bytes", r.pdf.len());
    write_checked("stamps.pdf", &r.pdf);
    let numbers: std::collections::BTreeSet<_> = r.layout.pages.iter().map(|p| p.stamp).collect();
    assert_eq!(numbers.len(), 302, "one form per page");
}

#[test]
fn the_same_image_twice_is_embedded_once() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.png");
    ::image::RgbImage::from_fn(64, 48, |x, y| ::image::Rgb([x as u8 * 3, y as u8 * 5, 90])).save(&photo).unwrap();
    let note = "# 보고서\n\n![현장](photo.png)\n";
    let sections = vec![
        section("notes", "노트", vec![text_file("보고서.md", note, true, dir.path())]),
        section("evidence", "입증자료", vec![image_file(&photo), image_file(&photo)]),
    ];
    let rendered = render(&spec(sections, false), &bundled()).unwrap();
    let doc = lopdf::Document::load_mem(&rendered.pdf).unwrap();
    let images = doc
        .objects
        .values()
        .filter(|o| {
            o.as_stream()
                .is_ok_and(|s| s.dict.get(b"Subtype").and_then(lopdf::Object::as_name).is_ok_and(|n| n == b"Image"))
        })
        .count();
    assert_eq!(images, 1, "one image XObject for three uses");
    assert_eq!(rendered.layout.pages.len(), 2 + 1 + 2, "cover, contents, the note, two image pages");
}
