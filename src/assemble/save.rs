//! Serialisation: the finished output document to bytes, deterministically.
//!
//! In: the complete output document. Out: PDF bytes with object streams and a cross-reference
//! stream (only non-stream objects are packed; content streams are written as they are) and a
//! trailer `/ID` derived from the content, so that two builds of the same inputs are identical.

use lopdf::{Document, Object, SaveOptions, StringFormat};
use sha2::{Digest, Sha256};

use super::AssembleError;

/// The output PDF's bytes.
pub(super) fn to_bytes(mut doc: Document) -> Result<Vec<u8>, AssembleError> {
    doc.trailer.remove(b"ID");
    let body = write(&mut doc)?;
    // The file identifier is a hash of the file written without it: same content, same /ID.
    let digest = Sha256::digest(&body);
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    write(&mut doc)
}

fn write(doc: &mut Document) -> Result<Vec<u8>, AssembleError> {
    let options = SaveOptions { use_object_streams: true, use_xref_streams: true, ..Default::default() };
    let mut bytes = Vec::new();
    doc.save_with_options(&mut bytes, options).map_err(|e| AssembleError::Write(e.to_string()))?;
    Ok(bytes)
}
