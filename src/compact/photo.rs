//! Images that dossier places: bytes, [`ImageFacts`] and the placed size in, one
//! [`Candidate`] per [`Rung`] out, each a [`PdfImage`] ready for render.
//!
//! The image is decoded once ([`Compactor::new`]); a candidate is resized and encoded only when
//! asked for, and the last resized raster is kept, so walking a ladder density by density
//! resizes once per density. EXIF orientation is not baked in: the candidate keeps it and
//! render's orientation matrix draws it upright, exactly as for the original.

use super::raster::{Raster, encode_jpeg};
use super::{CompactError, Rung};
use crate::inspect::{ColorModel, ImageFacts, ImageFormat};
use crate::render::image::{ColorSpace, Filter, PdfImage, flate_image};

/// A re-encoded JPEG at the original pixel size that saves less than this share of the
/// original is not worth a generation of JPEG loss: the original is kept instead.
const MIN_SAVING_PERCENT: usize = 10;

/// The stored pixel size (before orientation) for `dpi` at the placed size `placed_pt`
/// (upright width and height in points): the smallest size with at least `dpi` on both axes,
/// never larger than the image itself.
pub fn pixel_size(facts: &ImageFacts, placed_pt: (f32, f32), dpi: u16) -> (u32, u32) {
    let (uw, uh) = facts.upright_size();
    let want = |pt: f32| (pt.max(0.0) / 72.0 * f32::from(dpi)).ceil();
    let scale = (want(placed_pt.0) / uw.max(1) as f32).max(want(placed_pt.1) / uh.max(1) as f32);
    if scale.is_nan() || scale >= 1.0 {
        return (facts.width, facts.height);
    }
    let side = |n: u32| ((n as f32 * scale).round() as u32).clamp(1, n);
    (side(facts.width), side(facts.height))
}

/// Whether the image is denser than `rung` where it is placed, so that rung would change it.
/// An image that needs no change is never decoded.
pub fn needs_change(facts: &ImageFacts, placed_pt: (f32, f32), rung: Rung) -> bool {
    pixel_size(facts, placed_pt, rung.dpi) != (facts.width, facts.height)
}

/// One rung's version of the image.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The rung it was made for.
    pub rung: Rung,
    /// The image to draw, orientation included.
    pub image: PdfImage,
    /// The original's own JPEG data, unchanged (re-encoding would not have saved enough).
    pub kept: bool,
}

impl Candidate {
    /// Bytes this image adds to the PDF: its data and its soft mask's.
    pub fn size(&self) -> usize {
        self.image.data.len() + self.image.smask.as_ref().map_or(0, |m| m.data.len())
    }

    /// Stored lossless (FlateDecode), not JPEG.
    pub fn lossless(&self) -> bool {
        self.image.filter == Filter::FlatePng
    }
}

/// An image decoded once, ready to be compacted to any rung.
pub struct Compactor<'a> {
    bytes: &'a [u8],
    facts: ImageFacts,
    placed_pt: (f32, f32),
    raster: Raster,
    graphic: bool,
    resized: Option<Raster>,
}

impl<'a> Compactor<'a> {
    /// Decodes `bytes` (an image with these inspected `facts`) placed at `placed_pt` (upright
    /// width and height in points on the page).
    pub fn new(bytes: &'a [u8], facts: &ImageFacts, placed_pt: (f32, f32)) -> Result<Self, CompactError> {
        let raster = match facts.format {
            ImageFormat::Jpeg => Raster::from_jpeg(bytes)?,
            _ => Raster::from_other(bytes)?,
        };
        if (raster.width, raster.height) != (facts.width, facts.height) {
            return Err(CompactError::Decode(format!(
                "decoded {}×{}, the header says {}×{}",
                raster.width, raster.height, facts.width, facts.height
            )));
        }
        // Only lossless sources can be screenshots: a JPEG has already lost what JPEG loses.
        let graphic = facts.format != ImageFormat::Jpeg && raster.is_graphic();
        Ok(Compactor { bytes, facts: facts.clone(), placed_pt, raster, graphic, resized: None })
    }

    /// A screenshot or diagram (few colours, lossless source): kept lossless unless a rung
    /// with `lossy_graphics` asks otherwise.
    pub fn is_graphic(&self) -> bool {
        self.graphic
    }

    /// The decoded image, at its stored size and orientation.
    pub fn raster(&self) -> &Raster {
        &self.raster
    }

    /// The image for `rung`, resized (never up) and encoded now.
    pub fn candidate(&mut self, rung: Rung) -> Result<Candidate, CompactError> {
        let size = pixel_size(&self.facts, self.placed_pt, rung.dpi);
        let (bytes, graphic) = (self.bytes, self.graphic);
        let facts = self.facts.clone();
        let raster = self.resized_to(size)?;
        encode(raster, &facts, bytes, graphic, rung)
    }

    /// Bytes of the raster [`Compactor::into_resized`] gives.
    pub fn resized_bytes(&self) -> usize {
        self.resized.as_ref().unwrap_or(&self.raster).samples.len()
    }

    /// The raster of the last density asked for (resized, or the decoded image when that
    /// density keeps every pixel), so the other qualities of that density can be encoded from
    /// it without decoding again.
    pub fn into_resized(self) -> Resized {
        let raster = self.resized.unwrap_or(self.raster);
        Resized { raster, graphic: self.graphic }
    }

    /// Every rung's candidate, in the order given (each resize done once per density when the
    /// ladder is density-major, as [`super::ladder`] is).
    pub fn ladder(&mut self, rungs: &[Rung]) -> Result<Vec<Candidate>, CompactError> {
        rungs.iter().map(|&rung| self.candidate(rung)).collect()
    }

    /// The first candidate, in ladder order, of at most `budget` bytes.
    pub fn fit(&mut self, rungs: &[Rung], budget: usize) -> Result<Option<Candidate>, CompactError> {
        for &rung in rungs {
            let candidate = self.candidate(rung)?;
            if candidate.size() <= budget {
                return Ok(Some(candidate));
            }
        }
        Ok(None)
    }

    fn resized_to(&mut self, size: (u32, u32)) -> Result<&Raster, CompactError> {
        if size == (self.raster.width, self.raster.height) {
            return Ok(&self.raster);
        }
        if self.resized.as_ref().is_none_or(|r| (r.width, r.height) != size) {
            self.resized = Some(self.raster.resized(size.0, size.1)?);
        }
        Ok(self.resized.as_ref().expect("set above"))
    }
}

/// An image at the pixel size of one density: every quality of that density is encoded from it
/// ([`Compactor::into_resized`]).
pub struct Resized {
    raster: Raster,
    graphic: bool,
}

impl Resized {
    /// The image for `rung` when `rung` asks for this pixel size, else `None`.
    pub fn candidate(
        &self,
        bytes: &[u8],
        facts: &ImageFacts,
        placed_pt: (f32, f32),
        rung: Rung,
    ) -> Option<Result<Candidate, CompactError>> {
        let size = pixel_size(facts, placed_pt, rung.dpi);
        ((self.raster.width, self.raster.height) == size)
            .then(|| encode(&self.raster, facts, bytes, self.graphic, rung))
    }

    /// Whether it is a screenshot or diagram (see [`Compactor::is_graphic`]).
    pub fn is_graphic(&self) -> bool {
        self.graphic
    }

    /// Bytes it holds.
    pub fn bytes(&self) -> usize {
        self.raster.samples.len()
    }
}

/// `raster` (the image at the rung's pixel size) encoded for `rung`: JPEG, or lossless for a
/// graphic on a rung that keeps graphics lossless; the original's own JPEG when re-encoding at
/// its own size would not save enough.
fn encode(
    raster: &Raster,
    facts: &ImageFacts,
    bytes: &[u8],
    graphic: bool,
    rung: Rung,
) -> Result<Candidate, CompactError> {
    let size = (raster.width, raster.height);
    let native = size == (facts.width, facts.height);
    let lossless = graphic && !rung.lossy_graphics;
    let orientation = facts.orientation.filter(|o| (1..=8).contains(o)).unwrap_or(1);
    let invert = facts.adobe && raster.color == ColorSpace::Cmyk;
    let (colour, alpha) = raster.split_alpha();
    let smask = alpha.map(|a| Box::new(flate_image(size.0, size.1, ColorSpace::Gray, &a, orientation, None)));
    let image = if lossless {
        flate_image(size.0, size.1, raster.color, &colour, orientation, smask)
    } else {
        let data = encode_jpeg(&colour, size, raster.color, rung.quality, raster.icc.as_deref())?;
        PdfImage {
            width: size.0,
            height: size.1,
            color: raster.color,
            bits: 8,
            filter: Filter::Dct,
            invert,
            data,
            smask,
            orientation,
        }
    };
    let candidate = Candidate { rung, image, kept: false };
    if native && facts.format == ImageFormat::Jpeg && !saves_enough(candidate.size(), bytes.len()) {
        return Ok(original(bytes, facts, rung, orientation, invert));
    }
    Ok(candidate)
}

/// The original JPEG as it is.
fn original(bytes: &[u8], facts: &ImageFacts, rung: Rung, orientation: u16, invert: bool) -> Candidate {
    let color = match facts.color {
        ColorModel::Gray => ColorSpace::Gray,
        ColorModel::Cmyk | ColorModel::Ycck => ColorSpace::Cmyk,
        _ => ColorSpace::Rgb,
    };
    let image = PdfImage {
        width: facts.width,
        height: facts.height,
        color,
        bits: 8,
        filter: Filter::Dct,
        invert,
        data: bytes.to_vec(),
        smask: None,
        orientation,
    };
    Candidate { rung, image, kept: true }
}

fn saves_enough(new: usize, old: usize) -> bool {
    new * 100 <= old * (100 - MIN_SAVING_PERCENT)
}
