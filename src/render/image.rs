//! Images for PDF: JPEG and plain PNG passed through, everything else decoded and
//! re-compressed losslessly.
//!
//! In: an image file's bytes and its [`ImageFacts`]. Out: a [`PdfImage`], the stream data and
//! dictionary values of an image XObject (plus a greyscale soft mask for alpha), and the
//! `cm` matrix that shows it upright for each EXIF orientation (1-8, mirrored ones included).
//!
//! JPEG is embedded as it is (`/DCTDecode`). Adobe CMYK/YCCK JPEGs store inverted CMYK, hence
//! `/Decode [1 0 1 0 1 0 1 0]`. A PNG that PDF can show as it is (grey or RGB, at most 8 bits,
//! not interlaced, no transparency, no palette) is embedded from its own IDAT data with
//! `/Predictor 15`, never decoded (issue 9). Other images are decoded with `image` under
//! [`limits`], reduced to 8 bits per component (16-bit PNGs included: 8 bits are plenty on
//! paper and halve the size), and written with FlateDecode and PNG predictors.
//! Compacted images (see `crate::compact`) arrive as ready [`PdfImage`]s.

use std::io::{Cursor, Write};

use crate::inspect::{ColorModel, ImageFacts, ImageFormat};

/// The colour space of an image XObject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSpace {
    /// One component.
    Gray,
    /// Three components.
    Rgb,
    /// Four components.
    Cmyk,
}

impl ColorSpace {
    /// Components per pixel.
    pub fn components(self) -> u8 {
        match self {
            ColorSpace::Gray => 1,
            ColorSpace::Rgb => 3,
            ColorSpace::Cmyk => 4,
        }
    }
}

/// How the samples are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// JPEG, as in the file.
    Dct,
    /// zlib with PNG predictors (one filter byte per row).
    FlatePng,
}

/// An image ready to be written as an image XObject.
#[derive(Debug, Clone)]
pub struct PdfImage {
    /// Stored width in pixels.
    pub width: u32,
    /// Stored height in pixels.
    pub height: u32,
    /// Colour space.
    pub color: ColorSpace,
    /// Bits per component.
    pub bits: u8,
    /// Compression.
    pub filter: Filter,
    /// Inverted CMYK (Adobe JPEG): write `/Decode [1 0 1 0 1 0 1 0]`.
    pub invert: bool,
    /// The stream data.
    pub data: Vec<u8>,
    /// Alpha as a greyscale image, if any pixel is not opaque.
    pub smask: Option<Box<PdfImage>>,
    /// EXIF orientation 1-8 to apply when drawing.
    pub orientation: u16,
}

impl PdfImage {
    /// The same image with no data (nor mask data): drawn in place of a photo in a merge made
    /// only to be measured, so a folder of photos is never embedded at full size in memory.
    pub fn without_data(&self) -> PdfImage {
        PdfImage { data: Vec::new(), smask: self.smask.as_ref().map(|m| Box::new(m.without_data())), ..self.clone() }
    }

    /// Width and height as seen upright.
    pub fn upright(&self) -> (f32, f32) {
        let (w, h) = (self.width as f32, self.height as f32);
        if self.orientation >= 5 { (h, w) } else { (w, h) }
    }
}

/// Decoder limits: refuse anything a phone or screenshot would not produce.
pub fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

/// Prepares an image for embedding; the error says why it cannot be.
pub fn prepare(bytes: &[u8], facts: &ImageFacts) -> Result<PdfImage, String> {
    let orientation = facts.orientation.filter(|o| (1..=8).contains(o)).unwrap_or(1);
    if facts.format == ImageFormat::Jpeg {
        return Ok(jpeg(bytes, facts, orientation));
    }
    if facts.format == ImageFormat::Png
        && let Some(image) = png_as_is(bytes, orientation)
    {
        return Ok(image);
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    reader.limits(limits());
    let decoded = reader.decode().map_err(|e| e.to_string())?;
    Ok(raster(&decoded, orientation))
}

fn jpeg(bytes: &[u8], facts: &ImageFacts, orientation: u16) -> PdfImage {
    let color = match facts.color {
        ColorModel::Gray => ColorSpace::Gray,
        ColorModel::Cmyk | ColorModel::Ycck => ColorSpace::Cmyk,
        _ => ColorSpace::Rgb,
    };
    PdfImage {
        width: facts.width,
        height: facts.height,
        color,
        bits: 8,
        filter: Filter::Dct,
        invert: facts.adobe && color == ColorSpace::Cmyk,
        data: bytes.to_vec(),
        smask: None,
        orientation,
    }
}

/// A PNG embedded from its own compressed data, as img2pdf does: the IDAT chunks concatenated
/// are a zlib stream of PNG-filtered rows, which is exactly FlateDecode with `/Predictor 15`.
/// Only for what PDF can show that way without decoding: greyscale or RGB, 1 to 8 bits, not
/// interlaced, no transparency (alpha must be split into a soft mask, which needs decoding),
/// no palette. Every chunk's CRC is checked, so a damaged file still goes to the decoder,
/// which says what is wrong. `None` means: decode it.
fn png_as_is(bytes: &[u8], orientation: u16) -> Option<PdfImage> {
    let ihdr = bytes.get(8..33)?;
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (width, height, bits, kind, interlace) =
        (be32(&ihdr[8..12]), be32(&ihdr[12..16]), ihdr[16], ihdr[17], ihdr[20]);
    let color = match (kind, bits) {
        (0, 1 | 2 | 4 | 8) => ColorSpace::Gray,
        (2, 8) => ColorSpace::Rgb,
        _ => return None,
    };
    if &ihdr[4..8] != b"IHDR" || interlace != 0 || width == 0 || height == 0 {
        return None;
    }
    let data = png_idat(bytes)?;
    Some(PdfImage {
        width,
        height,
        color,
        bits,
        filter: Filter::FlatePng,
        invert: false,
        data,
        smask: None,
        orientation,
    })
}

/// The IDAT data of a PNG concatenated, or `None` when a chunk is cut short, fails its CRC, or
/// the image has transparency (tRNS).
fn png_idat(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut at = 8usize;
    let mut data = Vec::new();
    loop {
        let head = bytes.get(at..at + 8)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let body_end = (at + 8).checked_add(len)?;
        let typed = bytes.get(at + 4..body_end)?;
        let crc = bytes.get(body_end..body_end + 4)?;
        let mut check = flate2::Crc::new();
        check.update(typed);
        if check.sum().to_be_bytes() != crc {
            return None;
        }
        match &typed[..4] {
            b"IDAT" => data.extend_from_slice(&typed[4..]),
            b"IEND" => return (!data.is_empty()).then_some(data),
            b"tRNS" => return None,
            _ => {}
        }
        at = body_end + 4;
    }
}

/// Splits a decoded image into 8-bit colour samples and (if not all opaque) an alpha mask.
/// An image with alpha is converted once, to grey-alpha or RGBA, and split in one pass:
/// converting it twice (to RGB, then to grey-alpha only for the alpha) computed a luma for
/// every pixel to throw it away. The samples are those `to_luma8`/`to_rgb8` give.
fn raster(img: &image::DynamicImage, orientation: u16) -> PdfImage {
    let (width, height) = (img.width(), img.height());
    let grey = !img.color().has_color();
    let (color, samples, alpha) = match (grey, img.color().has_alpha()) {
        (true, false) => (ColorSpace::Gray, img.to_luma8().into_raw(), None),
        (false, false) => (ColorSpace::Rgb, img.to_rgb8().into_raw(), None),
        (true, true) => {
            let (samples, alpha) = split_alpha(&img.to_luma_alpha8().into_raw(), 1);
            (ColorSpace::Gray, samples, Some(alpha))
        }
        (false, true) => {
            let (samples, alpha) = match img {
                image::DynamicImage::ImageRgba8(rgba) => split_alpha(rgba.as_raw(), 3),
                _ => split_alpha(&img.to_rgba8().into_raw(), 3),
            };
            (ColorSpace::Rgb, samples, Some(alpha))
        }
    };
    let smask = alpha
        .filter(|alpha| alpha.iter().any(|&a| a != 255))
        .map(|alpha| Box::new(flate_image(width, height, ColorSpace::Gray, &alpha, orientation, None)));
    flate_image(width, height, color, &samples, orientation, smask)
}

/// Interleaved samples of `components` colour components and one alpha, as (colour, alpha).
pub(crate) fn split_alpha(interleaved: &[u8], components: usize) -> (Vec<u8>, Vec<u8>) {
    let pixels = interleaved.chunks_exact(components + 1);
    let mut colour = Vec::with_capacity(pixels.len() * components);
    let mut alpha = Vec::with_capacity(pixels.len());
    for pixel in pixels {
        colour.extend_from_slice(&pixel[..components]);
        alpha.push(pixel[components]);
    }
    (colour, alpha)
}

pub(crate) fn flate_image(
    width: u32,
    height: u32,
    color: ColorSpace,
    samples: &[u8],
    orientation: u16,
    smask: Option<Box<PdfImage>>,
) -> PdfImage {
    let bpp = color.components() as usize;
    let filtered = png_predict(samples, width as usize * bpp, bpp);
    PdfImage {
        width,
        height,
        color,
        bits: 8,
        filter: Filter::FlatePng,
        invert: false,
        data: deflate(&filtered),
        smask,
        orientation,
    }
}

/// zlib-compresses `data` (deterministic: fixed level, no timestamps in zlib streams).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    enc.write_all(data).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

/// PNG-filters 8-bit rows of `stride` bytes: per row the filter (None, Sub, Up, Average,
/// Paeth) with the smallest sum of absolute values, as libpng does, prefixed by its type byte.
/// Ties go to the lower filter type.
pub fn png_predict(samples: &[u8], stride: usize, bpp: usize) -> Vec<u8> {
    let rows = samples.len().checked_div(stride).unwrap_or(0);
    let mut out = Vec::with_capacity(samples.len() + rows);
    let zero = vec![0u8; stride];
    let mut best = vec![0u8; stride];
    let mut trial = vec![0u8; stride];
    for r in 0..rows {
        let row = &samples[r * stride..(r + 1) * stride];
        let prev = if r == 0 { &zero[..] } else { &samples[(r - 1) * stride..r * stride] };
        let mut best_kind = 0;
        let mut best_cost = cost(row);
        for kind in 1..5u8 {
            filter_row(kind, row, prev, bpp, &mut trial);
            let cost = cost(&trial);
            if cost < best_cost {
                (best_cost, best_kind) = (cost, kind);
                std::mem::swap(&mut best, &mut trial);
            }
        }
        out.push(best_kind);
        out.extend_from_slice(if best_kind == 0 { row } else { &best });
    }
    out
}

/// libpng's heuristic: the sum of the filtered bytes read as signed. Summed in 16-bit lanes over
/// runs short enough not to overflow them (256 × 128 < 65,536), which the compiler vectorises;
/// a 64-bit sum per byte was 12% of a corpus build.
fn cost(filtered: &[u8]) -> u64 {
    filtered
        .chunks(256)
        .map(|run| u64::from(run.iter().map(|&b| u16::from((b as i8).unsigned_abs())).sum::<u16>()))
        .sum()
}

/// The PNG prediction of filter `kind` from the left (`a`), upper (`b`) and upper-left (`c`)
/// bytes: None, Sub, Up, Average, Paeth.
#[cfg(test)]
fn predictor(kind: u8, a: u8, b: u8, c: u8) -> u8 {
    match kind {
        0 => 0,
        1 => a,
        2 => b,
        3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
        _ => paeth(a, b, c),
    }
}

/// Filters one row with filter `kind` into `out`. One loop per kind (rather than a `match`
/// per byte) lets the compiler vectorise them: PNG filtering was 74% of a build of 1,000
/// small files (issue 9). The first `bpp` bytes have no left neighbour (a = c = 0).
fn filter_row(kind: u8, row: &[u8], prev: &[u8], bpp: usize, out: &mut [u8]) {
    if kind == 0 {
        out.copy_from_slice(row);
        return;
    }
    let lead = bpp.min(row.len());
    let (head, tail) = out.split_at_mut(lead);
    match kind {
        1 => {
            head.copy_from_slice(&row[..lead]);
            for ((o, &x), &a) in tail.iter_mut().zip(&row[lead..]).zip(row) {
                *o = x.wrapping_sub(a);
            }
        }
        2 => {
            for ((o, &x), &b) in out.iter_mut().zip(row).zip(prev) {
                *o = x.wrapping_sub(b);
            }
        }
        3 => {
            for ((o, &x), &b) in head.iter_mut().zip(row).zip(prev) {
                *o = x.wrapping_sub(b / 2);
            }
            let left = row.iter();
            for (((o, &x), &b), &a) in tail.iter_mut().zip(&row[lead..]).zip(&prev[lead..]).zip(left) {
                *o = x.wrapping_sub(((u16::from(a) + u16::from(b)) / 2) as u8);
            }
        }
        _ => {
            // Paeth with a = c = 0 predicts b.
            for ((o, &x), &b) in head.iter_mut().zip(row).zip(prev) {
                *o = x.wrapping_sub(b);
            }
            let neighbours = row.iter().zip(prev);
            for (((o, &x), &b), (&a, &c)) in tail.iter_mut().zip(&row[lead..]).zip(&prev[lead..]).zip(neighbours) {
                *o = x.wrapping_sub(paeth(a, b, c));
            }
        }
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = ((p - a as i16).abs(), (p - b as i16).abs(), (p - c as i16).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// The `cm` matrix that draws the stored image upright into the box (x, y, w, h), where
/// w x h is the upright size. Row 0 of the stored image is at the top of PDF image space.
///
/// For each orientation the upright position (p, q) (top-down, unit) of stored point (s, t)
/// (top-down, unit) is p = ps*s + pt*t + p0, q = qs*s + qt*t + q0.
pub fn orientation_matrix(orientation: u16, x: f32, y: f32, w: f32, h: f32) -> [f32; 6] {
    let (ps, pt, p0, qs, qt, q0) = match orientation {
        2 => (-1.0, 0.0, 1.0, 0.0, 1.0, 0.0),
        3 => (-1.0, 0.0, 1.0, 0.0, -1.0, 1.0),
        4 => (1.0, 0.0, 0.0, 0.0, -1.0, 1.0),
        5 => (0.0, 1.0, 0.0, 1.0, 0.0, 0.0),
        6 => (0.0, -1.0, 1.0, 1.0, 0.0, 0.0),
        7 => (0.0, -1.0, 1.0, -1.0, 0.0, 1.0),
        8 => (0.0, 1.0, 0.0, -1.0, 0.0, 1.0),
        _ => (1.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    };
    // Image space (u, v) has s = u, t = 1 - v; page X = x + w*p, Y = y + h*(1 - q).
    [w * ps, -h * qs, -w * pt, h * qt, x + w * (pt + p0), y + h * (1.0 - qt - q0)]
}

/// Header facts of an image read from its bytes (for images linked from Markdown, which were
/// not inspected), by inspect's own reader. `None` for non-images or broken headers.
pub fn sniff(bytes: &[u8]) -> Option<ImageFacts> {
    crate::inspect::image_header(bytes)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Undoes PNG filtering (the reference decoder of the tests).
    pub(crate) fn unpredict(data: &[u8], stride: usize, bpp: usize) -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        for (r, chunk) in data.chunks(stride + 1).enumerate() {
            let (kind, row) = (chunk[0], &chunk[1..]);
            for i in 0..stride {
                let a = if i >= bpp { out[r * stride + i - bpp] } else { 0 };
                let b = if r > 0 { out[(r - 1) * stride + i] } else { 0 };
                let c = if r > 0 && i >= bpp { out[(r - 1) * stride + i - bpp] } else { 0 };
                out.push(row[i].wrapping_add(predictor(kind, a, b, c)));
            }
        }
        out
    }

    /// The per-byte filter this module used before (one `match` per byte), kept as the
    /// reference the fast loops must equal byte for byte.
    fn reference_predict(samples: &[u8], stride: usize, bpp: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let zero = vec![0u8; stride];
        for (r, row) in samples.chunks_exact(stride).enumerate() {
            let prev = if r == 0 { &zero[..] } else { &samples[(r - 1) * stride..r * stride] };
            let mut best: Option<(u64, u8, Vec<u8>)> = None;
            for kind in 0..5u8 {
                let trial: Vec<u8> = (0..stride)
                    .map(|i| {
                        let a = if i >= bpp { row[i - bpp] } else { 0 };
                        let c = if i >= bpp { prev[i - bpp] } else { 0 };
                        row[i].wrapping_sub(predictor(kind, a, prev[i], c))
                    })
                    .collect();
                let cost = trial.iter().map(|&b| (b as i8).unsigned_abs() as u64).sum();
                if best.as_ref().is_none_or(|(c, _, _)| cost < *c) {
                    best = Some((cost, kind, trial));
                }
            }
            let (_, kind, trial) = best.unwrap();
            out.push(kind);
            out.extend(trial);
        }
        out
    }

    #[test]
    fn fast_filters_equal_the_per_byte_reference() {
        // Noise, smooth gradients and flat runs, so every filter kind wins some rows.
        for (w, h, bpp) in [(13, 7, 3), (1, 5, 1), (2, 3, 4), (40, 30, 1), (64, 20, 3), (300, 9, 3)] {
            let mut seed = 12345u32;
            let samples: Vec<u8> = (0..w * h * bpp)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    match (i / (w * bpp)) % 4 {
                        0 => (seed >> 16) as u8,
                        1 => (i % (w * bpp)) as u8,
                        2 => 7,
                        _ => ((i * 3) ^ (i / 7)) as u8,
                    }
                })
                .collect();
            assert_eq!(png_predict(&samples, w * bpp, bpp), reference_predict(&samples, w * bpp, bpp), "{w}x{h}x{bpp}");
        }
    }

    fn png_bytes(pixels: &[u8], (w, h): (u32, u32), kind: image::ExtendedColorType) -> Vec<u8> {
        use image::ImageEncoder;
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out).write_image(pixels, w, h, kind).unwrap();
        out
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn opaque_pngs_are_embedded_from_their_own_data() {
        let (w, h) = (37u32, 11u32);
        let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
        let png = png_bytes(&rgb, (w, h), image::ExtendedColorType::Rgb8);
        let facts = sniff(&png).unwrap();
        let image = prepare(&png, &facts).unwrap();
        assert_eq!((image.filter, image.color, image.bits, image.width), (Filter::FlatePng, ColorSpace::Rgb, 8, w));
        assert!(image.smask.is_none());
        // The stream is the file's IDAT, and it decodes to the pixels with the PNG predictor.
        assert!(png.windows(image.data.len()).any(|window| window == image.data.as_slice()));
        assert_eq!(unpredict(&inflate(&image.data), w as usize * 3, 3), rgb);
        // Greyscale keeps its bit depth.
        let grey: Vec<u8> = (0..w * h).map(|i| (i % 256) as u8).collect();
        let png = png_bytes(&grey, (w, h), image::ExtendedColorType::L8);
        let image = prepare(&png, &sniff(&png).unwrap()).unwrap();
        assert_eq!((image.color, image.bits), (ColorSpace::Gray, 8));
        assert_eq!(unpredict(&inflate(&image.data), w as usize, 1), grey);
    }

    #[test]
    fn pngs_with_alpha_or_a_bad_crc_are_decoded() {
        let (w, h) = (8u32, 4u32);
        let rgba: Vec<u8> = (0..w * h).flat_map(|i| [i as u8, 10, 20, if i % 2 == 0 { 255 } else { 0 }]).collect();
        let png = png_bytes(&rgba, (w, h), image::ExtendedColorType::Rgba8);
        let image = prepare(&png, &sniff(&png).unwrap()).unwrap();
        let mask = image.smask.as_ref().expect("alpha becomes a soft mask");
        assert_eq!(unpredict(&inflate(&mask.data), w as usize, 1)[..2], [255, 0]);
        let rgb: Vec<u8> = rgba.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        let mut png = png_bytes(&rgb, (w, h), image::ExtendedColorType::Rgb8);
        assert!(png_as_is(&png, 1).is_some());
        let idat = png.windows(4).position(|t| t == b"IDAT").unwrap();
        png[idat + 5] ^= 0x55;
        assert!(png_as_is(&png, 1).is_none());
    }

    #[test]
    fn alpha_is_split_into_the_samples_and_mask_that_converting_twice_gave() {
        use image::DynamicImage as D;
        let (w, h) = (9u32, 5u32);
        let wide = |i: u32, c: u32| ((i * 7919 + c * 104_729) % 65_536) as u16;
        let images = [
            D::ImageRgba8(image::RgbaImage::from_fn(w, h, |x, y| {
                image::Rgba([(x * 9) as u8, y as u8, 3, (x * y * 31 % 256) as u8])
            })),
            D::ImageRgba16(image::ImageBuffer::from_fn(w, h, |x, y| {
                image::Rgba([0, 1, 2, 3].map(|c| wide(x + y * w, c)))
            })),
            D::ImageLumaA8(image::GrayAlphaImage::from_fn(w, h, |x, y| {
                image::LumaA([(x * 20) as u8, ((x + y) * 11) as u8])
            })),
            D::ImageLumaA16(image::ImageBuffer::from_fn(w, h, |x, y| image::LumaA([0, 1].map(|c| wide(x * y, c))))),
        ];
        for img in images {
            let pdf = raster(&img, 1);
            let (stride, samples) = match pdf.color {
                ColorSpace::Gray => (w as usize, img.to_luma8().into_raw()),
                _ => (w as usize * 3, img.to_rgb8().into_raw()),
            };
            let bpp = stride / w as usize;
            assert_eq!(unpredict(&inflate(&pdf.data), stride, bpp), samples, "{:?}", img.color());
            let alpha: Vec<u8> = img.to_luma_alpha8().pixels().map(|p| p.0[1]).collect();
            let mask = pdf.smask.expect("a soft mask");
            assert_eq!(unpredict(&inflate(&mask.data), w as usize, 1), alpha, "{:?}", img.color());
        }
    }

    #[test]
    fn predictor_round_trips() {
        let (w, h, bpp) = (13, 7, 3);
        let samples: Vec<u8> = (0..w * h * bpp).map(|i| ((i * 37) ^ (i / 5)) as u8).collect();
        let filtered = png_predict(&samples, w * bpp, bpp);
        assert_eq!(filtered.len(), samples.len() + h);
        assert_eq!(unpredict(&filtered, w * bpp, bpp), samples);
    }

    /// Where stored image point (s, t) (top-down unit coordinates) lands on the page.
    fn place(m: [f32; 6], s: f32, t: f32) -> (f32, f32) {
        let (u, v) = (s, 1.0 - t);
        (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
    }

    #[test]
    fn orientation_matrices_put_the_stored_top_left_corner_where_exif_says() {
        // Box (10, 20) size 4 x 2; page corners: top-left (10, 22), top-right (14, 22),
        // bottom-left (10, 20), bottom-right (14, 20).
        let expected = [
            (1, (10.0, 22.0)),
            (2, (14.0, 22.0)),
            (3, (14.0, 20.0)),
            (4, (10.0, 20.0)),
            (5, (10.0, 22.0)),
            (6, (14.0, 22.0)),
            (7, (14.0, 20.0)),
            (8, (10.0, 20.0)),
        ];
        for (o, corner) in expected {
            let m = orientation_matrix(o, 10.0, 20.0, 4.0, 2.0);
            assert_eq!(place(m, 0.0, 0.0), corner, "orientation {o}");
        }
        // Rotate 90 CW (6): the stored top-right corner goes to the bottom right.
        assert_eq!(place(orientation_matrix(6, 10.0, 20.0, 4.0, 2.0), 1.0, 0.0), (14.0, 20.0));
        // Transpose (5): the stored top-right corner goes to the bottom left.
        assert_eq!(place(orientation_matrix(5, 10.0, 20.0, 4.0, 2.0), 1.0, 0.0), (10.0, 20.0));
    }
}
