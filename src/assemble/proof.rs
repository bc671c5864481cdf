//! The proof after every build: the merged PDF, read back from its bytes, still holds every
//! input page's content.
//!
//! In: the merged bytes and, for every merged page that came from an input, a
//! [`PageExpectation`] taken from the input page before the merge ([`expectations`]). Out:
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

use std::collections::{BTreeSet, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};
use rayon::prelude::*;

use crate::spec::{Layout, PageSource};

/// Most decoded bytes read from one page's content (all its streams and forms together).
const MAX_PAGE_CONTENT: usize = 256 * 1024 * 1024;
/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
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
    /// Content streams (page contents and form XObjects) decoded.
    pub streams: usize,
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

/// The expectations for every merged page that comes from an input, read from the inputs
/// before [`super::assemble`] consumes them. Pages are summarised in parallel.
pub fn expectations(layout: &Layout, inputs: &[Document]) -> Vec<PageExpectation> {
    let page_lists: Vec<Vec<ObjectId>> = inputs.par_iter().map(|doc| doc.page_iter().collect()).collect();
    let wanted: Vec<(usize, usize, u32)> = layout
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, page)| match page.source {
            PageSource::Input { input, page } => Some((i, input, page)),
            PageSource::Generated { .. } => None,
        })
        .collect();
    wanted
        .par_iter()
        .map(|&(merged_page, input, input_page)| {
            let id = page_lists.get(input).and_then(|pages| pages.get((input_page as usize).wrapping_sub(1)));
            let summary = match (inputs.get(input), id) {
                (Some(doc), Some(&id)) => summarize(doc, id),
                _ => Summary::default(),
            };
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
        .collect()
}

/// Re-reads `merged` and checks every expected page (see the module comment). Pure.
pub fn prove(merged: &[u8], expect: &[PageExpectation]) -> Result<ProofStats, ProofFailure> {
    let fail = |e: &PageExpectation, kind| ProofFailure {
        merged_page: e.merged_page,
        input: e.input,
        input_page: e.input_page,
        kind,
    };
    let doc = match Document::load_mem(merged) {
        Ok(doc) => doc,
        Err(error) => {
            let first = expect.first().cloned().unwrap_or(PageExpectation {
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
        .par_iter()
        .map(|e| {
            let Some(&id) = pages.get(e.merged_page) else {
                return Err(fail(e, FailureKind::MissingPage));
            };
            let summary = summarize(&doc, id);
            judge(e, &summary).map_err(|kind| fail(e, kind))?;
            Ok(summary)
        })
        .collect();
    let mut stats = ProofStats::default();
    for result in results {
        let summary = result?;
        stats.pages += 1;
        stats.streams += summary.streams;
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
    /// Streams decoded.
    pub streams: usize,
    /// Names looked up.
    pub names: usize,
}

/// Summarises page `page` of `doc`: its content streams, then the forms they draw.
pub(crate) fn summarize(doc: &Document, page: ObjectId) -> Summary {
    let mut summary = Summary::default();
    let Ok(dict) = doc.get_dictionary(page) else {
        summary.undecodable = true;
        return summary;
    };
    let resources = page_resources(doc, dict);
    let mut budget = MAX_PAGE_CONTENT;
    let mut content = Vec::new();
    for stream in content_streams(doc, dict) {
        match resolve_copied(doc, &stream) {
            // A null entry draws nothing, in the input as in the output: the merge writes null
            // for what it does not copy, and wraps a page's contents in an array for the stamp
            // (a page whose /Contents is itself, found by the repair fuzz target).
            Object::Null => {}
            Object::Stream(stream) => match stream.decompressed_content_with_limit(budget) {
                Ok(bytes) => {
                    budget = budget.saturating_sub(bytes.len());
                    summary.streams += 1;
                    content.extend_from_slice(&bytes);
                    // Streams of one page are concatenated (PDF 32000-1, 7.8.2); a token may not
                    // span two, so a separator keeps them apart.
                    content.push(b'\n');
                }
                Err(_) => summary.undecodable = true,
            },
            _ => summary.undecodable = true,
        }
    }
    let mut seen = HashSet::new();
    scan(doc, &content, resources, &mut summary, &mut seen, &mut budget, 0);
    summary
}

/// Tokenises `content`, counting operators and checking the names of `Tf` and `Do` against
/// `resources`; a form XObject drawn is scanned in turn with its own resources.
fn scan(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    summary: &mut Summary,
    seen: &mut HashSet<ObjectId>,
    budget: &mut usize,
    depth: usize,
) {
    for op in Tokens::new(content) {
        match op.operator {
            b"q" | b"Q" => {}
            b"Tf" => {
                summary.operators += 1;
                if let Some(name) = op.first_name {
                    let name = &decode_name(name)[..];
                    summary.names += 1;
                    if lookup(doc, resources, b"Font", name).and_then(|o| o.as_dict().ok()).is_none() {
                        summary.missing.insert(Missing::Font(String::from_utf8_lossy(name).into_owned()));
                    }
                }
            }
            b"Do" => match op.last_name {
                Some(name) => scan_drawn(doc, &decode_name(name), resources, summary, seen, budget, depth),
                None => summary.operators += 1,
            },
            _ => summary.operators += 1,
        }
    }
}

/// One `Do` of XObject `name`: checks it is there and scans a form in turn (once per page:
/// shared forms repeat, and loops must end).
fn scan_drawn(
    doc: &Document,
    name: &[u8],
    resources: Option<&Dictionary>,
    summary: &mut Summary,
    seen: &mut HashSet<ObjectId>,
    budget: &mut usize,
    depth: usize,
) {
    if !name.starts_with(STAMP_PREFIX) {
        summary.operators += 1;
    }
    summary.names += 1;
    let Some(Object::Stream(xobject)) = lookup(doc, resources, b"XObject", name) else {
        summary.missing.insert(Missing::XObject(String::from_utf8_lossy(name).into_owned()));
        return;
    };
    let is_form = xobject.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Form");
    let id = resources
        .and_then(|r| r.get(b"XObject").ok())
        .map(|x| resolve_copied(doc, x))
        .and_then(|x| x.as_dict().ok())
        .and_then(|x| x.get(name).ok())
        .and_then(|o| o.as_reference().ok());
    if !is_form || depth >= MAX_FORM_DEPTH || id.is_some_and(|id| !seen.insert(id)) {
        return;
    }
    let Ok(bytes) = xobject.decompressed_content_with_limit(*budget) else {
        summary.undecodable = true;
        return;
    };
    *budget = budget.saturating_sub(bytes.len());
    summary.streams += 1;
    // A form without /Resources uses the page's (PDF 1.1 style).
    let own = xobject.dict.get(b"Resources").ok().map(|r| resolve_copied(doc, r)).and_then(|r| r.as_dict().ok());
    // Operators inside forms are not counted: a form drawn twice counts once.
    let mut inner = Summary::default();
    scan(doc, &bytes, own.or(resources), &mut inner, seen, budget, depth + 1);
    summary.missing.extend(inner.missing);
    summary.undecodable |= inner.undecodable;
    summary.streams += inner.streams;
    summary.names += inner.names;
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
}

impl<'a> Tokens<'a> {
    /// A tokenizer over decoded content-stream bytes.
    pub fn new(data: &'a [u8]) -> Self {
        Tokens { data, at: 0 }
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
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Op<'a>;

    fn next(&mut self) -> Option<Op<'a>> {
        let mut operands = Operands::default();
        while let Some(&b) = self.data.get(self.at) {
            match b {
                _ if is_white(b) => self.at += 1,
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
                b']' | b'{' | b'}' | b'>' | b')' => self.at += 1,
                b'/' => {
                    self.at += 1;
                    let name = self.word();
                    operands.push(Some(name));
                }
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
        while self.data.get(self.at).is_some_and(|&c| keep(c)) {
            self.at += 1;
        }
    }

    /// A regular word (name body, number, keyword), up to white space or a delimiter.
    fn word(&mut self) -> &'a [u8] {
        let start = self.at;
        self.skip_while(|c| !is_white(c) && !is_delimiter(c));
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
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}
