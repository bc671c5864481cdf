//! Magic-byte detection: bytes in, a [`Sniffed`] verdict out. Never looks at the file name.
//!
//! Only signatures are read here; whether a recognised file is intact is for the format's own
//! module (`pdf`, `image`, `text`) to say.

use super::{ImageFormat, OtherKind};

/// How far into the file `%PDF-` may start: readers tolerate junk (a mail header) up to 1 KB.
pub(super) const PDF_HEADER_WINDOW: usize = 1024;

/// What the first bytes say a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sniffed {
    /// Zero bytes.
    Empty,
    /// A PDF whose `%PDF-` starts at this offset.
    Pdf {
        /// Bytes of junk before the header.
        header_at: usize,
    },
    /// A raster image container.
    Image(ImageFormat),
    /// An HTML page; `secure_mail` when it asks for a password (a Korean 보안메일 page).
    Html {
        /// It has a password `<input>` or says 보안메일.
        secure_mail: bool,
    },
    /// A recognised format dossier does not use.
    Foreign(OtherKind),
    /// No signature matched: text, or unrecognised binary data.
    Unknown,
}

/// Sniffs `bytes`. Signatures at offset 0 win over a `%PDF-` found later in the first 1 KB.
pub(super) fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    if let Some(found) = fixed_signature(bytes) {
        return found;
    }
    if let Some(header_at) = pdf_header(bytes) {
        return Sniffed::Pdf { header_at };
    }
    if is_headerless_pdf(bytes) {
        // The reading layer supplies the header (see repair::prepare).
        return Sniffed::Pdf { header_at: 0 };
    }
    if looks_like_html(bytes) {
        return Sniffed::Html { secure_mail: is_secure_mail(bytes) };
    }
    Sniffed::Unknown
}

/// Offset of `%PDF-` within the first [`PDF_HEADER_WINDOW`] bytes.
pub(super) fn pdf_header(bytes: &[u8]) -> Option<usize> {
    let window = &bytes[..bytes.len().min(PDF_HEADER_WINDOW + 5)];
    find(window, b"%PDF-").filter(|&at| at <= PDF_HEADER_WINDOW)
}

/// A PDF whose `%PDF-` header is missing or mangled (qpdf reads those): an indirect object
/// (`1 0 obj`) starts one of its first lines, and its end has a `trailer` or `startxref`.
fn is_headerless_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(PDF_HEADER_WINDOW)];
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    let starts_object = |line: &[u8]| {
        let words: Vec<&[u8]> = line.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()).take(3).collect();
        matches!(words[..], [n, g, b"obj", ..] if n.iter().all(u8::is_ascii_digit) && g.iter().all(u8::is_ascii_digit))
    };
    head.split(|&b| b == b'\n' || b == b'\r').take(8).any(starts_object)
        && (find(tail, b"trailer").is_some() || find(tail, b"startxref").is_some())
}

/// Formats recognised by their first bytes.
fn fixed_signature(bytes: &[u8]) -> Option<Sniffed> {
    let image = |format| Some(Sniffed::Image(format));
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return image(ImageFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return image(ImageFormat::Png);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return image(ImageFormat::Gif);
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return image(ImageFormat::Webp);
    }
    if bytes.starts_with(b"BM") && bytes.len() >= 26 && bytes.get(6..10) == Some(&[0, 0, 0, 0]) {
        // "BM" alone is too weak (a text file may start with it); the reserved fields are zero.
        return image(ImageFormat::Bmp);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return image(ImageFormat::Tiff);
    }
    if is_heif(bytes) {
        return Some(Sniffed::Foreign(OtherKind::Heic));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(Sniffed::Foreign(zip_kind(bytes)));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(ole_kind(bytes));
    }
    None
}

/// ISO-BMFF with an HEIF/HEVC brand (major or compatible) in its `ftyp` box.
fn is_heif(bytes: &[u8]) -> bool {
    if bytes.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let size = bytes.get(..4).map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let end = (size as usize).clamp(12, 256).min(bytes.len());
    let brands = bytes.get(8..end).unwrap_or_default();
    const HEIF: [&[u8; 4]; 8] = [b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"];
    brands.chunks_exact(4).any(|brand| HEIF.iter().any(|h| brand == *h))
}

/// What a zip holds, from the entry names stored uncompressed in its headers.
fn zip_kind(bytes: &[u8]) -> OtherKind {
    if find(bytes, b"word/document.xml").is_some() {
        OtherKind::Word
    } else if find(bytes, b"ppt/presentation.xml").is_some() {
        OtherKind::Powerpoint
    } else if find(bytes, b"xl/workbook.xml").is_some() {
        OtherKind::Excel
    } else if find(bytes, b"application/vnd.oasis.opendocument").is_some() {
        OtherKind::Opendocument
    } else {
        OtherKind::Zip
    }
}

/// An OLE2 compound file: Hangul's HWP or an old Office document.
fn ole_kind(bytes: &[u8]) -> Sniffed {
    const MARKER: &str = "HWP Document File";
    let utf16: Vec<u8> = MARKER.encode_utf16().flat_map(u16::to_le_bytes).collect();
    if find(bytes, MARKER.as_bytes()).is_some() || find(bytes, &utf16).is_some() {
        Sniffed::Foreign(OtherKind::Hwp)
    } else {
        Sniffed::Foreign(OtherKind::OldOffice)
    }
}

/// An HTML tag at the start of the first 1 KB, after an optional BOM and whitespace.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let head = head[start..].to_ascii_lowercase();
    const TAGS: [&[u8]; 6] = [b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<script"];
    TAGS.iter().any(|tag| head.starts_with(tag))
}

/// A password field or the word 보안메일 (in UTF-8 or CP949).
fn is_secure_mail(bytes: &[u8]) -> bool {
    let lower = bytes.to_ascii_lowercase();
    let password_input = [&b"type=\"password\""[..], b"type='password'", b"type=password"]
        .iter()
        .any(|needle| find(&lower, needle).is_some());
    let (cp949, _, _) = encoding_rs::EUC_KR.encode("보안메일");
    password_input || find(bytes, "보안메일".as_bytes()).is_some() || find(bytes, &cp949).is_some()
}

/// First offset of `needle` in `haystack`.
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Sniffed::Image(ImageFormat::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Sniffed::Image(ImageFormat::Png));
        assert_eq!(sniff(b"GIF89a...."), Sniffed::Image(ImageFormat::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Sniffed::Image(ImageFormat::Webp));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Sniffed::Image(ImageFormat::Tiff));
        assert_eq!(sniff(b"BMs of the week"), Sniffed::Unknown);
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Pdf { header_at: 0 });
    }

    #[test]
    fn pdf_header_only_within_the_first_kilobyte() {
        let mut junk = vec![b'x'; 1024];
        junk.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&junk), Sniffed::Pdf { header_at: 1024 });
        junk.insert(0, b'x');
        assert_eq!(sniff(&junk), Sniffed::Unknown);
    }

    #[test]
    fn heic_by_brand() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        let mp4 = b"\0\0\0\x18ftypisom\0\0\0\0isomavc1";
        assert!(matches!(sniff(heic), Sniffed::Foreign(OtherKind::Heic)));
        assert_eq!(sniff(mp4), Sniffed::Unknown);
    }

    #[test]
    fn zip_contents_name_the_office_format() {
        let docx = b"PK\x03\x04\x14\0\0\0\0\0[Content_Types].xml....word/document.xml";
        let zip = b"PK\x03\x04\x14\0\0\0\0\0photo.jpg";
        assert!(matches!(sniff(docx), Sniffed::Foreign(OtherKind::Word)));
        assert!(matches!(sniff(zip), Sniffed::Foreign(OtherKind::Zip)));
    }

    #[test]
    fn hwp_marker_in_utf16_or_ascii() {
        let mut hwp = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        hwp.extend("HWP Document File".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(sniff(&hwp), Sniffed::Foreign(OtherKind::Hwp)));
        let doc = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(matches!(sniff(&doc), Sniffed::Foreign(OtherKind::OldOffice)));
    }

    #[test]
    fn html_and_secure_mail() {
        assert_eq!(sniff(b"\xEF\xBB\xBF \n<!DOCTYPE HTML><p>"), Sniffed::Html { secure_mail: false });
        assert_eq!(sniff(b"<p>not a page start</p>"), Sniffed::Unknown);
        let (page, _, _) = encoding_rs::EUC_KR.encode("<html><body>보안메일입니다</body></html>");
        assert_eq!(sniff(&page), Sniffed::Html { secure_mail: true });
        let form = b"<HTML><form><INPUT TYPE=\"password\" name=p></form>";
        assert_eq!(sniff(form), Sniffed::Html { secure_mail: true });
    }
}
