//! Issue 9: every bundle can be emailed. The mail carries the merged PDF and the zip of the
//! originals; when it would be over `max_attachment`, build compacts the images it places, then
//! the photos of the zip, then splits into parts, and says what it did. Everything is read
//! back with independent tools: Python's `email` and `zipfile`, `qpdf`, `pdfimages`,
//! `pdftoppm`.

use std::path::{Path, PathBuf};

use crate::build::{build, out_dir};
use crate::common::*;

/// A photo-like JPEG (smooth colour gradients, a little sensor noise, a red band along the edge
/// that is the top once `orientation` is applied) at quality 95, so it compresses as phone
/// photos do. `orientation` 6 stores it on its side, as phones do, with an EXIF tag saying so.
fn photo(path: &Path, (w, h): (u32, u32), seed: u64, orientation: Option<u16>) {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 17) as i32 - 8
    };
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        // Orientation 6: the upright top is the stored left edge.
        let top = if orientation == Some(6) { x < w / 12 } else { y < h / 12 };
        if top {
            return image::Rgb([220, 20, 20]);
        }
        let g = |v: u32, n: u32| (v * 200 / n.max(1)) as i32 + 20;
        let mut px = |base: i32| (base + noise()).clamp(0, 255) as u8;
        image::Rgb([px(g(x, w) / 2 + 40), px(g(y, h)), px(g(x + y, w + h))])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95).encode_image(&img).unwrap();
    if let Some(o) = orientation {
        jpeg = with_orientation(&jpeg, o);
    }
    std::fs::write(path, jpeg).unwrap();
}

/// `jpeg` with an APP1 EXIF segment holding only the Orientation tag, right after SOI.
fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0\x08\0\0\0\x01\0".to_vec();
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A 300×300 PNG of noise: ~270 KB that no lossless compressor shrinks.
fn noise_png(path: &Path) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let img = image::RgbImage::from_fn(300, 300, |_, _| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let b = state.to_le_bytes();
        image::Rgb([b[0], b[1], b[2]])
    });
    img.save(path).unwrap();
}

/// The example with three 3000×2250 photos in the evidence folder (the first on its side with
/// EXIF orientation 6), every recipient's limit set to `budget`.
fn photo_case(budget: &str) -> Case {
    let case = Case::example();
    for n in 1..=3 {
        let orientation = (n == 1).then_some(6);
        photo(&case.doc(&format!("프로젝트수행_입증자료/현장사진_{n:02}_큰사진.jpg")), (3000, 2250), n, orientation);
    }
    let text = std::fs::read_to_string(case.manifest()).unwrap();
    let text = text.replace("max_attachment = \"25 MB\"", &format!("max_attachment = \"{budget}\""));
    std::fs::write(
        case.manifest(),
        text.replace("max_attachment = \"20 MB\"", &format!("max_attachment = \"{budget}\"")),
    )
    .unwrap();
    case
}

/// Reads every `*.eml` of a folder with Python's `email` package and checks each attachment
/// against the file of the same name beside it. Prints per mail: its name, size, subject, then
/// per attachment its type and name; then the plain body's first line.
const READ_MAILS: &str = r#"
import sys, os, email, email.policy
folder = sys.argv[1]
for name in sorted(n for n in os.listdir(folder) if n.endswith(".eml")):
    raw = open(os.path.join(folder, name), "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    print("MAIL", name, len(raw), msg["Subject"], sep="|")
    for part in msg.iter_attachments():
        data = part.get_content()
        same = data == open(os.path.join(folder, part.get_filename()), "rb").read()
        print("ATT", part.get_content_type(), part.get_filename(), len(data), same, sep="|")
    print("BODY", msg.get_body(("plain",)).get_content().splitlines()[0], sep="|")
"#;

struct Mail {
    name: String,
    bytes: u64,
    subject: String,
    attachments: Vec<(String, String, u64)>,
}

fn mails(dir: &Path) -> Vec<Mail> {
    let out = tool("python3", &["-c", READ_MAILS, dir.to_str().unwrap()]);
    let mut mails: Vec<Mail> = Vec::new();
    for line in out.lines() {
        let f: Vec<&str> = line.split('|').collect();
        match f[0] {
            "MAIL" => mails.push(Mail {
                name: f[1].into(),
                bytes: f[2].parse().unwrap(),
                subject: f[3].into(),
                attachments: vec![],
            }),
            "ATT" => {
                assert_eq!(f[4], "True", "{} in {} differs from the file beside it", f[2], mails.last().unwrap().name);
                mails.last_mut().unwrap().attachments.push((f[1].into(), f[2].into(), f[3].parse().unwrap()));
            }
            _ => {}
        }
    }
    mails
}

/// The zip's entries (name, size) and its `SHA256SUMS.txt`, with Python's `zipfile`; asserts
/// every listed hash of an entry matches.
fn zip_listing(zip: &Path) -> (Vec<(String, u64)>, String) {
    let script = r##"
import sys, zipfile, hashlib
z = zipfile.ZipFile(sys.argv[1])
sums = z.read("SHA256SUMS.txt").decode()
listed = dict(reversed(l.split("  ", 1)) for l in sums.splitlines() if l and not l.startswith("#"))
for i in z.infolist():
    if i.filename != "SHA256SUMS.txt":
        assert listed[i.filename] == hashlib.sha256(z.read(i)).hexdigest(), i.filename
        print(i.filename, i.file_size, sep="|")
print("----")
print(sums, end="")
"##;
    let out = tool("python3", &["-c", script, zip.to_str().unwrap()]);
    let (entries, sums) = out.split_once("----\n").unwrap();
    let entries = entries
        .lines()
        .map(|l| {
            let (name, size) = l.rsplit_once('|').unwrap();
            (name.to_string(), size.parse().unwrap())
        })
        .collect();
    (entries, sums.to_string())
}

/// `pdfimages -list`: (page, width, height, encoding, x-ppi, y-ppi) of every image.
fn pdf_images(pdf: &Path) -> Vec<(usize, u32, u32, String, u32, u32)> {
    tool("pdfimages", &["-list", pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = |i: usize| f[i].parse::<u32>().unwrap();
            (n(0) as usize, n(3), n(4), f[8].to_string(), n(12), n(13))
        })
        .collect()
}

fn merged_pdf(dir: &Path) -> PathBuf {
    dir.join("2019123456_김민준_학점인정서류.pdf")
}

#[test]
fn a_folder_over_the_limit_fits_after_compacting_the_images_it_places() {
    let case = Case::example();
    noise_png(&case.doc("프로젝트수행_입증자료/노이즈_사진.png"));
    case.edit_manifest("max_attachment = \"25 MB\"", "max_attachment = \"600 KB\"");
    let (code, out, err) = build(&case, &["--recipient", "professor"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let dir = out_dir(&case, "professor");
    let mails = mails(&dir);
    assert_eq!(mails.len(), 1, "one message fits after step 1");
    let mail = &mails[0];
    assert!(mail.bytes <= 600_000, "{} bytes", mail.bytes);
    assert_eq!(mail.attachments[0].0, "application/pdf");
    assert_eq!(mail.attachments[1].0, "application/zip");
    // The summary says what was done, with the rung.
    assert!(out.contains("mail mail.eml") && out.contains("/ 600 KB: ") && out.contains(" photos at "), "{out}");
    // The zip keeps the original PNG, byte for byte.
    let (entries, _) = zip_listing(&dir.join("2019123456_김민준_학점인정서류.zip"));
    let png = std::fs::metadata(case.doc("프로젝트수행_입증자료/노이즈_사진.png")).unwrap().len();
    assert!(entries.iter().any(|(n, s)| n.ends_with("노이즈_사진.png") && *s == png), "{entries:?}");
    let pdf = merged_pdf(&dir);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    // The noise PNG (lossless, 300×300) became a JPEG on its page, never upscaled.
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let page = text.split('\x0c').collect::<Vec<_>>().iter().rposition(|p| p.contains("노이즈_사진.png")).unwrap() + 1;
    let on_page: Vec<_> = pdf_images(&pdf).into_iter().filter(|i| i.0 == page).collect();
    assert_eq!(on_page.len(), 1, "{on_page:?}");
    let (_, w, h, enc, _, _) = &on_page[0];
    assert!(*w <= 300 && *h <= 300, "{w}×{h}");
    assert_eq!(enc, "jpeg");
}

#[test]
fn photos_in_the_zip_become_copies_only_when_the_originals_alone_are_over() {
    let case = photo_case("2 MB");
    let photos: Vec<u64> = (1..=3)
        .map(|n| {
            std::fs::metadata(case.doc(&format!("프로젝트수행_입증자료/현장사진_{n:02}_큰사진.jpg"))).unwrap().len()
        })
        .collect();
    assert!(photos.iter().sum::<u64>() > 2_000_000, "the originals alone are over the limit: {photos:?}");
    let before = case.input_hashes();
    let (code, out, err) = build(&case, &["--recipient", "professor"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(case.input_hashes(), before, "inputs are never modified");
    let dir = out_dir(&case, "professor");
    let mails = mails(&dir);
    assert_eq!(mails.len(), 1, "{out}");
    assert!(mails[0].bytes <= 2_000_000);
    assert!(out.contains("photos in the zip as smaller copies"), "{out}");
    let (entries, sums) = zip_listing(&dir.join("2019123456_김민준_학점인정서류.zip"));
    assert!(!entries.iter().any(|(n, _)| n.ends_with(".pdf") && !n.contains('/')), "no merged PDF in the zip");
    for n in 1..=3 {
        let name = format!("04_프로젝트수행 입증 자료/현장사진_{n:02}_큰사진.jpg");
        let (_, size) = entries.iter().find(|(e, _)| *e == name).unwrap_or_else(|| panic!("{name} in {entries:?}"));
        assert!(*size < photos[n - 1] / 2, "{name} is a smaller copy");
        assert!(sums.contains(&format!("# {name}: 3000×2250 → 2000×1500")), "{sums}");
        assert!(out.contains(&format!("{name}: 3000×2250 → 2000×1500")), "{out}");
    }
    // The copy of the photo on its side keeps its EXIF orientation.
    let unpacked = tempfile::tempdir().unwrap();
    let zip = dir.join("2019123456_김민준_학점인정서류.zip");
    tool("unzip", &["-q", zip.to_str().unwrap(), "-d", unpacked.path().to_str().unwrap()]);
    let copy = unpacked.path().join("04_프로젝트수행 입증 자료/현장사진_01_큰사진.jpg");
    let exif = tool(
        "python3",
        &["-c", "import sys; d=open(sys.argv[1],'rb').read(); print(b'Exif' in d[:200])", copy.to_str().unwrap()],
    );
    assert_eq!(exif.trim(), "True");
    // The record says which entries are copies, and verify accepts the bundle as sent.
    let record = std::fs::read_to_string(unpacked.path().join("dossier.json")).unwrap();
    assert!(record.contains("\"compaction\"") && record.contains("현장사진_01_큰사진.jpg"), "{record}");
    let verified = case.dossier(&["verify", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
    // The photo stored on its side stands upright in the PDF: its page is portrait and red on top.
    let pdf = merged_pdf(&dir);
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let page =
        text.split('\x0c').collect::<Vec<_>>().iter().rposition(|p| p.contains("현장사진_01_큰사진.jpg")).unwrap() + 1;
    let (top, bottom) = crate::build::red_share_top_bottom(&pdf, page);
    assert!(top > 0.08 && bottom < 0.01, "page {page}: red {top} at the top, {bottom} at the bottom");
    // Every photo in the PDF has at least the chosen density and at most its own pixels.
    let rung: u32 = out.split(" photos at ").nth(1).expect(&out).split(" dpi").next().unwrap().parse().unwrap();
    let big: Vec<_> = pdf_images(&pdf).into_iter().filter(|i| i.1.max(i.2) > 1000).collect();
    assert_eq!(big.len(), 3, "{big:?}");
    for (page, w, h, _, xppi, yppi) in big {
        assert!(xppi + 1 >= rung && yppi + 1 >= rung, "page {page}: {xppi}×{yppi} ppi < {rung}");
        assert!(w.max(h) <= 3000 && w.min(h) <= 2250, "page {page}: {w}×{h} upscaled");
    }
    // Same inputs, same bytes.
    let first: Vec<Vec<u8>> = ["2019123456_김민준_학점인정서류.pdf", "2019123456_김민준_학점인정서류.zip", "mail.eml"]
        .iter()
        .map(|n| std::fs::read(dir.join(n)).unwrap())
        .collect();
    assert_eq!(build(&case, &["--recipient", "professor"]).0, 0);
    for (n, bytes) in
        ["2019123456_김민준_학점인정서류.pdf", "2019123456_김민준_학점인정서류.zip", "mail.eml"].iter().zip(first)
    {
        assert!(std::fs::read(dir.join(n)).unwrap() == bytes, "{n} differs between two builds");
    }
}

#[test]
fn keep_originals_splits_into_parts_with_the_pdf_in_the_first() {
    // Each photo alone fits a message, the three together do not.
    let case = photo_case("6 MB");
    case.edit_manifest("id = \"professor\"", "id = \"professor\"\nkeep_originals = true");
    let (code, out, err) = build(&case, &["--recipient", "professor"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let dir = out_dir(&case, "professor");
    let mails = mails(&dir);
    assert!(mails.len() >= 2, "{out}");
    for (n, mail) in mails.iter().enumerate() {
        assert!(mail.bytes <= 6_000_000, "{} is {} bytes", mail.name, mail.bytes);
        assert!(mail.subject.ends_with(&format!("({}/{})", n + 1, mails.len())), "{}", mail.subject);
        let pdfs = mail.attachments.iter().filter(|a| a.0 == "application/pdf").count();
        assert_eq!(pdfs, usize::from(n == 0), "the merged PDF goes in the first message only");
    }
    // Together the zips hold every original, byte for byte.
    let mut photos = 0;
    for zip in std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
    {
        let (entries, _) = zip_listing(&zip);
        for (name, size) in entries.iter().filter(|(n, _)| n.contains("큰사진")) {
            let file = name.rsplit('/').next().unwrap();
            assert_eq!(*size, std::fs::metadata(case.doc(&format!("프로젝트수행_입증자료/{file}"))).unwrap().len());
            photos += 1;
        }
    }
    assert_eq!(photos, 3);
    let verified = case.dossier(&["verify", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(verified.status.code(), Some(0), "{}", stdout(&verified));
}

#[test]
fn a_file_too_big_for_any_message_fails_its_recipient_and_the_others_are_built() {
    let case = Case::example();
    noise_png(&case.doc("프로젝트수행_입증자료/노이즈_사진.png"));
    case.edit_manifest("max_attachment = \"25 MB\"", "max_attachment = \"150 KB\"");
    let (code, out, err) = build(&case, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("지도교수 (professor): not built: an error stopped it"), "{out}");
    assert!(
        out.contains("노이즈_사진.png") && out.contains("150 KB"),
        "the message names the file and the limit: {out}"
    );
    assert!(!out_dir(&case, "professor").exists(), "nothing half-made is left");
    for other in ["office", "placement"] {
        assert!(out_dir(&case, other).join("mail.eml").exists(), "{other} is still built:\n{out}");
    }
    // In Korean, with what to do.
    let output = case.dossier(&["build", "--recipient", "professor"]).env("DOSSIER_LANG", "ko").output().unwrap();
    let ko = stdout(&output);
    assert!(
        ko.contains("받는 곳 `professor`") && ko.contains("한 통의 한도 150 KB") && ko.contains("대용량 첨부"),
        "{ko}"
    );
}

#[test]
fn fit_off_keeps_every_byte_and_strict_fails_an_oversized_mail() {
    let case = photo_case("2 MB");
    case.edit_manifest("[bundle]", "[bundle]\nfit = \"off\"");
    let (code, out, _) = build(&case, &["--recipient", "professor"]);
    assert_eq!(code, 0, "fit = \"off\" only warns: {out}");
    assert!(out.contains("over its limit of 2.0 MB"), "{out}");
    let dir = out_dir(&case, "professor");
    let (entries, _) = zip_listing(&dir.join("2019123456_김민준_학점인정서류.zip"));
    let photo = std::fs::metadata(case.doc("프로젝트수행_입증자료/현장사진_02_큰사진.jpg")).unwrap().len();
    assert!(entries.iter().any(|(n, s)| n.ends_with("현장사진_02_큰사진.jpg") && *s == photo));
    assert!(mails(&dir)[0].bytes > 2_000_000);
    assert_eq!(build(&case, &["--recipient", "professor", "--strict"]).0, 1);
}

#[test]
fn a_small_budget_splits_on_compressed_sizes_and_the_dry_run_shows_the_same_plan() {
    let case = Case::example();
    case.edit_manifest("max_attachment = \"20 MB\"", "max_attachment = \"39 KB\"");
    let dry = case.dossier(&["build", "--recipient", "placement", "--dry-run", "--json"]).output().unwrap();
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    assert!(!case.dir.path().join("out").exists(), "a dry run writes nothing");
    let plan: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    let planned = plan["recipients"][0]["mail"]["messages"].as_array().unwrap().clone();
    let (code, out, err) = build(&case, &["--recipient", "placement"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let dir = out_dir(&case, "placement");
    let mails = mails(&dir);
    assert!(mails.len() >= 2, "{out}");
    assert_eq!(planned.len(), mails.len());
    for (mail, planned) in mails.iter().zip(&planned) {
        assert!(mail.bytes <= 39_000, "{} is {} bytes", mail.name, mail.bytes);
        assert_eq!(planned["name"], mail.name.as_str());
        assert_eq!(planned["bytes"], mail.bytes, "the dry run measured the real message");
    }
    let mut names: Vec<String> = Vec::new();
    for zip in std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zip"))
    {
        names.extend(zip_listing(&zip).0.into_iter().map(|(n, _)| n).filter(|n| n != "dossier.json"));
    }
    names.sort();
    let expected = [
        "01_급여명세서/급여명세서_2023-03.pdf",
        "01_급여명세서/급여명세서_2023-04.pdf",
        "01_급여명세서/급여명세서_2023-05.pdf",
        "01_급여명세서/급여명세서_2023-06.pdf",
    ];
    for e in expected {
        assert_eq!(names.iter().filter(|n| *n == e).count(), 1, "{e} once in {names:?}");
    }
}

#[test]
fn attach_pdf_sends_the_merged_pdf_alone_and_attach_zip_puts_it_in_the_zip() {
    let case = Case::example();
    case.edit_manifest("id = \"professor\"", "id = \"professor\"\nattach = [\"pdf\"]");
    case.edit_manifest("id = \"office\"", "id = \"office\"\nattach = [\"zip\"]");
    let (code, out, err) = build(&case, &["--recipient", "professor", "--recipient", "office"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let professor = mails(&out_dir(&case, "professor"));
    let types: Vec<&str> = professor[0].attachments.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(types, ["application/pdf"]);
    let office = mails(&out_dir(&case, "office"));
    let types: Vec<&str> = office[0].attachments.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(types, ["application/zip"]);
    let (entries, _) = zip_listing(&out_dir(&case, "office").join("2019123456_김민준_학점인정서류.zip"));
    let pdf = std::fs::metadata(merged_pdf(&out_dir(&case, "office"))).unwrap().len();
    assert!(entries.iter().any(|(n, s)| n == "2019123456_김민준_학점인정서류.pdf" && *s == pdf), "{entries:?}");
}

/// A one-page A4 "scan": `jpeg` drawn across the page's width as a
/// `/DCTDecode` image XObject, as phone scanner apps write them.
fn scan_pdf(path: &Path, jpeg: &[u8], (w, h): (u32, u32)) {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let image = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => i64::from(w), "Height" => i64::from(h),
            "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "DCTDecode",
        },
        jpeg.to_vec(),
    );
    let image_id = doc.add_object(image);
    let placed_h = 595.0 * h as f32 / w as f32;
    let content = format!("q 595 0 0 {placed_h:.1} 0 {:.1} cm /Im0 Do Q", (842.0 - placed_h) / 2.0);
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page = dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
    };
    let page_id = doc.add_object(page);
    let pages = dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 };
    doc.objects.insert(pages_id, Object::Dictionary(pages));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.save(path).unwrap();
}

/// A page rendered at 20 dpi, as RGB.
fn rendered(pdf: &Path, page: usize) -> image::RgbImage {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    let n = page.to_string();
    tool("pdftoppm", &["-r", "20", "-png", "-f", &n, "-l", &n, pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
    let file = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    image::open(file).unwrap().to_rgb8()
}

#[test]
fn jpegs_inside_input_pdfs_are_recompressed_when_the_placed_images_are_not_enough() {
    let case = Case::example();
    let jpeg_path = case.dir.path().join("scan.jpg");
    photo(&jpeg_path, (3000, 2250), 7, None);
    let jpeg = std::fs::read(&jpeg_path).unwrap();
    let scan = case.doc("프로젝트수행_입증자료/스캔_보고서.pdf");
    scan_pdf(&scan, &jpeg, (3000, 2250));
    let original = std::fs::read(&scan).unwrap();
    assert!(original.len() > 3_000_000, "{}", original.len());
    // The professor gets the merged PDF alone, in a 3 MB mail: the scan must shrink.
    case.edit_manifest("max_attachment = \"25 MB\"", "max_attachment = \"3 MB\"\nattach = [\"pdf\"]");
    let (code, out, err) = build(&case, &["--recipient", "professor"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("images inside PDFs at "), "{out}");
    let rung: u32 = out.split("images inside PDFs at ").nth(1).unwrap().split(" dpi").next().unwrap().parse().unwrap();
    let dir = out_dir(&case, "professor");
    let mails = mails(&dir);
    assert_eq!(mails.len(), 1);
    assert!(mails[0].bytes <= 3_000_000, "{}", mails[0].bytes);
    let types: Vec<&str> = mails[0].attachments.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(types, ["application/pdf"]);
    let pdf = merged_pdf(&dir);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let big: Vec<_> = pdf_images(&pdf).into_iter().filter(|i| i.1.max(i.2) > 1000).collect();
    assert_eq!(big.len(), 1, "{big:?}");
    let (page, w, h, enc, xppi, yppi) = big[0].clone();
    assert!(w < 3000 && h < 2250, "{w}×{h}: made smaller");
    assert!((i64::from(w) * 2250 - i64::from(h) * 3000).abs() <= 3000, "{w}×{h}: the aspect is kept");
    assert_eq!(enc, "jpeg");
    assert!(xppi + 1 >= rung && yppi + 1 >= rung, "{xppi}×{yppi} ppi < {rung}");
    // The page looks as the scan's page did (the stamp band at the bottom aside).
    let (a, b) = (rendered(&pdf, page), rendered(&scan, 1));
    assert_eq!(a.dimensions(), b.dimensions());
    let (w, h) = a.dimensions();
    let mut diff = 0u64;
    let mut n = 0u64;
    for y in 0..h * 85 / 100 {
        for x in 0..w {
            for c in 0..3 {
                diff += u64::from(a.get_pixel(x, y)[c].abs_diff(b.get_pixel(x, y)[c]));
                n += 1;
            }
        }
    }
    assert!(diff / n < 10, "mean difference {} of 255", diff / n);
    // The zip on disk keeps the scan as it was.
    let unpacked = tempfile::tempdir().unwrap();
    let zip = dir.join("2019123456_김민준_학점인정서류.zip");
    tool("unzip", &["-q", zip.to_str().unwrap(), "-d", unpacked.path().to_str().unwrap()]);
    let kept = std::fs::read(unpacked.path().join("04_프로젝트수행 입증 자료/스캔_보고서.pdf")).unwrap();
    assert!(kept == original, "the original scan is in the zip unchanged");
}
