//! The reading layer's repairs: what is done to a PDF's bytes before lopdf parses them, what is
//! checked and fixed on the parsed document, and the record of both.
//!
//! Where each repair lives, and why:
//! - **Before the parse** ([`prepare`]): a missing `%PDF-` header is supplied (lopdf refuses a
//!   file without one; qpdf reads it). The offsets then no longer match, so the parse is asked to
//!   rebuild the cross-reference table.
//! - **Inside lopdf** (patches/lopdf, see its PATCHES.md): `/Encrypt` written directly in the
//!   trailer, stream data taken up to `endstream` when an indirect `/Length` is missing or wrong,
//!   filter-name abbreviations decoded. These are bugs of the parser, fixed at the root.
//! - **After the parse** ([`after_load`]): a document whose xref was read as written but whose
//!   pages do not all load is parsed again with the table rebuilt from the objects; filter
//!   abbreviations are written out in full (so every later reader of the merged PDF sees
//!   standard names); stream lengths recovered by the parser and repeated pages are recorded.
//!
//! Each repair is a [`RepairKind`]; what could not be recovered is an [`Unrecovered`]. The words
//! for both are in [`message`], in one place for the message catalogue.

use std::borrow::Cow;
use std::collections::HashSet;

use lopdf::{Document, Object, ObjectId};
use serde::Serialize;

use crate::i18n::Msg;

/// Filter abbreviations (PDF 32000-1, Table 92) and their full names. patches/lopdf decodes
/// them too (`filter-abbreviations`); writing them out keeps the merged PDF standard.
const ABBREVIATIONS: [(&[u8], &[u8]); 7] = [
    (b"AHx", b"ASCIIHexDecode"),
    (b"A85", b"ASCII85Decode"),
    (b"LZW", b"LZWDecode"),
    (b"Fl", b"FlateDecode"),
    (b"RL", b"RunLengthDecode"),
    (b"CCF", b"CCITTFaxDecode"),
    (b"DCT", b"DCTDecode"),
];

/// The header supplied to a file that has none: 1.4 reads everything lopdf writes back.
const SUPPLIED_HEADER: &[u8] = b"%PDF-1.4\n";

/// One thing that was wrong with a PDF and was repaired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RepairKind {
    /// The file has no `%PDF-` header; one was supplied.
    HeaderMissing,
    /// Bytes (a mail gateway's header?) before `%PDF-`, skipped.
    JunkBeforeHeader {
        /// How many.
        bytes: u64,
    },
    /// The file ends before its end (no `%%EOF`): read from the objects that are there.
    Truncated,
    /// The cross-reference table was unusable and rebuilt from the objects.
    XrefRebuilt,
    /// The cross-reference table's offsets were slightly off and corrected.
    XrefOffsetsCorrected,
    /// Streams whose `/Length` was missing or wrong, read up to `endstream` instead.
    StreamLength {
        /// How many streams.
        streams: usize,
    },
    /// Filter names written with their abbreviations (`/Fl` for `/FlateDecode`), written out.
    FilterAbbreviation {
        /// How many streams.
        streams: usize,
    },
    /// The same page object appears more than once in the page tree (each is kept).
    RepeatedPages {
        /// How many repeats.
        repeats: usize,
    },
}

/// Something a repair could not bring back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unrecovered {
    /// Page `page` (1-based) has no page object left: it comes out blank.
    MissingPage {
        /// 1-based page number.
        page: u32,
    },
    /// A content stream of page `page` is gone: what it drew is lost.
    MissingContent {
        /// 1-based page number.
        page: u32,
    },
}

/// The bytes to hand to lopdf, and what was done to them.
#[derive(Debug)]
pub(super) struct Prepared<'a> {
    /// `body`, or a repaired copy.
    pub bytes: Cow<'a, [u8]>,
    /// Repairs made to the bytes.
    pub repairs: Vec<RepairKind>,
    /// The offsets in the file no longer hold: lopdf must rebuild the table.
    pub force_reconstruct: bool,
}

/// Repairs to the bytes of a PDF before parsing; `body` starts where the PDF does (at `%PDF-`,
/// or at its first object for a headerless file).
pub(super) fn prepare(body: &[u8]) -> Prepared<'_> {
    if body.starts_with(b"%PDF-") {
        return Prepared { bytes: Cow::Borrowed(body), repairs: Vec::new(), force_reconstruct: false };
    }
    let mut bytes = SUPPLIED_HEADER.to_vec();
    bytes.extend_from_slice(body);
    Prepared { bytes: Cow::Owned(bytes), repairs: vec![RepairKind::HeaderMissing], force_reconstruct: true }
}

/// Whether the document lopdf loaded lost pages that a rebuilt cross-reference table might
/// find: some page of the tree does not load as a dictionary. Worth a second parse only when
/// the table was read as written.
pub(super) fn worth_rebuilding(doc: &Document) -> bool {
    doc.xref_recovery != Some(lopdf::xref::XrefRecovery::Reconstructed) && missing_pages(doc) > 0
}

/// Pages of the tree whose page object does not load.
pub(super) fn missing_pages(doc: &Document) -> usize {
    doc.page_iter().filter(|&id| doc.get_dictionary(id).is_err()).count()
}

/// Post-parse repairs and the record of what the parse recovered. Returns the repairs and what
/// stays lost.
pub(super) fn after_load(doc: &mut Document) -> (Vec<RepairKind>, Vec<Unrecovered>) {
    let mut repairs = Vec::new();
    match doc.xref_recovery {
        Some(lopdf::xref::XrefRecovery::Reconstructed) => repairs.push(RepairKind::XrefRebuilt),
        Some(_) => repairs.push(RepairKind::XrefOffsetsCorrected),
        None => {}
    }
    // Counted by the parser (lopdf's own recovery and patches/lopdf's `stream-length`).
    let lengths = doc.recovered_stream_lengths;
    if lengths > 0 {
        repairs.push(RepairKind::StreamLength { streams: lengths });
    }
    let abbreviated = expand_abbreviations(doc);
    if abbreviated > 0 {
        repairs.push(RepairKind::FilterAbbreviation { streams: abbreviated });
    }
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    let distinct: HashSet<&ObjectId> = pages.iter().collect();
    if distinct.len() < pages.len() {
        repairs.push(RepairKind::RepeatedPages { repeats: pages.len() - distinct.len() });
    }
    (repairs, unrecovered(doc, &pages))
}

/// Rewrites abbreviated filter names in stream dictionaries to their full names; returns how
/// many streams had one. (Inline images inside content streams keep theirs: the abbreviations
/// are standard there.)
fn expand_abbreviations(doc: &mut Document) -> usize {
    let mut changed = 0;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else { continue };
        let Ok(filter) = stream.dict.get_mut(b"Filter") else { continue };
        let mut any = false;
        let mut expand = |name: &mut Vec<u8>| {
            if let Some((_, full)) = ABBREVIATIONS.iter().find(|(short, _)| short == name) {
                *name = full.to_vec();
                any = true;
            }
        };
        match filter {
            Object::Name(name) => expand(name),
            Object::Array(names) => names
                .iter_mut()
                .filter_map(|n| if let Object::Name(name) = n { Some(name) } else { None })
                .for_each(expand),
            _ => {}
        }
        changed += usize::from(any);
    }
    changed
}

/// Pages that stay blank or lose a stream even after repair.
fn unrecovered(doc: &Document, pages: &[ObjectId]) -> Vec<Unrecovered> {
    let mut lost = Vec::new();
    for (number, &id) in (1u32..).zip(pages) {
        let Ok(page) = doc.get_dictionary(id) else {
            lost.push(Unrecovered::MissingPage { page: number });
            continue;
        };
        let contents = match page.get(b"Contents") {
            Ok(Object::Array(items)) => items.clone(),
            Ok(Object::Reference(r)) => match doc.objects.get(r) {
                Some(Object::Array(items)) => items.clone(),
                _ => vec![Object::Reference(*r)],
            },
            _ => Vec::new(),
        };
        let gone = contents
            .iter()
            .any(|c| c.as_reference().is_ok_and(|r| !matches!(doc.objects.get(&r), Some(Object::Stream(_)))));
        if gone {
            lost.push(Unrecovered::MissingContent { page: number });
        }
    }
    lost
}

/// The finding for a repaired file: what was repaired and what could not be recovered, or
/// `None` when nothing worth saying was done (junk before the header has its own warning).
pub fn problem(repairs: &[RepairKind], lost: &[Unrecovered]) -> Option<super::Problem> {
    let repairs: Vec<RepairKind> =
        repairs.iter().filter(|r| !matches!(r, RepairKind::JunkBeforeHeader { .. })).cloned().collect();
    if repairs.is_empty() && lost.is_empty() {
        return None;
    }
    Some(super::Problem::Repaired { repairs, unrecovered: lost.to_vec() })
}

impl RepairKind {
    /// What was repaired, as a phrase.
    pub fn message(&self) -> Msg {
        match self {
            RepairKind::HeaderMissing => Msg::new("repair-header_missing"),
            RepairKind::JunkBeforeHeader { bytes } => Msg::new("pdf-junk_before_header").arg("bytes", *bytes),
            RepairKind::Truncated => Msg::new("repair-truncated"),
            RepairKind::XrefRebuilt => Msg::new("repair-xref_rebuilt"),
            RepairKind::XrefOffsetsCorrected => Msg::new("repair-xref_offsets"),
            RepairKind::StreamLength { streams } => Msg::new("repair-stream_length").arg("count", *streams),
            RepairKind::FilterAbbreviation { streams } => Msg::new("repair-filter_abbreviation").arg("count", *streams),
            RepairKind::RepeatedPages { repeats } => Msg::new("repair-repeated_pages").arg("count", *repeats),
        }
    }
}

impl Unrecovered {
    /// What stays lost, as a phrase.
    pub fn message(&self) -> Msg {
        match self {
            Unrecovered::MissingPage { page } => Msg::new("repair-lost_page").arg("page", *page),
            Unrecovered::MissingContent { page } => Msg::new("repair-lost_content").arg("page", *page),
        }
    }
}

#[cfg(test)]
mod tests;
