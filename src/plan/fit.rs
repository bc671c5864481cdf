//! Fitting a recipient's mail to its limit (issue 9): which rung of the image ladder the merged
//! PDF uses, whether photos in the zip are replaced by smaller copies, and how the zip is split
//! into messages. The steps are tried in the order the README gives, and the first that fits is
//! taken, so the PDF keeps the highest resolution that fits:
//!
//! 1. images dossier places (image items, images in notes) at a rung of the ladder;
//! 2. the same, and JPEG images inside input PDFs above the rung's density;
//! 3. photos in the zip replaced by copies (unless `keep_originals`), with the PDF at the
//!    best rung that then fits;
//! 4. parts: the PDF (at the best rung that fits a message of its own) in the first message,
//!    the zip's entries spread over as few messages as fit, by their real encoded sizes.
//!
//! Pure: every size comes from a [`Measure`]. Build's measures real encodings (it decodes each
//! image once and encodes the rungs it is asked for); the tests give numbers.

use serde::Serialize;

use crate::compact::Rung;
use crate::manifest::{Attach, Fit};

/// Sizes the decision needs, measured on real encodings.
pub trait Measure {
    /// The merged PDF's size with the images dossier places at `rung` (`None`: as they are)
    /// and, with `inner`, the JPEGs inside input PDFs at that rung too.
    fn pdf_size(&mut self, rung: Option<Rung>, inner: bool) -> u64;
    /// A size the merged PDF is never below, whatever the rung: as it is, less every image a
    /// rung may change. Known without encoding anything; it rules out steps that cannot fit.
    fn pdf_floor(&mut self) -> u64;
    /// Each zip entry's data size as stored in the zip (deflated or not), in zip order; with
    /// `copies`, photos replaced by their compacted copies.
    fn entry_sizes(&mut self, copies: bool) -> Vec<u64>;
}

/// What the decision is asked, besides the sizes.
#[derive(Debug, Clone)]
pub struct FitRequest<'a> {
    /// The limit on one message as sent.
    pub budget: u64,
    /// What the mail carries.
    pub attach: Attach,
    /// `fit = "auto"` or `"off"`.
    pub fit: Fit,
    /// Photos in the zip are never replaced (parts instead).
    pub keep_originals: bool,
    /// `--split`: with `fit = "off"`, still split into parts.
    pub split: bool,
    /// The rungs, best first.
    pub ladder: &'a [Rung],
    /// A message's bytes besides its attachments: headers, the body's fixed text, the MIME
    /// part headers.
    pub overhead: u64,
    /// Per zip entry: its name (for messages), the zip's bytes besides its data (headers, two
    /// copies of the name, its checksum line) and the bytes its line adds to the body.
    pub entries: Vec<EntryCost>,
    /// The zip's bytes besides its entries: the record, the checksum list's own headers and the
    /// end records.
    pub zip_fixed: u64,
    /// The merged PDF's file name and the bytes its checksum line and body line add.
    pub pdf: EntryCost,
}

/// One file's cost in a message besides its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryCost {
    /// Its name in the zip (or the PDF's file name).
    pub name: String,
    /// Zip bytes besides the data.
    pub zip_extra: u64,
    /// Body bytes of its line.
    pub body: u64,
}

/// What fitting decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitDecision {
    /// The rung of the images dossier places, `None` when they stay as they are.
    pub rung: Option<Rung>,
    /// JPEGs inside input PDFs are recompressed at `rung` too.
    pub inner: bool,
    /// Photos in the zip are replaced by compacted copies.
    pub copies: bool,
    /// The zip entries (indices, in zip order) of each message; the first message also carries
    /// the PDF. One empty list when the mail carries no zip.
    pub parts: Vec<Vec<usize>>,
    /// Each message's planned size (an upper bound).
    pub sizes: Vec<u64>,
    /// Some message is over the budget (`fit = "off"`, or parts of `--split` with a file too
    /// big for any).
    pub over: bool,
}

/// Why no message plan fits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitFailure {
    /// One file does not fit a message of its own even at the smallest rung.
    #[error("`{name}` is {bytes} bytes at its smallest, {needed} in a message of its own; the limit is {budget}")]
    TooBig {
        /// The file.
        name: String,
        /// Its size after compaction.
        bytes: u64,
        /// The size of a message carrying it alone, encoded.
        needed: u64,
        /// The recipient's limit.
        budget: u64,
    },
}

/// Size of `n` bytes once base64-encoded in a MIME body: 4 characters per 3 bytes, in lines of
/// 76 characters each ending in CRLF.
pub fn base64_size(n: u64) -> u64 {
    let chars = n.div_ceil(3) * 4;
    chars + chars.div_ceil(76) * 2
}

/// The PDF rungs in the order they are preferred: as it is, then step 1's ladder, then step 2's.
fn pdf_options(ladder: &[Rung]) -> Vec<(Option<Rung>, bool)> {
    let mut options = vec![(None, false)];
    for inner in [false, true] {
        options.extend(ladder.iter().map(|&r| (Some(r), inner)));
    }
    options
}

impl FitRequest<'_> {
    /// The zip goes out as an attachment.
    fn zipped(&self) -> bool {
        self.attach.zip
    }

    /// The PDF travels inside the zip (`attach = ["zip"]`), as its first entry.
    fn pdf_in_zip(&self) -> bool {
        self.attach.zip && !self.attach.pdf
    }

    /// A message with the PDF (when `with_pdf`) and these entries (index, data size).
    fn message(&self, pdf: Option<u64>, entries: &[(usize, u64)]) -> u64 {
        let mut size = self.overhead;
        let mut zip = 0;
        if let Some(pdf) = pdf {
            if self.pdf_in_zip() {
                zip += pdf + self.pdf.zip_extra;
            } else {
                size += base64_size(pdf);
            }
            size += self.pdf.body;
        }
        for &(i, data) in entries {
            zip += data + self.entries[i].zip_extra;
            size += self.entries[i].body;
        }
        if self.zipped() {
            size += base64_size(zip + self.zip_fixed);
        }
        size
    }

    fn one(&self, pdf: u64, entries: &[u64]) -> u64 {
        let all: Vec<(usize, u64)> = entries.iter().copied().enumerate().collect();
        self.message(Some(pdf), &all)
    }
}

/// Decides how the recipient's mail fits its budget.
pub fn decide(req: &FitRequest<'_>, measure: &mut dyn Measure) -> Result<FitDecision, FitFailure> {
    let originals = if req.zipped() { measure.entry_sizes(false) } else { Vec::new() };
    let whole = |rung, inner, copies, size| FitDecision {
        rung,
        inner,
        copies,
        parts: vec![(0..originals.len()).collect()],
        sizes: vec![size],
        over: size > req.budget,
    };
    let pdf = measure.pdf_size(None, false);
    let size = req.one(pdf, &originals);
    if size <= req.budget {
        return Ok(whole(None, false, false, size));
    }
    if req.fit == Fit::Off {
        if req.split && req.zipped() {
            return Ok(split(req, None, false, false, pdf, &originals, true)
                .unwrap_or_else(|_| whole(None, false, false, size)));
        }
        return Ok(whole(None, false, false, size));
    }
    // Steps 1 and 2, unless the originals alone keep the message over.
    let floor = measure.pdf_floor();
    let reachable = req.one(floor, &originals) <= req.budget;
    for inner in [false, true].into_iter().filter(|_| reachable) {
        let options: Vec<_> = req.ladder.iter().map(|&r| (Some(r), inner)).collect();
        if let Some((rung, inner, pdf)) = first_fit(measure, &options, |pdf| req.one(pdf, &originals) <= req.budget) {
            return Ok(whole(rung, inner, false, req.one(pdf, &originals)));
        }
    }
    // Step 3.
    let copies = !req.keep_originals && req.zipped();
    let entries = if copies { measure.entry_sizes(true) } else { originals.clone() };
    let options = pdf_options(req.ladder);
    if copies
        && entries != originals
        && let Some((rung, inner, pdf)) = first_fit(measure, &options, |pdf| req.one(pdf, &entries) <= req.budget)
    {
        return Ok(whole(rung, inner, true, req.one(pdf, &entries)));
    }
    // Step 4: the best rung at which the PDF fits a message with no other entry.
    if let Some((rung, inner, pdf)) = first_fit(measure, &options, |pdf| req.message(Some(pdf), &[]) <= req.budget)
        && req.zipped()
    {
        return split(req, rung, inner, copies && entries != originals, pdf, &entries, false);
    }
    let (last_rung, last_inner) = *options.last().expect("the PDF as it is is an option");
    let smallest = pdf.min(measure.pdf_size(last_rung, last_inner));
    let needed = req.message(Some(smallest), &[]);
    Err(FitFailure::TooBig { name: req.pdf.name.clone(), bytes: smallest, needed, budget: req.budget })
}

/// The first of `options` (best first) whose PDF size `fits`, with that size. The search
/// measures the best density's qualities in order (after the PDF as it is, which costs
/// nothing), then the last rung and, only when the last fits, the rungs between in order:
/// sizes fall along the ladder (lower densities, lower qualities, lossy graphics), so a step
/// whose smallest rung does not fit costs one density and one more measurement, and the usual
/// case, the best rung fitting, one.
fn first_fit(
    measure: &mut dyn Measure,
    options: &[(Option<Rung>, bool)],
    fits: impl Fn(u64) -> bool,
) -> Option<(Option<Rung>, bool, u64)> {
    let mut try_at = |at: usize| {
        let (rung, inner) = options[at];
        let pdf = measure.pdf_size(rung, inner);
        fits(pdf).then_some((rung, inner, pdf))
    };
    // The probe: the PDF as it is when listed, then every quality of the best density (they
    // share one resized raster, so each costs an encoding, not a decoding).
    let first = options.iter().position(|(rung, _)| rung.is_some())?;
    let same_density = |&(rung, inner): &(Option<Rung>, bool)| {
        let (Some(r), (Some(f), f_inner)) = (rung, options[first]) else { return false };
        (r.dpi, r.lossy_graphics, inner) == (f.dpi, f.lossy_graphics, f_inner)
    };
    let probe = first + options[first..].iter().take_while(|o| same_density(o)).count();
    if let Some(found) = (0..probe).find_map(&mut try_at) {
        return Some(found);
    }
    let last = options.len() - 1;
    if last < probe {
        return None;
    }
    let at_last = try_at(last)?;
    (probe..last).find_map(&mut try_at).or(Some(at_last))
}

/// Spreads `entries` over the fewest messages that fit, first-fit decreasing: the biggest are
/// placed first, each in the first message with room; the first message carries the PDF.
/// Each message lists its entries in zip order, and messages are ordered by their first entry
/// (the PDF's message first). With `lenient`, a file too big for any message gets one of its
/// own and the decision says it is over.
fn split(
    req: &FitRequest<'_>,
    rung: Option<Rung>,
    inner: bool,
    copies: bool,
    pdf: u64,
    entries: &[u64],
    lenient: bool,
) -> Result<FitDecision, FitFailure> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    // Stable: equal sizes keep their order, so the plan does not depend on the sort.
    order.sort_by_key(|&i| std::cmp::Reverse(entries[i]));
    let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
    let size_of = |n: usize, part: &[usize]| {
        let chosen: Vec<(usize, u64)> = part.iter().map(|&i| (i, entries[i])).collect();
        req.message((n == 0).then_some(pdf), &chosen)
    };
    let mut over = false;
    for i in order {
        let with = |n: usize, part: &Vec<usize>| {
            let mut part = part.clone();
            part.push(i);
            size_of(n, &part) <= req.budget
        };
        if let Some(n) = (0..parts.len()).find(|&n| with(n, &parts[n])) {
            parts[n].push(i);
        } else if with(1, &Vec::new()) || lenient {
            over |= !with(1, &Vec::new());
            parts.push(vec![i]);
        } else {
            let name = req.entries[i].name.clone();
            let needed = size_of(1, &[i]);
            return Err(FitFailure::TooBig { name, bytes: entries[i], needed, budget: req.budget });
        }
    }
    for part in &mut parts {
        part.sort_unstable();
    }
    let first = parts.remove(0);
    parts.sort_by_key(|part| part[0]);
    parts.insert(0, first);
    let sizes: Vec<u64> = parts.iter().enumerate().map(|(n, part)| size_of(n, part)).collect();
    over |= sizes.iter().any(|&s| s > req.budget);
    Ok(FitDecision { rung, inner, copies, parts, sizes, over })
}

#[cfg(test)]
mod tests;
