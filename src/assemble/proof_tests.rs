//! The proof on merged PDFs built here, then broken one way each.

use lopdf::{Document, Object, Stream, dictionary};

use super::proof::{Expectations, FailureKind, Missing, expectations, prove, read_inputs};
use crate::spec::{FinalPage, Layout, PageSource};

/// Two pages, each drawing text with an inherited font and an image XObject.
fn merged() -> Document {
    let mut doc = Document::with_version("1.7");
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let image = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0],
    ));
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for _ in 0..2 {
        let content = doc.add_object(Stream::new(
            dictionary! {},
            b"q 10 0 0 10 0 0 cm /Im1 Do Q BT /F1 12 Tf 20 100 Td (Hi) Tj ET".to_vec(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "MediaBox" => vec![0.into(), 0.into(), 200.into(), 200.into()],
            "Contents" => content,
        });
        kids.push(Object::Reference(page));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => 2,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => dictionary! { "Im1" => image } },
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc
}

fn bytes(mut doc: Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn layout() -> Layout {
    Layout {
        pages: (1..=2).map(|page| FinalPage { source: PageSource::Input { input: 0, page }, stamp: None }).collect(),
        links: Vec::new(),
        outline: Vec::new(),
        field_forms: Vec::new(),
    }
}

/// Gives page 1 resources of its own with the image and without the font: the inherited ones
/// no longer apply, so its `/F1` is missing.
fn remove_font_from_first_page(doc: &mut Document) {
    let page = doc.page_iter().next().unwrap();
    let image = doc.objects.iter().find(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.has(b"Width"))).map(|(id, _)| *id);
    doc.get_dictionary_mut(page)
        .unwrap()
        .set("Resources", dictionary! { "XObject" => dictionary! { "Im1" => image.unwrap() } });
}

fn expected() -> Expectations {
    expectations(&layout(), read_inputs(&[merged()]))
}

#[test]
fn an_intact_merge_is_proved() {
    let stats = prove(&bytes(merged()), &expected()).unwrap();
    assert_eq!(stats.pages, 2);
    assert_eq!(stats.names, 4);
    assert!(expected().pages().iter().all(|e| e.had_content && e.operators > 0));
}

#[test]
fn an_emptied_content_stream_is_refused_with_the_page_named() {
    let mut doc = merged();
    let page = doc.page_iter().nth(1).unwrap();
    let content = doc.get_page_contents(page)[0];
    doc.get_object_mut(content).unwrap().as_stream_mut().unwrap().set_content(Vec::new());
    let failure = prove(&bytes(doc), &expected()).unwrap_err();
    assert_eq!((failure.merged_page, failure.input, failure.input_page), (1, 0, 2));
    assert_eq!(failure.kind, FailureKind::EmptyContent);
    assert!(failure.to_string().starts_with("merged page 2: page 2 of input 0"), "{failure}");
}

#[test]
fn a_removed_font_is_refused_with_the_page_named() {
    let mut doc = merged();
    remove_font_from_first_page(&mut doc);
    let failure = prove(&bytes(doc), &expected()).unwrap_err();
    assert_eq!((failure.merged_page, failure.input_page), (0, 1));
    assert_eq!(failure.kind, FailureKind::MissingFont { name: "F1".into() });
}

#[test]
fn a_removed_xobject_and_an_undecodable_stream_are_refused() {
    let mut doc = merged();
    let pages_id = doc.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap();
    let pages = doc.get_dictionary_mut(pages_id).unwrap();
    let resources = pages.get_mut(b"Resources").unwrap().as_dict_mut().unwrap();
    resources.remove(b"XObject");
    let failure = prove(&bytes(doc), &expected()).unwrap_err();
    assert_eq!(failure.kind, FailureKind::MissingXObject { name: "Im1".into() });

    let mut doc = merged();
    let page = doc.page_iter().nth(1).unwrap();
    let content = doc.get_page_contents(page)[0];
    let stream = doc.get_object_mut(content).unwrap().as_stream_mut().unwrap();
    // A filter lopdf cannot decode (a corrupt Flate stream decodes to nothing, and is refused as
    // EmptyContent instead).
    stream.dict.set("Filter", "JBIG2Decode");
    let failure = prove(&bytes(doc), &expected()).unwrap_err();
    assert_eq!((failure.merged_page, failure.kind), (1, FailureKind::UndecodableStream));
}

#[test]
fn a_name_the_input_already_lacked_is_not_held_against_the_merge() {
    let mut doc = merged();
    let pages_id = doc.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap();
    let pages = doc.get_dictionary_mut(pages_id).unwrap();
    pages.get_mut(b"Resources").unwrap().as_dict_mut().unwrap().remove(b"Font");
    let broken_input = expectations(&layout(), read_inputs(&[doc.clone()]));
    assert!(prove(&bytes(doc), &broken_input).is_ok());
}

#[test]
fn a_font_that_is_the_catalog_is_missing_in_the_input_too() {
    // Found by the repair fuzz target (tests/fuzz_regressions/repair/font-reference-to-catalog.pdf):
    // the merge copies no catalog by reference, so `/F1` comes out null; the input had no font
    // under that name either, only the catalog.
    let mut doc = merged();
    let catalog = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let pages_id = doc.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap();
    let pages = doc.get_dictionary_mut(pages_id).unwrap();
    let fonts = pages.get_mut(b"Resources").unwrap().as_dict_mut().unwrap().get_mut(b"Font").unwrap();
    fonts.as_dict_mut().unwrap().set("F1", catalog);
    let input = expectations(&layout(), read_inputs(&[doc.clone()]));
    assert!(input.pages().iter().all(|e| e.missing_in_input.contains(&Missing::Font("F1".into()))));
    let fonts = doc.get_dictionary_mut(pages_id).unwrap().get_mut(b"Resources").unwrap().as_dict_mut().unwrap();
    fonts.get_mut(b"Font").unwrap().as_dict_mut().unwrap().set("F1", Object::Null);
    assert!(prove(&bytes(doc), &input).is_ok());
}

#[test]
fn an_object_stream_as_page_content_is_no_content_in_the_input() {
    // Found by the repair fuzz target (tests/fuzz_regressions/repair/contents-is-object-stream.pdf):
    // lopdf never writes an object stream it read, so the merge copies none by reference.
    let mut doc = merged();
    let objstm =
        doc.add_object(Stream::new(dictionary! { "Type" => "ObjStm", "N" => 1, "First" => 4 }, b"9 0 (x) Tj".to_vec()));
    let page = doc.page_iter().nth(1).unwrap();
    doc.get_dictionary_mut(page).unwrap().set("Contents", objstm);
    let input = expectations(&layout(), read_inputs(&[doc.clone()]));
    assert!(!input.pages()[1].had_content && input.pages()[0].had_content);
    doc.get_dictionary_mut(page).unwrap().set("Contents", Object::Null);
    assert!(prove(&bytes(doc), &input).is_ok());
}

#[test]
fn a_null_content_entry_draws_nothing_on_either_side() {
    // Found by the repair fuzz target (tests/fuzz_regressions/repair/contents-is-the-page.pdf):
    // `/Contents` naming the page itself reads as no content; the merge nulls the reference and
    // the stamp wraps it in an array, `[null]`, which must read as no content too.
    let mut doc = merged();
    let page = doc.page_iter().nth(1).unwrap();
    doc.get_dictionary_mut(page).unwrap().set("Contents", page);
    let input = expectations(&layout(), read_inputs(&[doc.clone()]));
    assert!(!input.pages()[1].had_content && !input.pages()[1].undecodable_in_input);
    doc.get_dictionary_mut(page).unwrap().set("Contents", vec![Object::Null]);
    assert!(prove(&bytes(doc), &input).is_ok());
}

#[test]
fn the_tokenizer_skips_strings_inline_images_and_stamps() {
    use super::proof::Tokens;
    let content = b"q (a Tf ) Tj BI /W 1 /H 1 ID \x00Tf\x01 EI /DsStamp Do Q [(x) 1 (y)] TJ /F#31 9 Tf";
    let ops: Vec<&[u8]> = Tokens::new(content).map(|op| op.operator).collect();
    assert_eq!(ops, [&b"q"[..], b"Tj", b"BI", b"Do", b"Q", b"TJ", b"Tf"]);
}

#[test]
fn the_merged_side_reuses_what_the_input_side_tokenised() {
    // The same bytes read back: both content streams are known by their digest and not decoded
    // again, yet a font removed from the resources is still caught (the names are looked up).
    let stats = prove(&bytes(merged()), &expected()).unwrap();
    assert_eq!((stats.streams, stats.reused), (2, 2));

    let mut doc = merged();
    let page = doc.page_iter().nth(1).unwrap();
    let content = doc.get_page_contents(page)[0];
    let stream = doc.get_object_mut(content).unwrap().as_stream_mut().unwrap();
    // One byte more: a new digest, so this stream is decoded and tokenised on the merged side.
    stream.set_content(b"q 10 0 0 10 0 0 cm /Im1 Do Q BT /F1 12 Tf 20 100 Td (Hi) Tj ET ".to_vec());
    let stats = prove(&bytes(doc), &expected()).unwrap();
    assert_eq!((stats.streams, stats.reused), (2, 1));
}

/// `merged()` with page 1's content split in two streams between an operand and its operator.
fn split_between_streams() -> Document {
    let mut doc = merged();
    let page = doc.page_iter().next().unwrap();
    let first = doc.add_object(Stream::new(dictionary! {}, b"q 10 0 0 10 0 0 cm /Im1 Do Q BT /F1 12".to_vec()));
    let second = doc.add_object(Stream::new(dictionary! {}, b"Tf 20 100 Td (Hi) Tj ET".to_vec()));
    doc.get_dictionary_mut(page).unwrap().set("Contents", vec![Object::Reference(first), Object::Reference(second)]);
    doc
}

#[test]
fn an_operand_and_its_operator_in_two_streams_are_read_as_one_content() {
    // PDF 32000-1, 7.8.2: streams split at token boundaries, so `/F1 12` may end one stream and
    // `Tf` begin the next. Read apart, the second stream's `Tf` names no font; the page is
    // tokenised whole instead, on both sides.
    let input = expectations(&layout(), read_inputs(&[split_between_streams()]));
    let whole = expected();
    assert_eq!(input.pages()[0].operators, whole.pages()[0].operators);
    assert!(input.pages()[0].missing_in_input.is_empty());
    assert!(prove(&bytes(split_between_streams()), &input).is_ok());

    let mut doc = split_between_streams();
    remove_font_from_first_page(&mut doc);
    let failure = prove(&bytes(doc), &input).unwrap_err();
    assert_eq!((failure.merged_page, failure.kind), (0, FailureKind::MissingFont { name: "F1".into() }));
}

#[test]
fn the_tokenizer_says_whether_a_stream_ends_between_operators() {
    use super::proof::Tokens;
    let ended_clean = |content: &[u8]| {
        let mut tokens = Tokens::new(content);
        tokens.by_ref().for_each(drop);
        tokens.ended_clean()
    };
    for clean in [&b""[..], b"BT ET", b"q 1 0 0 1 0 0 cm Q % a comment", b"BI /W 1 ID \x00 EI", b"(a) Tj\n"] {
        assert!(ended_clean(clean), "{}", String::from_utf8_lossy(clean));
    }
    for open in [&b"/F1 12"[..], b"(unterminated", b"<0102", b"[(a) 1", b"BI /W 1 ID \x00\x01", b"<< /A 1 >>"] {
        assert!(!ended_clean(open), "{}", String::from_utf8_lossy(open));
    }
}
