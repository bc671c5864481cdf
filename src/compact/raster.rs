//! Decoded pixels: bytes in, a [`Raster`] out (JPEG with zune-jpeg, everything else with
//! `image`), resized with fast_image_resize, and re-encoded as JPEG (jpeg-encoder) or as
//! lossless FlateDecode samples.
//!
//! CMYK samples are kept as *stored* in the JPEG: an Adobe CMYK JPEG stores inverted ink, and
//! re-encoding stores the same values again, so a PDF's `/Decode` (or dossier's own `invert`)
//! still applies unchanged. YCCK is turned into those stored CMYK values here, the way libjpeg
//! (and so every PDF reader) decodes it.

use std::io::Cursor;

use fast_image_resize as fr;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace as ZColor;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::CompactError;
use crate::render::image::{ColorSpace, limits, split_alpha};

thread_local! {
    /// See [`Raster::resized`].
    static RESIZER: std::cell::RefCell<fr::Resizer> = std::cell::RefCell::new(fr::Resizer::new());
}

/// Longest side decoded: the same limit as render's decoder.
const MAX_SIDE: usize = 16_384;

/// 8-bit pixels, interleaved: the colour components, then alpha when `alpha` is set.
#[derive(Debug, Clone)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Colour space of the colour components.
    pub color: ColorSpace,
    /// An alpha sample follows each pixel's colour.
    pub alpha: bool,
    /// `width * height * channels()` samples, row by row, top row first.
    pub samples: Vec<u8>,
    /// The embedded ICC profile, kept in re-encoded JPEGs.
    pub icc: Option<Vec<u8>>,
}

impl Raster {
    /// Samples per pixel, alpha included.
    pub fn channels(&self) -> usize {
        usize::from(self.color.components()) + usize::from(self.alpha)
    }

    /// Decodes a JPEG. CMYK and YCCK come out as stored CMYK (see the module doc).
    pub fn from_jpeg(bytes: &[u8]) -> Result<Raster, CompactError> {
        let options = DecoderOptions::default().set_max_width(MAX_SIDE).set_max_height(MAX_SIDE);
        let mut probe = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
        probe.decode_headers().map_err(decode_error)?;
        let input = probe.input_colorspace().ok_or_else(|| CompactError::Decode("no colour space".into()))?;
        if matches!(input, ZColor::CMYK | ZColor::YCCK) && crate::inspect::jpeg_subsampled(bytes) != Some(false) {
            // zune-jpeg reads subsampled 4-component JPEGs at about half their values (seen
            // with jpeg-encoder's 2×2 CMYK, which poppler reads right): keep the original.
            return Err(CompactError::Decode("subsampled CMYK is not decoded reliably".into()));
        }
        let (out, color) = match input {
            ZColor::Luma => (ZColor::Luma, ColorSpace::Gray),
            ZColor::CMYK => (ZColor::CMYK, ColorSpace::Cmyk),
            ZColor::YCCK => (ZColor::YCCK, ColorSpace::Cmyk),
            _ => (ZColor::RGB, ColorSpace::Rgb),
        };
        let mut decoder =
            zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options.jpeg_set_out_colorspace(out));
        let mut samples = decoder.decode().map_err(decode_error)?;
        let info = decoder.info().ok_or_else(|| CompactError::Decode("no frame header".into()))?;
        if decoder.output_colorspace() != Some(out) {
            return Err(CompactError::Decode(format!("decoded as {:?}, not {out:?}", decoder.output_colorspace())));
        }
        if out == ZColor::YCCK {
            ycck_to_stored_cmyk(&mut samples);
        }
        let raster = Raster {
            width: u32::from(info.width),
            height: u32::from(info.height),
            color,
            alpha: false,
            samples,
            icc: decoder.icc_profile(),
        };
        raster.checked()
    }

    /// Decodes any other format with `image` (under render's limits), reduced to 8 bits.
    pub fn from_other(bytes: &[u8]) -> Result<Raster, CompactError> {
        use image::ImageDecoder;
        let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(decode_error)?;
        reader.limits(limits());
        let mut decoder = reader.into_decoder().map_err(decode_error)?;
        let icc = decoder.icc_profile().ok().flatten();
        let decoded = image::DynamicImage::from_decoder(decoder).map_err(decode_error)?;
        let (width, height) = (decoded.width(), decoded.height());
        let kind = decoded.color();
        let (color, alpha, samples) = match (kind.has_color(), kind.has_alpha()) {
            (false, false) => (ColorSpace::Gray, false, decoded.into_luma8().into_raw()),
            (false, true) => (ColorSpace::Gray, true, decoded.into_luma_alpha8().into_raw()),
            (true, false) => (ColorSpace::Rgb, false, decoded.into_rgb8().into_raw()),
            (true, true) => (ColorSpace::Rgb, true, decoded.into_rgba8().into_raw()),
        };
        let mut raster = Raster { width, height, color, alpha, samples, icc };
        raster.drop_opaque_alpha();
        raster.checked()
    }

    fn checked(self) -> Result<Raster, CompactError> {
        let expected = self.width as usize * self.height as usize * self.channels();
        if self.width == 0 || self.height == 0 || self.samples.len() != expected {
            return Err(CompactError::Decode(format!(
                "{}×{} pixels but {} samples",
                self.width,
                self.height,
                self.samples.len()
            )));
        }
        Ok(self)
    }

    /// An alpha channel that is 255 everywhere carries nothing: drop it, so no soft mask is
    /// written and the colour can be resized without alpha weighting.
    fn drop_opaque_alpha(&mut self) {
        if !self.alpha {
            return;
        }
        let channels = self.channels();
        if self.samples.chunks_exact(channels).any(|p| p[channels - 1] != 255) {
            return;
        }
        let colour = channels - 1;
        self.samples = self.samples.chunks_exact(channels).flat_map(|p| p[..colour].iter().copied()).collect();
        self.alpha = false;
    }

    /// This raster at `width` × `height` (Lanczos3). Alpha is premultiplied while resizing so
    /// transparent pixels do not bleed their colour into the edges; CMYK has no alpha and is
    /// resized as four plain channels.
    pub fn resized(&self, width: u32, height: u32) -> Result<Raster, CompactError> {
        if (width, height) == (self.width, self.height) {
            return Ok(self.clone());
        }
        let pixel = match self.channels() {
            1 => fr::PixelType::U8,
            2 => fr::PixelType::U8x2,
            3 => fr::PixelType::U8x3,
            _ => fr::PixelType::U8x4,
        };
        let resize_error = |e: String| CompactError::Resize(e);
        let src = fr::images::ImageRef::new(self.width, self.height, &self.samples, pixel)
            .map_err(|e| resize_error(e.to_string()))?;
        let mut dst = fr::images::Image::new(width.max(1), height.max(1), pixel);
        let options = fr::ResizeOptions::new()
            .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
            .use_alpha(self.alpha);
        // One resizer per thread: its scratch image (up to 23 MB for a 12-megapixel photo) is
        // reused from photo to photo instead of allocated and freed each time, which left the
        // allocator's arenas holding freed scratch images on a folder of photos.
        RESIZER
            .with(|resizer| resizer.borrow_mut().resize(&src, &mut dst, &options))
            .map_err(|e| resize_error(e.to_string()))?;
        Ok(Raster { width: dst.width(), height: dst.height(), samples: dst.into_vec(), icc: self.icc.clone(), ..*self })
    }

    /// The colour samples alone, and the alpha samples when there are any.
    ///
    /// Without alpha the colour samples are the raster's own, borrowed: a copy of a resized
    /// photo (15 MB at 300 dpi on a page) would be made only to be encoded.
    pub fn split_alpha(&self) -> (std::borrow::Cow<'_, [u8]>, Option<Vec<u8>>) {
        if !self.alpha {
            return (std::borrow::Cow::Borrowed(&self.samples), None);
        }
        let (colour, alpha) = split_alpha(&self.samples, self.channels() - 1);
        (std::borrow::Cow::Owned(colour), Some(alpha))
    }

    /// Few distinct colours: a screenshot, a diagram or a scan of text rather than a photo,
    /// which JPEG would smear. Photos of any size have tens of thousands of colours; interface
    /// screenshots with anti-aliased text a few thousand. CMYK is never a screenshot.
    pub fn is_graphic(&self) -> bool {
        const MAX_COLOURS: usize = 8192;
        let channels = self.channels();
        let colour = usize::from(self.color.components());
        if self.color == ColorSpace::Cmyk {
            return false;
        }
        // One bit per 24-bit colour (2 MB), so counting stays linear and allocation-light.
        let mut seen = vec![0u64; 1 << 18];
        let mut distinct = 0usize;
        for p in self.samples.chunks_exact(channels) {
            let key = if colour == 1 {
                usize::from(p[0])
            } else {
                usize::from(p[0]) << 16 | usize::from(p[1]) << 8 | usize::from(p[2])
            };
            let (word, bit) = (key >> 6, 1u64 << (key & 63));
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                distinct += 1;
                if distinct > MAX_COLOURS {
                    return false;
                }
            }
        }
        true
    }
}

/// YCbCr→RGB as JFIF defines it, then C = 255 − R, M = 255 − G, Y = 255 − B, K as stored:
/// libjpeg's YCCK→CMYK conversion, giving the stored (Adobe inverted) CMYK values.
fn ycck_to_stored_cmyk(samples: &mut [u8]) {
    for p in samples.chunks_exact_mut(4) {
        let (y, cb, cr) = (f32::from(p[0]), f32::from(p[1]) - 128.0, f32::from(p[2]) - 128.0);
        let r = y + 1.402 * cr;
        let g = y - 0.344_136 * cb - 0.714_136 * cr;
        let b = y + 1.772 * cb;
        let clamp = |v: f32| v.round().clamp(0.0, 255.0) as u8;
        p[0] = 255 - clamp(r);
        p[1] = 255 - clamp(g);
        p[2] = 255 - clamp(b);
    }
}

fn decode_error(e: impl std::fmt::Display) -> CompactError {
    CompactError::Decode(e.to_string())
}

/// Encodes colour samples as a baseline JPEG at `quality`, with the standard Huffman tables
/// (zune-jpeg mis-decodes jpeg-encoder's optimised ones: a green image, no error). CMYK
/// samples are written as stored (see the module doc); the ICC profile is kept.
pub fn encode_jpeg(
    samples: &[u8],
    (width, height): (u32, u32),
    color: ColorSpace,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, CompactError> {
    let (w, h) = (u16::try_from(width), u16::try_from(height));
    let (Ok(w), Ok(h)) = (w, h) else {
        return Err(CompactError::Encode(format!("{width}×{height} is too large for JPEG")));
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_optimized_huffman_tables(false);
    if color == ColorSpace::Cmyk {
        // Full resolution for every ink: subsampled CMYK is what zune-jpeg misreads.
        encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
    }
    if let Some(icc) = icc {
        // A profile too large for JPEG's APP2 chunks is left out rather than failing.
        let _ = encoder.add_icc_profile(icc);
    }
    let encode_error = |e: jpeg_encoder::EncodingError| CompactError::Encode(e.to_string());
    match color {
        ColorSpace::Gray => encoder.encode(samples, w, h, jpeg_encoder::ColorType::Luma),
        ColorSpace::Rgb => encoder.encode(samples, w, h, jpeg_encoder::ColorType::Rgb),
        ColorSpace::Cmyk => {
            // jpeg-encoder inverts CMYK when it writes (Adobe convention); invert first so the
            // stored values are ours.
            let ink: Vec<u8> = samples.iter().map(|&s| 255 - s).collect();
            encoder.encode(&ink, w, h, jpeg_encoder::ColorType::Cmyk)
        }
    }
    .map_err(encode_error)?;
    // The encoder grew the buffer by doubling: up to half of it is spare capacity, held for as
    // long as the encoding is (a measured image, a copy waiting for the zip).
    out.shrink_to_fit();
    Ok(out)
}
