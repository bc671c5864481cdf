//! Fitting the mail to its limit, the executing half: measures what `plan::fit` decides on
//! (the merged PDF at each rung of the ladder, the zip's entries as stored, the photos'
//! compacted copies), then applies the decision: compacted images for render, recompressed
//! JPEGs in the input PDFs, copies in the zip and the record that says so.
//!
//! Measurement is lazy: a rung is encoded only when `plan::fit` asks for it, and each image's
//! encoded size is remembered by what decides the encoding (pixel size, quality, lossless), so
//! rungs that give the same pixels are encoded once. An image is decoded for each new density
//! and dropped after it, one per worker at a time: memory holds encoded images, never a
//! folder's worth of decoded ones (a folder of few keeps one raster each, see
//! [`RESIZED_CACHE_BYTES`]; a folder of many measures ahead what the search asks next from
//! each decode, see `Placed::measure_siblings`). The candidate of the last rung measured is
//! kept, so the rung that is chosen (the search stops at it) is not encoded again. An image
//! that no rung changes is never decoded.

use std::collections::HashMap;

use rayon::prelude::*;

use super::Gathered;
use crate::blob::{Blob, Spill};
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
    /// Read only while it is measured or encoded.
    bytes: Blob,
    facts: ImageFacts,
    /// Upright width and height in points.
    placed: (f32, f32),
    /// Bytes it takes in the PDF as it is.
    base: u64,
    /// How it is embedded as it is, without its data (see [`Placement::stubs`]).
    stub: Option<PdfImage>,
    /// A screenshot or diagram; known once decoded (a JPEG never is one).
    graphic: Option<bool>,
    /// Its size (at most `base`) per encoding measured.
    sizes: HashMap<Encoding, u64>,
    /// The image of the last encoding measured, when it is smaller than the original and at
    /// most `keep_limit` bytes.
    last: Option<(Encoding, PdfImage)>,
    /// Its share of the limit on one message: a rung whose image is larger is hardly the one
    /// chosen (the PDF of that rung would not fit), so its image is not kept. The images kept
    /// are thus at most one message's worth, however many photos the folder holds.
    keep_limit: u64,
    /// The decoder or encoder refused it: it stays as it is.
    failed: bool,
    /// It may keep the raster of the last density measured (see [`RESIZED_CACHE_BYTES`]).
    may_keep: bool,
    /// That raster: the other qualities of its density are encoded without decoding again.
    resized: Option<compact::Resized>,
}

/// Rasters kept between measurements (one per placed image, at the best density measured),
/// in all: kept for every image when all of them fit, else for none. A folder of a few photos
/// then tries a second quality for the cost of an encoding (the seven-photo folder builds in
/// 1.6 s rather than 2.1 s); a folder of many is decoded again per density and quality, since
/// keeping a few of its rasters would save little time and hold up to this much memory more
/// (on 300 MB of photos, 444 MB at peak with a partial cache against 329 MiB without).
const RESIZED_CACHE_BYTES: u64 = 128 * 1024 * 1024;

/// What decides an image's encoding at a rung: its pixel size, the JPEG quality, lossless.
type Encoding = ((u32, u32), u8, bool);

impl Placed {
    /// `bytes` placed at `size`, nothing measured yet (its size as it is comes later).
    fn new(bytes: &Blob, facts: &ImageFacts, size: (f32, f32)) -> Placed {
        Placed {
            key: bytes.key(),
            bytes: bytes.clone(),
            facts: facts.clone(),
            placed: size,
            base: 0,
            stub: None,
            graphic: None,
            sizes: HashMap::new(),
            last: None,
            keep_limit: u64::MAX,
            failed: false,
            may_keep: false,
            resized: None,
        }
    }

    /// The encoding `rung` gives, once whether it is a graphic is known.
    fn encoding(&self, rung: Rung) -> Option<Encoding> {
        let graphic = if self.facts.format == ImageFormat::Jpeg { false } else { self.graphic? };
        let lossless = graphic && !rung.lossy_graphics;
        let pixels = compact::pixel_size(&self.facts, self.placed, rung.dpi);
        // A lossless encoding does not depend on the quality.
        Some((pixels, if lossless { 0 } else { rung.quality }, lossless))
    }

    /// Its size at `rung` when known without encoding: as it is (no rung changes it, or it
    /// cannot be decoded), or measured before.
    fn known_size(&self, rung: Rung, ladder: &[Rung]) -> Option<u64> {
        if self.failed || !may_change(self, ladder) {
            return Some(self.base);
        }
        self.encoding(rung).and_then(|e| self.sizes.get(&e)).copied()
    }

    /// Its size at `rung`, encoded now unless already measured.
    fn size_at(&mut self, rung: Rung, ladder: &[Rung]) -> u64 {
        if let Some(size) = self.known_size(rung, ladder) {
            return size;
        }
        // A file that cannot be read again stays as it is here; render reads it once more and
        // reports it with its item.
        let Ok(bytes) = self.bytes.load() else {
            self.failed = true;
            return self.base;
        };
        if let Some(resized) = &self.resized
            && let Some(made) = resized.candidate(&bytes, &self.facts, self.placed, rung)
        {
            let graphic = resized.is_graphic();
            return self.note(made.map(|candidate| (graphic, candidate)));
        }
        let made = Compactor::new(&bytes, &self.facts, self.placed).and_then(|mut compactor| {
            let graphic = compactor.is_graphic();
            let candidate = compactor.candidate(rung)?;
            if !self.may_keep {
                self.graphic = Some(graphic);
                self.measure_siblings(&mut compactor, rung, ladder);
            }
            // The raster of the best density measured is kept: the search measures one small
            // rung to rule a step out, then goes from the best rung down.
            let denser = self.resized.as_ref().is_none_or(|r| compactor.resized_bytes() > r.bytes());
            if self.may_keep && denser {
                self.resized = Some(compactor.into_resized());
            }
            Ok((graphic, candidate))
        });
        self.note(made)
    }

    /// Measures, from the compactor's decoded photo, the rungs the search will ask for next,
    /// when no raster is kept between measurements (many photos) and each would decode the
    /// photo again (on 331 MB of photos, most of the build): the other qualities of `rung`'s
    /// density, which the search tries in turn; and, when `rung` is the ladder's last, every
    /// rung, since the search measures the last only once the best density failed, and goes
    /// down the rungs between when it fits (or a later step does). Each costs an encoding
    /// (and a resize per density); one that fails is simply measured later.
    fn measure_siblings(&mut self, compactor: &mut Compactor<'_>, rung: Rung, ladder: &[Rung]) {
        let everything = ladder.last() == Some(&rung);
        let wanted =
            |r: &&Rung| **r != rung && (everything || (r.dpi, r.lossy_graphics) == (rung.dpi, rung.lossy_graphics));
        for &sibling in ladder.iter().filter(wanted) {
            let Some(encoding) = self.encoding(sibling) else { continue };
            if self.sizes.contains_key(&encoding) || self.encoding(rung) == Some(encoding) {
                continue;
            }
            if let Ok(made) = compactor.candidate(sibling) {
                self.sizes.insert(encoding, (made.size() as u64).min(self.base));
            }
        }
    }

    /// Remembers a measurement (or that the image cannot be compacted) and gives its size.
    fn note(&mut self, made: Result<(bool, compact::Candidate), compact::CompactError>) -> u64 {
        let Ok((graphic, candidate)) = made else {
            self.failed = true;
            return self.base;
        };
        self.graphic = Some(graphic);
        let encoding = self.encoding(candidate.rung).expect("known once decoded");
        let size = (candidate.size() as u64).min(self.base);
        self.sizes.insert(encoding, size);
        self.last =
            (!candidate.kept && size < self.base && size <= self.keep_limit).then_some((encoding, candidate.image));
        size
    }

    /// Its image at `rung` when that is smaller than the original: the one kept from the last
    /// measurement when it is that encoding, else encoded again.
    fn image_at(&mut self, rung: Rung, ladder: &[Rung]) -> Option<PdfImage> {
        if self.failed || !may_change(self, ladder) {
            return None;
        }
        let encoding = self.encoding(rung);
        if let Some((kept, image)) = self.last.take()
            && Some(kept) == encoding
        {
            return Some(image);
        }
        if encoding.and_then(|e| self.sizes.get(&e)).is_some_and(|&size| size >= self.base) {
            return None;
        }
        let bytes = self.bytes.load().ok()?;
        let candidate = Compactor::new(&bytes, &self.facts, self.placed).ok()?.candidate(rung).ok()?;
        (!candidate.kept && (candidate.size() as u64) < self.base).then_some(candidate.image)
    }
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
    pub fn apply(
        &mut self,
        spec: &crate::plan::BundleSpec,
        documents: &mut [lopdf::Document],
    ) -> crate::plan::BundleSpec {
        let mut spec = spec.clone();
        if let Some(rung) = self.decision.rung {
            let mut compacted = compacted_images(&mut self.placed, rung, &compact::ladder());
            // Images no rung made smaller keep the preparation already made of them.
            for (key, image) in std::mem::take(&mut spec.compacted) {
                compacted.entry(key).or_insert(image);
            }
            spec.compacted = compacted;
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
    (placement, baseline): (Placement, u64),
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
    let mut placed = placement.placed;
    let share = delivery.budget / placed.len().max(1) as u64;
    placed.iter_mut().for_each(|p| p.keep_limit = share);
    let mut measurer = Measurer {
        ladder: &ladder,
        baseline,
        placed,
        recompressible: None,
        inner: HashMap::new(),
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

/// The images a bundle places, measured as they are; the start of every fitting.
pub(super) struct Placement {
    placed: Vec<Placed>,
}

impl Placement {
    /// Every image the bundle places, with its size in the PDF as it is (a JPEG's is its
    /// file's, known without reading it).
    pub fn of(gathered: &Gathered, prepared: &Prepared) -> Placement {
        Placement { placed: placed_images(gathered, prepared) }
    }

    /// Bytes the placed images take in the PDF as they are: the merged PDF is larger.
    pub fn image_bytes(&self) -> u64 {
        self.placed.iter().map(|p| p.base).sum()
    }

    /// Each placed image without its data, by the original's hash: a merge with these drawn
    /// instead is the merged PDF as it is, less [`Placement::image_bytes`], made without
    /// reading a photo (see `build::make`). `None` when an image could not be prepared.
    pub fn stubs(&self) -> Option<HashMap<[u8; 32], PdfImage>> {
        self.placed.iter().map(|p| Some((p.key, p.stub.clone()?))).collect()
    }
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
fn placed_images(gathered: &Gathered, prepared: &Prepared) -> Vec<Placed> {
    use crate::render::{markdown::note_image_size, pages::image_page_placement};
    let mut by_key: HashMap<[u8; 32], usize> = HashMap::new();
    let mut placed: Vec<Placed> = Vec::new();
    let mut add = |bytes: &Blob, facts: &ImageFacts, size: (f32, f32)| {
        let key = bytes.key();
        match by_key.get(&key) {
            Some(&i) => {
                let p = &mut placed[i].placed;
                *p = (p.0.max(size.0), p.1.max(size.1));
            }
            None => {
                by_key.insert(key, placed.len());
                placed.push(Placed::new(bytes, facts, size));
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
    placed.par_iter_mut().for_each(|p| (p.base, p.stub) = base_size(&p.bytes, &p.facts, prepared));
    // Every raster at the best density, or none. A photo's raster is RGB, 3 bytes a pixel (a
    // CMYK scan's 4, a greyscale one's 1): counted as RGB.
    let best = compact::ladder()[0].dpi;
    let rasters: u64 = placed
        .iter()
        .map(|p| compact::pixel_size(&p.facts, p.placed, best))
        .map(|(w, h)| u64::from(w) * u64::from(h) * 3)
        .sum();
    placed.iter_mut().for_each(|p| p.may_keep = rasters <= RESIZED_CACHE_BYTES);
    placed
}

/// Bytes an image takes in the PDF as it is: a JPEG is embedded as it is (known without reading
/// it), anything else as render prepares it.
fn base_size(bytes: &Blob, facts: &ImageFacts, prepared: &Prepared) -> (u64, Option<PdfImage>) {
    use crate::render::image::prepare;
    if facts.format == ImageFormat::Jpeg {
        // A JPEG's PDF image is its facts and its bytes: prepared from no bytes, it is the stub.
        return (bytes.len(), prepare(&[], facts).ok());
    }
    if let Some(known) = prepared.measure(&bytes.key()) {
        return known;
    }
    let Ok(loaded) = bytes.load() else { return (bytes.len(), None) };
    match prepare(&loaded, facts) {
        Ok(image) => {
            let size = (image_size(&image), Some(image.without_data()));
            prepared.keep(bytes.key(), image);
            size
        }
        Err(_) => (bytes.len(), None),
    }
}

/// Images other than JPEGs as render prepares them (a PNG screenshot decoded and deflated, a
/// 16-bit PNG brought to 8 bits), by the original's hash, for the whole run: measuring a
/// bundle prepares each one, and without this render prepared it again, for every recipient
/// (half of a corpus build's work). Kept up to [`Prepared::LIMIT`] bytes of image data; past it
/// an image is prepared again when needed.
#[derive(Default)]
pub struct Prepared {
    images: std::sync::Mutex<(HashMap<[u8; 32], PdfImage>, u64)>,
}

impl Prepared {
    /// Bytes of image data kept at most.
    pub const LIMIT: u64 = 48 * 1024 * 1024;

    /// The size and the stub of an image prepared before (its data is not copied).
    fn measure(&self, key: &[u8; 32]) -> Option<(u64, Option<PdfImage>)> {
        let guard = self.images.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.get(key).map(|image| (image_size(image), Some(image.without_data())))
    }

    fn keep(&self, key: [u8; 32], image: PdfImage) {
        let mut guard = self.images.lock().unwrap_or_else(|p| p.into_inner());
        let (images, bytes) = &mut *guard;
        let size = image_size(&image);
        if *bytes + size <= Self::LIMIT && !images.contains_key(&key) {
            *bytes += size;
            images.insert(key, image);
        }
    }

    /// The prepared images among `placement`'s, for render to draw without preparing them.
    pub fn for_placement(&self, placement: &Placement) -> HashMap<[u8; 32], PdfImage> {
        let guard = self.images.lock().unwrap_or_else(|p| p.into_inner());
        placement.placed.iter().filter_map(|p| Some((p.key, guard.0.get(&p.key)?.clone()))).collect()
    }
}

fn image_size(image: &PdfImage) -> u64 {
    (image.data.len() + image.smask.as_ref().map_or(0, |m| m.data.len())) as u64
}

/// Whether any rung could change the image: a JPEG already at or below every density is left
/// as it is without being decoded; anything else (a PNG photo may become a JPEG) is measured.
fn may_change(p: &Placed, ladder: &[Rung]) -> bool {
    p.facts.format != ImageFormat::Jpeg || ladder.iter().any(|&r| compact::needs_change(&p.facts, p.placed, r))
}

/// The compacted images at `rung`, by the original's hash; images a rung does not make
/// smaller are left out (render draws the original).
fn compacted_images(placed: &mut [Placed], rung: Rung, ladder: &[Rung]) -> HashMap<[u8; 32], PdfImage> {
    placed.par_iter_mut().filter_map(|p| Some((p.key, p.image_at(rung, ladder)?))).collect()
}

struct Measurer<'a> {
    ladder: &'a [Rung],
    baseline: u64,
    placed: Vec<Placed>,
    /// The JPEGs inside the input PDFs that a rung may recompress; found when first needed.
    recompressible: Option<Vec<compact::pdf::Recompressible<'a>>>,
    /// Bytes saved inside the input PDFs, per (density, quality) measured.
    inner: HashMap<(u16, u8), u64>,
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
        let ladder = self.ladder;
        let before: u64 = self.placed.iter().map(|p| p.base).sum();
        let after: u64 = self.placed.par_iter_mut().map(|p| p.size_at(rung, ladder)).sum();
        let mut size = self.baseline.saturating_sub(before - after.min(before));
        if inner {
            size = size.saturating_sub(self.inner_saving(rung));
        }
        size
    }

    fn pdf_floor(&mut self) -> u64 {
        let ladder = self.ladder;
        let placed: u64 = self.placed.iter().filter(|p| may_change(p, ladder)).map(|p| p.base).sum();
        let inner: u64 = self.recompressible().iter().map(|r| r.bytes()).sum();
        self.baseline.saturating_sub(placed + inner)
    }

    fn entry_sizes(&mut self, copies: bool) -> Vec<u64> {
        let originals: Vec<u64> = match self.packed_originals() {
            Ok(packed) => packed.iter().map(PackedEntry::stored_size).collect(),
            // Packing fails again, with its error, when the zip is written.
            Err(_) => self.zip_entries.iter().map(|e| e.bytes.len()).collect(),
        };
        if !copies {
            return originals;
        }
        let copies = self.packed_copies();
        originals.iter().zip(copies).map(|(&o, c)| c.as_ref().map_or(o, |(p, _)| p.stored_size())).collect()
    }
}

impl<'a> Measurer<'a> {
    /// Bytes saved by recompressing the input PDFs' JPEGs at `rung` (measured once per density
    /// and quality).
    fn inner_saving(&mut self, rung: Rung) -> u64 {
        if let Some(&saving) = self.inner.get(&(rung.dpi, rung.quality)) {
            return saving;
        }
        let saving = self.recompressible().iter().map(|r| r.saving(rung)).sum();
        self.inner.insert((rung.dpi, rung.quality), saving);
        saving
    }

    /// The input PDFs' JPEGs that a rung may recompress, found once.
    fn recompressible(&mut self) -> &[compact::pdf::Recompressible<'a>] {
        let (documents, ladder) = (self.documents, self.ladder);
        self.recompressible.get_or_insert_with(|| {
            documents.iter().map(|d| compact::pdf::Recompressible::new(d, ladder)).filter(|r| !r.is_empty()).collect()
        })
    }

    fn packed_originals(&mut self) -> Result<&Vec<PackedEntry>, &pack::PackError> {
        let (entries, names) = (self.zip_entries, self.names);
        self.originals.get_or_insert_with(|| pack::pack_named(entries, names)).as_ref()
    }

    /// A compacted copy for each JPEG/PNG photo that gets smaller, packed under its name.
    ///
    /// A photo that is also placed on a page is decoded once for two encodings: its copy and
    /// its image at the ladder's best rung, which the search asks for next (step 3 measures the
    /// PDF beside the copies, best rung first).
    fn packed_copies(&mut self) -> &Vec<Option<(PackedEntry, ZipCopy)>> {
        if self.copies.is_none() {
            let hashes: Vec<Option<String>> = match self.packed_originals() {
                Ok(packed) => packed.iter().map(|p| Some(p.sha256.clone())).collect(),
                Err(_) => vec![None; self.names.len()],
            };
            let by_hash: HashMap<String, usize> =
                self.placed.iter().enumerate().map(|(i, p)| (hex::encode(p.key), i)).collect();
            let (ladder, placed, best) = (self.ladder, &self.placed, self.ladder[0]);
            // Where no temporary file can be made, the copies stay in memory.
            let spill = crate::files::spill_file().ok().map(Spill::new);
            type Made = Result<(bool, compact::Candidate), compact::CompactError>;
            type Shared = Option<(usize, Made, Option<compact::Resized>)>;
            let made: Vec<(Option<(PackedEntry, ZipCopy)>, Shared)> = self
                .gathered
                .originals
                .par_iter()
                .zip(self.names.par_iter())
                .zip(hashes.par_iter())
                .map(|((original, name), hash)| {
                    let Some(facts) = original.image.as_ref().filter(|f| compact::wants_copy(f, ZIP_LONG_SIDE)) else {
                        return (None, None);
                    };
                    let Ok(bytes) = original.entry.bytes.load() else { return (None, None) };
                    let shared = hash
                        .as_ref()
                        .and_then(|h| by_hash.get(h))
                        .filter(|&&i| placed[i].known_size(best, ladder).is_none());
                    let (copy, shared) = match shared {
                        Some(&i) => match Compactor::new(&bytes, &placed[i].facts, placed[i].placed) {
                            Ok(mut compactor) => {
                                let copy = compact::zip_copy_from(compactor.raster(), &bytes, facts, ZIP_LONG_SIDE);
                                let graphic = compactor.is_graphic();
                                let candidate = compactor.candidate(best).map(|c| (graphic, c));
                                let resized = placed[i].may_keep.then(|| compactor.into_resized());
                                (copy, Some((i, candidate, resized)))
                            }
                            Err(e) => (Err(e.clone()), Some((i, Err(e), None))),
                        },
                        None => (compact::zip_copy(&bytes, facts, ZIP_LONG_SIDE), None),
                    };
                    // The copy's bytes go to the spill file: a folder's copies are not held.
                    let packed = copy.ok().flatten().and_then(|mut c| {
                        let bytes = std::mem::take(&mut c.bytes);
                        let blob = match &spill {
                            Some(spill) => spill.put(&bytes).unwrap_or_else(|_| Blob::from(bytes)),
                            None => Blob::from(bytes),
                        };
                        Some((pack::pack_blob(name, &blob).ok()?, c))
                    });
                    (packed, shared)
                })
                .collect();
            let mut copies = Vec::with_capacity(made.len());
            for (copy, shared) in made {
                if let Some((i, candidate, resized)) = shared
                    && self.placed[i].known_size(best, ladder).is_none()
                {
                    self.placed[i].note(candidate);
                    self.placed[i].resized = resized;
                }
                copies.push(copy);
            }
            self.copies = Some(copies);
        }
        self.copies.as_ref().expect("set above")
    }

    /// The entries the decision chose, the record that says which are copies, and the numbers
    /// for the summary.
    fn finish(mut self, decision: FitDecision, record: &Record) -> Result<Fitting, pack::PackError> {
        let mut record = record.clone();
        let (images, inner_saving) = self.compaction_figures(&decision);
        // The decision is made: the kept rasters are not needed any more.
        self.placed.iter_mut().for_each(|p| p.resized = None);
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
            copies_bytes.1 += copy.to_len;
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
        let ladder = self.ladder;
        let changed: Vec<(u64, u64)> = self
            .placed
            .iter_mut()
            .map(|p| (p.base, p.size_at(rung, ladder)))
            .filter(|(base, size)| size < base)
            .collect();
        let inner = if decision.inner { self.inner_saving(rung) } else { 0 };
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A photo-like JPEG: colour fields with grain.
    fn photo(w: u16, h: u16) -> Vec<u8> {
        let mut seed = 0x2545_f491u32;
        let pixels: Vec<u8> = (0..usize::from(w) * usize::from(h) * 3)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                ((i / 3 % usize::from(w)) as u32 / 3 + seed % 23) as u8
            })
            .collect();
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 95).encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    }

    fn placed(jpeg: &[u8], may_keep: bool) -> Placed {
        let facts = crate::render::image::sniff(jpeg).expect("a JPEG");
        let mut placed = Placed::new(&Blob::memory(Arc::new(jpeg.to_vec())), &facts, (100.0, 75.0));
        (placed.base, placed.may_keep) = (jpeg.len() as u64, may_keep);
        placed
    }

    #[test]
    fn without_rasters_kept_one_decode_measures_its_density_and_the_last_rung_every_rung() {
        let ladder = compact::ladder();
        let jpeg = photo(640, 480);
        let mut many = placed(&jpeg, false);
        let (best, last) = (ladder[0], *ladder.last().unwrap());
        many.size_at(best, &ladder);
        for rung in &ladder {
            let known = many.known_size(*rung, &ladder).is_some();
            assert_eq!(known, rung.dpi == best.dpi, "{rung:?} after measuring the best rung");
        }
        many.size_at(last, &ladder);
        // Every size is the one a decode for that rung alone gives.
        for rung in &ladder {
            let alone = placed(&jpeg, true).size_at(*rung, &ladder);
            assert_eq!(many.known_size(*rung, &ladder), Some(alone), "{rung:?}");
        }
        // With rasters kept, nothing is measured ahead.
        let mut few = placed(&jpeg, true);
        few.size_at(best, &ladder);
        assert!(few.known_size(ladder[1], &ladder).is_none());
    }
}
