//! Fitting the mail to its limit, the executing half: measures what `plan::fit` decides on
//! (the merged PDF at each rung of the ladder, the zip's entries as stored, the photos'
//! compacted copies), then applies the decision: compacted images for render, recompressed
//! JPEGs in the input PDFs, copies in the zip and the record that says so.
//!
//! Every image is decoded at most once per measurement and once more when its rung is applied;
//! an image that no rung changes is never decoded. Images are handled in parallel, one per
//! worker at a time.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use sha2::Digest;

use super::{Gathered, Merged};
use crate::compact::{self, Compactor, Rung, ZIP_LONG_SIDE, ZipCopy};
use crate::error::{BundleError, Error};
use crate::inspect::{ImageFacts, ImageFormat};
use crate::pack::{self, PackedEntry};
use crate::plan::fit::{self, EntryCost, FitDecision, FitFailure, FitRequest, Measure};
use crate::plan::{BundlePlan, Delivery, FileBody};
use crate::record::{Compaction, Record};
use crate::render::image::PdfImage;

/// An image dossier places on a page, with the largest size it is placed at.
struct Placed {
    key: [u8; 32],
    bytes: Arc<Vec<u8>>,
    facts: ImageFacts,
    /// Upright width and height in points.
    placed: (f32, f32),
    /// Bytes it takes in the PDF as it is.
    base: u64,
}

/// The measurements and the decision, ready to apply.
pub(super) struct Fitting {
    /// What `plan::fit` decided.
    pub decision: FitDecision,
    /// The plan's record with the copies in the zip (their hashes, and the originals').
    pub record: Record,
    /// The zip's entries in zip order: originals, or compacted copies where decided.
    pub entries: Vec<PackedEntry>,
    /// "현장사진_1.jpg: 4000×3000 → 2000×1500, 4.2 MB → 0.5 MB" for each copy.
    pub copies: Vec<String>,
    /// Bytes of the original photos that were replaced, and of their copies.
    pub copies_bytes: (u64, u64),
    /// Placed images changed, their bytes before and after.
    pub images: (usize, u64, u64),
    /// Bytes saved by recompressing JPEGs inside input PDFs.
    pub inner_saving: u64,
    placed: Vec<Placed>,
}

impl Fitting {
    /// The merged PDF must be made again: images compacted, or the record changed.
    pub fn changes_pdf(&self) -> bool {
        self.decision.rung.is_some() || self.decision.copies
    }

    /// The spec with the compacted images, and the input documents with their JPEGs
    /// recompressed when the decision says so.
    pub fn apply(&self, spec: &crate::plan::BundleSpec, documents: &mut [lopdf::Document]) -> crate::plan::BundleSpec {
        let mut spec = spec.clone();
        if let Some(rung) = self.decision.rung {
            spec.compacted = compacted_images(&self.placed, rung, &compact::ladder());
            if self.decision.inner {
                documents.par_iter_mut().for_each(|doc| {
                    compact::pdf::recompress(doc, rung);
                });
            }
        }
        spec
    }
}

/// Measures, decides and prepares the zip's entries.
pub(super) fn fit(
    plan: &BundlePlan,
    delivery: &Delivery,
    gathered: &Gathered,
    baseline: &Merged,
    record: &Record,
) -> Result<Fitting, Error> {
    let bundle_error = |source| Error::Bundle { recipient: plan.recipient.clone(), source };
    let ladder = compact::ladder();
    let zip_entries: Vec<pack::ZipEntry> = gathered.originals.iter().map(|o| o.entry.clone()).collect();
    let names = pack::entry_names(&zip_entries);
    let request = FitRequest {
        budget: delivery.budget,
        attach: delivery.attach,
        fit: delivery.fit,
        keep_originals: delivery.keep_originals,
        split: delivery.split,
        ladder: &ladder,
        overhead: super::deliver::message_overhead(plan, delivery),
        entries: names
            .iter()
            .map(|n| EntryCost {
                name: n.clone(),
                zip_extra: pack::entry_overhead(n),
                body: crate::mail::body_line_bound(n),
            })
            .collect(),
        zip_fixed: pack::ZIP_FIXED + record_bound(record),
        pdf: EntryCost {
            name: plan.pdf_name.clone(),
            zip_extra: pack::entry_overhead(&plan.pdf_name),
            body: crate::mail::body_line_bound(&plan.pdf_name),
        },
    };
    let mut measurer = Measurer {
        ladder: &ladder,
        baseline: baseline.pdf.len() as u64,
        placed: placed_images(gathered),
        image_sizes: None,
        inner: None,
        documents: &gathered.documents,
        names: &names,
        zip_entries: &zip_entries,
        originals: None,
        copies: None,
        gathered,
    };
    let decision =
        fit::decide(&request, &mut measurer).map_err(|FitFailure::TooBig { name, bytes, needed, budget }| {
            bundle_error(BundleError::Split { budget, file: name, bytes, needed })
        })?;
    measurer.finish(decision, record).map_err(|e| bundle_error(BundleError::Zip(e)))
}

/// The record's size in each zip, with room for the PDF's hash and page count it gains.
fn record_bound(record: &Record) -> u64 {
    let name = crate::record::RECORD_FILE;
    let json = record.to_json();
    let stored = pack::pack_one(name, &json).map_or(json.len() as u64, |p| p.stored_size());
    stored + 256 + pack::entry_overhead(name)
}

/// Every image placed on a page (image items and images in notes), once, at the largest size
/// it is placed at.
fn placed_images(gathered: &Gathered) -> Vec<Placed> {
    use crate::render::{markdown::note_image_size, pages::image_page_placement};
    let mut by_key: HashMap<[u8; 32], usize> = HashMap::new();
    let mut placed: Vec<Placed> = Vec::new();
    let mut add = |bytes: &Arc<Vec<u8>>, facts: &ImageFacts, size: (f32, f32)| {
        let key: [u8; 32] = sha2::Sha256::digest(bytes.as_slice()).into();
        match by_key.get(&key) {
            Some(&i) => {
                let p = &mut placed[i].placed;
                *p = (p.0.max(size.0), p.1.max(size.1));
            }
            None => {
                by_key.insert(key, placed.len());
                placed.push(Placed { key, bytes: bytes.clone(), facts: facts.clone(), placed: size, base: 0 });
            }
        }
    };
    for file in gathered.spec.sections.iter().flat_map(|s| &s.files) {
        match &file.body {
            FileBody::Image { bytes, facts } => add(bytes, facts, image_page_placement(facts.upright_size())),
            FileBody::Text { images, .. } => {
                for image in images {
                    let (w, h) = image.facts.upright_size();
                    add(&image.bytes, &image.facts, note_image_size((w as f32, h as f32)));
                }
            }
            _ => {}
        }
    }
    placed.par_iter_mut().for_each(|p| {
        p.base = crate::render::image::prepare(&p.bytes, &p.facts).map_or(p.bytes.len() as u64, |i| image_size(&i));
    });
    placed
}

fn image_size(image: &PdfImage) -> u64 {
    (image.data.len() + image.smask.as_ref().map_or(0, |m| m.data.len())) as u64
}

/// Whether any rung could change the image: a JPEG already at or below every density is left
/// as it is without being decoded; anything else (a PNG photo may become a JPEG) is measured.
fn may_change(p: &Placed, ladder: &[Rung]) -> bool {
    p.facts.format != ImageFormat::Jpeg || ladder.iter().any(|&r| compact::needs_change(&p.facts, p.placed, r))
}

/// The image's size at every rung (its size as it is where a rung would not make it smaller).
fn ladder_sizes(p: &Placed, ladder: &[Rung]) -> Vec<u64> {
    if !may_change(p, ladder) {
        return vec![p.base; ladder.len()];
    }
    let Ok(mut compactor) = Compactor::new(&p.bytes, &p.facts, p.placed) else {
        return vec![p.base; ladder.len()];
    };
    let graphic = compactor.is_graphic();
    let mut seen: HashMap<(u16, u8, bool), u64> = HashMap::new();
    ladder
        .iter()
        .map(|&rung| {
            // For a photo the lossy-graphics rungs are the same encodings again.
            let key = (rung.dpi, rung.quality, graphic && rung.lossy_graphics);
            *seen
                .entry(key)
                .or_insert_with(|| compactor.candidate(rung).map_or(p.base, |c| (c.size() as u64).min(p.base)))
        })
        .collect()
}

/// The compacted images at `rung`, by the original's hash; images a rung does not make
/// smaller are left out (render draws the original).
fn compacted_images(placed: &[Placed], rung: Rung, ladder: &[Rung]) -> HashMap<[u8; 32], PdfImage> {
    placed
        .par_iter()
        .filter(|p| may_change(p, ladder))
        .filter_map(|p| {
            let candidate = Compactor::new(&p.bytes, &p.facts, p.placed).ok()?.candidate(rung).ok()?;
            (!candidate.kept && (candidate.size() as u64) < p.base).then_some((p.key, candidate.image))
        })
        .collect()
}

struct Measurer<'a> {
    ladder: &'a [Rung],
    baseline: u64,
    placed: Vec<Placed>,
    /// Per placed image, its size at each rung; measured on the first rung asked for.
    image_sizes: Option<Vec<Vec<u64>>>,
    /// Bytes saved inside the input PDFs at each rung; measured when first asked for.
    inner: Option<Vec<u64>>,
    documents: &'a [lopdf::Document],
    names: &'a [String],
    zip_entries: &'a [pack::ZipEntry],
    originals: Option<Result<Vec<PackedEntry>, pack::PackError>>,
    copies: Option<Vec<Option<(PackedEntry, ZipCopy)>>>,
    gathered: &'a Gathered,
}

impl Measure for Measurer<'_> {
    fn pdf_size(&mut self, rung: Option<Rung>, inner: bool) -> u64 {
        let Some(rung) = rung else { return self.baseline };
        let at = self.ladder.iter().position(|&r| r == rung).unwrap_or(0);
        let (placed, ladder) = (&self.placed, self.ladder);
        let sizes =
            self.image_sizes.get_or_insert_with(|| placed.par_iter().map(|p| ladder_sizes(p, ladder)).collect());
        let before: u64 = self.placed.iter().map(|p| p.base).sum();
        let after: u64 = sizes.iter().map(|s| s[at]).sum();
        let mut size = self.baseline.saturating_sub(before - after.min(before));
        if inner {
            let documents = self.documents;
            let savings = self.inner.get_or_insert_with(|| {
                let per_doc: Vec<Vec<u64>> = documents.iter().map(|d| compact::pdf::savings(d, ladder)).collect();
                (0..ladder.len()).map(|i| per_doc.iter().map(|s| s[i]).sum()).collect()
            });
            size = size.saturating_sub(savings[at]);
        }
        size
    }

    fn entry_sizes(&mut self, copies: bool) -> Vec<u64> {
        let originals: Vec<u64> = match self.packed_originals() {
            Ok(packed) => packed.iter().map(PackedEntry::stored_size).collect(),
            // Packing fails again, with its error, when the zip is written.
            Err(_) => self.zip_entries.iter().map(|e| e.bytes.len() as u64).collect(),
        };
        if !copies {
            return originals;
        }
        let copies = self.packed_copies();
        originals.iter().zip(copies).map(|(&o, c)| c.as_ref().map_or(o, |(p, _)| p.stored_size())).collect()
    }
}

impl Measurer<'_> {
    fn packed_originals(&mut self) -> Result<&Vec<PackedEntry>, &pack::PackError> {
        let (entries, names) = (self.zip_entries, self.names);
        self.originals.get_or_insert_with(|| pack::pack_named(entries, names)).as_ref()
    }

    /// A compacted copy for each JPEG/PNG photo that gets smaller, packed under its name.
    fn packed_copies(&mut self) -> &Vec<Option<(PackedEntry, ZipCopy)>> {
        let (gathered, names) = (self.gathered, self.names);
        self.copies.get_or_insert_with(|| {
            gathered
                .originals
                .par_iter()
                .zip(names.par_iter())
                .map(|(original, name)| {
                    let facts = original.image.as_ref()?;
                    let copy = compact::zip_copy(&original.entry.bytes, facts, ZIP_LONG_SIDE).ok()??;
                    let packed = pack::pack_one(name, &copy.bytes).ok()?;
                    Some((packed, copy))
                })
                .collect()
        })
    }

    /// The entries the decision chose, the record that says which are copies, and the numbers
    /// for the summary.
    fn finish(mut self, decision: FitDecision, record: &Record) -> Result<Fitting, pack::PackError> {
        let mut record = record.clone();
        let (images, inner_saving) = self.compaction_figures(&decision);
        let originals = match self.originals.take() {
            Some(packed) => packed?,
            None => pack::pack_named(self.zip_entries, self.names)?,
        };
        let mut copies_taken: Vec<Option<(PackedEntry, ZipCopy)>> = match (decision.copies, self.copies.take()) {
            (true, Some(copies)) => copies,
            _ => Vec::new(),
        };
        copies_taken.resize_with(originals.len(), || None);
        let mut descriptions = Vec::new();
        let mut copies_bytes = (0, 0);
        let mut entries = Vec::with_capacity(originals.len());
        for (original, copy) in originals.into_iter().zip(copies_taken) {
            let Some((packed, copy)) = copy else {
                entries.push(original);
                continue;
            };
            let name = original.name.clone();
            descriptions.push(copy.description(&name));
            copies_bytes.0 += copy.from_len;
            copies_bytes.1 += copy.bytes.len() as u64;
            note_copy(&mut record, &original, &packed);
            entries.push(packed);
        }
        Ok(Fitting {
            decision,
            record,
            entries,
            copies: descriptions,
            copies_bytes,
            images,
            inner_saving,
            placed: self.placed,
        })
    }

    /// (images changed, bytes before, bytes after) and the bytes saved inside input PDFs, at
    /// the chosen rung.
    fn compaction_figures(&mut self, decision: &FitDecision) -> ((usize, u64, u64), u64) {
        let Some(rung) = decision.rung else { return ((0, 0, 0), 0) };
        let at = self.ladder.iter().position(|&r| r == rung).unwrap_or(0);
        let sizes = self.image_sizes.clone().unwrap_or_default();
        let changed: Vec<(u64, u64)> =
            self.placed.iter().zip(&sizes).filter(|(p, s)| s[at] < p.base).map(|(p, s)| (p.base, s[at])).collect();
        let inner = if decision.inner { self.inner.as_ref().map_or(0, |s| s[at]) } else { 0 };
        ((changed.len(), changed.iter().map(|c| c.0).sum(), changed.iter().map(|c| c.1).sum()), inner)
    }
}

/// The record lists the copy (its hash and size) and, under `compaction`, the original's.
fn note_copy(record: &mut Record, original: &PackedEntry, copy: &PackedEntry) {
    for file in record.items.iter_mut().flat_map(|i| i.files.iter_mut()) {
        if file.zip_path == original.name {
            file.sha256 = copy.sha256.clone();
            file.bytes = copy.bytes;
        }
    }
    record.compaction.push(Compaction {
        zip_path: original.name.clone(),
        original_sha256: original.sha256.clone(),
        original_bytes: original.bytes,
    });
}
