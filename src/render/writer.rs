//! PDF writing: display lists, images, stamps and fonts to bytes (pdf-writer).
//!
//! In: the laid-out pages, prepared images, stamp texts and the fonts. Out: a complete PDF
//! and the object number of each stamp form. Content streams are encoded first, which tells
//! which glyphs each face needs; then every face that was used is embedded as a subset CID
//! font (Identity-H, `/W` widths, ToUnicode). Nothing refers to a font the reader must have.
//! Object numbers follow page order, so the same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use pdf_writer::types::{
    ActionType, AnnotationType, CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap,
};
use pdf_writer::{Content, Filter as PdfFilter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::Digest;
use subsetter::GlyphRemapper;

use super::image::{ColorSpace, Filter, PdfImage, deflate};
use super::layout::{Color, Item, PageDraw};
use super::text::Shaper;
use crate::spec::FieldText;

/// Font size of page stamps.
pub const STAMP_SIZE: f32 = 7.0;

/// Glyph usage of one face, filled while content streams are encoded.
struct FaceUse {
    remapper: GlyphRemapper,
    /// Advance per CID, 1/1000 em.
    widths: Vec<f32>,
    /// Text behind each CID, for the ToUnicode map.
    unicode: BTreeMap<u16, String>,
}

/// Content streams, with what they use.
struct Encoder<'s, 'f> {
    shaper: &'s Shaper<'f>,
    faces: BTreeMap<usize, FaceUse>,
}

/// An encoded page or form: content bytes and the resources it names.
struct Encoded {
    content: Vec<u8>,
    fonts: BTreeSet<usize>,
    images: BTreeSet<usize>,
}

impl Encoder<'_, '_> {
    /// Encodes `text` as runs of one face each: (face, 2-byte codes).
    fn runs(&mut self, text: &str) -> Vec<(usize, Vec<u8>)> {
        let mut runs: Vec<(usize, Vec<u8>)> = Vec::new();
        for (c, g) in self.shaper.glyphs(text) {
            let face = self.faces.entry(g.face).or_insert_with(|| FaceUse {
                remapper: GlyphRemapper::new(),
                widths: vec![0.0],
                unicode: BTreeMap::new(),
            });
            let before = face.remapper.num_gids();
            let code = face.remapper.remap(g.gid);
            if face.remapper.num_gids() > before {
                face.widths.push(g.advance);
            } else if code == 0 {
                face.widths[0] = g.advance; // .notdef stands in for a missing character
            }
            if g.gid != 0 {
                face.unicode.entry(code).or_insert_with(|| c.to_string());
            }
            match runs.last_mut() {
                Some((f, bytes)) if *f == g.face => bytes.extend(code.to_be_bytes()),
                _ => runs.push((g.face, code.to_be_bytes().to_vec())),
            }
        }
        runs
    }

    fn page(&mut self, page: &PageDraw) -> Encoded {
        let mut c = Content::new();
        let mut fonts = BTreeSet::new();
        let mut images = BTreeSet::new();
        for item in &page.items {
            match item {
                Item::Text { x, y, size, bold, color, text } => {
                    let style = TextStyle { size: *size, bold: *bold, color: *color };
                    self.text(&mut c, [*x, *y], style, text, &mut fonts)
                }
                Item::Rect { rect, fill, stroke } => draw_rect(&mut c, *rect, *fill, *stroke),
                Item::Line { points, width, color } => {
                    c.save_state().set_line_width(*width);
                    c.set_stroke_rgb(color.0, color.1, color.2);
                    c.move_to(points[0], points[1]).line_to(points[2], points[3]).stroke();
                    c.restore_state();
                }
                Item::Image { image, matrix } => {
                    images.insert(*image);
                    c.save_state().transform(*matrix);
                    c.x_object(Name(format!("Im{image}").as_bytes())).restore_state();
                }
                Item::Uri { .. } => {}
            }
        }
        Encoded { content: c.finish().into_vec(), fonts, images }
    }

    fn text(&mut self, c: &mut Content, at: [f32; 2], style: TextStyle, text: &str, fonts: &mut BTreeSet<usize>) {
        let runs = self.runs(text);
        if runs.is_empty() {
            return;
        }
        let Color(r, g, b) = style.color;
        c.save_state().set_fill_rgb(r, g, b);
        if style.bold {
            c.set_stroke_rgb(r, g, b).set_line_width(style.size * 0.035);
        }
        c.begin_text();
        if style.bold {
            c.set_text_rendering_mode(TextRenderingMode::FillStroke);
        }
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, at[0], at[1]]);
        for (face, bytes) in runs {
            fonts.insert(face);
            c.set_font(Name(format!("F{face}").as_bytes()), style.size);
            c.show(Str(&bytes));
        }
        c.end_text().restore_state();
    }

    /// A form field's appearance: its value in black, clipped to the widget, aligned as /Q
    /// says, shrunk to fit the width (what viewers do for auto-sized fields).
    fn field(&mut self, field: &FieldText) -> Encoded {
        let (w, h) = (field.width.max(1.0), field.height.max(1.0));
        let lines: Vec<&str> = field.text.lines().collect();
        let mut size = if field.size > 0.0 { field.size } else { (h * 0.7 / lines.len().max(1) as f32).min(12.0) };
        let widest = lines.iter().map(|l| self.shaper.width(l, size)).fold(0.0, f32::max);
        if widest > w - 4.0 && widest > 0.0 {
            size = (size * (w - 4.0) / widest).max(4.0);
        }
        let mut c = Content::new();
        let mut fonts = BTreeSet::new();
        c.begin_marked_content(Name(b"Tx"));
        c.save_state().rect(0.0, 0.0, w, h).clip_nonzero().end_path();
        let style = TextStyle { size, bold: false, color: Color(0.0, 0.0, 0.0) };
        let leading = size * 1.15;
        // One line sits in the middle; several start at the top.
        let first = if lines.len() > 1 { h - 2.0 - size * 0.9 } else { (h - size) / 2.0 + size * 0.22 };
        for (i, line) in lines.iter().enumerate() {
            let tw = self.shaper.width(line, size);
            let x = match field.align {
                1 => (w - tw) / 2.0,
                2 => w - 2.0 - tw,
                _ => 2.0,
            };
            self.text(&mut c, [x, first - i as f32 * leading], style, line, &mut fonts);
        }
        c.restore_state();
        c.end_marked_content();
        Encoded { content: c.finish().into_vec(), fonts, images: BTreeSet::new() }
    }

    /// A stamp form's content: grey text on a baseline lifted by the descent.
    fn stamp(&mut self, text: &str) -> Encoded {
        let mut c = Content::new();
        let mut fonts = BTreeSet::new();
        let style = TextStyle { size: STAMP_SIZE, bold: false, color: Color(0.45, 0.45, 0.45) };
        self.text(&mut c, [0.0, STAMP_SIZE * 0.25], style, text, &mut fonts);
        Encoded { content: c.finish().into_vec(), fonts, images: BTreeSet::new() }
    }
}

#[derive(Clone, Copy)]
struct TextStyle {
    size: f32,
    bold: bool,
    color: Color,
}

fn draw_rect(c: &mut Content, r: [f32; 4], fill: Option<Color>, stroke: Option<(Color, f32)>) {
    c.save_state();
    if let Some(Color(red, g, b)) = fill {
        c.set_fill_rgb(red, g, b);
    }
    if let Some((Color(red, g, b), w)) = stroke {
        c.set_stroke_rgb(red, g, b).set_line_width(w);
    }
    c.rect(r[0], r[1], r[2], r[3]);
    match (fill.is_some(), stroke.is_some()) {
        (true, true) => c.fill_nonzero_and_stroke(),
        (true, false) => c.fill_nonzero(),
        (false, true) => c.stroke(),
        (false, false) => c.end_path(),
    };
    c.restore_state();
}

/// What the writer needs besides the fonts.
pub struct Document<'a> {
    /// Generated pages in order.
    pub pages: &'a [PageDraw],
    /// Images referenced by `Item::Image`.
    pub images: &'a [PdfImage],
    /// One stamp text per final page (empty without stamps).
    pub stamps: &'a [String],
    /// Form field values to draw as widget appearances.
    pub fields: &'a [FieldText],
}

/// The object numbers of the forms [`write`] made.
pub struct Forms {
    /// One stamp form per final page.
    pub stamps: Vec<u32>,
    /// One appearance form per field.
    pub fields: Vec<u32>,
}

/// Sequential object numbers.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Writes the PDF; returns it with the object numbers of the stamp and field forms.
pub fn write(shaper: &Shaper<'_>, doc: &Document<'_>) -> Result<(Vec<u8>, Forms), String> {
    let mut enc = Encoder { shaper, faces: BTreeMap::new() };
    let pages: Vec<Encoded> = doc.pages.iter().map(|p| enc.page(p)).collect();
    let stamps: Vec<(Encoded, f32)> = doc.stamps.iter().map(|t| (enc.stamp(t), shaper.width(t, STAMP_SIZE))).collect();
    let fields: Vec<Encoded> = doc.fields.iter().map(|f| enc.field(f)).collect();

    let mut refs = Refs(0);
    let (catalog, tree) = (refs.next(), refs.next());
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (refs.next(), refs.next())).collect();
    let image_refs: Vec<(Ref, Option<Ref>)> =
        doc.images.iter().map(|i| (refs.next(), i.smask.as_ref().map(|_| refs.next()))).collect();
    let stamp_refs: Vec<Ref> = stamps.iter().map(|_| refs.next()).collect();
    let field_refs: Vec<Ref> = fields.iter().map(|_| refs.next()).collect();
    let font_refs: BTreeMap<usize, Ref> = enc.faces.keys().map(|&f| (f, refs.next())).collect();

    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let mut cat = pdf.catalog(catalog);
    cat.pages(tree);
    cat.insert(Name(b"DossierStamps")).array().items(stamp_refs.iter().copied());
    if !field_refs.is_empty() {
        cat.insert(Name(b"DossierFields")).array().items(field_refs.iter().copied());
    }
    cat.finish();
    pdf.pages(tree).kids(page_refs.iter().map(|p| p.0)).count(page_refs.len() as i32);
    let ctx = Ctx { tree, image_refs: &image_refs, font_refs: &font_refs };
    for (i, (page, encoded)) in doc.pages.iter().zip(&pages).enumerate() {
        write_page(&mut pdf, &mut refs, &ctx, page, encoded, page_refs[i]);
    }
    for (i, image) in doc.images.iter().enumerate() {
        write_image(&mut pdf, image, image_refs[i]);
    }
    let stamp_sizes = stamps.iter().map(|(_, width)| [width.max(1.0), STAMP_SIZE * 1.2]);
    let stamp_forms: Vec<(&Encoded, [f32; 2])> = stamps.iter().map(|(e, _)| e).zip(stamp_sizes).collect();
    write_forms(&mut pdf, &mut refs, &ctx, &stamp_forms, &stamp_refs);
    let field_sizes = doc.fields.iter().map(|f| [f.width.max(1.0), f.height.max(1.0)]);
    let field_forms: Vec<(&Encoded, [f32; 2])> = fields.iter().zip(field_sizes).collect();
    write_forms(&mut pdf, &mut refs, &ctx, &field_forms, &field_refs);
    for (face, usage) in &enc.faces {
        write_cid_font(&mut pdf, &mut refs, shaper, *face, usage, font_refs[face])?;
    }
    let numbers = |refs: &[Ref]| refs.iter().map(|r| r.get() as u32).collect();
    Ok((pdf.finish(), Forms { stamps: numbers(&stamp_refs), fields: numbers(&field_refs) }))
}

/// Form XObjects (stamps, field appearances) of the given sizes, sharing one resource
/// dictionary: one font entry serves every form.
fn write_forms(pdf: &mut Pdf, refs: &mut Refs, ctx: &Ctx<'_>, forms: &[(&Encoded, [f32; 2])], ids: &[Ref]) {
    if forms.is_empty() {
        return;
    }
    let shared = Encoded {
        content: Vec::new(),
        fonts: forms.iter().flat_map(|(e, _)| e.fonts.iter().copied()).collect(),
        images: BTreeSet::new(),
    };
    let resources = refs.next();
    write_resources(&mut pdf.indirect(resources).start::<pdf_writer::writers::Resources>(), ctx, &shared);
    for ((encoded, size), &id) in forms.iter().zip(ids) {
        write_form(pdf, resources, encoded, *size, id);
    }
}

/// Object numbers shared by page and form writers.
struct Ctx<'a> {
    tree: Ref,
    image_refs: &'a [(Ref, Option<Ref>)],
    font_refs: &'a BTreeMap<usize, Ref>,
}

fn write_resources(res: &mut pdf_writer::writers::Resources<'_>, ctx: &Ctx<'_>, enc: &Encoded) {
    let mut fonts = res.fonts();
    for f in &enc.fonts {
        fonts.pair(Name(format!("F{f}").as_bytes()), ctx.font_refs[f]);
    }
    fonts.finish();
    let mut xobjects = res.x_objects();
    for i in &enc.images {
        xobjects.pair(Name(format!("Im{i}").as_bytes()), ctx.image_refs[*i].0);
    }
    xobjects.finish();
}

fn write_page(
    pdf: &mut Pdf,
    refs: &mut Refs,
    ctx: &Ctx<'_>,
    page: &PageDraw,
    enc: &Encoded,
    (page_ref, content_ref): (Ref, Ref),
) {
    let uris: Vec<(&[f32; 4], &String, Ref)> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Uri { rect, uri } => Some((rect, uri, refs.next())),
            _ => None,
        })
        .collect();
    let mut p = pdf.page(page_ref);
    p.media_box(Rect::new(0.0, 0.0, page.size.0, page.size.1)).parent(ctx.tree).contents(content_ref);
    if !uris.is_empty() {
        p.annotations(uris.iter().map(|u| u.2));
    }
    write_resources(&mut p.resources(), ctx, enc);
    p.finish();
    for (rect, uri, id) in uris {
        let mut a = pdf.annotation(id);
        a.subtype(AnnotationType::Link).rect(Rect::new(rect[0], rect[1], rect[2], rect[3]));
        a.border(0.0, 0.0, 0.0, None);
        a.action().action_type(ActionType::Uri).uri(Str(uri.as_bytes()));
    }
    pdf.stream(content_ref, &deflate(&enc.content)).filter(PdfFilter::FlateDecode);
}

pub(crate) fn write_image(pdf: &mut Pdf, image: &PdfImage, (id, smask): (Ref, Option<Ref>)) {
    let mut x = pdf.image_xobject(id, &image.data);
    x.width(image.width as i32).height(image.height as i32).bits_per_component(image.bits as i32);
    x.color_space_name(Name(match image.color {
        ColorSpace::Gray => b"DeviceGray".as_slice(),
        ColorSpace::Rgb => b"DeviceRGB",
        ColorSpace::Cmyk => b"DeviceCMYK",
    }));
    if image.invert {
        x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
    }
    if let Some(smask) = smask {
        x.s_mask(smask);
    }
    match image.filter {
        Filter::Dct => {
            x.filter(PdfFilter::DctDecode);
        }
        Filter::FlatePng => {
            x.filter(PdfFilter::FlateDecode);
            let mut parms = x.decode_parms();
            parms.predictor(pdf_writer::types::Predictor::PngOptimum);
            parms.colors(image.color.components() as i32).bits_per_component(image.bits as i32);
            parms.columns(image.width as i32);
        }
    }
    x.finish();
    if let (Some(mask), Some(id)) = (&image.smask, smask) {
        write_image(pdf, mask, (id, None));
    }
}

/// A stamp or a field appearance: a Form XObject of size `[width, height]`. Forms of a kind
/// share one resource dictionary, and tiny streams stay uncompressed when deflate would not pay.
fn write_form(pdf: &mut Pdf, resources: Ref, enc: &Encoded, [width, height]: [f32; 2], id: Ref) {
    let packed = deflate(&enc.content);
    let compress = packed.len() + 20 < enc.content.len();
    let data = if compress { &packed } else { &enc.content };
    let mut form = pdf.form_xobject(id, data);
    if compress {
        form.filter(PdfFilter::FlateDecode);
    }
    form.bbox(Rect::new(0.0, 0.0, width, height));
    form.pair(Name(b"Resources"), resources);
}

/// "ABCDEF+": six letters from a hash of the glyph set, so equal subsets get equal names.
fn subset_tag(usage: &FaceUse) -> String {
    let mut hash = sha2::Sha256::new();
    for gid in usage.remapper.remapped_gids() {
        hash.update(gid.to_be_bytes());
    }
    hash.finalize().iter().take(6).map(|b| (b'A' + b % 26) as char).collect()
}

fn to_unicode(usage: &FaceUse, info: SystemInfo<'_>) -> Vec<u8> {
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
    for (code, text) in &usage.unicode {
        cmap.pair_with_multiple(*code, text.chars());
    }
    deflate(&cmap.finish())
}

/// An embedded subset: Type0 -> CIDFontType2 (TrueType) or CIDFontType0 (CFF in OpenType).
fn write_cid_font(
    pdf: &mut Pdf,
    refs: &mut Refs,
    shaper: &Shaper<'_>,
    face: usize,
    usage: &FaceUse,
    id: Ref,
) -> Result<(), String> {
    let data = shaper.face(face).ok_or("no such face")?;
    let parsed = data.parse().ok_or("not an outline font")?;
    let cff = parsed.raw_face().table(ttf_parser::Tag::from_bytes(b"CFF ")).is_some();
    let subset = subsetter::subset(&data.data, data.index, &usage.remapper)
        .map_err(|e| format!("cannot subset font {}: {e}", data.name))?;
    let name = format!("{}+{}", subset_tag(usage), data.name);
    let (cid, descriptor, cmap, file) = (refs.next(), refs.next(), refs.next(), refs.next());
    let info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

    let mut t0 = pdf.type0_font(id);
    t0.base_font(Name(name.as_bytes())).encoding_predefined(Name(b"Identity-H"));
    t0.descendant_font(cid).to_unicode(cmap);
    t0.finish();
    let mut c = pdf.cid_font(cid);
    c.subtype(if cff { CidFontType::Type0 } else { CidFontType::Type2 });
    c.base_font(Name(name.as_bytes())).system_info(info).font_descriptor(descriptor);
    c.default_width(0.0);
    if !cff {
        c.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    c.widths().consecutive(0, usage.widths.iter().copied());
    c.finish();
    write_descriptor(pdf, &parsed, &name, descriptor, (file, cff));
    pdf.cmap(cmap, &to_unicode(usage, info)).filter(PdfFilter::FlateDecode);
    let packed = deflate(&subset);
    let mut stream = pdf.stream(file, &packed);
    stream.filter(PdfFilter::FlateDecode);
    if cff {
        stream.pair(Name(b"Subtype"), Name(b"OpenType"));
    }
    Ok(())
}

fn write_descriptor(pdf: &mut Pdf, face: &ttf_parser::Face<'_>, name: &str, id: Ref, (file, cff): (Ref, bool)) {
    let scale = 1000.0 / face.units_per_em() as f32;
    let b = face.global_bounding_box();
    let bbox =
        Rect::new(b.x_min as f32 * scale, b.y_min as f32 * scale, b.x_max as f32 * scale, b.y_max as f32 * scale);
    let ascent = face.ascender() as f32 * scale;
    let mut d = pdf.font_descriptor(id);
    d.name(Name(name.as_bytes())).flags(FontFlags::SYMBOLIC).bbox(bbox);
    d.italic_angle(face.italic_angle()).ascent(ascent).descent(face.descender() as f32 * scale);
    d.cap_height(face.capital_height().map_or(ascent, |h| h as f32 * scale)).stem_v(80.0);
    if cff {
        d.font_file3(file);
    } else {
        d.font_file2(file);
    }
}
