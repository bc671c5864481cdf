//! JPEG images inside input PDFs (issue 9, step 2): a [`lopdf::Document`] and a [`Rung`] in,
//! the document changed in place and one [`Recompressed`] per image that was made smaller out.
//!
//! Phone scans are often 5-10 MB a page of 300-600 dpi JPEG. An image's density is measured
//! where the page draws it: the page content (and the forms it draws, recursively) is walked
//! for `q`/`Q`/`cm`/`Do`, and the image's placed size is the length of the CTM's axes when it
//! is drawn; an image drawn several times counts at its largest. Images never drawn by a page
//! (or drawn only through patterns, annotations, inline images) are left alone.
//!
//! Only `/DCTDecode` images are touched, 8 bits, without a colour-key `/Mask` (exact colours
//! that lossy recompression would break) and without `/DecodeParms` (a `/ColorTransform`
//! would change how the components are read). The dictionary is kept, so placement, colour
//! space (ICC included), `/Decode`, `/SMask` and stencil `/Mask` stay as they were: samples
//! are re-encoded with the same component values they were stored with.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId};
use rayon::prelude::*;

use super::Rung;
use super::raster::{Raster, encode_jpeg};

/// Page content larger than this (decompressed) is not walked: its images are left alone.
const MAX_CONTENT: usize = 64 * 1024 * 1024;
/// Forms drawing forms: deeper than this is not followed.
const MAX_DEPTH: usize = 12;
/// A recompression that keeps more than this share of the pixels is not worth the loss.
const MAX_PIXEL_SHARE_PERCENT: u64 = 80;

/// One image made smaller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recompressed {
    /// The image XObject.
    pub id: ObjectId,
    /// Pixel size before.
    pub from_px: (u32, u32),
    /// Pixel size after.
    pub to_px: (u32, u32),
    /// Stream bytes before.
    pub before: usize,
    /// Stream bytes after.
    pub after: usize,
}

impl Recompressed {
    /// Bytes saved.
    pub fn saving(&self) -> usize {
        self.before - self.after
    }
}

/// An image to recompress: its id, pixel size now and after, and its JPEG data.
type Job = (ObjectId, (u32, u32), (u32, u32), Vec<u8>);

/// Recompresses every JPEG image of `doc` denser than `rung.dpi` where it is drawn, at
/// `rung.quality`. Images that fail to decode, or would not get smaller, are left as they are.
pub fn recompress(doc: &mut Document, rung: Rung) -> Vec<Recompressed> {
    let placed = placements(doc);
    let jobs: Vec<Job> = placed
        .iter()
        .filter_map(|(&id, &size)| {
            let stream = doc.get_object(id).ok()?.as_stream().ok()?;
            let from = eligible(&stream.dict)?;
            let to = target(from, size, rung.dpi)?;
            Some((id, from, to, stream.content.clone()))
        })
        .collect();
    let done: Vec<(Recompressed, Vec<u8>)> = jobs
        .into_par_iter()
        .filter_map(|(id, from_px, to_px, data)| {
            let raster = Raster::from_jpeg(&data).ok()?;
            if (raster.width, raster.height) != from_px {
                return None;
            }
            let small = raster.resized(to_px.0, to_px.1).ok()?;
            let jpeg = encode_jpeg(&small.samples, to_px, small.color, rung.quality, None).ok()?;
            (jpeg.len() < data.len())
                .then_some((Recompressed { id, from_px, to_px, before: data.len(), after: jpeg.len() }, jpeg))
        })
        .collect();
    for (done, jpeg) in &done {
        if let Ok(Object::Stream(stream)) = doc.get_object_mut(done.id) {
            stream.dict.set("Width", i64::from(done.to_px.0));
            stream.dict.set("Height", i64::from(done.to_px.1));
            stream.set_content(jpeg.clone());
        }
    }
    done.into_iter().map(|(r, _)| r).collect()
}

/// The JPEG images of a document that some rung may recompress, found once (the pages'
/// content is walked here, not at every rung measured).
pub struct Recompressible<'a> {
    images: Vec<Measured<'a>>,
}

/// An image to measure: its pixel size, placed size and JPEG data.
type Measured<'a> = ((u32, u32), (f32, f32), &'a [u8]);

impl<'a> Recompressible<'a> {
    /// The images of `doc` that at least one of `rungs` would make smaller.
    pub fn new(doc: &'a Document, rungs: &[Rung]) -> Self {
        let images = placements(doc)
            .into_iter()
            .filter_map(|(id, placed)| {
                let stream = doc.get_object(id).ok()?.as_stream().ok()?;
                let from = eligible(&stream.dict)?;
                rungs.iter().any(|r| target(from, placed, r.dpi).is_some()).then_some((
                    from,
                    placed,
                    stream.content.as_slice(),
                ))
            })
            .collect();
        Recompressible { images }
    }

    /// The JPEG data of these images, in bytes: at most what recompressing them saves.
    pub fn bytes(&self) -> u64 {
        self.images.iter().map(|(_, _, data)| data.len() as u64).sum()
    }

    /// Whether no rung changes anything.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// The bytes [`recompress`] would save at `rung`, measured on real encodings: each image
    /// decoded once (one per worker at a time) and encoded when the rung changes it.
    pub fn saving(&self, rung: Rung) -> u64 {
        self.images
            .par_iter()
            .map(|&(from, placed, data)| {
                let Some(to) = target(from, placed, rung.dpi) else { return 0 };
                let Ok(raster) = Raster::from_jpeg(data) else { return 0 };
                if (raster.width, raster.height) != from {
                    return 0;
                }
                let Ok(small) = raster.resized(to.0, to.1) else { return 0 };
                drop(raster);
                let Ok(jpeg) = encode_jpeg(&small.samples, to, small.color, rung.quality, None) else { return 0 };
                (data.len() as u64).saturating_sub(jpeg.len() as u64)
            })
            .sum()
    }
}

/// The pixel size of an image XObject we may recompress, or `None` to leave it alone.
fn eligible(dict: &Dictionary) -> Option<(u32, u32)> {
    let name = |key: &[u8]| dict.get(key).ok().and_then(|o| o.as_name().ok());
    if name(b"Subtype") != Some(b"Image".as_slice()) {
        return None;
    }
    let dct = match dict.get(b"Filter").ok()? {
        Object::Name(n) => n == b"DCTDecode",
        Object::Array(a) => a.len() == 1 && a[0].as_name().ok() == Some(b"DCTDecode".as_slice()),
        _ => false,
    };
    let bits = dict.get(b"BitsPerComponent").ok().and_then(|o| o.as_i64().ok());
    let stencil = dict.get(b"ImageMask").ok().and_then(|o| o.as_bool().ok()) == Some(true);
    let colour_key = matches!(dict.get(b"Mask"), Ok(Object::Array(_)));
    if !dct || bits != Some(8) || stencil || colour_key || dict.has(b"DecodeParms") {
        return None;
    }
    let side = |key: &[u8]| dict.get(key).ok()?.as_i64().ok().and_then(|v| u32::try_from(v).ok()).filter(|&v| v > 0);
    Some((side(b"Width")?, side(b"Height")?))
}

/// The pixel size for `dpi` at the placed size (points per image axis), or `None` when that
/// would not remove enough pixels to be worth it.
fn target((w, h): (u32, u32), (pw, ph): (f32, f32), dpi: u16) -> Option<(u32, u32)> {
    let want = |pt: f32, n: u32| ((pt / 72.0 * f32::from(dpi)).ceil() as u32).clamp(1, n);
    let (tw, th) = (want(pw, w), want(ph, h));
    let kept = u64::from(tw) * u64::from(th) * 100;
    (kept <= u64::from(w) * u64::from(h) * MAX_PIXEL_SHARE_PERCENT).then_some((tw, th))
}

/// For every image XObject a page draws: the largest size (points along its width and height
/// axes) at which it is drawn.
pub fn placements(doc: &Document) -> BTreeMap<ObjectId, (f32, f32)> {
    let mut out = BTreeMap::new();
    for (_, page) in doc.get_pages() {
        let Ok(content) = doc.get_page_content_with_limit(page, MAX_CONTENT) else {
            continue;
        };
        let xobjects = page_xobjects(doc, page);
        walk(doc, &content, &xobjects, IDENTITY, 0, &mut out);
    }
    out
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`: PDF's `cm` sets CTM' = M × CTM.
fn concat(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// Name → object id of the page's `/XObject` resources (nearest dictionary first).
fn page_xobjects(doc: &Document, page: ObjectId) -> BTreeMap<Vec<u8>, ObjectId> {
    let mut out = BTreeMap::new();
    let Ok((direct, ids)) = doc.get_page_resources(page) else {
        return out;
    };
    let dicts = direct.into_iter().chain(ids.iter().filter_map(|&id| doc.get_dictionary(id).ok()));
    for resources in dicts {
        for (name, id) in xobjects_of(doc, resources) {
            out.entry(name).or_insert(id);
        }
    }
    out
}

fn xobjects_of(doc: &Document, resources: &Dictionary) -> Vec<(Vec<u8>, ObjectId)> {
    let Ok(xobject) = resources.get_deref(b"XObject", doc).and_then(Object::as_dict) else {
        return Vec::new();
    };
    xobject.iter().filter_map(|(name, value)| Some((name.clone(), value.as_reference().ok()?))).collect()
}

fn walk(
    doc: &Document,
    content: &[u8],
    xobjects: &BTreeMap<Vec<u8>, ObjectId>,
    base: Matrix,
    depth: usize,
    out: &mut BTreeMap<ObjectId, (f32, f32)>,
) {
    let Ok(content) = lopdf::content::Content::decode(content) else {
        return;
    };
    let mut ctm = base;
    let mut stack = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(base),
            "cm" if op.operands.len() == 6 => {
                let mut m = IDENTITY;
                for (slot, operand) in m.iter_mut().zip(&op.operands) {
                    *slot = operand.as_float().unwrap_or(0.0);
                }
                ctm = concat(m, ctm);
            }
            "Do" => {
                let Some(&id) = op.operands.first().and_then(|o| o.as_name().ok()).and_then(|n| xobjects.get(n)) else {
                    continue;
                };
                draw(doc, id, ctm, depth, out);
            }
            _ => {}
        }
    }
}

/// An XObject drawn with `ctm`: an image is measured, a form is walked with its matrix.
fn draw(doc: &Document, id: ObjectId, ctm: Matrix, depth: usize, out: &mut BTreeMap<ObjectId, (f32, f32)>) {
    let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
        return;
    };
    match stream.dict.get(b"Subtype").and_then(Object::as_name) {
        Ok(b"Image") => {
            let size = (ctm[0].hypot(ctm[1]), ctm[2].hypot(ctm[3]));
            let entry = out.entry(id).or_insert((0.0, 0.0));
            *entry = (entry.0.max(size.0), entry.1.max(size.1));
        }
        Ok(b"Form") if depth < MAX_DEPTH => {
            let mut matrix = IDENTITY;
            if let Ok(array) = stream.dict.get(b"Matrix").and_then(Object::as_array)
                && array.len() == 6
            {
                for (slot, value) in matrix.iter_mut().zip(array) {
                    *slot = value.as_float().unwrap_or(0.0);
                }
            }
            let xobjects: BTreeMap<Vec<u8>, ObjectId> = stream
                .dict
                .get_deref(b"Resources", doc)
                .and_then(Object::as_dict)
                .map(|r| xobjects_of(doc, r).into_iter().collect())
                .unwrap_or_default();
            let Ok(content) = stream.decompressed_content_with_limit(MAX_CONTENT) else {
                return;
            };
            walk(doc, &content, &xobjects, concat(matrix, ctm), depth + 1, out);
        }
        _ => {}
    }
}
