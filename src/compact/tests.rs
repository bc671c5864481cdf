//! Compaction on generated images, read back with an independent decoder (zune-jpeg for the
//! JPEG we write, flate2 for lossless data) and, for whole pages, with poppler's pdfimages and
//! pdftoppm.
#![allow(clippy::disallowed_methods)] // tests write PDFs for poppler to read back

use std::path::PathBuf;
use std::process::Command;

use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace as ZColor;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::*;
use crate::inspect::{ColorModel, ImageFacts, image_header};
use crate::render::image::{ColorSpace, Filter, PdfImage, orientation_matrix};
use lopdf::dictionary;

/// A photo-like picture: smooth colour fields with grain, so it has many distinct colours.
fn photo_pixels(width: u32, height: u32, channels: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(width as usize * height as usize * channels);
    let mut seed = 0x2545_f491u32;
    for y in 0..height {
        for x in 0..width {
            let fx = x as f32 / width as f32;
            let fy = y as f32 / height as f32;
            for c in 0..channels {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let base = match c {
                    0 => 40.0 + 170.0 * fx,
                    1 => 60.0 + 120.0 * fy,
                    2 => 200.0 - 150.0 * fx * fy,
                    _ => 30.0 + 40.0 * fy,
                };
                let grain = (seed % 17) as f32 - 8.0;
                out.push((base + grain).clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

fn encode(pixels: &[u8], (w, h): (u32, u32), kind: jpeg_encoder::ColorType, icc: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 95);
    if let Some(icc) = icc {
        encoder.add_icc_profile(icc).unwrap();
    }
    encoder.encode(pixels, w as u16, h as u16, kind).unwrap();
    out
}

fn photo_jpeg(w: u32, h: u32) -> Vec<u8> {
    encode(&photo_pixels(w, h, 3), (w, h), jpeg_encoder::ColorType::Rgb, None)
}

fn facts(bytes: &[u8]) -> ImageFacts {
    image_header(bytes).expect("an image the header reader understands")
}

/// Decodes a JPEG with zune-jpeg into its stored components (CMYK as stored).
fn decode(jpeg: &[u8], out: ZColor) -> (usize, usize, Vec<u8>) {
    let options = DecoderOptions::default().jpeg_set_out_colorspace(out);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(jpeg), options);
    let pixels = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    (usize::from(info.width), usize::from(info.height), pixels)
}

fn mean(pixels: &[u8], channels: usize) -> Vec<f64> {
    let n = (pixels.len() / channels) as f64;
    (0..channels).map(|c| pixels.iter().skip(c).step_by(channels).map(|&v| f64::from(v)).sum::<f64>() / n).collect()
}

fn assert_close(a: &[f64], b: &[f64], tolerance: f64) {
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tolerance, "means {a:?} and {b:?} differ by more than {tolerance}");
    }
}

/// A4 portrait image page, roughly: 7 × 9.6 inches.
const PLACED: (f32, f32) = (504.0, 691.0);

fn rung(dpi: u16, quality: u8) -> Rung {
    Rung { dpi, quality, lossy_graphics: false }
}

#[test]
fn pixel_size_meets_the_density_on_both_axes_and_never_upscales() {
    let mut f = facts(&photo_jpeg(64, 48));
    (f.width, f.height) = (4000, 3000);
    // 10 × 7.5 inches at 150 dpi: 1500 × 1125.
    assert_eq!(photo::pixel_size(&f, (720.0, 540.0), 150), (1500, 1125));
    // Placed smaller than the image at 300 dpi: no change, never larger.
    assert_eq!(photo::pixel_size(&f, (720.0, 540.0), 600), (4000, 3000));
    assert!(!needs_change(&f, (720.0, 540.0), rung(600, 85)));
    // Rotated by EXIF (6): the upright size is 3000 × 4000; the stored size follows.
    f.orientation = Some(6);
    assert_eq!(photo::pixel_size(&f, (540.0, 720.0), 150), (1500, 1125));
}

#[test]
fn ladder_is_density_major_with_graphics_lossless_first() {
    let rungs = ladder();
    assert_eq!(rungs.len(), 30);
    assert_eq!(rungs[0], rung(300, 85));
    assert_eq!(rungs[1], rung(300, 75));
    assert_eq!(rungs[3], rung(200, 85));
    assert!(rungs[..15].iter().all(|r| !r.lossy_graphics) && rungs[15..].iter().all(|r| r.lossy_graphics));
}

#[test]
fn a_photo_is_resized_to_the_rung_and_keeps_its_colour_and_orientation() {
    let original = photo_jpeg(1600, 1200);
    let mut f = facts(&original);
    f.orientation = Some(6);
    let mut compactor = Compactor::new(&original, &f, PLACED).unwrap();
    assert!(!compactor.is_graphic());
    let candidate = compactor.candidate(rung(110, 75)).unwrap();
    let image = &candidate.image;
    assert_eq!((image.filter, image.color, image.orientation), (Filter::Dct, ColorSpace::Rgb, 6));
    // Upright 1200 × 1600 at 504 × 691 pt and 110 dpi: 770 wide, 1056 high upright.
    assert_eq!((image.width, image.height), (1056, 792));
    assert!(candidate.size() < original.len() / 2, "{} vs {}", candidate.size(), original.len());
    // Read back with zune-jpeg: no green image (the optimised-Huffman trap), same colours.
    let (w, h, pixels) = decode(&image.data, ZColor::RGB);
    assert_eq!((w, h), (1056, 792));
    let (_, _, before) = decode(&original, ZColor::RGB);
    assert_close(&mean(&pixels, 3), &mean(&before, 3), 2.0);
}

#[test]
fn candidates_are_deterministic_and_cached_resizes_give_the_same_bytes() {
    let original = photo_jpeg(900, 700);
    let f = facts(&original);
    let mut one = Compactor::new(&original, &f, PLACED).unwrap();
    let mut two = Compactor::new(&original, &f, PLACED).unwrap();
    let a = one.ladder(&[rung(75, 85), rung(75, 60)]).unwrap();
    let b = two.ladder(&[rung(75, 60)]).unwrap();
    assert_eq!(a[1].image.data, b[0].image.data);
    assert!(a[1].size() < a[0].size());
    assert_eq!(one.candidate(rung(75, 85)).unwrap().image.data, a[0].image.data);
}

#[test]
fn a_small_jpeg_is_never_upscaled_and_kept_when_re_encoding_saves_little() {
    // Already quality 60: re-encoding at 85 and the same size would not save 10 %.
    let pixels = photo_pixels(300, 200, 3);
    let mut original = Vec::new();
    jpeg_encoder::Encoder::new(&mut original, 60).encode(&pixels, 300, 200, jpeg_encoder::ColorType::Rgb).unwrap();
    let f = facts(&original);
    let mut compactor = Compactor::new(&original, &f, PLACED).unwrap();
    let candidate = compactor.candidate(rung(300, 85)).unwrap();
    assert!(candidate.kept);
    assert_eq!(candidate.image.data, original);
    assert_eq!((candidate.image.width, candidate.image.height), (300, 200));
}

#[test]
fn fit_takes_the_first_rung_under_the_budget() {
    let original = photo_jpeg(1200, 900);
    let f = facts(&original);
    let mut compactor = Compactor::new(&original, &f, PLACED).unwrap();
    let all = compactor.ladder(&ladder()[..15]).unwrap();
    let budget = all[7].size();
    let fitted = compactor.fit(&ladder()[..15], budget).unwrap().unwrap();
    let first = all.iter().position(|c| c.size() <= budget).unwrap();
    assert_eq!(fitted.rung, all[first].rung);
    assert!(compactor.fit(&ladder()[..15], 100).unwrap().is_none());
}

#[test]
fn cmyk_stays_cmyk_with_its_stored_values_and_inverted_decode() {
    let ink = photo_pixels(800, 600, 4);
    let original = encode(&ink, (800, 600), jpeg_encoder::ColorType::Cmyk, None);
    let f = facts(&original);
    assert!(f.adobe && f.color == ColorModel::Cmyk);
    let candidate = Compactor::new(&original, &f, PLACED).unwrap().candidate(rung(75, 85)).unwrap();
    assert_eq!((candidate.image.color, candidate.image.invert), (ColorSpace::Cmyk, true));
    let (_, _, before) = decode(&original, ZColor::CMYK);
    let (_, _, after) = decode(&candidate.image.data, ZColor::CMYK);
    assert_close(&mean(&after, 4), &mean(&before, 4), 2.0);
    // Stored Adobe CMYK is inverted ink.
    let stored_ink: Vec<u8> = before.iter().map(|v| 255 - v).collect();
    assert_close(&mean(&stored_ink, 4), &mean(&ink, 4), 2.0);
}

#[test]
fn subsampled_cmyk_is_refused_rather_than_misread() {
    // zune-jpeg reads 4-component JPEGs with subsampled components at half their values
    // (poppler reads them right): such originals are left as they are.
    let ink = photo_pixels(64, 48, 4);
    let mut original = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut original, 85);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.encode(&ink, 64, 48, jpeg_encoder::ColorType::Cmyk).unwrap();
    assert!(matches!(Compactor::new(&original, &facts(&original), PLACED), Err(CompactError::Decode(_))));
}

#[test]
fn ycck_becomes_cmyk_with_the_same_stored_values() {
    let ink = photo_pixels(640, 480, 4);
    let original = encode(&ink, (640, 480), jpeg_encoder::ColorType::CmykAsYcck, None);
    let f = facts(&original);
    assert_eq!(f.color, ColorModel::Ycck);
    let candidate = Compactor::new(&original, &f, PLACED).unwrap().candidate(rung(75, 85)).unwrap();
    assert_eq!((candidate.image.color, candidate.image.invert), (ColorSpace::Cmyk, true));
    let (_, _, after) = decode(&candidate.image.data, ZColor::CMYK);
    let inverted_ink: Vec<u8> = ink.iter().map(|v| 255 - v).collect();
    assert_close(&mean(&after, 4), &mean(&inverted_ink, 4), 3.0);
}

#[test]
fn grey_stays_grey_and_the_icc_profile_is_kept() {
    let icc = b"not a real profile, but kept byte for byte".repeat(10);
    let grey = photo_pixels(700, 500, 1);
    let original = encode(&grey, (700, 500), jpeg_encoder::ColorType::Luma, Some(&icc));
    let f = facts(&original);
    let candidate = Compactor::new(&original, &f, PLACED).unwrap().candidate(rung(75, 75)).unwrap();
    assert_eq!(candidate.image.color, ColorSpace::Gray);
    let mut decoder = zune_jpeg::JpegDecoder::new(ZCursor::new(&candidate.image.data));
    decoder.decode_headers().unwrap();
    assert_eq!(decoder.icc_profile(), Some(icc));
    assert_eq!(decoder.input_colorspace(), Some(ZColor::Luma));
}

fn png(pixels: &[u8], (w, h): (u32, u32), kind: image::ExtendedColorType) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(pixels, w, h, kind).unwrap();
    out
}

/// A flat-coloured screenshot: a few panels and "text" strokes.
fn screenshot_pixels(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let panel = if y < h / 8 { [30, 80, 200] } else { [245, 245, 245] };
            let ink = (x / 3 + y / 7) % 11 == 0 && y % 20 < 12;
            out.extend_from_slice(if ink { &[20, 20, 20] } else { &panel });
        }
    }
    out
}

fn inflate(data: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data).read_to_end(&mut out).unwrap();
    out
}

#[test]
fn a_screenshot_stays_lossless_unless_lossy_graphics_is_asked_for() {
    let original = png(&screenshot_pixels(1170, 2532), (1170, 2532), image::ExtendedColorType::Rgb8);
    let f = facts(&original);
    let placed = crate::render::pages::image_page_placement((1170, 2532));
    let mut compactor = Compactor::new(&original, &f, placed).unwrap();
    assert!(compactor.is_graphic());
    let lossless = compactor.candidate(rung(150, 60)).unwrap();
    assert!(lossless.lossless());
    let (w, h) = (lossless.image.width, lossless.image.height);
    assert!(h < 2532 && f32::from(h as u16) >= placed.1 / 72.0 * 150.0, "{w}×{h} at {placed:?}");
    assert_eq!(inflate(&lossless.image.data).len(), (w as usize * 3 + 1) * h as usize);
    let lossy = compactor.candidate(Rung { lossy_graphics: true, ..rung(150, 60) }).unwrap();
    assert_eq!(lossy.image.filter, Filter::Dct);
}

#[test]
fn a_png_photo_becomes_jpeg_and_its_transparency_a_soft_mask() {
    let (w, h) = (900, 600);
    let mut rgba = photo_pixels(w, h, 4);
    for (i, p) in rgba.chunks_exact_mut(4).enumerate() {
        // Left half opaque, right half half-transparent.
        p[3] = if (i as u32 % w) < w / 2 { 255 } else { 128 };
    }
    let original = png(&rgba, (w, h), image::ExtendedColorType::Rgba8);
    let f = facts(&original);
    let mut compactor = Compactor::new(&original, &f, (288.0, 192.0)).unwrap();
    assert!(!compactor.is_graphic());
    let candidate = compactor.candidate(rung(150, 85)).unwrap();
    assert_eq!((candidate.image.filter, candidate.image.width, candidate.image.height), (Filter::Dct, 600, 400));
    let mask = candidate.image.smask.as_ref().expect("a soft mask");
    assert_eq!((mask.width, mask.height, mask.color), (600, 400, ColorSpace::Gray));
    let alpha = crate::render::image::tests::unpredict(&inflate(&mask.data), 600, 1);
    assert_eq!((alpha[0], alpha[599]), (255, 128));
    // An opaque PNG gets no mask.
    let opaque: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let original = png(&opaque, (w, h), image::ExtendedColorType::Rgba8);
    let candidate =
        Compactor::new(&original, &facts(&original), (288.0, 192.0)).unwrap().candidate(rung(150, 85)).unwrap();
    assert!(candidate.image.smask.is_none());
}

#[test]
fn zip_copies_are_smaller_keep_exif_and_describe_themselves() {
    let pixels = photo_pixels(2400, 1800, 3);
    let mut original = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut original, 95);
    // EXIF with orientation 6 (big-endian TIFF, one IFD entry).
    let exif =
        [b"MM\0*\0\0\0\x08\0\x01".as_slice(), &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0], &[0, 0, 0, 0]].concat();
    encoder.add_exif_metadata(&exif).unwrap();
    encoder.encode(&pixels, 2400, 1800, jpeg_encoder::ColorType::Rgb).unwrap();
    let f = facts(&original);
    assert_eq!(f.orientation, Some(6));
    let copy = zip_copy(&original, &f, ZIP_LONG_SIDE).unwrap().expect("a smaller copy");
    assert_eq!((copy.from_px, copy.to_px), ((2400, 1800), (2000, 1500)));
    let copied = facts(&copy.bytes);
    assert_eq!((copied.width, copied.height, copied.orientation), (2000, 1500, Some(6)));
    let text = copy.description("현장사진_1.jpg");
    let expected = format!(
        "현장사진_1.jpg: 2400×1800 → 2000×1500, {} → {}",
        human_size(original.len() as u64),
        human_size(copy.bytes.len() as u64)
    );
    assert_eq!(text, expected);
    assert!(copy.bytes.len() < original.len());
    // Already small, or not a photo format: no copy.
    assert_eq!(zip_copy(&original, &f, 2400).unwrap(), None);
}

#[test]
fn human_sizes_read_like_the_issue() {
    assert_eq!(human_size(4_200_000), "4.2 MB");
    assert_eq!(human_size(512_000), "0.5 MB");
    assert_eq!(human_size(42_000), "42 KB");
    assert_eq!(human_size(900), "900 B");
}

#[test]
fn png_zip_copies_stay_png() {
    let original = png(&photo_pixels(2200, 1000, 3), (2200, 1000), image::ExtendedColorType::Rgb8);
    let copy = zip_copy(&original, &facts(&original), 1100).unwrap().expect("a smaller copy");
    let copied = facts(&copy.bytes);
    assert_eq!((copied.format, copied.width, copied.height), (crate::inspect::ImageFormat::Png, 1100, 500));
}

// --- Whole pages read back with poppler ---

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/compact-test");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this test (poppler-utils): {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A one-page PDF showing `image` upright in a `placed` box, written by render's own writer.
fn page_pdf(image: &PdfImage, placed: (f32, f32)) -> Vec<u8> {
    use pdf_writer::{Name, Pdf, Rect, Ref};
    let mut pdf = Pdf::new();
    let (catalog, tree, page, content, id, mask) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    {
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, placed.0, placed.1)).parent(tree).contents(content);
        p.resources().x_objects().pair(Name(b"Im0"), id);
    }
    let m = orientation_matrix(image.orientation, 0.0, 0.0, placed.0, placed.1);
    let ops = format!("q {} {} {} {} {} {} cm /Im0 Do Q", m[0], m[1], m[2], m[3], m[4], m[5]);
    pdf.stream(content, ops.as_bytes());
    crate::render::writer::write_image(&mut pdf, image, (id, image.smask.as_ref().map(|_| mask)));
    pdf.finish()
}

/// pdftoppm's rendering of page 1 at `dpi`, as (width, height, RGB samples).
fn render_page(path: &std::path::Path, dpi: u32) -> (usize, usize, Vec<u8>) {
    let prefix = path.with_extension("");
    run("pdftoppm", &["-r", &dpi.to_string(), "-singlefile", path.to_str().unwrap(), prefix.to_str().unwrap()]);
    let ppm = std::fs::read(prefix.with_extension("ppm")).unwrap();
    // P6\nW H\n255\n
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let end = at + ppm[at..].iter().position(|b| b.is_ascii_whitespace()).unwrap();
        fields.push(String::from_utf8_lossy(&ppm[at..end]).into_owned());
        at = end + 1;
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, ppm[at..].to_vec())
}

/// Mean colour of each quadrant (top-left, top-right, bottom-left, bottom-right).
fn quadrants((w, h, rgb): &(usize, usize, Vec<u8>)) -> Vec<f64> {
    let mut out = Vec::new();
    for (qy, qx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        let mut sum = [0f64; 3];
        let mut n = 0f64;
        for y in qy * h / 2..(qy + 1) * h / 2 {
            for x in qx * w / 2..(qx + 1) * w / 2 {
                for c in 0..3 {
                    sum[c] += f64::from(rgb[(y * w + x) * 3 + c]);
                }
                n += 1.0;
            }
        }
        out.extend(sum.map(|s| s / n));
    }
    out
}

#[test]
fn a_compacted_photo_page_has_the_rung_density_and_looks_the_same() {
    let original = photo_jpeg(2000, 1500);
    let mut f = facts(&original);
    f.orientation = Some(8);
    let placed = (360.0, 480.0); // upright 1500 × 2000 at 5 × 6.67 inches
    let before = crate::render::image::prepare(&original, &f).unwrap();
    let candidate = Compactor::new(&original, &f, placed).unwrap().candidate(rung(150, 75)).unwrap();
    let dir = out_dir();
    let (a, b) = (dir.join("original.pdf"), dir.join("compacted.pdf"));
    std::fs::write(&a, page_pdf(&before, placed)).unwrap();
    std::fs::write(&b, page_pdf(&candidate.image, placed)).unwrap();
    run("qpdf", &["--check", b.to_str().unwrap()]);
    let list = run("pdfimages", &["-list", b.to_str().unwrap()]);
    let row: Vec<&str> = list.lines().nth(2).expect("one image").split_whitespace().collect();
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
    assert_eq!((row[3], row[4], row[5], row[8]), ("1000", "750", "rgb", "jpeg"), "{list}");
    let (x_ppi, y_ppi): (f32, f32) = (row[12].parse().unwrap(), row[13].parse().unwrap());
    assert!(x_ppi >= 149.5 && y_ppi >= 149.5 && x_ppi < 152.0, "{list}");
    // Same orientation and picture: each quadrant has the same mean colour.
    let (ra, rb) = (render_page(&a, 36), render_page(&b, 36));
    assert_eq!((ra.0, ra.1), (rb.0, rb.1));
    assert!(ra.1 > ra.0, "portrait after orientation 8");
    assert_close(&quadrants(&ra), &quadrants(&rb), 3.0);
}

#[test]
fn a_png_with_alpha_keeps_its_soft_mask_on_the_page() {
    let (w, h) = (800, 600);
    let mut rgba = photo_pixels(w, h, 4);
    for (i, p) in rgba.chunks_exact_mut(4).enumerate() {
        p[3] = if (i as u32 / w) < h / 2 { 255 } else { 0 };
    }
    let original = png(&rgba, (w, h), image::ExtendedColorType::Rgba8);
    let candidate =
        Compactor::new(&original, &facts(&original), (288.0, 216.0)).unwrap().candidate(rung(110, 85)).unwrap();
    let path = out_dir().join("alpha.pdf");
    std::fs::write(&path, page_pdf(&candidate.image, (288.0, 216.0))).unwrap();
    let list = run("pdfimages", &["-list", path.to_str().unwrap()]);
    assert!(list.lines().any(|l| l.contains(" smask ") && l.contains(" 440 ") && l.contains(" 330 ")), "{list}");
    // The transparent bottom half shows the white page.
    let page = render_page(&path, 36);
    let q = quadrants(&page);
    assert!(q[6..].iter().all(|&v| v > 250.0), "{q:?}");
    assert!(q[..3].iter().any(|&v| v < 200.0), "{q:?}");
}

// --- JPEG images inside input PDFs ---

fn image_stream(data: Vec<u8>, (w, h): (u32, u32), color: &str, filter: &str) -> lopdf::Stream {
    let dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => i64::from(w),
        "Height" => i64::from(h),
        "ColorSpace" => lopdf::Object::Name(color.as_bytes().to_vec()),
        "BitsPerComponent" => 8,
        "Filter" => lopdf::Object::Name(filter.as_bytes().to_vec()),
    };
    lopdf::Stream::new(dict, data)
}

/// One page drawing: Im0 (2000×1500 RGB JPEG with a soft mask and a /Decode) at 4 × 3 in;
/// through a form scaled by 2, Im1 (1200×900 CMYK JPEG) at 2 × 1.5 in; Im3 (a Flate image)
/// and Im4 (a JPEG with a colour-key mask). Im2 is in the resources but never drawn.
fn scan_pdf() -> (lopdf::Document, [lopdf::ObjectId; 5]) {
    use lopdf::{Object, Stream};
    let mut doc = lopdf::Document::with_version("1.7");
    let smask = doc.add_object(image_stream(vec![200; 100], (10, 10), "DeviceGray", "ASCIIHexDecode"));
    if let Ok(Object::Stream(s)) = doc.get_object_mut(smask) {
        s.dict.remove(b"Filter");
    }
    let mut im0 = image_stream(photo_jpeg(2000, 1500), (2000, 1500), "DeviceRGB", "DCTDecode");
    im0.dict.set("SMask", smask);
    im0.dict.set("Decode", vec![1.into(), 0.into(), 1.into(), 0.into(), 1.into(), 0.into()]);
    let im0 = doc.add_object(im0);
    let cmyk = encode(&photo_pixels(1200, 900, 4), (1200, 900), jpeg_encoder::ColorType::Cmyk, None);
    let mut im1 = image_stream(cmyk, (1200, 900), "DeviceCMYK", "DCTDecode");
    im1.dict.set("Decode", (0..8).map(|i| Object::Integer(1 - i % 2)).collect::<Vec<_>>());
    let im1 = doc.add_object(im1);
    let im2 = doc.add_object(image_stream(photo_jpeg(1600, 1200), (1600, 1200), "DeviceRGB", "DCTDecode"));
    let flate = crate::render::image::deflate(&photo_pixels(800, 600, 3));
    let im3 = doc.add_object(image_stream(flate, (800, 600), "DeviceRGB", "FlateDecode"));
    let mut im4 = image_stream(photo_jpeg(1600, 1200), (1600, 1200), "DeviceRGB", "DCTDecode");
    im4.dict.set("Mask", vec![0.into(), 10.into(), 0.into(), 10.into(), 0.into(), 10.into()]);
    let im4 = doc.add_object(im4);
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Matrix" => vec![2.into(), 0.into(), 0.into(), 2.into(), 0.into(), 0.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im1" => im1 } },
        },
        b"q 144 0 0 108 0 0 cm /Im1 Do Q".to_vec(),
    );
    let form = doc.add_object(form);
    let content = b"q 288 0 0 216 36 500 cm /Im0 Do Q q 0.5 0 0 0.5 36 300 cm /Fm0 Do Q \
        q 144 0 0 108 300 300 cm /Im3 Do Q q 144 0 0 108 300 100 cm /Im4 Do Q";
    let content = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let pages = doc.new_object_id();
    let xobjects = dictionary! { "Im0" => im0, "Fm0" => form, "Im2" => im2, "Im3" => im3, "Im4" => im4 };
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Resources" => dictionary! { "XObject" => xobjects },
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    (doc, [im0, im1, im2, im3, im4])
}

#[test]
fn placements_follow_cm_and_forms() {
    let (doc, [im0, im1, im2, im3, im4]) = scan_pdf();
    let placed = pdf::placements(&doc);
    assert_eq!(placed.get(&im0), Some(&(288.0, 216.0)));
    assert_eq!(placed.get(&im1), Some(&(144.0, 108.0)));
    assert_eq!(placed.get(&im2), None);
    assert!(placed.contains_key(&im3) && placed.contains_key(&im4));
}

#[test]
fn jpegs_in_a_pdf_are_recompressed_to_the_rung_keeping_their_dictionary() {
    let (mut doc, [im0, im1, im2, im3, im4]) = scan_pdf();
    let before = doc.clone();
    let dir = out_dir();
    let (a, b) = (dir.join("scan-before.pdf"), dir.join("scan-after.pdf"));
    doc.save(&a).unwrap();
    let mut done = pdf::recompress(&mut doc, rung(150, 75));
    done.sort_by_key(|r| r.id);
    let summary: Vec<_> = done.iter().map(|r| (r.id, r.from_px, r.to_px)).collect();
    assert_eq!(summary, vec![(im0, (2000, 1500), (600, 450)), (im1, (1200, 900), (300, 225))]);
    assert!(done.iter().all(|r| r.saving() > 0 && r.after < r.before));
    for id in [im2, im3, im4] {
        assert_eq!(doc.get_object(id).unwrap(), before.get_object(id).unwrap(), "{id:?} untouched");
    }
    let dict = |id| doc.get_object(id).unwrap().as_stream().unwrap().dict.clone();
    let old = |id| before.get_object(id).unwrap().as_stream().unwrap().dict.clone();
    for id in [im0, im1] {
        for key in [b"SMask".as_slice(), b"Decode", b"ColorSpace", b"Filter"] {
            assert_eq!(dict(id).get(key).ok(), old(id).get(key).ok(), "{id:?} keeps /{}", String::from_utf8_lossy(key));
        }
    }
    doc.save(&b).unwrap();
    run("qpdf", &["--check", b.to_str().unwrap()]);
    let list = run("pdfimages", &["-list", b.to_str().unwrap()]);
    assert!(list.lines().any(|l| l.contains(" 600 ") && l.contains(" 450 ") && l.contains(" rgb ")), "{list}");
    assert!(list.lines().any(|l| l.contains(" 300 ") && l.contains(" 225 ") && l.contains(" cmyk ")), "{list}");
    // The page looks the same.
    assert_close(&quadrants(&render_page(&a, 30)), &quadrants(&render_page(&b, 30)), 3.0);
    // Again at the same rung: nothing left to do.
    assert!(pdf::recompress(&mut doc, rung(150, 75)).is_empty());
}

/// Where the time goes for one 12-megapixel photo; prints, asserts nothing about time.
#[test]
#[ignore = "measurement: cargo test --release --lib measure_a_12_megapixel_photo -- --ignored --nocapture"]
fn measure_a_12_megapixel_photo() {
    use std::time::Instant;
    let original = encode(&photo_pixels(4000, 3000, 3), (4000, 3000), jpeg_encoder::ColorType::Rgb, None);
    let f = facts(&original);
    let t = Instant::now();
    let raster = Raster::from_jpeg(&original).unwrap();
    let decode = t.elapsed();
    let t = Instant::now();
    let small = raster.resized(2000, 1500).unwrap();
    let resize = t.elapsed();
    let t = Instant::now();
    let jpeg = raster::encode_jpeg(&small.samples, (2000, 1500), small.color, 85, None).unwrap();
    let encode_time = t.elapsed();
    let placed = crate::render::pages::image_page_placement(f.upright_size());
    let t = Instant::now();
    let mut compactor = Compactor::new(&original, &f, placed).unwrap();
    let rungs: Vec<Rung> = ladder()[..15].to_vec();
    let all = compactor.ladder(&rungs).unwrap();
    let whole = t.elapsed();
    eprintln!(
        "12 MP photo, {} bytes: decode {decode:?}, resize to 2000×1500 {resize:?}, encode q85 {encode_time:?} ({} bytes)",
        original.len(),
        jpeg.len()
    );
    eprintln!("decode + all 15 rungs (5 densities × 3 qualities) at {placed:?} pt: {whole:?}");
    for c in &all {
        eprintln!(
            "  {:>3} dpi q{}: {}×{} {} bytes",
            c.rung.dpi,
            c.rung.quality,
            c.image.width,
            c.image.height,
            c.size()
        );
    }
}
