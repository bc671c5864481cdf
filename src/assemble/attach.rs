//! Embedded files: the bundle's record attached to the merged PDF, and read back by verify.
//!
//! The record is a PDF 2.0 associated file of the document (the catalog's `/AF` array, a file
//! specification with `/AFRelationship /Data`, as PDF/A-3 and ZUGFeRD invoices carry their
//! data), and is also listed in the `/Names /EmbeddedFiles` tree, which is where viewers (and
//! `qpdf --list-attachments`, `pdfdetach -list`) look for attachments.

use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary};

use super::build::text_string;

/// A file to embed in the merged PDF.
#[derive(Debug, Clone, Copy)]
pub struct Attachment<'a> {
    /// Its file name (`dossier.json`).
    pub name: &'a str,
    /// One line on what it is, shown by viewers.
    pub description: &'a str,
    /// Its media type (`application/json`).
    pub mime: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// Adds `file` to `out` and to `catalog` (`/AF` and the `EmbeddedFiles` name tree).
pub(super) fn attach(out: &mut Document, catalog: &mut Dictionary, file: &Attachment<'_>) {
    // Stored as it is: a few kilobytes of JSON that anyone can read with `strings`.
    let stream = Stream::new(
        dictionary! {
            "Type" => "EmbeddedFile",
            "Subtype" => Object::Name(file.mime.as_bytes().to_vec()),
            "Params" => dictionary! { "Size" => file.bytes.len() as i64 },
        },
        file.bytes.to_vec(),
    );
    let stream_id = out.add_object(stream);
    let spec = dictionary! {
        "Type" => "Filespec",
        "F" => Object::String(file.name.as_bytes().to_vec(), StringFormat::Literal),
        "UF" => text_string(file.name),
        "Desc" => text_string(file.description),
        "AFRelationship" => "Data",
        "EF" => dictionary! { "F" => stream_id, "UF" => stream_id },
    };
    let spec_id = out.add_object(spec);
    catalog.set("AF", vec![Object::Reference(spec_id)]);
    let tree = dictionary! {
        "Names" => vec![Object::String(file.name.as_bytes().to_vec(), StringFormat::Literal), Object::Reference(spec_id)],
    };
    let tree_id = out.add_object(tree);
    match catalog.get_mut(b"Names") {
        Ok(Object::Dictionary(names)) => names.set("EmbeddedFiles", tree_id),
        _ => catalog.set("Names", dictionary! { "EmbeddedFiles" => tree_id }),
    }
}

/// The bytes of the file called `name` embedded in `doc`, found through the catalog's `/AF`
/// or its `EmbeddedFiles` name tree (one level of `/Kids`, as dossier and most writers make
/// it). `None` when there is none or it cannot be read.
pub fn embedded_file(doc: &Document, name: &str) -> Option<Vec<u8>> {
    let catalog = doc.catalog().ok()?;
    let mut specs: Vec<&Dictionary> = Vec::new();
    if let Ok(af) = catalog.get(b"AF").and_then(|o| resolve(doc, o).as_array()) {
        specs.extend(af.iter().filter_map(|o| resolve(doc, o).as_dict().ok()));
    }
    if let Some(tree) = catalog
        .get(b"Names")
        .ok()
        .and_then(|n| resolve(doc, n).as_dict().ok())
        .and_then(|n| n.get(b"EmbeddedFiles").ok())
        .and_then(|t| resolve(doc, t).as_dict().ok())
    {
        let mut nodes = vec![tree];
        if let Ok(kids) = tree.get(b"Kids").and_then(|k| resolve(doc, k).as_array()) {
            nodes.extend(kids.iter().filter_map(|k| resolve(doc, k).as_dict().ok()));
        }
        for node in nodes {
            if let Ok(names) = node.get(b"Names").and_then(|n| resolve(doc, n).as_array()) {
                specs.extend(names.chunks(2).filter_map(|pair| resolve(doc, pair.get(1)?).as_dict().ok()));
            }
        }
    }
    specs.into_iter().find(|spec| spec_name(doc, spec).as_deref() == Some(name)).and_then(|spec| {
        let ef = spec.get(b"EF").ok().and_then(|e| resolve(doc, e).as_dict().ok())?;
        let stream = ef.get(b"F").or_else(|_| ef.get(b"UF")).ok().and_then(|s| resolve(doc, s).as_stream().ok())?;
        stream.decompressed_content().ok().or_else(|| Some(stream.content.clone()))
    })
}

fn spec_name(doc: &Document, spec: &Dictionary) -> Option<String> {
    let raw = spec.get(b"UF").or_else(|_| spec.get(b"F")).ok()?;
    let Object::String(bytes, _) = resolve(doc, raw) else { return None };
    Some(decode_text_string(bytes))
}

/// PDF text strings: UTF-16BE with a byte-order mark, or (for ASCII names) PDFDocEncoding.
fn decode_text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        _ => object,
    }
}
