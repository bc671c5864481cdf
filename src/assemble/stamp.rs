//! Page stamps: a form XObject drawn centred at the foot of the visible page.
//!
//! In: an output page (attributes already resolved onto it) and a stamp form with a `/BBox`.
//! Out: the page's content wrapped in `q ... Q` so its graphics state cannot leak into the
//! stamp, followed by the stamp, placed in visible coordinates (after `/CropBox` and `/Rotate`).

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::source::resolve;

/// Distance of the stamp's bottom edge from the visible page's bottom edge: 5 mm.
const FOOT: f32 = 5.0 * 72.0 / 25.4;

/// Draws form `form` on page `page_id`; `open_id` is a shared stream holding `q`, `closers`
/// the shared streams that close it and draw a stamp, by XObject name.
///
/// Each page has a form of its own, so the placement goes into the form's `/Matrix` and the
/// stream that draws it is the same bytes on every page: one object for the whole bundle
/// rather than one per page (a 300-page appendix would otherwise grow by ~30 KB).
pub(super) fn apply(
    out: &mut Document,
    page_id: ObjectId,
    form: ObjectId,
    open_id: ObjectId,
    closers: &mut std::collections::HashMap<String, ObjectId>,
) {
    let Ok(page) = out.get_dictionary(page_id) else {
        return;
    };
    let visible = visible_box(out, page);
    let rotate = page.get(b"Rotate").and_then(Object::as_i64).unwrap_or(0).rem_euclid(360) / 90 * 90;
    let (bx0, by0, form_width) = form_box(out, form);
    let width = if rotate % 180 == 0 { visible[2] - visible[0] } else { visible[3] - visible[1] };
    let to_user = visible_to_user(visible, rotate);
    let place = [1.0, 0.0, 0.0, 1.0, (width - form_width) / 2.0 - bx0, FOOT - by0];
    let contents = content_streams(out, page);
    let resources = resources_with(out, page, form);
    let placement = multiply(&place, &to_user);
    if let Ok(Object::Stream(stream)) = out.get_object_mut(form) {
        stream.dict.set("Matrix", placement.iter().map(|&v| Object::Real(round(v))).collect::<Vec<_>>());
    }
    let name = resources.1.clone();
    let close_id = *closers
        .entry(name.clone())
        .or_insert_with(|| out.add_object(Stream::new(Dictionary::new(), format!("Q\nq /{name} Do Q\n").into_bytes())));
    let mut all = vec![Object::Reference(open_id)];
    all.extend(contents);
    all.push(Object::Reference(close_id));
    let page = out.get_dictionary_mut(page_id).expect("checked above");
    page.set("Contents", all);
    page.set("Resources", resources.0);
}

/// The visible area in user space: the crop box clipped to the media box, normalised.
fn visible_box(doc: &Document, page: &Dictionary) -> [f32; 4] {
    let media = rect(doc, page, b"MediaBox").unwrap_or([0.0, 0.0, 612.0, 792.0]);
    match rect(doc, page, b"CropBox") {
        Some(crop) => [crop[0].max(media[0]), crop[1].max(media[1]), crop[2].min(media[2]), crop[3].min(media[3])],
        None => media,
    }
}

/// A rectangle entry, normalised so that x0 <= x1 and y0 <= y1.
fn rect(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
    let items = resolve(doc, dict.get(key).ok()?).as_array().ok()?;
    let v: Vec<f32> = items.iter().filter_map(|o| resolve(doc, o).as_float().ok()).collect();
    let [a, b, c, d] = v[..] else { return None };
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

/// (x0, y0, width) of the form's bounding box.
fn form_box(doc: &Document, form: ObjectId) -> (f32, f32, f32) {
    let bbox = doc.get_object(form).ok().and_then(|o| o.as_stream().ok()).and_then(|s| rect(doc, &s.dict, b"BBox"));
    let [x0, y0, x1, _] = bbox.unwrap_or_default();
    (x0, y0, x1 - x0)
}

/// The matrix from visible coordinates (origin at the bottom left of the page as shown,
/// x to the right, y up) to the page's default user space. `/Rotate` turns the page clockwise
/// for display, so visible axes run along different user-space edges for each angle.
fn visible_to_user(b: [f32; 4], rotate: i64) -> [f32; 6] {
    let [x0, y0, x1, y1] = b;
    match rotate {
        90 => [0.0, 1.0, -1.0, 0.0, x1, y0],
        180 => [-1.0, 0.0, 0.0, -1.0, x1, y1],
        270 => [0.0, -1.0, 1.0, 0.0, x0, y1],
        _ => [1.0, 0.0, 0.0, 1.0, x0, y0],
    }
}

/// The page's content streams as a list of references (a shared array is copied, not changed).
fn content_streams(doc: &Document, page: &Dictionary) -> Vec<Object> {
    match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(items)) => items.clone(),
            Ok(_) => vec![Object::Reference(*id)],
            Err(_) => Vec::new(),
        },
        Ok(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// A per-page copy of the page's resources with the form added under a free name, so that
/// resources shared by reference with other pages are never changed. Returns it and the name.
fn resources_with(doc: &Document, page: &Dictionary, form: ObjectId) -> (Dictionary, String) {
    let mut resources =
        page.get(b"Resources").ok().and_then(|r| resolve(doc, r).as_dict().ok()).cloned().unwrap_or_default();
    let mut xobjects =
        resources.get(b"XObject").ok().and_then(|x| resolve(doc, x).as_dict().ok()).cloned().unwrap_or_default();
    let name = (0..)
        .map(|n| if n == 0 { "DsStamp".to_string() } else { format!("DsStamp{n}") })
        .find(|n| !xobjects.has(n.as_bytes()))
        .expect("an unbounded range finds a free name");
    xobjects.set(name.clone(), form);
    resources.set("XObject", xobjects);
    (resources, name)
}

/// `a × b` for PDF matrices `[a b c d e f]` (row vectors: a point goes through `a`, then `b`).
fn multiply(a: &[f32; 6], b: &[f32; 6]) -> [f32; 6] {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// Three decimals are far below a printer dot, and keep the output free of float noise.
fn round(v: f32) -> f32 {
    let r = (v * 1000.0).round() / 1000.0;
    if r == 0.0 { 0.0 } else { r }
}
