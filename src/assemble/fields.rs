//! Form field values that need an appearance drawn for them.
//!
//! A filled-in form whose values were set by a program (pikepdf, a web service) often carries
//! `/NeedAppearances true` and no appearance for the new values: the viewer is asked to draw
//! them with the field's font, usually Helvetica, which has no Hangul, so the Korean values
//! vanish (poppler: "couldn't find a font"). dossier draws those values itself with its Korean
//! font (render) and puts the drawings in as the widgets' appearances (assemble).

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::source::resolve;

/// One widget whose text value needs drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct UnfilledField {
    /// The widget annotation.
    pub widget: ObjectId,
    /// The field's value.
    pub text: String,
    /// Widget size in points.
    pub size: [f32; 2],
    /// Font size from /DA (0: fit).
    pub font_size: f32,
    /// /Q: 0 left, 1 centre, 2 right.
    pub align: u8,
}

/// Attributes a field inherits from its ancestors (PDF 32000-1, 12.7.3.1).
#[derive(Clone, Default)]
struct Inherited {
    kind: Option<Vec<u8>>,
    value: Option<Object>,
    da: Option<Vec<u8>>,
    align: Option<i64>,
    flags: i64,
}

/// Password fields (Ff bit 14) are never drawn: their value is a secret.
const PASSWORD_FLAG: i64 = 1 << 13;
/// How deep a field tree may go before it is taken as broken.
const MAX_DEPTH: usize = 32;

/// The text-field widgets of `doc` whose non-empty values the viewer would have to draw: all of
/// them when the form says `/NeedAppearances true`, else those without a normal appearance.
pub fn unfilled_text_fields(doc: &Document) -> Vec<UnfilledField> {
    let Some(acro) = acroform(doc) else { return Vec::new() };
    let need_all = acro.get(b"NeedAppearances").and_then(Object::as_bool).unwrap_or(false);
    let inherited = Inherited { da: acro.get(b"DA").ok().and_then(string_bytes), ..Inherited::default() };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    if let Ok(fields) = resolve(doc, acro.get(b"Fields").unwrap_or(&Object::Null)).as_array() {
        for field in fields {
            visit(doc, field, &inherited, need_all, 0, &mut seen, &mut out);
        }
    }
    out
}

fn acroform(doc: &Document) -> Option<&Dictionary> {
    let catalog = doc.catalog().ok()?;
    resolve(doc, catalog.get(b"AcroForm").ok()?).as_dict().ok()
}

fn string_bytes(o: &Object) -> Option<Vec<u8>> {
    o.as_str().ok().map(<[u8]>::to_vec)
}

fn visit(
    doc: &Document,
    node: &Object,
    parent: &Inherited,
    need_all: bool,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<UnfilledField>,
) {
    let Ok(id) = node.as_reference() else { return };
    if depth > MAX_DEPTH || !seen.insert(id) {
        return;
    }
    let Ok(dict) = doc.get_dictionary(id) else { return };
    let mut here = parent.clone();
    if let Ok(kind) = dict.get(b"FT").and_then(Object::as_name) {
        here.kind = Some(kind.to_vec());
    }
    if let Ok(value) = dict.get(b"V") {
        here.value = Some(resolve(doc, value).clone());
    }
    if let Some(da) = dict.get(b"DA").ok().and_then(string_bytes) {
        here.da = Some(da);
    }
    if let Ok(q) = dict.get(b"Q").and_then(Object::as_i64) {
        here.align = Some(q);
    }
    if let Ok(ff) = dict.get(b"Ff").and_then(Object::as_i64) {
        here.flags = ff;
    }
    let kids = dict.get(b"Kids").map(|k| resolve(doc, k)).and_then(Object::as_array).ok();
    match kids {
        Some(kids) => kids.iter().for_each(|k| visit(doc, k, &here, need_all, depth + 1, seen, out)),
        None => widget(id, dict, &here, need_all, out),
    }
}

fn widget(id: ObjectId, dict: &Dictionary, field: &Inherited, need_all: bool, out: &mut Vec<UnfilledField>) {
    if field.kind.as_deref() != Some(b"Tx") || field.flags & PASSWORD_FLAG != 0 {
        return;
    }
    let Some(text) = field.value.as_ref().and_then(|v| v.as_str().ok()).map(crate::inspect::decode_pdf_string) else {
        return;
    };
    let has_appearance = dict.get(b"AP").and_then(Object::as_dict).is_ok_and(|ap| ap.has(b"N"));
    if text.trim().is_empty() || (has_appearance && !need_all) {
        return;
    }
    let Some(size) = rect_size(dict) else { return };
    out.push(UnfilledField {
        widget: id,
        text,
        size,
        font_size: field.da.as_deref().map_or(0.0, da_font_size),
        align: field.align.unwrap_or(0).clamp(0, 2) as u8,
    });
}

fn rect_size(dict: &Dictionary) -> Option<[f32; 2]> {
    let rect = dict.get(b"Rect").and_then(Object::as_array).ok()?;
    let n: Vec<f32> = rect.iter().filter_map(|o| o.as_float().ok()).collect();
    let [x0, y0, x1, y1] = n.as_slice() else { return None };
    let size = [(x1 - x0).abs(), (y1 - y0).abs()];
    (size[0] >= 1.0 && size[1] >= 1.0 && size.iter().all(|v| v.is_finite())).then_some(size)
}

/// The size operand of `Tf` in a default appearance string: "/Helv 11 Tf 0 g" gives 11.
fn da_font_size(da: &[u8]) -> f32 {
    let text = String::from_utf8_lossy(da);
    let tokens: Vec<&str> = text.split_whitespace().collect();
    tokens
        .iter()
        .position(|t| *t == "Tf")
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| tokens[i].parse::<f32>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0 && *s < 200.0)
        .unwrap_or(0.0)
}

/// Whether, once `drawn` widgets have appearances, the viewer has nothing left to draw, so
/// `/NeedAppearances` can go: every text value that needed drawing was drawn, and every other
/// widget (check box, radio button, list) has an appearance of its own.
pub fn all_widgets_drawn(doc: &Document, drawn: &HashSet<ObjectId>) -> bool {
    if unfilled_text_fields(doc).iter().any(|f| !drawn.contains(&f.widget)) {
        return false;
    }
    let Some(acro) = acroform(doc) else { return true };
    let mut stack: Vec<(Object, usize)> = match resolve(doc, acro.get(b"Fields").unwrap_or(&Object::Null)).as_array() {
        Ok(fields) => fields.iter().map(|f| (f.clone(), 0)).collect(),
        Err(_) => return true,
    };
    let mut seen = HashSet::new();
    while let Some((node, depth)) = stack.pop() {
        let Ok(id) = node.as_reference() else { continue };
        if depth > MAX_DEPTH || !seen.insert(id) {
            continue;
        }
        let Ok(dict) = doc.get_dictionary(id) else { continue };
        match dict.get(b"Kids").map(|k| resolve(doc, k)).and_then(Object::as_array) {
            Ok(kids) => stack.extend(kids.iter().map(|k| (k.clone(), depth + 1))),
            Err(_) => {
                let has_ap = dict.get(b"AP").and_then(Object::as_dict).is_ok_and(|ap| ap.has(b"N"));
                let text = dict.get(b"FT").and_then(Object::as_name).is_ok_and(|k| k == b"Tx");
                // Text widgets were settled above (drawn, or empty); others need their own.
                if !text && !has_ap && !drawn.contains(&id) {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_font_size_of_a_default_appearance() {
        assert_eq!(da_font_size(b"/Helv 11 Tf 0 g"), 11.0);
        assert_eq!(da_font_size(b"0 g /F1 0 Tf"), 0.0);
        assert_eq!(da_font_size(b"garbage"), 0.0);
        assert_eq!(da_font_size(b"Tf"), 0.0);
    }
}
