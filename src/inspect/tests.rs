//! Tests of the public inspection functions on bytes made here: tiny PDFs built (and
//! encrypted) with lopdf, hand-written JPEG and PNG headers, text in several encodings.
#![allow(clippy::disallowed_methods)] // tests set up files and read test-only variables

use super::*;
use lopdf::encryption::crypt_filters::{Aes128CryptFilter, Aes256CryptFilter, CryptFilter};
use lopdf::{Document, EncryptionState, EncryptionVersion, Object, Permissions, dictionary};
use std::collections::BTreeMap;
use std::sync::Arc;

fn none() -> PasswordSource {
    PasswordSource::default()
}

fn env(password: Option<&str>) -> PasswordSource {
    PasswordSource {
        env_var: Some("PAY_PW".into()),
        password: password.map(Secret::new),
        ask: PasswordAsk::SetVar("PAY_PW".into()),
    }
}

/// A problem as the English terminal shows it: severity, message, hint.
type Shown = (Severity, String, Option<String>);

fn en(msg: &crate::i18n::Msg) -> String {
    crate::i18n::Catalog::get(crate::i18n::Lang::En).text(msg)
}

fn show(p: &FileProblem) -> Shown {
    (p.severity, en(&p.problem.message()), p.problem.hint().map(|h| en(&h)))
}

fn shown(problems: &[FileProblem]) -> Vec<Shown> {
    problems.iter().map(show).collect()
}

fn err(message: impl Into<String>, hint: impl Into<String>) -> Shown {
    (Severity::Error, message.into(), Some(hint.into()))
}

fn warn(message: impl Into<String>, hint: impl Into<String>) -> Shown {
    (Severity::Warning, message.into(), Some(hint.into()))
}

fn msg(p: &FileProblem) -> String {
    en(&p.problem.message())
}

fn errors(f: &FileFacts) -> Vec<String> {
    f.problems.iter().filter(|p| p.severity == Severity::Error).map(msg).collect()
}

fn pdf_facts(f: &FileFacts) -> &PdfFacts {
    match &f.content {
        Content::Pdf(pdf) => pdf,
        other => panic!("not a PDF: {other:?}"),
    }
}

fn image_facts(f: &FileFacts) -> &ImageFacts {
    match &f.content {
        Content::Image(image) => image,
        other => panic!("not an image: {other:?}"),
    }
}

/// A document with `pages` empty pages and an /Info /Title.
fn document(pages: usize, title: Object) -> Document {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = (0..pages)
        .map(|_| {
            let content = doc.add_object(lopdf::Stream::new(dictionary! {}, b"0 0 m".to_vec()));
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            })
            .into()
        })
        .collect();
    let count = kids.len() as i64;
    doc.objects
        .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! { "Title" => title });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let id = Object::string_literal(b"0123456789abcdef".to_vec());
    doc.trailer.set("ID", vec![id.clone(), id]);
    doc
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn simple_pdf() -> Vec<u8> {
    save(&mut document(2, Object::string_literal("Pay stub")))
}

/// Encrypts a one-page document; `user` "" makes an owner-password-only file.
fn encrypted(cipher: &str, user: &str) -> Vec<u8> {
    let mut doc = document(1, Object::string_literal("Secret stub"));
    let permissions = Permissions::PRINTABLE;
    let filters = |f: Arc<dyn CryptFilter>| BTreeMap::from([(b"StdCF".to_vec(), f)]);
    let key = [7u8; 32];
    let version = match cipher {
        "rc4" => EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: user,
            key_length: 128,
            permissions,
        },
        "aes128" => EncryptionVersion::V4 {
            document: &doc,
            encrypt_metadata: true,
            crypt_filters: filters(Arc::new(Aes128CryptFilter)),
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password: user,
            permissions,
        },
        _ => EncryptionVersion::V5 {
            encrypt_metadata: true,
            crypt_filters: filters(Arc::new(Aes256CryptFilter)),
            file_encryption_key: &key,
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "owner",
            user_password: user,
            permissions,
        },
    };
    let state = EncryptionState::try_from(version).unwrap();
    doc.encrypt(&state).unwrap();
    save(&mut doc)
}

#[test]
fn plain_pdf_facts() {
    let bytes = simple_pdf();
    let f = facts(&bytes, "stub.pdf", &none());
    let pdf = pdf_facts(&f);
    assert_eq!((pdf.version.as_str(), pdf.pages, pdf.repaired), ("1.7", Some(2), false));
    assert_eq!((pdf.encryption.is_none(), pdf.has_form), (true, false));
    assert_eq!(pdf.title.as_deref(), Some("Pay stub"));
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(f.bytes, bytes.len() as u64);
    assert_eq!(f.sha256, hex::encode(Sha256::digest(&bytes)));
}

#[test]
fn sha256_is_lowercase_hex_of_the_content() {
    let f = facts(b"abc", "a.txt", &none());
    assert_eq!(f.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn utf16_title_and_form() {
    let mut doc =
        document(1, Object::String(b"\xFE\xFF\xAE\x40\xBB\xFC\xC9\x00".to_vec(), lopdf::StringFormat::Hexadecimal));
    let field = doc.add_object(dictionary! { "T" => Object::string_literal("name"), "FT" => "Tx" });
    let form = doc.add_object(dictionary! { "Fields" => vec![field.into()] });
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    doc.get_dictionary_mut(root).unwrap().set("AcroForm", form);
    let f = facts(&save(&mut doc), "form.pdf", &none());
    assert_eq!(pdf_facts(&f).title.as_deref(), Some("김민준"));
    assert!(pdf_facts(&f).has_form);
}

#[test]
fn pdf_doc_encoding_titles() {
    assert_eq!(pdf::decode_pdf_string(b"Caf\xe9 \x84 \x90 \x92"), "Café — ’ ™");
}

#[test]
fn junk_before_the_header_is_a_warning_and_stripped_for_merging() {
    let mut bytes = b"Content-Type: application/pdf\r\n\r\n".to_vec();
    let junk = bytes.len();
    bytes.extend(simple_pdf());
    let f = facts(&bytes, "scan.pdf", &none());
    assert_eq!(pdf_facts(&f).junk_before_header, junk as u64);
    assert_eq!(pdf_facts(&f).pages, Some(2));
    assert_eq!(
        shown(&f.problems),
        [warn(
            format!("has {junk} bytes before the PDF header (a mail gateway's header?)"),
            "readers tolerate it; dossier strips it when merging",
        )]
    );
    assert_eq!(open_pdf(&bytes, None).unwrap().get_pages().len(), 2);
}

#[test]
fn truncated_pdf_is_an_error_but_stays_a_pdf() {
    let bytes = simple_pdf();
    let f = facts(&bytes[..bytes.len() / 2], "cut.pdf", &none());
    assert_eq!(pdf_facts(&f).version, "1.7");
    assert_eq!(errors(&f), ["is damaged: it ends before the end of the PDF (truncated download?)"]);
    assert!(open_pdf(&bytes[..bytes.len() / 2], None).is_err());
}

#[test]
fn broken_xref_is_repaired_with_a_warning() {
    let bytes = simple_pdf();
    // Shift every object by inserting a comment after the header: all xref offsets go wrong.
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let shifted =
        [&bytes[..newline], b"% inserted by a broken tool, long enough to matter\n", &bytes[newline..]].concat();
    let f = facts(&shifted, "x.pdf", &none());
    assert!(pdf_facts(&f).repaired);
    assert_eq!(pdf_facts(&f).pages, Some(2));
    assert_eq!(
        shown(&f.problems),
        [warn(
            "was damaged and has been repaired (its cross-reference table was rebuilt from its objects); nothing was lost",
            "the build checks every merged page against it; re-export it if you can",
        )]
    );
}

#[test]
fn every_cut_of_a_pdf_is_handled_without_panic() {
    let bytes = encrypted("aes128", "990101");
    for len in (0..bytes.len()).step_by(7) {
        let f = facts(&bytes[..len], "cut.pdf", &env(Some("990101")));
        // A cut that still holds every page and its content is read, as qpdf reads it (issue 11).
        let read_anyway =
            matches!(&f.content, Content::Pdf(pdf) if pdf.repairs.contains(&crate::inspect::RepairKind::Truncated));
        assert!(f.has_errors() || len == bytes.len() || read_anyway, "cut at {len} has no error");
    }
}

#[test]
fn looping_page_tree_is_an_error_not_a_hang() {
    let mut doc = document(1, Object::string_literal("loop"));
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let pages = doc.get_dictionary(root).unwrap().get(b"Pages").unwrap().as_reference().unwrap();
    let inner = doc.add_object(dictionary! { "Type" => "Pages", "Kids" => vec![pages.into()], "Count" => 1 });
    let Ok(Object::Dictionary(node)) = doc.get_object_mut(pages) else { panic!() };
    node.set("Kids", vec![inner.into()]);
    let bytes = save(&mut doc);
    let f = facts(&bytes, "loop.pdf", &none());
    assert_eq!(errors(&f), ["has a broken page tree (it loops)"]);
    assert_eq!(msg(&open_pdf(&bytes, None).unwrap_err()), "has a broken page tree (it loops)");
}

#[test]
fn absurdly_deep_page_tree_is_an_error() {
    let mut doc = document(1, Object::string_literal("deep"));
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let mut top = doc.get_dictionary(root).unwrap().get(b"Pages").unwrap().as_reference().unwrap();
    for _ in 0..100 {
        top = doc.add_object(dictionary! { "Type" => "Pages", "Kids" => vec![top.into()], "Count" => 1 });
    }
    doc.get_dictionary_mut(root).unwrap().set("Pages", top);
    let f = facts(&save(&mut doc), "deep.pdf", &none());
    assert_eq!(errors(&f), ["has a broken page tree (it is nested too deeply)"]);
}

#[test]
fn pdf_without_pages_is_an_error() {
    let f = facts(&save(&mut document(0, Object::string_literal("none"))), "e.pdf", &none());
    assert_eq!(errors(&f), ["has no pages"]);
}

#[test]
fn encrypted_pdfs_open_with_the_right_password() {
    for (cipher, method) in [("rc4", "RC4 128-bit"), ("aes128", "AES-128"), ("aes256", "AES-256")] {
        let bytes = encrypted(cipher, "990101");
        let f = facts(&bytes, "stub.pdf", &env(Some("990101")));
        let enc = pdf_facts(&f).encryption.clone().unwrap();
        assert_eq!((enc.method.as_str(), enc.needs_password, enc.opened), (method, true, true), "{cipher}");
        assert!(f.problems.is_empty(), "{cipher}: {:?}", f.problems);
        assert_eq!(pdf_facts(&f).title.as_deref(), Some("Secret stub"), "{cipher}");
        let doc = open_pdf(&bytes, Some(&Secret::new("990101"))).unwrap();
        assert!(!doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none(), "{cipher}");
        assert_eq!(doc.get_pages().len(), 1);
    }
}

#[test]
fn encrypted_pdf_without_or_with_a_wrong_password() {
    let bytes = encrypted("aes256", "990101");
    let f = facts(&bytes, "stub.pdf", &env(None));
    assert_eq!(
        shown(&f.problems),
        [err(
            "is encrypted with a password (AES-256)",
            "set the environment variable PAY_PW to its password (often the birth date, 6 digits) and run again",
        )]
    );
    let enc = pdf_facts(&f).encryption.clone().unwrap();
    assert_eq!((enc.needs_password, enc.opened, pdf_facts(&f).pages), (true, false, None));
    let f = facts(&bytes, "stub.pdf", &none());
    assert_eq!(
        show(&f.problems[0]).2.as_deref(),
        Some("put the password in an environment variable and name it: dossier inspect --password-env VAR FILE")
    );
    let f = facts(&bytes, "stub.pdf", &env(Some("123456")));
    assert_eq!(
        shown(&f.problems),
        [err("does not open with the password in PAY_PW (wrong password)", "check the value of PAY_PW",)]
    );
    assert!(!format!("{f:?}").contains("123456"));
    let err = open_pdf(&bytes, Some(&Secret::new("123456"))).unwrap_err();
    assert_eq!(msg(&err), "does not open with the given password (wrong password)");
}

#[test]
fn owner_password_only_opens_even_when_a_password_is_given() {
    let bytes = encrypted("aes128", "");
    for passwords in [none(), env(Some("990101"))] {
        let f = facts(&bytes, "stub.pdf", &passwords);
        let enc = pdf_facts(&f).encryption.clone().unwrap();
        assert_eq!((enc.method.as_str(), enc.needs_password, enc.opened), ("AES-128", false, true));
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }
    assert!(open_pdf(&bytes, Some(&Secret::new("990101"))).is_ok());
}

#[test]
fn open_pdf_refuses_non_pdfs() {
    assert_eq!(msg(&open_pdf(b"<html>", None).unwrap_err()), "is damaged and cannot be read");
}

#[test]
fn empty_file() {
    let f = facts(b"", "빈파일.pdf", &none());
    assert!(matches!(&f.content, Content::Other(o) if o.what == OtherKind::Empty));
    assert_eq!(shown(&f.problems), [err("is empty (0 bytes)", "the download or copy failed: get the document again",)]);
}

#[test]
fn html_messages_depend_on_the_name() {
    let page = b"<!DOCTYPE html><html><body>hello</body></html>";
    let f = facts(page, "급여명세서_2023-04.pdf", &none());
    assert!(matches!(&f.content, Content::Other(o) if o.what == OtherKind::Html));
    assert_eq!(shown(&f.problems), [err("is an HTML page, not a PDF", "open it in a browser and print it to PDF",)]);
    assert_eq!(errors(&facts(page, "page.htm", &none())), ["is an HTML page"]);
    let secure = b"<html><input type=password name=pw></html>";
    let f = facts(secure, "stub.PDF", &none());
    assert_eq!(
        shown(&f.problems),
        [err(
            "is an HTML page, not a PDF (a secure-mail page, 보안메일)",
            "open it in a browser, enter the password, then print it to PDF",
        )]
    );
}

#[test]
fn foreign_formats_say_what_to_do() {
    let f = facts(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", "IMG_0001.jpg", &none());
    assert_eq!(
        shown(&f.problems),
        [err(
            "is an HEIC photo (iPhone)",
            "export it as JPEG (on iPhone: Settings → Camera → Formats → Most Compatible)",
        )]
    );
    let f = facts(b"PK\x03\x04....ppt/presentation.xml", "slides.pdf", &none());
    assert_eq!(errors(&f), ["is a PowerPoint presentation (.pptx)"]);
    assert_eq!(show(&f.problems[0]).2.as_deref(), Some("open it and save or export it as PDF"));
}

/// A JPEG header: SOI, optional APP1 EXIF and APP14 Adobe, then SOFn and SOS.
fn jpeg(sof: u8, components: u8, width: u16, height: u16, exif: Option<u16>, adobe: Option<u8>) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut segment = |marker: u8, payload: &[u8]| {
        out.extend([0xFF, marker]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend(payload);
    };
    if let Some(orientation) = exif {
        // Big-endian TIFF with one IFD entry: Orientation (0x0112), SHORT, count 1.
        let mut app1 = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        app1.extend(orientation.to_be_bytes());
        app1.extend([0, 0, 0, 0, 0, 0]);
        segment(0xE1, &app1);
    }
    if let Some(transform) = adobe {
        segment(0xEE, &[b'A', b'd', b'o', b'b', b'e', 0, 100, 0, 0, 0, 0, transform]);
    }
    let mut sof_payload = vec![8];
    sof_payload.extend(height.to_be_bytes());
    sof_payload.extend(width.to_be_bytes());
    sof_payload.push(components);
    for id in 1..=components {
        sof_payload.extend([id, 0x11, 0]);
    }
    segment(sof, &sof_payload);
    segment(0xDA, &[1, 1, 0, 0, 63, 0]);
    out.extend([0x12, 0x34, 0xFF, 0xD9]);
    out
}

#[test]
fn jpeg_headers() {
    let f = facts(&jpeg(0xC0, 3, 2016, 1512, Some(6), None), "photo.jpg", &none());
    let image = image_facts(&f);
    assert_eq!((image.format, image.width, image.height), (ImageFormat::Jpeg, 2016, 1512));
    assert_eq!((image.orientation, image.upright_size()), (Some(6), (1512, 2016)));
    assert_eq!((image.color, image.progressive, image.adobe), (ColorModel::Rgb, false, false));
    assert!(f.problems.is_empty());

    let f = facts(&jpeg(0xC2, 4, 100, 50, None, Some(2)), "poster.jpg", &none());
    let image = image_facts(&f);
    assert_eq!((image.color, image.adobe, image.progressive), (ColorModel::Ycck, true, true));
    let f = facts(&jpeg(0xC1, 4, 100, 50, None, Some(0)), "poster.jpg", &none());
    assert_eq!(image_facts(&f).color, ColorModel::Cmyk);
    let f = facts(&jpeg(0xC0, 1, 100, 50, Some(9), None), "gray.jpeg", &none());
    assert_eq!((image_facts(&f).color, image_facts(&f).orientation), (ColorModel::Gray, None));
}

#[test]
fn jpeg_damage_and_names() {
    let whole = jpeg(0xC0, 3, 640, 480, Some(1), None);
    for len in 3..whole.len() - 12 {
        let f = facts(&whole[..len], "cut.jpg", &none());
        assert!(matches!(f.content, Content::Image(_)));
        assert_eq!(errors(&f).len(), 1, "cut at {len}: {:?}", f.problems);
        assert!(errors(&f)[0].starts_with("is damaged: "), "cut at {len}");
    }
    let no_sof = [&whole[..2], &[0xFF, 0xDA, 0, 2][..]].concat();
    assert_eq!(
        errors(&facts(&no_sof, "x.jpg", &none())),
        ["is damaged: it has no frame header (SOF), so its size is unknown"]
    );
    let f = facts(&whole, "photo.png", &none());
    assert_eq!(shown(&f.problems), [warn("is a JPEG named .png", "rename it to .jpg")]);
    assert!(facts(&whole, "photo.JPEG", &none()).problems.is_empty());
}

/// A PNG: signature, IHDR, optional extra chunks, IEND (CRCs are not checked, so zeros).
fn png(width: u32, height: u32, depth: u8, color: u8, interlace: u8, extra: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(data);
        out.extend([0, 0, 0, 0]);
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([depth, color, 0, 0, interlace]);
    chunk(b"IHDR", &ihdr);
    for (kind, data) in extra {
        chunk(kind, data);
    }
    chunk(b"IDAT", &[0x78, 0x9C]);
    chunk(b"IEND", &[]);
    out
}

#[test]
fn png_headers() {
    let f = facts(&png(1200, 800, 16, 6, 0, &[]), "d.png", &none());
    let image = image_facts(&f);
    assert_eq!((image.width, image.height, image.bit_depth), (1200, 800, 16));
    assert_eq!((image.color, image.has_alpha, image.progressive), (ColorModel::Rgb, true, false));
    let f = facts(&png(10, 10, 8, 3, 1, &[(b"tRNS", &[0])]), "p.png", &none());
    let image = image_facts(&f);
    assert_eq!((image.color, image.has_alpha, image.progressive), (ColorModel::Indexed, true, true));
    let exif = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x08\0\0\0\0\0\0";
    let f = facts(&png(10, 10, 8, 0, 0, &[(b"eXIf", exif)]), "g.png", &none());
    assert_eq!((image_facts(&f).color, image_facts(&f).orientation), (ColorModel::Gray, Some(8)));
}

#[test]
fn png_bombs_are_refused_from_the_header() {
    let f = facts(&png(50_000, 50_000, 1, 0, 0, &[]), "bomb.png", &none());
    assert_eq!(
        shown(&f.problems),
        [err(
            "declares 50000×50000 pixels (2500 megapixels), more than dossier will decode (200)",
            "resize it (e.g. 4000 px on the long side) and save again",
        )]
    );
    // A long thin image: few pixels, but a side too long.
    let f = facts(&png(70_000, 1, 8, 0, 0, &[]), "strip.png", &none());
    assert_eq!(errors(&f), ["declares 70000×1 pixels (0 megapixels), more than dossier will decode (200)"]);
    assert!(facts(&png(14_000, 14_000, 8, 0, 0, &[]), "ok.png", &none()).problems.is_empty());
}

#[test]
fn truncated_png_is_damaged() {
    let whole = png(100, 100, 8, 2, 0, &[]);
    let f = facts(&whole[..whole.len() - 6], "cut.png", &none());
    assert_eq!(errors(&f), ["is damaged: it ends before the end of the image (truncated download?)"]);
    let f = facts(&whole[..20], "cut.png", &none());
    assert_eq!(errors(&f), ["is damaged: its header is cut short (truncated download?)"]);
}

#[test]
fn other_image_formats_through_the_image_crate() {
    // A 3×2 GIF89a header with a global palette, one image descriptor and an empty image.
    let mut gif = b"GIF89a\x03\x00\x02\x00\x80\x00\x00".to_vec();
    gif.extend([0, 0, 0, 255, 255, 255]);
    gif.extend(b"\x2c\0\0\0\0\x03\x00\x02\x00\x00\x02\x02\x44\x01\x00\x3b");
    let f = facts(&gif, "anim.gif", &none());
    let image = image_facts(&f);
    assert_eq!((image.format, image.width, image.height), (ImageFormat::Gif, 3, 2));
    let f = facts(b"GIF89a\x03", "cut.gif", &none());
    assert!(errors(&f)[0].starts_with("is damaged: its header cannot be read"));
}

#[test]
fn text_through_facts_and_decode_text() {
    let (cp949, _, _) = encoding_rs::EUC_KR.encode("똠 햏\r\n");
    let f = facts(&cp949, "memo.txt", &none());
    let Content::Text(text) = &f.content else { panic!("{:?}", f.content) };
    assert_eq!((text.encoding, text.crlf, text.lines), (TextEncoding::Cp949, true, 1));
    assert_eq!(decode_text(&cp949), Some(("똠 햏\n".into(), TextEncoding::Cp949)));
}

#[test]
fn inspect_reads_files_and_reports_unreadable_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.md");
    std::fs::write(&path, "# 노트\n").unwrap();
    let f = inspect(&path, &none());
    assert!(matches!(&f.content, Content::Text(t) if t.markdown));
    let missing = inspect(&dir.path().join("gone.pdf"), &none());
    assert!(matches!(&missing.content, Content::Other(o) if o.what == OtherKind::Unreadable));
    assert_eq!(errors(&missing), ["cannot be read: No such file or directory"]);
    let folder = inspect(dir.path(), &none());
    assert_eq!(errors(&folder), ["is a folder, not a file"]);
}

#[test]
fn secret_never_shows_in_debug() {
    let passwords = env(Some("990101"));
    assert!(!format!("{passwords:?}").contains("990101"));
}

#[test]
fn huge_gif_is_refused_from_the_header() {
    let mut gif = b"GIF89a\xff\xff\xff\xff\x80\x00\x00".to_vec();
    gif.extend([0, 0, 0, 255, 255, 255]);
    gif.extend(b"\x2c\0\0\0\0\xff\xff\xff\xff\x00\x02\x02\x44\x01\x00\x3b");
    let f = facts(&gif, "anim.gif", &none());
    assert_eq!(errors(&f), ["declares 65535×65535 pixels (4294 megapixels), more than dossier will decode (200)"]);
}

#[test]
fn text_named_like_a_document_is_refused() {
    let f = facts(b"root:x:0:0:root:/root:/bin/bash\n", "passwd_link.pdf", &PasswordSource::default());
    assert!(matches!(f.content, Content::Text(_)));
    assert_eq!(
        shown(&f.problems),
        [err(
            "is plain text, not a PDF (only its name says PDF)",
            "open it to see what it is, and get the real document"
        )]
    );
    assert!(facts(b"# notes\n", "notes.md", &PasswordSource::default()).problems.is_empty());
}
