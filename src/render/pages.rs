//! The generated page kinds (pure): cover, contents, placeholder, image page.
//!
//! In: texts, page numbers and prepared images. Out: [`PageDraw`]s, and for the contents
//! the [`PageLink`]s of its lines. The contents are laid out until their own page count is
//! stable, because every number on them counts the contents pages.

use super::image::{PdfImage, orientation_matrix};
use super::layout::{A4_H, A4_W, BLACK, Color, Flow, GREY, Item, LIGHT, MARGIN, PageDraw, ParaStyle, RED, SHADE, Span};
use super::text::{Shaper, break_lines};
use crate::spec::{BundleSpec, PageLabels, PageLink};

/// One line of the contents: an item (level 0) or one of its files (level 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What is shown.
    pub title: String,
    /// 0 for an item, 1 for a file.
    pub level: u8,
    /// 0-based index of its first page among the pages after cover and contents.
    pub body_page: usize,
}

/// An item as the cover lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverItem {
    /// Item title.
    pub title: String,
    /// First and last 1-based page in the final PDF, if it has pages.
    pub range: Option<(usize, usize)>,
}

/// Lays out the contents until the page count is stable. Returns the pages and the links;
/// link pages and targets are final page indexes (the cover is page 0).
pub fn contents(shaper: &Shaper<'_>, entries: &[Entry], title: &str) -> (Vec<PageDraw>, Vec<PageLink>) {
    let mut count = 1;
    for _ in 0..16 {
        let (pages, links) = contents_with(shaper, entries, count, title);
        if pages.len() == count {
            return (pages, links);
        }
        count = pages.len();
    }
    contents_with(shaper, entries, count, title)
}

/// The contents, assuming they take `count` pages.
pub fn contents_with(
    shaper: &Shaper<'_>,
    entries: &[Entry],
    count: usize,
    title: &str,
) -> (Vec<PageDraw>, Vec<PageLink>) {
    let mut flow = Flow::new(shaper);
    flow.paragraph(&[Span::plain(title)], ParaStyle { bold: true, ..ParaStyle::body(20.0) }, None);
    flow.gap(10.0);
    let mut links = Vec::new();
    for entry in entries {
        let target = 1 + count + entry.body_page;
        contents_line(&mut flow, entry, target, &mut links);
    }
    (flow.pages, links)
}

fn contents_line(flow: &mut Flow<'_, '_>, entry: &Entry, target: usize, links: &mut Vec<PageLink>) {
    let (size, indent, bold) = if entry.level == 0 { (12.0, 0.0, true) } else { (10.5, 18.0, false) };
    if entry.level == 0 {
        flow.gap(4.0);
    }
    let number = (target + 1).to_string();
    let nw = flow.shaper.width(&number, size);
    let avail = flow.width() - indent - nw - 24.0;
    let ranges = break_lines(flow.shaper, &entry.title, size, avail);
    let line_h = size * 1.5;
    let last = ranges.len() - 1;
    for (i, range) in ranges.into_iter().enumerate() {
        flow.reserve(line_h);
        let top = flow.y;
        let y = top - line_h + size * 0.4;
        let text = &entry.title[range];
        let x = MARGIN + indent;
        flow.page().text(x, y, size, (bold, BLACK), text);
        if i == last {
            let right = MARGIN + flow.width();
            leaders(flow, x + flow.shaper.width(text, size) + 4.0, right - nw - 4.0, y, size);
            flow.page().text(right - nw, y, size, (bold, BLACK), &number);
        }
        let on_page = 1 + flow.page_index();
        links.push(PageLink { on_page, rect: [MARGIN, top - line_h, MARGIN + flow.width(), top], target });
        flow.y -= line_h;
    }
}

/// Dot leaders between x0 and x1.
fn leaders(flow: &mut Flow<'_, '_>, x0: f32, x1: f32, y: f32, size: f32) {
    let dot = flow.shaper.width(" .", size);
    if dot <= 0.0 || x1 <= x0 {
        return;
    }
    let n = ((x1 - x0) / dot).floor() as usize;
    let dots = " .".repeat(n);
    let x = x1 - flow.shaper.width(&dots, size);
    flow.page().text(x, y, size, (false, GREY), &dots);
}

/// The cover: title, recipient, draft banner, student table, period, items with pages.
pub fn cover(shaper: &Shaper<'_>, spec: &BundleSpec, items: &[CoverItem]) -> PageDraw {
    let mut flow = Flow::new(shaper);
    flow.gap(40.0);
    centred(&mut flow, &spec.cover.title, 24.0, true, BLACK);
    flow.gap(10.0);
    centred(&mut flow, &spec.cover.recipient, 14.0, false, BLACK);
    flow.gap(16.0);
    if spec.cover.draft {
        draft_banner(&mut flow, &spec.labels.draft_banner);
    }
    key_value_table(&mut flow, &spec.cover.rows);
    flow.gap(18.0);
    let heading = [Span::plain(spec.labels.documents.as_str())];
    flow.paragraph(&heading, ParaStyle { bold: true, ..ParaStyle::body(13.0) }, None);
    flow.gap(4.0);
    cover_items(&mut flow, items, &spec.labels);
    flow.pages.truncate(1);
    flow.pages.pop().unwrap_or_else(PageDraw::a4)
}

fn centred(flow: &mut Flow<'_, '_>, text: &str, size: f32, bold: bool, color: Color) {
    let line_h = size * 1.4;
    for range in break_lines(flow.shaper, text, size, flow.width()) {
        let line = &text[range];
        let x = (A4_W - flow.shaper.width(line, size)) / 2.0;
        let y = flow.y - size;
        flow.page().text(x, y, size, (bold, color), line);
        flow.y -= line_h;
    }
}

fn draft_banner(flow: &mut Flow<'_, '_>, text: &str) {
    let h = 30.0;
    let rect = [MARGIN, flow.y - h, flow.width(), h];
    flow.page().items.push(Item::Rect { rect, fill: Some(RED), stroke: None });
    let x = (A4_W - flow.shaper.width(text, 16.0)) / 2.0;
    let y = flow.y - h + 9.5;
    flow.page().text(x, y, 16.0, (true, Color(1.0, 1.0, 1.0)), text);
    flow.y -= h + 16.0;
}

/// Keys in a shaded left column, values wrapped in the right one.
fn key_value_table(flow: &mut Flow<'_, '_>, rows: &[(String, String)]) {
    let (size, key_w) = (11.0, 110.0);
    let line_h = size * 1.5;
    for (key, value) in rows {
        let ranges = break_lines(flow.shaper, value, size, flow.width() - key_w - 12.0);
        let h = ranges.len() as f32 * line_h + 6.0;
        let top = flow.y;
        let key_rect = [MARGIN, top - h, key_w, h];
        let value_rect = [MARGIN + key_w, top - h, flow.width() - key_w, h];
        let stroke = Some((LIGHT, 0.6));
        flow.page().items.push(Item::Rect { rect: key_rect, fill: Some(SHADE), stroke });
        flow.page().items.push(Item::Rect { rect: value_rect, fill: None, stroke });
        let y0 = top - 3.0 - line_h + size * 0.4;
        flow.page().text(MARGIN + 6.0, y0, size, (true, BLACK), key);
        for (i, r) in ranges.into_iter().enumerate() {
            let y = y0 - i as f32 * line_h;
            flow.page().text(MARGIN + key_w + 6.0, y, size, (false, BLACK), &value[r]);
        }
        flow.y -= h;
    }
}

/// "1. 수료증 . . . 3–4"; what does not fit on the page is summed up in one line.
fn cover_items(flow: &mut Flow<'_, '_>, items: &[CoverItem], labels: &PageLabels) {
    let size = 10.5;
    let line_h = size * 1.5;
    for (i, item) in items.iter().enumerate() {
        if flow.y - 2.0 * line_h < MARGIN && i + 1 < items.len() {
            let more = labels.more_items.replace(PageLabels::COUNT, &(items.len() - i).to_string());
            let y = flow.y - line_h + 4.0;
            flow.page().text(MARGIN, y, size, (false, GREY), &more);
            return;
        }
        let pages = match item.range {
            Some((a, b)) if a == b => a.to_string(),
            Some((a, b)) => format!("{a}–{b}"),
            None => "–".to_string(),
        };
        let title = format!("{}. {}", i + 1, item.title);
        let y = flow.y - line_h + 4.0;
        let pw = flow.shaper.width(&pages, size);
        let right = MARGIN + flow.width();
        let avail = flow.width() - pw - 24.0;
        let shown = break_lines(flow.shaper, &title, size, avail).into_iter().next().unwrap_or(0..0);
        let shown = &title[shown];
        flow.page().text(MARGIN, y, size, (false, BLACK), shown);
        leaders(flow, MARGIN + flow.shaper.width(shown, size) + 4.0, right - pw - 4.0, y, size);
        flow.page().text(right - pw, y, size, (false, BLACK), &pages);
        flow.y -= line_h;
    }
}

/// The page standing in for a document still to come, written for the recipient.
pub fn placeholder(shaper: &Shaper<'_>, heading: &str, note: &str) -> PageDraw {
    let mut flow = Flow::new(shaper);
    let border = [MARGIN, MARGIN, flow.width(), A4_H - 2.0 * MARGIN];
    flow.page().items.push(Item::Rect { rect: border, fill: None, stroke: Some((RED, 2.0)) });
    flow.gap(A4_H * 0.25);
    let pad = ParaStyle { indent: 20.0, ..ParaStyle::body(24.0) };
    flow.paragraph(&[Span::plain(heading)], ParaStyle { bold: true, color: RED, ..pad }, None);
    flow.gap(24.0);
    flow.paragraph(&[Span::plain(note)], ParaStyle { indent: 20.0, color: GREY, ..ParaStyle::body(10.0) }, None);
    flow.pages.truncate(1);
    flow.pages.pop().unwrap_or_else(PageDraw::a4)
}

/// Height reserved for the caption under an image on its own page.
const CAPTION_H: f32 = 16.0;

/// The page size and the image's box `[x, y, width, height]` (points) for an image of upright
/// size `(w, h)` (any unit) alone on a page: A4 turned to suit it, fitted inside the margins.
fn image_page_layout((w, h): (f32, f32)) -> ((f32, f32), [f32; 4]) {
    let size = if w > h { (A4_H, A4_W) } else { (A4_W, A4_H) };
    let (box_w, box_h) = (size.0 - 2.0 * MARGIN, size.1 - 2.0 * MARGIN - CAPTION_H);
    let scale = (box_w / w).min(box_h / h);
    let (dw, dh) = (w * scale, h * scale);
    let x = (size.0 - dw) / 2.0;
    let y = MARGIN + CAPTION_H + (box_h - dh) / 2.0;
    (size, [x, y, dw, dh])
}

/// The size (points, upright) at which an image of `upright_px` pixels is drawn on its own
/// page: what compaction needs to know the image's density (issue 9). A resized image keeps
/// its aspect ratio, so it lands in the same box.
pub fn image_page_placement(upright_px: (u32, u32)) -> (f32, f32) {
    let (_, [_, _, w, h]) = image_page_layout((upright_px.0.max(1) as f32, upright_px.1.max(1) as f32));
    (w, h)
}

/// An image alone on a page turned to suit it, fitted inside the margins, with a caption.
pub fn image_page(shaper: &Shaper<'_>, index: usize, image: &PdfImage, caption: &str) -> PageDraw {
    let (size, [x, y, dw, dh]) = image_page_layout(image.upright());
    let mut page = PageDraw { size, items: Vec::new() };
    let box_w = size.0 - 2.0 * MARGIN;
    let matrix = orientation_matrix(image.orientation, x, y, dw, dh);
    page.items.push(Item::Image { image: index, matrix });
    let text_size = 8.0;
    let line = break_lines(shaper, caption, text_size, box_w).into_iter().next().unwrap_or(0..0);
    let line = &caption[line];
    let cx = (size.0 - shaper.width(line, text_size)) / 2.0;
    page.text(cx, y - 12.0, text_size, (false, GREY), line);
    page
}
