//! The proof after every build: the merged PDF, read back from its bytes, still holds every
//! input page's content.
//!
//! In: the merged bytes and, for every merged page that came from an input, a
//! [`PageExpectation`] taken from the input page before the merge ([`read_inputs`],
//! [`expectations`]). Out:
//! [`ProofStats`], or the first [`ProofFailure`] naming the merged page, the input and its page.
//!
//! "Content" is measured the same way on both sides by [`summarize`]: the content streams
//! decoded and tokenised, counting drawing operators (everything but `q`/`Q` and the stamp's
//! `Do`), and every font (`Tf`) and XObject (`Do`) they name looked up in the resources the page
//! (or the form XObject) sees. Streams are copied verbatim by the merge, so the counts must be
//! equal; a name that resolves in the input must resolve in the output. A name the input page
//! itself already lacked is not the merge's fault and is not held against it; nor is a name or
//! a content stream that points at a page, a page tree node, the catalog or an object stream,
//! which the merge never copies by reference (see [`resolve_copied`]).
//!
//! The merge copies streams byte for byte, so most of the merged file's content streams are
//! the input's: each stream is tokenised once, on the input side, and its [`StreamScan`] is
//! remembered under the SHA-256 of what decoding it depends on (its `/Filter`, `/DecodeParms`
//! and raw bytes). A merged stream with the same digest decodes to the same bytes and is not
//! decoded again; its names are still looked up in the merged file's resources, which is where
//! a merge loses things. A stream that changed in any byte is decoded and tokenised as before.
//! The merged side then mostly costs lopdf's parse of the file (issue 11: the proof may add at
//! most 10% to a build; `bench/run` measures it).
//!
//! The input side ([`read_inputs`]) needs no layout, so a build runs it beside its rendering;
//! [`expectations`] maps it onto the merged pages once the layout is known.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::spec::{Layout, PageSource};

/// Most decoded bytes read from one page's content (all its streams and forms together).
const MAX_PAGE_CONTENT: usize = 256 * 1024 * 1024;
/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Deepest nesting of arrays and dictionaries hashed in a stream's `/Filter` and
/// `/DecodeParms` (real files nest two levels); deeper, the stream is simply decoded.
const MAX_PARAMETER_DEPTH: usize = 12;
/// Prefix of the XObject names stamps are drawn under (see `stamp::resources_with`).
const STAMP_PREFIX: &[u8] = b"DsStamp";

/// What merged page `merged_page` must hold, read from the input page it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageExpectation {
    /// 0-based index of the page in the merged PDF.
    pub merged_page: usize,
    /// Index of the input document.
    pub input: usize,
    /// 1-based page number in that input.
    pub input_page: u32,
    /// The input page had drawing operators.
    pub had_content: bool,
    /// Drawing operators counted in the input page (see the module comment).
    pub operators: usize,
    /// Fonts and XObjects the input page named but did not have: not expected afterwards.
    pub missing_in_input: BTreeSet<Missing>,
    /// A content stream of the input page did not decode already.
    pub undecodable_in_input: bool,
}

/// A resource a content stream names and cannot find.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Missing {
    /// `/Name Tf` with no such font.
    Font(String),
    /// `/Name Do` with no such XObject.
    XObject(String),
}

/// What the proof looked at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProofStats {
    /// Input pages checked.
    pub pages: usize,
    /// Content streams (page contents and form XObjects) looked at.
    pub streams: usize,
    /// Of those, streams whose bytes were the input's, tokenised once on the input side.
    pub reused: usize,
    /// Font and XObject names looked up.
    pub names: usize,
}

/// A merged page that lost something; `kind` says what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("merged page {}: page {input_page} of input {input}: {kind}", merged_page + 1)]
pub struct ProofFailure {
    /// 0-based page index in the merged PDF.
    pub merged_page: usize,
    /// Index of the input document.
    pub input: usize,
    /// 1-based page number in the input.
    pub input_page: u32,
    /// What was lost.
    pub kind: FailureKind,
}

/// What a merged page lost.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FailureKind {
    /// The merged PDF does not read back at all.
    #[error("the merged PDF cannot be read back: {0}")]
    Unreadable(String),
    /// The merged PDF has fewer pages than the layout.
    #[error("the page is missing")]
    MissingPage,
    /// The input page drew something, the merged page draws nothing.
    #[error("its content is empty")]
    EmptyContent,
    /// The merged page draws less than the input page did.
    #[error("its content has {found} drawing operators instead of {expected}")]
    ShortContent {
        /// Counted in the input page.
        expected: usize,
        /// Counted in the merged page.
        found: usize,
    },
    /// A content stream does not decode.
    #[error("a content stream does not decode")]
    UndecodableStream,
    /// A font the content uses is not in its resources.
    #[error("font /{name} is missing")]
    MissingFont {
        /// The resource name.
        name: String,
    },
    /// An XObject the content draws is not in its resources.
    #[error("XObject /{name} is missing")]
    MissingXObject {
        /// The resource name.
        name: String,
    },
}

/// What every merged page that comes from an input must hold ([`expectations`]), and the
/// input's content streams as tokenised, for [`prove`] to reuse.
#[derive(Debug, Default)]
pub struct Expectations {
    pages: Vec<PageExpectation>,
    scans: ScanMemo,
}

impl Expectations {
    /// One entry per merged page that comes from an input, in merged-page order.
    pub fn pages(&self) -> &[PageExpectation] {
        &self.pages
    }
}

/// What every page of the inputs holds, read before [`super::assemble`] consumes them
/// ([`read_inputs`]); [`expectations`] then maps it onto the merged pages.
#[derive(Debug, Default)]
pub struct InputPages {
    /// Per input, per page (0-based).
    pages: Vec<Vec<Summary>>,
    scans: ScanMemo,
}

/// Reads every page of every input, in parallel. Needs no layout, so a build runs it beside
/// the rendering of its own pages.
pub fn read_inputs(inputs: &[Document]) -> InputPages {
    let wanted: Vec<(usize, ObjectId)> =
        inputs.iter().enumerate().flat_map(|(input, doc)| doc.page_iter().map(move |id| (input, id))).collect();
    let none = ScanMemo::default();
    let read: Vec<(usize, Summary, Fresh)> = wanted
        .par_iter()
        .map(|&(input, id)| {
            let (summary, fresh) = summarize(&inputs[input], id, &none);
            (input, summary, fresh)
        })
        .collect();
    let mut pages = InputPages { pages: vec![Vec::new(); inputs.len()], scans: ScanMemo::default() };
    for (input, summary, fresh) in read {
        pages.pages[input].push(summary);
        pages.scans.0.extend(fresh);
    }
    pages
}

/// The expectations for every merged page that comes from an input: what that input page
/// held. A page the layout names and the input lacks is expected to hold nothing.
pub fn expectations(layout: &Layout, inputs: InputPages) -> Expectations {
    let InputPages { pages: read, scans } = inputs;
    let pages = layout
        .pages
        .iter()
        .enumerate()
        .filter_map(|(merged_page, page)| match page.source {
            PageSource::Input { input, page } => Some((merged_page, input, page)),
            PageSource::Generated { .. } => None,
        })
        .map(|(merged_page, input, input_page)| {
            let summary = read
                .get(input)
                .and_then(|pages| pages.get((input_page as usize).wrapping_sub(1)))
                .cloned()
                .unwrap_or_default();
            PageExpectation {
                merged_page,
                input,
                input_page,
                had_content: summary.operators > 0,
                operators: summary.operators,
                missing_in_input: summary.missing,
                undecodable_in_input: summary.undecodable,
            }
        })
        .collect();
    Expectations { pages, scans }
}

/// Re-reads `merged` and checks every expected page (see the module comment). Pure.
pub fn prove(merged: &[u8], expect: &Expectations) -> Result<ProofStats, ProofFailure> {
    let fail = |e: &PageExpectation, kind| ProofFailure {
        merged_page: e.merged_page,
        input: e.input,
        input_page: e.input_page,
        kind,
    };
    let doc = match Document::load_mem(merged) {
        Ok(doc) => doc,
        Err(error) => {
            let first = expect.pages.first().cloned().unwrap_or(PageExpectation {
                merged_page: 0,
                input: 0,
                input_page: 0,
                had_content: false,
                operators: 0,
                missing_in_input: BTreeSet::new(),
                undecodable_in_input: false,
            });
            return Err(fail(&first, FailureKind::Unreadable(error.to_string())));
        }
    };
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    let results: Vec<Result<Summary, ProofFailure>> = expect
        .pages
        .par_iter()
        .map(|e| {
            let Some(&id) = pages.get(e.merged_page) else {
                return Err(fail(e, FailureKind::MissingPage));
            };
            let (summary, _) = summarize(&doc, id, &expect.scans);
            judge(e, &summary).map_err(|kind| fail(e, kind))?;
            Ok(summary)
        })
        .collect();
    let mut stats = ProofStats::default();
    for result in results {
        let summary = result?;
        stats.pages += 1;
        stats.streams += summary.streams;
        stats.reused += summary.reused;
        stats.names += summary.names;
    }
    Ok(stats)
}

/// The verdict on one page: its summary against what the input page had.
fn judge(expect: &PageExpectation, found: &Summary) -> Result<(), FailureKind> {
    if found.undecodable && !expect.undecodable_in_input {
        return Err(FailureKind::UndecodableStream);
    }
    if let Some(lost) = found.missing.difference(&expect.missing_in_input).next() {
        return Err(match lost.clone() {
            Missing::Font(name) => FailureKind::MissingFont { name },
            Missing::XObject(name) => FailureKind::MissingXObject { name },
        });
    }
    if expect.had_content && found.operators == 0 {
        return Err(FailureKind::EmptyContent);
    }
    if found.operators < expect.operators {
        return Err(FailureKind::ShortContent { expected: expect.operators, found: found.operators });
    }
    Ok(())
}

/// One page's content as the proof measures it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Drawing operators (not `q`, `Q`, nor a stamp's `Do`).
    pub operators: usize,
    /// Names that did not resolve.
    pub missing: BTreeSet<Missing>,
    /// Some content stream did not decode (or was not a stream).
    pub undecodable: bool,
    /// Streams looked at (decoded, or known by their digest).
    pub streams: usize,
    /// Of those, streams known by their digest and not decoded again.
    pub reused: usize,
    /// Names looked up.
    pub names: usize,
}

/// What decoding a stream depends on, hashed (see the module comment).
type StreamKey = [u8; 32];

/// Streams tokenised while summarising a page that the memo did not have.
type Fresh = Vec<(StreamKey, Arc<StreamScan>)>;

/// Streams already tokenised, by [`stream_key`].
#[derive(Debug, Default)]
struct ScanMemo(HashMap<StreamKey, Arc<StreamScan>>);

/// A content stream tokenised on its own: everything [`apply`] needs, nothing that depends on
/// the resources it is drawn with.
#[derive(Debug, Default, PartialEq, Eq)]
struct StreamScan {
    /// Operators counted as drawing, but for the named `Do`s (a stamp's is not counted).
    operators: usize,
    /// The font names of `Tf` operators, `#xx` escapes decoded.
    fonts: Vec<Box<[u8]>>,
    /// The XObject names of `Do` operators, in order, `#xx` escapes decoded.
    draws: Vec<Box<[u8]>>,
    /// Decoded bytes (the page's budget is charged for them).
    decoded: usize,
    /// The stream ends between operators: no operand and no string, array or inline image
    /// runs on into whatever follows it.
    clean_end: bool,
}

/// Tokenises one decoded stream.
fn tokenise(content: &[u8]) -> StreamScan {
    let mut scan = StreamScan { decoded: content.len(), ..StreamScan::default() };
    let mut tokens = Tokens::new(content);
    for op in tokens.by_ref() {
        match op.operator {
            b"q" | b"Q" => {}
            b"Tf" => {
                scan.operators += 1;
                if let Some(name) = op.first_name {
                    scan.fonts.push(decode_name(name).into());
                }
            }
            b"Do" => match op.last_name {
                Some(name) => scan.draws.push(decode_name(name).into()),
                None => scan.operators += 1,
            },
            _ => scan.operators += 1,
        }
    }
    scan.clean_end = tokens.ended_clean();
    scan
}

/// The digest of what decoding `stream` depends on: its `/Filter` and `/DecodeParms` as
/// written and its raw bytes. lopdf follows no reference in those two entries, so a reference
/// counts by its kind only (the merge renumbers objects). `None` for parameters too deep to
/// be real: such a stream is simply decoded.
fn stream_key(stream: &Stream) -> Option<StreamKey> {
    let mut hasher = Sha256::new();
    for key in [&b"Filter"[..], b"DecodeParms"] {
        match stream.dict.get(key) {
            Ok(value) => hash_object(&mut hasher, value, 0)?,
            Err(_) => hasher.update([0xff]),
        }
    }
    hasher.update((stream.content.len() as u64).to_le_bytes());
    hasher.update(&stream.content);
    Some(hasher.finalize().into())
}

/// Feeds a direct object to `hasher`, tagged by kind and length so that no two objects share
/// a byte sequence.
fn hash_object(hasher: &mut Sha256, object: &Object, depth: usize) -> Option<()> {
    let tagged = |hasher: &mut Sha256, tag: u8, data: &[u8]| {
        hasher.update([tag]);
        hasher.update((data.len() as u64).to_le_bytes());
        hasher.update(data);
    };
    if depth > MAX_PARAMETER_DEPTH {
        return None;
    }
    match object {
        Object::Null => hasher.update([0]),
        Object::Boolean(b) => hasher.update([1, u8::from(*b)]),
        Object::Integer(i) => tagged(hasher, 2, &i.to_le_bytes()),
        Object::Real(r) => tagged(hasher, 3, &r.to_le_bytes()),
        Object::Name(name) => tagged(hasher, 4, name),
        Object::String(s, _) => tagged(hasher, 5, s),
        Object::Reference(_) => hasher.update([6]),
        Object::Array(items) => {
            tagged(hasher, 7, &(items.len() as u64).to_le_bytes());
            for item in items {
                hash_object(hasher, item, depth + 1)?;
            }
        }
        Object::Dictionary(dict) => {
            tagged(hasher, 8, &(dict.len() as u64).to_le_bytes());
            for (key, value) in dict.iter() {
                tagged(hasher, 9, key);
                hash_object(hasher, value, depth + 1)?;
            }
        }
        Object::Stream(_) => return None,
    }
    Some(())
}

/// One page being summarised: the document, the streams already tokenised, and what this
/// page has used so far.
struct PageScan<'a> {
    doc: &'a Document,
    memo: &'a ScanMemo,
    /// Streams tokenised here that `memo` did not have.
    fresh: Fresh,
    summary: Summary,
    /// Forms already scanned on this page (shared forms repeat, and loops must end).
    seen: HashSet<ObjectId>,
    /// Decoded bytes this page may still read.
    budget: usize,
}

/// Summarises page `page` of `doc`: its content streams, then the forms they draw. Returns
/// the streams tokenised that `memo` did not know.
fn summarize(doc: &Document, page: ObjectId, memo: &ScanMemo) -> (Summary, Fresh) {
    let mut scan = PageScan {
        doc,
        memo,
        fresh: Vec::new(),
        summary: Summary::default(),
        seen: HashSet::new(),
        budget: MAX_PAGE_CONTENT,
    };
    scan.page(page);
    (scan.summary, scan.fresh)
}

impl<'a> PageScan<'a> {
    fn page(&mut self, page: ObjectId) {
        let doc = self.doc;
        let Ok(dict) = doc.get_dictionary(page) else {
            self.summary.undecodable = true;
            return;
        };
        let resources = page_resources(doc, dict);
        let entries = content_streams(doc, dict);
        let mut streams = Vec::new();
        let mut scans = Vec::new();
        for entry in &entries {
            match resolve_copied(doc, entry) {
                // A null entry draws nothing, in the input as in the output: the merge writes
                // null for what it does not copy, and wraps a page's contents in an array for
                // the stamp (a page whose /Contents is itself, found by the repair fuzz target).
                Object::Null => {}
                Object::Stream(stream) => match self.stream(stream) {
                    Some(scan) => {
                        streams.push(stream);
                        scans.push(scan);
                    }
                    None => self.summary.undecodable = true,
                },
                _ => self.summary.undecodable = true,
            }
        }
        // The streams of a page are one content (PDF 32000-1, 7.8.2): tokenised apart they
        // count as together, unless an operand, a string or an inline image runs from one
        // stream into the next. Then the page is tokenised whole, as a reader draws it.
        if scans.iter().rev().skip(1).all(|scan| scan.clean_end) {
            for scan in &scans {
                self.apply(scan, resources, 0);
            }
            return;
        }
        let mut content = Vec::new();
        let mut budget = MAX_PAGE_CONTENT;
        for stream in streams {
            if let Ok(bytes) = stream.decompressed_content_with_limit(budget) {
                budget = budget.saturating_sub(bytes.len());
                content.extend_from_slice(&bytes);
                // A token may not span two streams; a separator keeps them apart.
                content.push(b'\n');
            }
        }
        self.apply(&tokenise(&content), resources, 0);
    }

    /// Decodes and tokenises `stream`, or takes its scan from the memo when its digest is
    /// there, charging the budget either way; `None` when it does not decode within it.
    fn stream(&mut self, stream: &Stream) -> Option<Arc<StreamScan>> {
        let key = stream_key(stream);
        let scan = match key.and_then(|key| self.memo.0.get(&key)) {
            Some(scan) if scan.decoded <= self.budget => {
                self.summary.reused += 1;
                Arc::clone(scan)
            }
            Some(_) => return None,
            None => {
                let bytes = stream.decompressed_content_with_limit(self.budget).ok()?;
                let scan = Arc::new(tokenise(&bytes));
                if let Some(key) = key {
                    self.fresh.push((key, Arc::clone(&scan)));
                }
                scan
            }
        };
        self.summary.streams += 1;
        self.budget = self.budget.saturating_sub(scan.decoded);
        Some(scan)
    }

    /// Counts `scan`'s operators and checks the names of its `Tf` and `Do` against
    /// `resources`; a form XObject drawn is scanned in turn with its own resources.
    fn apply(&mut self, scan: &StreamScan, resources: Option<&Dictionary>, depth: usize) {
        self.summary.operators += scan.operators;
        for name in &scan.fonts {
            self.summary.names += 1;
            if lookup(self.doc, resources, b"Font", name).and_then(|o| o.as_dict().ok()).is_none() {
                self.summary.missing.insert(Missing::Font(String::from_utf8_lossy(name).into_owned()));
            }
        }
        for name in &scan.draws {
            self.drawn(name, resources, depth);
        }
    }

    /// One `Do` of XObject `name`: checks it is there and scans a form in turn (once per page).
    fn drawn(&mut self, name: &[u8], resources: Option<&Dictionary>, depth: usize) {
        let doc = self.doc;
        if !name.starts_with(STAMP_PREFIX) {
            self.summary.operators += 1;
        }
        self.summary.names += 1;
        let Some(Object::Stream(xobject)) = lookup(doc, resources, b"XObject", name) else {
            self.summary.missing.insert(Missing::XObject(String::from_utf8_lossy(name).into_owned()));
            return;
        };
        let is_form = xobject.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Form");
        let id = resources
            .and_then(|r| r.get(b"XObject").ok())
            .map(|x| resolve_copied(doc, x))
            .and_then(|x| x.as_dict().ok())
            .and_then(|x| x.get(name).ok())
            .and_then(|o| o.as_reference().ok());
        if !is_form || depth >= MAX_FORM_DEPTH || id.is_some_and(|id| !self.seen.insert(id)) {
            return;
        }
        let Some(scan) = self.stream(xobject) else {
            self.summary.undecodable = true;
            return;
        };
        // A form without /Resources uses the page's (PDF 1.1 style).
        let own = xobject.dict.get(b"Resources").ok().map(|r| resolve_copied(doc, r)).and_then(|r| r.as_dict().ok());
        // Operators inside forms are not counted: a form drawn twice counts once.
        let operators = self.summary.operators;
        self.apply(&scan, own.or(resources), depth + 1);
        self.summary.operators = operators;
    }
}

/// `resources/category/name`, resolved.
fn lookup<'a>(
    doc: &'a Document,
    resources: Option<&'a Dictionary>,
    category: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    let entries = resolve_copied(doc, resources?.get(category).ok()?).as_dict().ok()?;
    match resolve_copied(doc, entries.get(name).ok()?) {
        Object::Null => None,
        object => Some(object),
    }
}

/// The page's resources: its own or the nearest ancestor's (PDF 32000-1, 7.7.3.4).
fn page_resources<'a>(doc: &'a Document, page: &'a Dictionary) -> Option<&'a Dictionary> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(resources) = node.get(b"Resources") {
            return resolve_copied(doc, resources).as_dict().ok();
        }
        node = doc.get_dictionary(node.get(b"Parent").and_then(Object::as_reference).ok()?).ok()?;
    }
    None
}

/// The entries of `/Contents`: one stream or an array of them (possibly behind a reference).
fn content_streams(doc: &Document, page: &Dictionary) -> Vec<Object> {
    match page.get(b"Contents").map(|c| (c, resolve_copied(doc, c))) {
        Ok((_, Object::Array(items))) => items.clone(),
        Ok((direct, Object::Stream(_))) => vec![direct.clone()],
        Ok((_, Object::Null)) | Err(_) => Vec::new(),
        Ok((direct, _)) => vec![direct.clone()],
    }
}

/// Follows references (bounded).
fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    super::source::resolve(doc, object)
}

/// Follows a resource's or content stream's references as the merge copies them: a reference
/// that lands on a page, a page tree node, the catalog or an object stream becomes `null` in
/// the merged file (see `import::is_structural`), so it reads as `null` here on both sides.
/// A font `/F1 6 0 R` whose object 6 is the catalog is no font in the input either, and an
/// object stream is no page content (both found by the `repair` fuzz target).
fn resolve_copied<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match resolve(doc, object) {
        target if matches!(object, Object::Reference(_)) && super::import::is_structural(target) => &Object::Null,
        target => target,
    }
}

/// One operator and the names among its operands.
#[derive(Debug, PartialEq)]
pub struct Op<'a> {
    /// The operator (`Tf`, `Do`, `re`).
    pub operator: &'a [u8],
    /// The first operand, if it is a name (`/F1 12 Tf`).
    pub first_name: Option<&'a [u8]>,
    /// The last operand, if it is a name (`/Im1 Do`).
    pub last_name: Option<&'a [u8]>,
}

/// A content-stream tokenizer that yields operators only: strings, comments, arrays,
/// dictionaries and inline image data are skipped over, never interpreted. Names come raw;
/// [`decode_name`] undoes `#xx` escapes as lopdf does for dictionary keys.
pub struct Tokens<'a> {
    data: &'a [u8],
    at: usize,
    /// Operands were left over at the end, or an inline image had no `EI`.
    unfinished: bool,
}

/// Byte classes (PDF 32000-1, 7.2.2): white space, delimiters, and regular characters (0).
const WHITE: u8 = 1;
const DELIMITER: u8 = 2;
const CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let white = b" \t\n\r\x0c\0";
    let mut i = 0;
    while i < white.len() {
        class[white[i] as usize] = WHITE;
        i += 1;
    }
    let delimiters = b"()<>[]{}/%";
    let mut i = 0;
    while i < delimiters.len() {
        class[delimiters[i] as usize] = DELIMITER;
        i += 1;
    }
    class
};

impl<'a> Tokens<'a> {
    /// A tokenizer over decoded content-stream bytes.
    pub fn new(data: &'a [u8]) -> Self {
        Tokens { data, at: 0, unfinished: false }
    }

    /// Once the tokens are all read: the data ended between operators, so that what follows
    /// it (the next content stream of the page) starts afresh.
    pub fn ended_clean(&self) -> bool {
        self.at >= self.data.len() && !self.unfinished
    }

    fn skip_string(&mut self) {
        let mut depth = 0usize;
        while let Some(&b) = self.data.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
        // Unterminated: the string would run on into the next stream.
        self.unfinished = true;
    }

    /// After `BI`: skips the image dictionary and data up to and including `EI`.
    fn skip_inline_image(&mut self) {
        let data = self.data;
        // `ID` as a token, then one white-space byte, then data until white space + `EI` +
        // white space (or the end).
        let mut i = self.at;
        while i + 1 < data.len() {
            if &data[i..i + 2] == b"ID"
                && (i == 0 || is_white(data[i - 1]))
                && data.get(i + 2).is_none_or(|&b| is_white(b))
            {
                break;
            }
            i += 1;
        }
        i += 3;
        while i + 2 <= data.len() {
            if &data[i..i + 2] == b"EI"
                && is_white(data[i - 1])
                && data.get(i + 2).is_none_or(|&b| is_white(b) || is_delimiter(b))
            {
                self.at = i + 2;
                return;
            }
            i += 1;
        }
        self.at = data.len();
        self.unfinished = true;
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Op<'a>;

    fn next(&mut self) -> Option<Op<'a>> {
        let mut operands = Operands::default();
        while let Some(&b) = self.data.get(self.at) {
            match CLASS[usize::from(b)] {
                WHITE => self.at += 1,
                DELIMITER => match b {
                    b'%' => self.skip_while(|c| c != b'\n' && c != b'\r'),
                    b'(' => {
                        self.skip_string();
                        operands.push(None);
                    }
                    b'<' if self.data.get(self.at + 1) == Some(&b'<') => {
                        self.at += 2;
                        operands.push(None);
                    }
                    b'>' if self.data.get(self.at + 1) == Some(&b'>') => self.at += 2,
                    b'<' => {
                        self.skip_while(|c| c != b'>');
                        self.at += 1;
                        operands.push(None);
                    }
                    b'[' => {
                        self.at += 1;
                        operands.push(None);
                    }
                    b'/' => {
                        self.at += 1;
                        let name = self.word();
                        operands.push(Some(name));
                    }
                    // `]`, `{`, `}`, a lone `>`, a stray `)`.
                    _ => self.at += 1,
                },
                _ => {
                    let word = self.word();
                    let numeric = word.iter().all(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'));
                    if numeric || matches!(word, b"true" | b"false" | b"null") {
                        operands.push(None);
                        continue;
                    }
                    if word == b"BI" {
                        self.skip_inline_image();
                    }
                    return Some(Op { operator: word, first_name: operands.first.flatten(), last_name: operands.last });
                }
            }
        }
        self.unfinished |= operands.first.is_some();
        None
    }
}

/// The operands seen before an operator: only the first and the last name matter.
#[derive(Default)]
struct Operands<'a> {
    first: Option<Option<&'a [u8]>>,
    last: Option<&'a [u8]>,
}

impl<'a> Operands<'a> {
    fn push(&mut self, name: Option<&'a [u8]>) {
        if self.first.is_none() {
            self.first = Some(name);
        }
        self.last = name;
    }
}

impl<'a> Tokens<'a> {
    /// Skips bytes while `keep` holds.
    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        let rest = self.data.get(self.at..).unwrap_or_default();
        self.at += rest.iter().position(|&c| !keep(c)).unwrap_or(rest.len());
    }

    /// A regular word (name body, number, keyword), up to white space or a delimiter.
    fn word(&mut self) -> &'a [u8] {
        let start = self.at;
        self.skip_while(|c| CLASS[usize::from(c)] == 0);
        &self.data[start..self.at]
    }
}

/// A name's bytes with `#xx` escapes decoded (PDF 32000-1, 7.3.5).
fn decode_name(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !raw.contains(&b'#') {
        return raw.into();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'#', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out.into()
}

fn is_white(b: u8) -> bool {
    CLASS[usize::from(b)] == WHITE
}

fn is_delimiter(b: u8) -> bool {
    CLASS[usize::from(b)] == DELIMITER
}
