//! Unit tests: documents built in code, merged, then read back with lopdf and with qpdf,
//! poppler and pikepdf.
#![allow(clippy::disallowed_methods)] // tests set up files and read test-only variables

use std::collections::BTreeMap;
use std::process::Command;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

use super::*;
use crate::spec::{FinalPage, OutlineEntry, PageLink};

/// A content stream writing `text` in Helvetica at (x, y).
fn text_stream(text: &str, x: i32, y: i32) -> Stream {
    let ops = format!("BT /F1 14 Tf {x} {y} Td ({text}) Tj ET");
    Stream::new(Dictionary::new(), ops.into_bytes())
}

fn helvetica(doc: &mut Document) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    })
}

/// A document whose pages say `texts`, with `pages_attrs` set on the `/Pages` node (so that
/// pages inherit them) and `page_attrs(i)` on page i.
fn doc_with(
    version: &str,
    texts: &[&str],
    pages_attrs: Dictionary,
    page_attrs: impl Fn(usize) -> Dictionary,
) -> (Document, Vec<ObjectId>) {
    let mut doc = Document::with_version(version);
    let pages_id = doc.new_object_id();
    let font = helvetica(&mut doc);
    let mut kids = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let content = doc.add_object(text_stream(text, 30, 60));
        let mut page = dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content };
        if !pages_attrs.has(b"Resources") {
            page.set("Resources", dictionary! { "Font" => dictionary! { "F1" => font } });
        }
        page.extend(&page_attrs(i));
        kids.push(doc.add_object(page));
    }
    let mut pages = dictionary! {
        "Type" => "Pages",
        "Kids" => kids.iter().map(|&k| k.into()).collect::<Vec<Object>>(),
        "Count" => kids.len() as i64,
    };
    pages.extend(&pages_attrs);
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    (doc, kids)
}

fn a4() -> Dictionary {
    dictionary! { "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] }
}

/// A generated document of `n` A4 pages plus a stamp form; returns its bytes and the form's number.
fn generated(n: usize) -> (Vec<u8>, u32) {
    let texts: Vec<String> = (0..n).map(|i| format!("GENERATED {i}")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (mut doc, _) = doc_with("1.7", &texts, a4(), |_| Dictionary::new());
    let font = helvetica(&mut doc);
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 120.into(), 12.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        },
        b"0 0 1 RG 0.5 0.5 119 11 re S BT /F1 9 Tf 4 3 Td (DSTAMP 20201234) Tj ET".to_vec(),
    );
    let form_id = doc.add_object(form);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    (bytes, form_id.0)
}

fn metadata() -> Metadata {
    Metadata {
        title: "산학인턴쉽 제출 서류".into(),
        author: "김민준".into(),
        subject: "지도교수".into(),
        keywords: Some("internship".into()),
    }
}

/// A layout: generated page 0, then every page of every input in order, all stamped.
fn rendered_for(inputs: &[&Document], stamp: bool) -> Rendered {
    let (pdf, form) = generated(1);
    let stamp = stamp.then_some(form);
    let mut pages = vec![FinalPage { source: PageSource::Generated { index: 0 }, stamp }];
    let mut outline = Vec::new();
    for (input, doc) in inputs.iter().enumerate() {
        outline.push(OutlineEntry {
            title: format!("입력 {input}"),
            page: pages.len(),
            children: Vec::new(),
            input_outline: Some(input),
        });
        for page in 1..=doc.get_pages().len() as u32 {
            pages.push(FinalPage { source: PageSource::Input { input, page }, stamp });
        }
    }
    let links = vec![PageLink { on_page: 0, rect: [50.0, 700.0, 300.0, 720.0], target: pages.len() - 1 }];
    Rendered { pdf, layout: Layout { pages, links, outline, field_forms: Vec::new() }, warnings: Vec::new() }
}

fn merge(inputs: Vec<Document>, stamp: bool) -> (Vec<u8>, Document) {
    let refs: Vec<&Document> = inputs.iter().collect();
    let rendered = rendered_for(&refs, stamp);
    let bytes = assemble(&rendered, inputs, &metadata()).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    (bytes, doc)
}

/// Writes `bytes` to a temporary file and runs an external tool on it.
fn tool(bytes: &[u8], program: &str, args: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, bytes).unwrap();
    let mut command = Command::new(program);
    command.args(args).arg(&path);
    if program == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// `qpdf --check` passes with neither errors nor warnings.
fn assert_qpdf_clean(bytes: &[u8]) {
    let (ok, text) = tool(bytes, "qpdf", &["--check"]);
    assert!(ok && !text.contains("WARNING"), "qpdf --check:\n{text}");
}

fn page_dict(doc: &Document, index: usize) -> &Dictionary {
    let id = doc.page_iter().nth(index).unwrap();
    doc.get_dictionary(id).unwrap()
}

fn page_index(doc: &Document, id: ObjectId) -> usize {
    doc.page_iter().position(|p| p == id).unwrap()
}

#[test]
fn inherited_attributes_land_on_each_page() {
    let inherited = dictionary! {
        "MediaBox" => vec![0.into(), 0.into(), 300.into(), 400.into()],
        "Rotate" => 90,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier" } } },
    };
    let (input, _) = doc_with("1.4", &["INHERITED ONE", "INHERITED TWO"], inherited, |_| Dictionary::new());
    let (bytes, out) = merge(vec![input], true);
    assert_eq!(out.get_pages().len(), 3);
    for index in 1..3 {
        let page = page_dict(&out, index);
        assert_eq!(page.get(b"Rotate").unwrap().as_i64().unwrap(), 90);
        let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
        assert_eq!(media[3].as_float().unwrap(), 400.0);
        assert!(page.has(b"Resources"));
    }
    // One flat tree: the pages' parent is the root /Pages, which has no parent.
    let root = out.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap();
    assert!(!out.get_dictionary(root).unwrap().has(b"Parent"));
    assert_qpdf_clean(&bytes);
    let (_, text) = tool(&bytes, "pdftotext", &["-layout"]);
    assert!(text.contains("INHERITED ONE") && text.contains("INHERITED TWO"), "{text}");
    let (ok, info) = tool(&bytes, "pdfinfo", &[]);
    assert!(ok && info.lines().any(|l| l.split_whitespace().eq(["Pages:", "3"])), "{info}");
    assert_eq!(out.version, "1.7");
}

/// An input with named destination "chapter1" on its second page and a link to it on the
/// first, the name in a name tree with /Kids and /Limits (`tree`) or in the old /Dests
/// dictionary with a GoTo action naming it.
fn doc_with_chapter(tree: bool, texts: &[&str]) -> Document {
    let (mut doc, pages) = doc_with("1.5", texts, a4(), |_| Dictionary::new());
    let dest: Object = vec![pages[1].into(), "Fit".into()].into();
    let root_id = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let link = if tree {
        let leaf = doc.add_object(dictionary! {
            "Names" => vec![Object::string_literal("chapter1"), dest],
            "Limits" => vec![Object::string_literal("chapter1"), Object::string_literal("chapter1")],
        });
        let tree = doc.add_object(dictionary! { "Kids" => vec![leaf.into()] });
        let names = dictionary! { "Dests" => tree };
        doc.get_dictionary_mut(root_id).unwrap().set("Names", names);
        dictionary! { "Dest" => Object::string_literal("chapter1") }
    } else {
        let dests = doc.add_object(dictionary! { "chapter1" => dest });
        doc.get_dictionary_mut(root_id).unwrap().set("Dests", dests);
        dictionary! { "A" => dictionary! { "S" => "GoTo", "D" => Object::Name(b"chapter1".to_vec()) } }
    };
    let mut annot = dictionary! {
        "Type" => "Annot", "Subtype" => "Link", "Border" => vec![0.into(), 0.into(), 0.into()],
        "Rect" => vec![20.into(), 40.into(), 300.into(), 90.into()],
    };
    annot.extend(&link);
    let annot = doc.add_object(annot);
    doc.get_dictionary_mut(pages[0]).unwrap().set("Annots", vec![annot.into()]);
    doc
}

/// The output's named destinations: name -> output page index.
fn output_dests(doc: &Document) -> BTreeMap<Vec<u8>, usize> {
    let names = doc.catalog().unwrap().get_deref(b"Names", doc).unwrap().as_dict().unwrap();
    let tree = names.get_deref(b"Dests", doc).unwrap().as_dict().unwrap();
    let pairs = tree.get(b"Names").unwrap().as_array().unwrap();
    pairs
        .chunks(2)
        .map(|p| {
            let page = p[1].as_array().unwrap()[0].as_reference().unwrap();
            (p[0].as_str().unwrap().to_vec(), page_index(doc, page))
        })
        .collect()
}

/// The named destination the first link annotation of page `index` jumps to.
fn link_name(doc: &Document, index: usize) -> Vec<u8> {
    let annots = page_dict(doc, index).get(b"Annots").unwrap().as_array().unwrap();
    let annot = doc.get_dictionary(annots[0].as_reference().unwrap()).unwrap();
    let target = match annot.get(b"Dest") {
        Ok(dest) => dest,
        Err(_) => annot.get(b"A").unwrap().as_dict().unwrap().get(b"D").unwrap(),
    };
    target.as_str().unwrap().to_vec()
}

#[test]
fn colliding_named_destinations_are_renamed_and_links_follow() {
    let first = doc_with_chapter(true, &["A ONE", "A TWO"]);
    let second = doc_with_chapter(false, &["B ONE", "B TWO"]);
    let (bytes, out) = merge(vec![first, second], false);
    let dests = output_dests(&out);
    assert_eq!(dests.len(), 2, "{dests:?}");
    // Output pages: 0 generated, 1-2 first input, 3-4 second input.
    let a = link_name(&out, 1);
    let b = link_name(&out, 3);
    assert_ne!(a, b);
    assert_eq!(dests[&a], 2);
    assert_eq!(dests[&b], 4);
    assert_qpdf_clean(&bytes);
}

/// Adds an outline: "Intro" (-> page 0, children "Detail" -> page 1 with colour and
/// flags) and "Web" (a URI action); "Web"'s /Next loops back to "Intro".
fn add_outline(doc: &mut Document, pages: &[ObjectId]) {
    let root = doc.new_object_id();
    let intro = doc.new_object_id();
    let web = doc.new_object_id();
    let detail = doc.add_object(dictionary! {
        "Title" => Object::string_literal("Detail"), "Parent" => intro,
        "Dest" => vec![pages[1].into(), "Fit".into()],
        "C" => vec![1.into(), 0.into(), 0.into()], "F" => 2,
    });
    let items = [
        (
            intro,
            dictionary! {
                "Title" => Object::string_literal("Intro"), "Parent" => root, "Next" => web,
                "First" => detail, "Last" => detail, "Count" => 1,
                "Dest" => vec![pages[0].into(), "Fit".into()],
            },
        ),
        (
            web,
            dictionary! {
                "Title" => Object::string_literal("Web"), "Parent" => root, "Prev" => intro,
                "Next" => intro,
                "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal("https://example.org") },
            },
        ),
        (root, dictionary! { "Type" => "Outlines", "First" => intro, "Last" => web, "Count" => 3 }),
    ];
    for (id, dict) in items {
        doc.objects.insert(id, Object::Dictionary(dict));
    }
    let root_id = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    doc.get_dictionary_mut(root_id).unwrap().set("Outlines", root);
}

/// (depth, title, output page or None) in reading order.
fn outline_items(doc: &Document) -> Vec<(usize, String, Option<usize>)> {
    fn level(doc: &Document, first: Option<ObjectId>, depth: usize, out: &mut Vec<(usize, String, Option<usize>)>) {
        let mut next = first;
        while let Some(id) = next {
            let item = doc.get_dictionary(id).unwrap();
            let title = item.get(b"Title").unwrap().as_str().unwrap();
            let title = crate::assemble::tests::decode(title);
            let page =
                item.get(b"Dest").ok().map(|d| page_index(doc, d.as_array().unwrap()[0].as_reference().unwrap()));
            out.push((depth, title, page));
            let first = item.get(b"First").and_then(Object::as_reference).ok();
            level(doc, first, depth + 1, out);
            next = item.get(b"Next").and_then(Object::as_reference).ok();
        }
    }
    let root = doc.catalog().unwrap().get_deref(b"Outlines", doc).unwrap().as_dict().unwrap();
    let mut items = Vec::new();
    level(doc, root.get(b"First").and_then(Object::as_reference).ok(), 0, &mut items);
    items
}

fn decode(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).unwrap()
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[test]
fn input_outline_is_copied_below_its_entry_and_loops_are_cut() {
    let (mut input, pages) = doc_with("1.6", &["O ONE", "O TWO"], a4(), |_| Dictionary::new());
    add_outline(&mut input, &pages);
    let (bytes, out) = merge(vec![input], false);
    let items = outline_items(&out);
    assert_eq!(
        items,
        vec![
            (0, "입력 0".to_string(), Some(1)),
            (1, "Intro".to_string(), Some(1)),
            (2, "Detail".to_string(), Some(2)),
            (1, "Web".to_string(), None),
        ]
    );
    assert_eq!(out.catalog().unwrap().get(b"PageMode").unwrap().as_name().unwrap(), b"UseOutlines");
    assert_qpdf_clean(&bytes);
    let (ok, json) = tool(&bytes, "qpdf", &["--json", "--json-key=outlines"]);
    assert!(ok && json.contains("\"Detail\"") && json.contains("\"Web\""), "{json}");
}

/// A one-page form with text fields `names` (values `value`), each its own widget.
fn doc_with_form(value: &str, need_appearances: bool) -> Document {
    let (mut doc, pages) = doc_with("1.6", &["FORM"], a4(), |_| Dictionary::new());
    let helv = helvetica(&mut doc);
    let mut fields = Vec::new();
    for (i, name) in ["student_id", "name"].iter().enumerate() {
        let y = 700 - 40 * i as i64;
        let field = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
            "T" => Object::string_literal(*name), "V" => Object::string_literal(value),
            "Rect" => vec![100.into(), y.into(), 300.into(), (y + 20).into()],
            "P" => pages[0], "F" => 4,
        });
        fields.push(field);
    }
    let annots: Vec<Object> = fields.iter().map(|&f| f.into()).collect();
    doc.get_dictionary_mut(pages[0]).unwrap().set("Annots", annots.clone());
    let root_id = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let form = dictionary! {
        "Fields" => annots,
        "NeedAppearances" => need_appearances,
        "DA" => Object::string_literal("/Helv 10 Tf 0 g"),
        "DR" => dictionary! { "Font" => dictionary! { "Helv" => helv } },
    };
    doc.get_dictionary_mut(root_id).unwrap().set("AcroForm", form);
    doc
}

#[test]
fn same_named_fields_of_two_forms_keep_their_own_values() {
    let (bytes, out) = merge(vec![doc_with_form("blank", false), doc_with_form("filled", true)], true);
    let acro = out.catalog().unwrap().get_deref(b"AcroForm", &out).unwrap().as_dict().unwrap();
    assert!(acro.get(b"NeedAppearances").unwrap().as_bool().unwrap());
    assert!(acro.has(b"DA"));
    assert!(acro.get(b"DR").unwrap().as_dict().unwrap().has(b"Font"));
    let mut seen = BTreeMap::new();
    for field in acro.get(b"Fields").unwrap().as_array().unwrap() {
        let id = field.as_reference().unwrap();
        let dict = out.get_dictionary(id).unwrap();
        let name = String::from_utf8(dict.get(b"T").unwrap().as_str().unwrap().to_vec()).unwrap();
        let value = String::from_utf8(dict.get(b"V").unwrap().as_str().unwrap().to_vec()).unwrap();
        // The widget stays on its own page, and /P says so.
        let page = dict.get(b"P").unwrap().as_reference().unwrap();
        let annots = out.get_dictionary(page).unwrap().get(b"Annots").unwrap().as_array().unwrap();
        assert!(annots.contains(&Object::Reference(id)));
        seen.insert(name, (value, page_index(&out, page)));
    }
    let expected: BTreeMap<String, (String, usize)> = [
        ("student_id", ("blank", 1)),
        ("name", ("blank", 1)),
        ("student_id_2", ("filled", 2)),
        ("name_2", ("filled", 2)),
    ]
    .into_iter()
    .map(|(n, (v, p))| (n.to_string(), (v.to_string(), p)))
    .collect();
    assert_eq!(seen, expected);
    assert_qpdf_clean(&bytes);
    let (ok, json) = tool(&bytes, "qpdf", &["--json", "--json-key=acroform"]);
    assert!(ok && json.contains("\"fullname\": \"student_id_2\"") && json.contains("\"u:filled\""), "{json}");
}

/// The numbers of the `cm` operators in the last content stream of output page `index`.
fn stamp_ops(doc: &Document, index: usize) -> String {
    let contents = page_dict(doc, index).get(b"Contents").unwrap().as_array().unwrap();
    let last = doc.get_object(contents.last().unwrap().as_reference().unwrap()).unwrap();
    String::from_utf8(last.as_stream().unwrap().content.clone()).unwrap()
}

/// The `/Matrix` of the stamp form drawn on output page `index`.
fn stamp_matrix(doc: &Document, index: usize) -> [f32; 6] {
    let resources = page_dict(doc, index).get(b"Resources").unwrap().as_dict().unwrap();
    let xobjects = resources.get(b"XObject").unwrap().as_dict().unwrap();
    let form = doc.get_object(xobjects.get(b"DsStamp").unwrap().as_reference().unwrap()).unwrap();
    let m: Vec<f32> = form
        .as_stream()
        .unwrap()
        .dict
        .get(b"Matrix")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    m.try_into().unwrap()
}

#[test]
fn stamp_sits_at_the_visible_foot_of_rotated_and_cropped_pages() {
    let crop = |i: usize| {
        let mut d = dictionary! {
            "MediaBox" => vec![0.into(), 0.into(), 700.into(), 900.into()],
            "CropBox" => vec![50.into(), 100.into(), 650.into(), 900.into()],
        };
        d.set("Rotate", [0, 90, 180, 270][i]);
        d
    };
    let (input, _) = doc_with("1.4", &["ROT 0", "ROT 90", "ROT 180", "ROT 270"], Dictionary::new(), crop);
    let (bytes, out) = merge(vec![input], true);
    // Crop box 600 x 800 at (50, 100); stamp 120 wide; foot 14.173 pt.
    // The placement (centre, foot, then visible-to-user) is the form's /Matrix; the stream
    // that draws it is the same on every page.
    assert_eq!(stamp_matrix(&out, 1), [1.0, 0.0, 0.0, 1.0, 290.0, 114.173]);
    assert_eq!(stamp_matrix(&out, 2), [0.0, 1.0, -1.0, 0.0, 635.827, 440.0]);
    assert_eq!(stamp_matrix(&out, 3), [-1.0, 0.0, 0.0, -1.0, 410.0, 885.827]);
    assert_eq!(stamp_matrix(&out, 4), [0.0, -1.0, 1.0, 0.0, 64.173, 560.0]);
    for page in 1..=4 {
        assert_eq!(stamp_ops(&out, page), "Q\nq /DsStamp Do Q\n");
    }
    assert_qpdf_clean(&bytes);
    // Every page (generated and input) shows the stamp text once, upright at the bottom.
    let (_, text) = tool(&bytes, "pdftotext", &[]);
    assert_eq!(text.matches("DSTAMP 20201234").count(), 5, "{text}");
    if let Some(dir) = std::env::var_os("DOSSIER_ASSEMBLE_DUMP") {
        std::fs::write(std::path::Path::new(&dir).join("rotated.pdf"), &bytes).unwrap();
    }
}

#[test]
fn shared_resources_are_copied_per_page_not_changed() {
    let (mut input, pages) = doc_with("1.4", &["S ONE", "S TWO"], a4(), |_| Dictionary::new());
    let font = helvetica(&mut input);
    let xobjects = input.add_object(dictionary! {});
    let resources = input.add_object(dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects });
    for &page in &pages {
        input.get_dictionary_mut(page).unwrap().set("Resources", resources);
    }
    let (bytes, out) = merge(vec![input], true);
    for index in 1..3 {
        let res = page_dict(&out, index).get(b"Resources").unwrap();
        let xobjects = res.as_dict().expect("a per-page copy").get(b"XObject").unwrap().as_dict().unwrap();
        assert!(xobjects.has(b"DsStamp"));
    }
    assert_qpdf_clean(&bytes);
}

#[test]
fn output_is_deterministic_and_carries_metadata() {
    let build = || {
        let first = doc_with_chapter(true, &["A ONE", "A TWO"]);
        let mut second = doc_with_form("v", true);
        second.version = "2.0".into();
        merge(vec![first, second], true).0
    };
    let bytes = build();
    assert_eq!(bytes, build());
    let out = Document::load_mem(&bytes).unwrap();
    assert_eq!(out.version, "2.0");
    let info = out.trailer.get_deref(b"Info", &out).unwrap().as_dict().unwrap();
    assert_eq!(decode(info.get(b"Author").unwrap().as_str().unwrap()), "김민준");
    assert!(!info.has(b"CreationDate") && !info.has(b"ModDate"));
    assert_eq!(out.catalog().unwrap().get(b"Lang").unwrap().as_str().unwrap(), b"ko-KR");
    assert!(out.trailer.get(b"ID").unwrap().as_array().unwrap().len() == 2);
    // The contents link on the generated page jumps to the last page.
    let annots = page_dict(&out, 0).get(b"Annots").unwrap().as_array().unwrap();
    let link = out.get_dictionary(annots[0].as_reference().unwrap()).unwrap();
    let target = link.get(b"Dest").unwrap().as_array().unwrap()[0].as_reference().unwrap();
    assert_eq!(page_index(&out, target), 3);
    assert_qpdf_clean(&bytes);
}

#[test]
fn bad_layout_and_missing_stamp_are_errors() {
    let (input, _) = doc_with("1.4", &["ONE"], a4(), |_| Dictionary::new());
    let mut rendered = rendered_for(&[&input], false);
    rendered.layout.pages.push(FinalPage { source: PageSource::Input { input: 0, page: 9 }, stamp: None });
    let err = assemble(&rendered, vec![input.clone()], &metadata()).unwrap_err();
    assert_eq!(err.input(), Some(0), "{err}");
    let mut rendered = rendered_for(&[&input], false);
    rendered.layout.pages[0].stamp = Some(9999);
    let err = assemble(&rendered, vec![input], &metadata()).unwrap_err();
    assert!(matches!(err, AssembleError::Generated(_)), "{err}");
}

#[test]
fn pages_left_out_take_nothing_along() {
    let (input, _) = doc_with("1.4", &["KEPT PAGE", "DROPPED PAGE"], a4(), |_| Dictionary::new());
    let mut rendered = rendered_for(&[&input], false);
    rendered.layout.pages.pop();
    rendered.layout.links.clear();
    let bytes = assemble(&rendered, vec![input], &metadata()).unwrap();
    let out = Document::load_mem(&bytes).unwrap();
    assert_eq!(out.get_pages().len(), 2);
    let dropped =
        out.objects.values().any(|o| o.as_stream().is_ok_and(|s| s.content.ends_with(b"(DROPPED PAGE) Tj ET")));
    assert!(!dropped, "the left-out page's content was copied");
    // The generated document's own page tree and catalog are not copied either.
    let catalogs = out.objects.values().filter(|o| o.as_dict().is_ok_and(|d| d.has_type(b"Catalog"))).count();
    assert_eq!(catalogs, 1);
    assert_qpdf_clean(&bytes);
}
