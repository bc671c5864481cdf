//! Images: bytes in, [`ImageFacts`] and problems out, read from headers only. Pixels are never
//! decoded here, so a decompression bomb costs nothing until it is refused by its header.
//!
//! JPEG and PNG are parsed by hand (markers, chunks) because we need details the `image` crate
//! does not expose (Adobe APP14, progressive, EXIF); other formats use `image`'s header reading.

use super::{ColorModel, Content, FileProblem, ImageFacts, ImageFormat, Problem};
use std::io::Cursor;

/// More pixels than this are refused before anything decodes them.
const MAX_MEGAPIXELS: u64 = 200;
/// Longest side accepted.
const MAX_SIDE: u32 = 65_535;

/// Facts about an image whose container `format` was sniffed; `name` only for a rename hint.
pub(super) fn facts(bytes: &[u8], format: ImageFormat, name: &str) -> (Content, Vec<FileProblem>) {
    let read = header(bytes, format);
    let mut problems = Vec::new();
    let facts = match read {
        Ok(facts) => facts,
        Err(damage) => {
            problems.push(FileProblem::error(Problem::ImageDamaged { detail: damage }));
            blank(format)
        }
    };
    if let Some(problem) = too_large(facts.width, facts.height) {
        problems.push(problem);
    }
    problems.extend(misnamed(format, name));
    (Content::Image(facts), problems)
}

/// The header facts of an image whose container `format` was sniffed, or what is damaged.
pub(super) fn header(bytes: &[u8], format: ImageFormat) -> Result<ImageFacts, String> {
    match format {
        ImageFormat::Jpeg => jpeg(bytes),
        ImageFormat::Png => png(bytes),
        _ => by_image_crate(bytes, format),
    }
}

/// Facts for an image whose header could not be read.
fn blank(format: ImageFormat) -> ImageFacts {
    ImageFacts {
        format,
        width: 0,
        height: 0,
        orientation: None,
        color: ColorModel::Rgb,
        bit_depth: 8,
        has_alpha: false,
        progressive: false,
        adobe: false,
    }
}

/// The refusal for absurd dimensions (a decompression bomb or a lying header).
fn too_large(width: u32, height: u32) -> Option<FileProblem> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels <= MAX_MEGAPIXELS * 1_000_000 && width <= MAX_SIDE && height <= MAX_SIDE {
        return None;
    }
    Some(FileProblem::error(Problem::ImageTooLarge {
        width,
        height,
        megapixels: pixels / 1_000_000,
        limit: MAX_MEGAPIXELS,
    }))
}

/// A warning when the extension names another image format than the content.
fn misnamed(format: ImageFormat, name: &str) -> Option<FileProblem> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let (label, usual, accepted): (&str, &str, &[&str]) = match format {
        ImageFormat::Jpeg => ("JPEG", "jpg", &["jpg", "jpeg", "jpe", "jfif"]),
        ImageFormat::Png => ("PNG", "png", &["png"]),
        ImageFormat::Gif => ("GIF", "gif", &["gif"]),
        ImageFormat::Webp => ("WebP", "webp", &["webp"]),
        ImageFormat::Bmp => ("BMP", "bmp", &["bmp", "dib"]),
        ImageFormat::Tiff => ("TIFF", "tif", &["tif", "tiff"]),
    };
    const IMAGE_EXTS: [&str; 12] =
        ["jpg", "jpeg", "jpe", "jfif", "png", "gif", "webp", "bmp", "dib", "tif", "tiff", "heic"];
    if accepted.contains(&ext.as_str()) || !IMAGE_EXTS.contains(&ext.as_str()) {
        return None;
    }
    Some(FileProblem::warning(Problem::ImageMisnamed { format: label.into(), ext, usual: usual.into() }))
}

/// Reads a JPEG's markers up to the first scan: SOF geometry, Adobe APP14, EXIF orientation.
fn jpeg(bytes: &[u8]) -> Result<ImageFacts, String> {
    let mut facts = blank(ImageFormat::Jpeg);
    let mut sof = false;
    let mut adobe_transform = None;
    let mut at = 2usize;
    loop {
        let (marker, payload, next) = jpeg_segment(bytes, at)?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                read_sof(payload, marker, &mut facts)?;
                sof = true;
            }
            0xE1 if payload.starts_with(b"Exif\0\0") => {
                facts.orientation = exif_orientation(&payload[6..]);
            }
            0xEE if payload.starts_with(b"Adobe") && payload.len() >= 12 => {
                adobe_transform = Some(payload[11]);
            }
            0xDA | 0xD9 => break,
            _ => {}
        }
        at = next;
    }
    if !sof {
        return Err("it has no frame header (SOF), so its size is unknown".into());
    }
    facts.adobe = adobe_transform.is_some();
    if facts.color == ColorModel::Cmyk && adobe_transform == Some(2) {
        facts.color = ColorModel::Ycck;
    }
    Ok(facts)
}

/// Whether any component's sampling factors differ from the largest ones (the SOF's
/// component table: id, H<<4|V, table).
pub(super) fn jpeg_subsampled(bytes: &[u8]) -> Option<bool> {
    let mut at = 2usize;
    loop {
        let (marker, payload, next) = jpeg_segment(bytes, at).ok()?;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let count = usize::from(*payload.get(5)?);
                let factors: Vec<u8> =
                    (0..count).map(|i| payload.get(6 + 3 * i + 1).copied()).collect::<Option<_>>()?;
                return Some(factors.windows(2).any(|w| w[0] != w[1]));
            }
            0xDA | 0xD9 => return None,
            _ => {}
        }
        at = next;
    }
}

/// The marker at `at`, its payload (after the length) and where the next marker starts.
/// Standalone markers have an empty payload.
fn jpeg_segment(bytes: &[u8], mut at: usize) -> Result<(u8, &[u8], usize), String> {
    let cut = || "its header is cut short (truncated download?)".to_string();
    if bytes.get(at) != Some(&0xFF) {
        return Err("its header is corrupt (a marker is missing)".into());
    }
    // Any number of 0xFF fill bytes may precede the marker code.
    while bytes.get(at) == Some(&0xFF) {
        at += 1;
    }
    let marker = *bytes.get(at).ok_or_else(cut)?;
    let after = at + 1;
    if matches!(marker, 0x01 | 0xD0..=0xD9) {
        return Ok((marker, &[], after));
    }
    let len = bytes.get(after..after + 2).ok_or_else(cut)?;
    let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
    if len < 2 {
        return Err("its header is corrupt (a segment length is wrong)".into());
    }
    let payload = bytes.get(after + 2..after + len).ok_or_else(cut)?;
    Ok((marker, payload, after + len))
}

/// SOFn: precision, height, width, components; SOF2/6/10/14 are progressive.
fn read_sof(payload: &[u8], marker: u8, facts: &mut ImageFacts) -> Result<(), String> {
    if payload.len() < 6 {
        return Err("its frame header (SOF) is cut short".into());
    }
    facts.bit_depth = payload[0];
    facts.height = u32::from(u16::from_be_bytes([payload[1], payload[2]]));
    facts.width = u32::from(u16::from_be_bytes([payload[3], payload[4]]));
    facts.progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
    facts.color = match payload[5] {
        1 => ColorModel::Gray,
        3 => ColorModel::Rgb,
        4 => ColorModel::Cmyk,
        n => return Err(format!("its frame header declares {n} colour components")),
    };
    if facts.width == 0 || facts.height == 0 {
        return Err("it declares a size of 0 pixels".into());
    }
    Ok(())
}

/// A valid EXIF orientation (1..=8) from a raw TIFF-structured EXIF block; anything else is
/// `None`, since a bad tag should not make a usable photo an error.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let exif = exif::Reader::new().read_raw(tiff.to_vec()).ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = field.value.get_uint(0)?;
    (1..=8).contains(&value).then_some(value as u16)
}

/// Reads a PNG's IHDR, then walks its chunks for tRNS, eXIf and IEND.
fn png(bytes: &[u8]) -> Result<ImageFacts, String> {
    let ihdr = bytes.get(8..33).ok_or("its header is cut short (truncated download?)")?;
    if &ihdr[4..8] != b"IHDR" {
        return Err("its header is corrupt (no IHDR chunk)".into());
    }
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let mut facts = blank(ImageFormat::Png);
    facts.width = be32(&ihdr[8..12]);
    facts.height = be32(&ihdr[12..16]);
    facts.bit_depth = ihdr[16];
    (facts.color, facts.has_alpha) = match ihdr[17] {
        0 => (ColorModel::Gray, false),
        2 => (ColorModel::Rgb, false),
        3 => (ColorModel::Indexed, false),
        4 => (ColorModel::Gray, true),
        6 => (ColorModel::Rgb, true),
        other => {
            return Err(format!("its header declares an unknown colour type ({other})"));
        }
    };
    facts.progressive = ihdr[20] == 1;
    if facts.width == 0 || facts.height == 0 {
        return Err("it declares a size of 0 pixels".into());
    }
    if too_large(facts.width, facts.height).is_none() {
        // Only a plausible image is worth walking to its end.
        walk_png_chunks(bytes, &mut facts)?;
    }
    Ok(facts)
}

/// Walks chunk headers (not data) from after IHDR to IEND.
fn walk_png_chunks(bytes: &[u8], facts: &mut ImageFacts) -> Result<(), String> {
    let mut at = 33usize;
    loop {
        let head = bytes.get(at..at + 8).ok_or("it ends before the end of the image (truncated download?)")?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let data_end = (at + 8).checked_add(len).ok_or("its chunk lengths are corrupt")?;
        match kind {
            b"IEND" => return Ok(()),
            b"tRNS" => facts.has_alpha = true,
            b"eXIf" => {
                if let Some(data) = bytes.get(at + 8..data_end) {
                    facts.orientation = exif_orientation(data);
                }
            }
            _ => {}
        }
        at = data_end.checked_add(4).ok_or("its chunk lengths are corrupt")?;
    }
}

/// GIF, WebP, BMP, TIFF: dimensions and colour type from the `image` crate's decoder header.
fn by_image_crate(bytes: &[u8], format: ImageFormat) -> Result<ImageFacts, String> {
    use ::image::ImageDecoder;
    let damaged = |e: ::image::ImageError| format!("its header cannot be read ({e})");
    let reader = ::image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("its header cannot be read ({e})"))?;
    let decoder = reader.into_decoder().map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    let color = decoder.color_type();
    let mut facts = blank(format);
    facts.width = width;
    facts.height = height;
    facts.has_alpha = color.has_alpha();
    facts.color = if color.has_color() { ColorModel::Rgb } else { ColorModel::Gray };
    let channels = u16::from(color.channel_count()).max(1);
    facts.bit_depth = u8::try_from(color.bits_per_pixel() / channels).unwrap_or(8);
    Ok(facts)
}
