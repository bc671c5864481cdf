//! The repair layer on small synthetic PDFs, each broken one way.

use super::*;
use crate::inspect::{PasswordSource, facts, open_pdf};

/// A one-page PDF whose content stream is written with `stream_dict` (e.g. `/Length 99`) and
/// `data`, with a correct xref table.
fn pdf_with_stream(stream_dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let mut obj = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    obj(&mut out, b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>");
    obj(&mut out, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>");
    let mut stream = format!("<< {stream_dict} >>\nstream\n").into_bytes();
    stream.extend_from_slice(data);
    stream.extend_from_slice(b"\nendstream");
    obj(&mut out, &stream);
    obj(&mut out, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes(),
    );
    out
}

const TEXT: &[u8] = b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET";

fn content_of(doc: &Document) -> Vec<u8> {
    let page = doc.page_iter().next().unwrap();
    // lopdf ends each stream with a newline when it joins them.
    doc.get_page_content(page).trim_ascii_end().to_vec()
}

fn repairs_of(bytes: &[u8]) -> Vec<RepairKind> {
    match facts(bytes, "x.pdf", &PasswordSource::default()).content {
        crate::inspect::Content::Pdf(pdf) => pdf.repairs,
        other => panic!("not a PDF: {other:?}"),
    }
}

#[test]
fn a_missing_indirect_length_is_read_up_to_endstream() {
    // /Length points at an object that does not exist: the stream used to come out empty.
    let bytes = pdf_with_stream("/Length 99 0 R", TEXT);
    let doc = open_pdf(&bytes, None).unwrap();
    assert_eq!(content_of(&doc), TEXT);
    assert!(repairs_of(&bytes).contains(&RepairKind::StreamLength { streams: 1 }));
}

#[test]
fn a_wrong_direct_length_is_read_up_to_endstream() {
    let bytes = pdf_with_stream("/Length 5", TEXT);
    assert_eq!(content_of(&open_pdf(&bytes, None).unwrap()), TEXT);
    let bytes = pdf_with_stream("/Lenght 36", TEXT);
    assert_eq!(content_of(&open_pdf(&bytes, None).unwrap()), TEXT);
}

#[test]
fn abbreviated_filters_decode_and_are_written_out() {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(TEXT).unwrap();
    let packed = z.finish().unwrap();
    let bytes = pdf_with_stream(&format!("/Length {} /Filter /Fl", packed.len()), &packed);
    let doc = open_pdf(&bytes, None).unwrap();
    assert_eq!(content_of(&doc), TEXT);
    let page = doc.page_iter().next().unwrap();
    let stream = doc.get_object(doc.get_page_contents(page)[0]).unwrap().as_stream().unwrap();
    assert_eq!(stream.dict.get(b"Filter").unwrap().as_name().unwrap(), b"FlateDecode");
    assert!(repairs_of(&bytes).contains(&RepairKind::FilterAbbreviation { streams: 1 }));
}

#[test]
fn a_truncated_file_without_xref_is_rebuilt_from_its_objects() {
    let full = pdf_with_stream("/Length 36", TEXT);
    let cut = &full[..crate::inspect::sniff::find(&full, b"xref").unwrap()];
    let doc = open_pdf(cut, None).unwrap();
    assert_eq!(content_of(&doc), TEXT);
    let repairs = repairs_of(cut);
    assert!(repairs.contains(&RepairKind::Truncated), "{repairs:?}");
    assert!(repairs.contains(&RepairKind::XrefRebuilt), "{repairs:?}");
}

#[test]
fn a_file_without_header_gets_one() {
    let full = pdf_with_stream("/Length 36", TEXT);
    let headerless = &full[b"%PDF-1.4\n".len()..];
    let doc = open_pdf(headerless, None).unwrap();
    assert_eq!(content_of(&doc), TEXT);
    assert!(repairs_of(headerless).contains(&RepairKind::HeaderMissing));
}

#[test]
fn inherited_fonts_survive_junk_before_the_header() {
    let mut bytes = b"Received: from mail.example\r\nX-Junk: yes\r\n\r\n".to_vec();
    bytes.extend(pdf_with_stream("/Length 36", TEXT));
    let doc = open_pdf(&bytes, None).unwrap();
    let page = doc.page_iter().next().unwrap();
    assert!(doc.get_page_fonts(page).unwrap().contains_key(b"F1".as_slice()));
}

/// The message and hint of the repair problem, as the English terminal shows them.
fn message(repairs: &[RepairKind], lost: &[Unrecovered]) -> Option<(String, String)> {
    let en = crate::i18n::Catalog::get(crate::i18n::Lang::En);
    let problem = super::problem(repairs, lost)?;
    Some((en.text(&problem.message()), problem.hint().map(|h| en.text(&h)).unwrap_or_default()))
}

#[test]
fn the_message_says_what_was_repaired_and_what_was_lost() {
    let (text, _) = message(&[RepairKind::XrefRebuilt, RepairKind::StreamLength { streams: 2 }], &[]).unwrap();
    assert_eq!(
        text,
        "was damaged and has been repaired (its cross-reference table was rebuilt from its objects; \
         2 stream(s) with a wrong or missing length were read up to their end marker); nothing was lost"
    );
    let (text, hint) = message(&[RepairKind::XrefRebuilt], &[Unrecovered::MissingPage { page: 3 }]).unwrap();
    assert!(text.ends_with("not recovered: page 3 is missing and will be blank"), "{text}");
    assert!(hint.contains("export it again"), "{hint}");
    assert_eq!(message(&[RepairKind::JunkBeforeHeader { bytes: 10 }], &[]), None);
}

/// ASCII85 (PDF 32000-1, 7.4.3), written plainly: four bytes as five digits, `z` for four zero
/// bytes at a group boundary, a final partial group padded, line breaks every `wrap` digits.
fn ascii85(data: &[u8], wrap: usize) -> Vec<u8> {
    let mut digits = Vec::new();
    for chunk in data.chunks(4) {
        let mut group = [0u8; 4];
        group[..chunk.len()].copy_from_slice(chunk);
        let value = u32::from_be_bytes(group);
        if value == 0 && chunk.len() == 4 {
            digits.push(b'z');
            continue;
        }
        let mut five = [0u8; 5];
        let mut v = value;
        for d in five.iter_mut().rev() {
            *d = b'!' + (v % 85) as u8;
            v /= 85;
        }
        digits.extend_from_slice(&five[..chunk.len() + 1]);
    }
    let mut out = Vec::new();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && i % wrap == 0 {
            out.push(b'\n');
        }
        out.push(*d);
    }
    out.extend_from_slice(b"~>");
    out
}

#[test]
fn ascii85_streams_decode_to_their_bytes() {
    // The lopdf patch ascii85-speed reads five digits at a time; a line break inside a group,
    // `z`, a short last group and the largest group (`s8W-!`) must read as before.
    let mut data: Vec<u8> = (0..2000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    data.extend_from_slice(&[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 7]);
    for wrap in [3, 64, 75, usize::MAX] {
        for len in [0, 1, 4, 5, 998, data.len()] {
            let encoded = ascii85(&data[..len], wrap);
            let stream = lopdf::Stream::new(lopdf::dictionary! { "Filter" => "ASCII85Decode" }, encoded);
            assert_eq!(stream.decompressed_content().unwrap(), &data[..len], "wrap {wrap}, {len} bytes");
        }
    }
    // Beyond 2^32 - 1 is an error, in a full group as in a partial one; the limit still holds.
    for bad in [&b"s8W-\"~>"[..], b"uuuuu~>", b"!!!!!uuu~>"] {
        let stream = lopdf::Stream::new(lopdf::dictionary! { "Filter" => "ASCII85Decode" }, bad.to_vec());
        assert!(stream.decompressed_content().is_err(), "{}", String::from_utf8_lossy(bad));
    }
    let stream = lopdf::Stream::new(lopdf::dictionary! { "Filter" => "A85" }, ascii85(&data, 64));
    assert!(stream.decompressed_content_with_limit(1000).is_err());
    assert_eq!(stream.decompressed_content_with_limit(data.len()).unwrap(), data);
}
