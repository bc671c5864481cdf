//! Serialisation: the finished output document to bytes, deterministically.
//!
//! In: the complete output document. Out: PDF bytes with object streams and a cross-reference
//! stream (only non-stream objects are packed; content streams are written as they are) and a
//! trailer `/ID` derived from the content, so that two builds of the same inputs are identical.

use lopdf::{Document, Object, SaveOptions, StringFormat};
use sha2::{Digest, Sha256};

use super::AssembleError;

/// The `/ID` written first: sixteen zero bytes, in hex.
const PLACEHOLDER: &[u8] = b"<00000000000000000000000000000000>";

/// The output PDF's bytes, and their SHA-256.
///
/// The file identifier is a hash of the file written with a placeholder `/ID` of the same
/// length, patched in place afterwards: same content, same `/ID`, and the document is
/// serialised once (writing it twice took 46% of a 15,000-page merge). The placeholders sit in
/// the last cross-reference stream's dictionary, near the end: the bytes before them are
/// hashed once, for both the `/ID` and the file's own hash.
pub(super) fn to_bytes(mut doc: Document) -> Result<(Vec<u8>, [u8; 32]), AssembleError> {
    let placeholder = Object::String(vec![0; 16], StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![placeholder.clone(), placeholder]);
    let mut bytes = write(&mut doc)?;
    let spots = id_spots(&bytes);
    let before = spots.first().copied().unwrap_or(bytes.len());
    let mut head = Sha256::new();
    head.update(&bytes[..before]);
    let digest = head.clone().chain_update(&bytes[before..]).finalize();
    let id = format!("<{}>", hex::encode(&digest[..16]));
    if spots.len() != 2 {
        // The writer's layout is not what we expect: write again with the real /ID.
        let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
        doc.trailer.set("ID", vec![id.clone(), id]);
        let bytes = write(&mut doc)?;
        let sha256 = Sha256::digest(&bytes).into();
        return Ok((bytes, sha256));
    }
    for at in spots {
        bytes[at..at + PLACEHOLDER.len()].copy_from_slice(id.as_bytes());
    }
    let sha256 = head.chain_update(&bytes[before..]).finalize().into();
    Ok((bytes, sha256))
}

/// Where the two placeholders are: in the dictionary of the cross-reference stream that the
/// last `startxref` points at, between its `obj` and its `stream` keyword.
fn id_spots(bytes: &[u8]) -> Vec<usize> {
    let Some(startxref) = rfind(bytes, b"startxref") else { return Vec::new() };
    let digits: String = bytes[startxref + 9..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    let Ok(start) = digits.parse::<usize>() else { return Vec::new() };
    let Some(dict) = bytes.get(start..startxref) else { return Vec::new() };
    let end = find(dict, b"stream").unwrap_or(dict.len());
    let mut spots = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&dict[from..end], PLACEHOLDER) {
        spots.push(start + from + at);
        from += at + PLACEHOLDER.len();
    }
    spots
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn write(doc: &mut Document) -> Result<Vec<u8>, AssembleError> {
    let options = SaveOptions { use_object_streams: true, use_xref_streams: true, ..Default::default() };
    let mut bytes = Vec::new();
    doc.save_with_options(&mut bytes, options).map_err(|e| AssembleError::Write(e.to_string()))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_hash_of_the_file_with_the_placeholder_and_is_patched_in_place() {
        let mut doc = Document::with_version("1.7");
        let pages =
            doc.add_object(lopdf::dictionary! { "Type" => "Pages", "Kids" => Vec::<Object>::new(), "Count" => 0 });
        let catalog = doc.add_object(lopdf::dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        let (bytes, sha256) = to_bytes(doc.clone()).unwrap();
        assert_eq!(bytes, to_bytes(doc.clone()).unwrap().0);
        assert_eq!(sha256, <[u8; 32]>::from(Sha256::digest(&bytes)), "the file's own hash is of the patched file");
        let spots = id_spots(&bytes);
        assert!(spots.is_empty(), "no placeholder is left");
        let read = Document::load_mem(&bytes).unwrap();
        let ids = read.trailer.get(b"ID").unwrap().as_array().unwrap();
        let first = ids[0].as_str().unwrap().to_vec();
        assert_eq!(first.len(), 16);
        assert_eq!(first, ids[1].as_str().unwrap());
        // Put the placeholder back: the hash of that file is the /ID.
        let mut unpatched = bytes.clone();
        let id = format!("<{}>", hex::encode(&first));
        let at = find(&unpatched, id.as_bytes()).unwrap();
        unpatched[at..at + PLACEHOLDER.len()].copy_from_slice(PLACEHOLDER);
        let at = find(&unpatched, id.as_bytes()).unwrap();
        unpatched[at..at + PLACEHOLDER.len()].copy_from_slice(PLACEHOLDER);
        assert_eq!(&Sha256::digest(&unpatched)[..16], first.as_slice());
        assert!(qpdf_check(&bytes), "qpdf --check accepts it");
    }

    #[allow(clippy::disallowed_methods)] // a scratch file for qpdf
    fn qpdf_check(bytes: &[u8]) -> bool {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.pdf");
        std::fs::write(&path, bytes).unwrap();
        std::process::Command::new("qpdf").arg("--check").arg(&path).status().is_ok_and(|s| s.success())
    }
}
