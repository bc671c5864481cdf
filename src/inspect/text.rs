//! Text: bytes in, decoded text (BOM stripped, LF line ends) and [`TextFacts`] out.
//!
//! Order matters: a BOM decides first; then valid UTF-8; then CP949 (Korean Windows "ANSI"),
//! which only wins when it decodes without a single replacement. Binary data is refused.

use super::{Content, FileProblem, OtherFacts, OtherKind, Problem, TextEncoding, TextFacts};
use encoding_rs::{EUC_KR, UTF_16BE, UTF_16LE};

/// Share of C0 control characters (other than tab, LF, CR, FF) above which data is binary.
const MAX_CONTROL_SHARE: f64 = 0.02;

/// Decodes `bytes` (see [`super::decode_text`]).
pub(super) fn decode(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    let (raw, encoding) = decode_raw(bytes)?;
    Some((normalize_line_ends(&raw), encoding))
}

/// The image links of a Markdown note, in order, as written: read here, with the note's bytes
/// in hand, so the images can be found and checked like every other input.
pub fn markdown_image_links(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    // The options render's Markdown parser uses, so both see the same images.
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    Parser::new_ext(text, options)
        .filter_map(|event| match event {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Facts for a file no signature matched: text, text in an unknown encoding, or binary.
pub(super) fn facts(bytes: &[u8], name: &str) -> (Content, Vec<FileProblem>) {
    if let Some((raw, encoding)) = decode_raw(bytes) {
        let lower = name.to_lowercase();
        let markdown = lower.ends_with(".md") || lower.ends_with(".markdown");
        let text = normalize_line_ends(&raw);
        let facts = TextFacts {
            encoding,
            markdown,
            lines: text.lines().count(),
            crlf: raw.contains("\r\n"),
            image_links: if markdown { markdown_image_links(&text) } else { Vec::new() },
        };
        return (Content::Text(facts), Vec::new());
    }
    if has_nul(bytes) || too_many_controls(&String::from_utf8_lossy(bytes)) {
        return (other(OtherKind::Binary), vec![FileProblem::error(Problem::UnknownBinary)]);
    }
    (other(OtherKind::UnknownEncoding), vec![FileProblem::error(Problem::UnknownEncoding)])
}

fn other(what: OtherKind) -> Content {
    Content::Other(OtherFacts { what })
}

/// Decoded text before line ends are normalised, or `None` for binary or undecodable data.
fn decode_raw(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (String::from_utf8(rest.to_vec()).ok()?, TextEncoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (strict(UTF_16LE, rest)?, TextEncoding::Utf16le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (strict(UTF_16BE, rest)?, TextEncoding::Utf16be)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), TextEncoding::Utf8)
    } else {
        (strict(EUC_KR, bytes)?, TextEncoding::Cp949)
    };
    // UTF-16 legitimately has NUL bytes; its decoded text must not.
    if text.contains('\0') || too_many_controls(&text) {
        return None;
    }
    Some((text, encoding))
}

/// Decodes without replacement characters (WHATWG's EUC-KR is CP949/UHC, so 똠 and 햏 work).
fn strict(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Option<String> {
    // An odd byte count cannot be UTF-16.
    if (encoding == UTF_16LE || encoding == UTF_16BE) && !bytes.len().is_multiple_of(2) {
        return None;
    }
    encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|text| text.into_owned())
}

fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

/// More than [`MAX_CONTROL_SHARE`] of the characters are C0 controls other than whitespace.
fn too_many_controls(text: &str) -> bool {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        total += 1;
        if c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0C') {
            controls += 1;
        }
    }
    total > 0 && controls as f64 / total as f64 > MAX_CONTROL_SHARE
}

/// CRLF and lone CR become LF.
fn normalize_line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        let mut out = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for unit in text.encode_utf16() {
            out.extend(if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        out
    }

    #[test]
    fn boms_decide_first() {
        let text = "1주차\r\n노트\r\n";
        assert_eq!(
            decode(&[b"\xEF\xBB\xBF", text.as_bytes()].concat()),
            Some(("1주차\n노트\n".into(), TextEncoding::Utf8Bom))
        );
        assert_eq!(decode(&utf16(text, true)), Some(("1주차\n노트\n".into(), TextEncoding::Utf16le)));
        assert_eq!(decode(&utf16(text, false)), Some(("1주차\n노트\n".into(), TextEncoding::Utf16be)));
    }

    #[test]
    fn malformed_utf16_is_refused() {
        let mut odd = utf16("ab", true);
        odd.push(b'c');
        assert_eq!(decode(&odd), None);
        // A lone high surrogate.
        assert_eq!(decode(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]), None);
    }

    #[test]
    fn cp949_with_uhc_only_syllables() {
        let (bytes, _, unmappable) = EUC_KR.encode("똠방각하 햏\r\n메모\r");
        assert!(!unmappable);
        assert_eq!(decode(&bytes), Some(("똠방각하 햏\n메모\n".into(), TextEncoding::Cp949)));
    }

    #[test]
    fn plain_utf8_and_lone_cr() {
        assert_eq!(decode(b"a\rb"), Some(("a\nb".into(), TextEncoding::Utf8)));
        assert_eq!(decode(b""), Some((String::new(), TextEncoding::Utf8)));
    }

    #[test]
    fn binary_is_not_text() {
        assert_eq!(decode(b"abc\0def"), None);
        assert_eq!(decode(b"ab\x01\x02\x03\x04cdefgh"), None);
        let (content, problems) = facts(b"\x01\x02\x03\x04\x05\xff\xfe\x80", "x.bin");
        assert!(matches!(content, Content::Other(ref o) if o.what == OtherKind::Binary));
        assert_eq!(problems[0].problem, Problem::UnknownBinary);
    }

    #[test]
    fn text_facts_count_lines_and_line_ends() {
        let (content, problems) = facts(b"# Title\r\n\r\nbody\r\n", "Notes.MD");
        let Content::Text(t) = content else { panic!("not text: {content:?}") };
        assert!(problems.is_empty());
        assert_eq!((t.encoding, t.markdown, t.lines, t.crlf), (TextEncoding::Utf8, true, 3, true));
        let (content, _) = facts(b"one\ntwo", "a.txt");
        let Content::Text(t) = content else { panic!("not text") };
        assert_eq!((t.markdown, t.lines, t.crlf), (false, 2, false));
    }

    #[test]
    fn undecodable_text_is_reported() {
        // Invalid UTF-8 that is not CP949 either (0xFF is never a CP949 lead byte).
        let (content, problems) = facts(b"caf\xff\xff text here", "a.txt");
        assert!(matches!(content, Content::Other(ref o) if o.what == OtherKind::UnknownEncoding));
        assert_eq!(problems[0].problem, Problem::UnknownEncoding);
    }
}
