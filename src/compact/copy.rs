//! Photos in the zip (issue 9, step 3): a JPEG or PNG original in, a smaller copy under the
//! same name out, with the line that says what changed.
//!
//! A JPEG copy keeps its EXIF block (orientation, date taken) and ICC profile, so it shows as
//! the original did; a PNG copy stays PNG (lossless), since its name says PNG.

use std::io::Cursor;

use zune_jpeg::zune_core::bytestream::ZCursor;

use super::raster::{Raster, encode_jpeg};
use super::{CompactError, human_size};
use crate::inspect::{ImageFacts, ImageFormat};
use crate::render::image::ColorSpace;

/// The long side of a photo copied into the zip: sharp on any screen, a tenth of a phone photo.
pub const ZIP_LONG_SIDE: u32 = 2000;
/// JPEG quality of zip copies.
pub const ZIP_QUALITY: u8 = 85;

/// A compacted copy of an original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipCopy {
    /// The copy's bytes (same format as the original); build moves them out to a temporary
    /// file once the copy is made, and `to_len` keeps their size.
    pub bytes: Vec<u8>,
    /// Size of the copy in bytes.
    pub to_len: u64,
    /// Stored pixel size of the original.
    pub from_px: (u32, u32),
    /// Stored pixel size of the copy.
    pub to_px: (u32, u32),
    /// Size of the original in bytes.
    pub from_len: u64,
}

impl ZipCopy {
    /// "현장사진_1.jpg: 4000×3000 → 2000×1500, 4.2 MB → 0.5 MB", for SHA256SUMS.txt and the
    /// report.
    pub fn description(&self, name: &str) -> String {
        let ((fw, fh), (tw, th)) = (self.from_px, self.to_px);
        format!("{name}: {fw}×{fh} → {tw}×{th}, {} → {}", human_size(self.from_len), human_size(self.to_len))
    }
}

/// A copy of a JPEG or PNG original with its long side at most `long_side` pixels, or `None`
/// when the original is already that small, is another format, or the copy would not be
/// smaller.
pub fn zip_copy(bytes: &[u8], facts: &ImageFacts, long_side: u32) -> Result<Option<ZipCopy>, CompactError> {
    if !wants_copy(facts, long_side) {
        return Ok(None);
    }
    let raster = match facts.format {
        ImageFormat::Jpeg => Raster::from_jpeg(bytes)?,
        _ => Raster::from_other(bytes)?,
    };
    zip_copy_from(&raster, bytes, facts, long_side)
}

/// Whether [`zip_copy`] would try to make a copy: a JPEG or PNG larger than `long_side`.
pub fn wants_copy(facts: &ImageFacts, long_side: u32) -> bool {
    // A PNG's EXIF orientation would be lost with its eXIf chunk: leave such (rare) files be.
    facts.width.max(facts.height) > long_side
        && (facts.format == ImageFormat::Jpeg
            || facts.format == ImageFormat::Png && facts.orientation.is_none_or(|o| o == 1))
}

/// [`zip_copy`] from the original already decoded (as [`super::Compactor`] decodes it), so a
/// photo that is also placed on a page is decoded once for both.
pub fn zip_copy_from(
    raster: &Raster,
    bytes: &[u8],
    facts: &ImageFacts,
    long_side: u32,
) -> Result<Option<ZipCopy>, CompactError> {
    if !wants_copy(facts, long_side) || (raster.width, raster.height) != (facts.width, facts.height) {
        return Ok(None);
    }
    let scale = f64::from(long_side) / f64::from(facts.width.max(facts.height));
    let side = |n: u32| ((f64::from(n) * scale).round() as u32).clamp(1, n);
    let to_px = (side(facts.width), side(facts.height));
    let bytes_out = match facts.format {
        ImageFormat::Jpeg => jpeg_copy(raster, bytes, facts, to_px)?,
        _ => png_copy(raster, to_px)?,
    };
    if bytes_out.len() >= bytes.len() {
        return Ok(None);
    }
    let to_len = bytes_out.len() as u64;
    Ok(Some(ZipCopy {
        bytes: bytes_out,
        to_len,
        from_px: (facts.width, facts.height),
        to_px,
        from_len: bytes.len() as u64,
    }))
}

fn jpeg_copy(original: &Raster, bytes: &[u8], facts: &ImageFacts, (w, h): (u32, u32)) -> Result<Vec<u8>, CompactError> {
    let mut raster = original.resized(w, h)?;
    if raster.color == ColorSpace::Cmyk && !facts.adobe {
        // Without an Adobe marker the original stored plain ink; the copy carries one (stored
        // ink inverted), so invert the samples to keep the colours.
        raster.samples.iter_mut().for_each(|s| *s = 255 - *s);
    }
    let mut jpeg = encode_jpeg(&raster.samples, (w, h), raster.color, ZIP_QUALITY, raster.icc.as_deref())?;
    if let Some(exif) = exif_block(bytes) {
        jpeg = with_exif(&jpeg, &exif);
    }
    Ok(jpeg)
}

/// The original's EXIF (TIFF structure, after "Exif\0\0").
fn exif_block(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut decoder = zune_jpeg::JpegDecoder::new(ZCursor::new(bytes));
    decoder.decode_headers().ok()?;
    decoder.exif().cloned()
}

/// `jpeg` with an APP1 EXIF segment inserted after SOI and any APP0 (JFIF), where readers look
/// for it. A block too large for one segment is left out.
fn with_exif(jpeg: &[u8], exif: &[u8]) -> Vec<u8> {
    let Ok(len) = u16::try_from(exif.len() + 8) else {
        return jpeg.to_vec();
    };
    let mut at = 2;
    if jpeg.get(2..4) == Some(&[0xFF, 0xE0]) {
        at = 4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]));
    }
    let mut out = Vec::with_capacity(jpeg.len() + exif.len() + 10);
    out.extend_from_slice(&jpeg[..at]);
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(exif);
    out.extend_from_slice(&jpeg[at..]);
    out
}

fn png_copy(original: &Raster, (w, h): (u32, u32)) -> Result<Vec<u8>, CompactError> {
    use image::ImageEncoder;
    let raster = original.resized(w, h)?;
    let kind = match (raster.color, raster.alpha) {
        (ColorSpace::Gray, false) => image::ExtendedColorType::L8,
        (ColorSpace::Gray, true) => image::ExtendedColorType::La8,
        (_, false) => image::ExtendedColorType::Rgb8,
        (_, true) => image::ExtendedColorType::Rgba8,
    };
    let mut out = Cursor::new(Vec::new());
    let mut encoder = image::codecs::png::PngEncoder::new(&mut out);
    if let Some(icc) = &raster.icc {
        let _ = encoder.set_icc_profile(icc.clone());
    }
    encoder.write_image(&raster.samples, w, h, kind).map_err(|e| CompactError::Encode(e.to_string()))?;
    Ok(out.into_inner())
}
