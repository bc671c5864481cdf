//! Markdown and plain-text notes (pure: the images a note links to arrive as bytes).
//!
//! In: the note's text. Out: [`Block`]s (headings, paragraphs, list items, code, quotes,
//! tables, images) parsed with pulldown-cmark, then set on a [`Flow`] as A4 pages.
//! Plain text keeps its line breaks and only wraps long lines.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::image::{PdfImage, orientation_matrix};
use super::layout::{Flow, GREY, Item, LIGHT, MARGIN, ParaStyle, SHADE, Span};

/// A block of a Markdown note.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Heading (level 1-6) or paragraph (level 0), possibly a list item or quoted.
    Para {
        /// The inline text.
        spans: Vec<Span>,
        /// 0 for body text, else the heading level.
        level: u8,
        /// List nesting depth (0 outside lists).
        depth: usize,
        /// List marker ("•", "3.") on the first line of an item.
        marker: Option<String>,
        /// Inside a block quote.
        quote: bool,
    },
    /// Fenced or indented code.
    Code {
        /// The code, lines separated by `\n`.
        text: String,
    },
    /// A table: rows of cells of spans; the first row is the header.
    Table {
        /// Rows of cells.
        rows: Vec<Vec<Vec<Span>>>,
    },
    /// An image link.
    Image {
        /// The link as written (percent-encoded, relative).
        url: String,
        /// The alt text.
        alt: String,
    },
    /// A thematic break.
    Rule,
}

/// Parser state while walking pulldown-cmark events.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    spans: Vec<Span>,
    bold: usize,
    link: Option<String>,
    lists: Vec<Option<u64>>,
    marker: Option<String>,
    quote: usize,
    heading: u8,
    code: Option<String>,
    image: Option<(String, String)>,
    table: Option<Vec<Vec<Vec<Span>>>>,
}

/// Parses Markdown into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut b = Builder::default();
    for event in Parser::new_ext(text, options) {
        b.event(event);
    }
    b.flush();
    b.blocks
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t, false),
            Event::Code(t) => self.text(&t, true),
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => self.text("\n", false),
            Event::Rule => {
                self.flush();
                self.blocks.push(Block::Rule);
            }
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }, false),
            Event::Html(t) | Event::InlineHtml(t) => self.text(&t, true),
            _ => {}
        }
    }

    fn text(&mut self, t: &str, code: bool) {
        if let Some(c) = &mut self.code {
            c.push_str(t);
        } else if let Some((_, alt)) = &mut self.image {
            alt.push_str(t);
        } else {
            let span = Span { text: t.to_string(), bold: self.bold > 0, code, link: self.link.clone() };
            self.spans.push(span);
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = heading_number(level);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                self.marker = Some(self.next_marker());
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Vec::new());
            }
            Tag::TableHead | Tag::TableRow => self.table.iter_mut().for_each(|t| t.push(Vec::new())),
            Tag::Strong => self.bold += 1,
            Tag::Link { dest_url, .. } => self.link = Some(dest_url.to_string()),
            Tag::Image { dest_url, .. } => {
                self.flush();
                self.image = Some((dest_url.to_string(), String::new()));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item => self.flush(),
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = 0;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                let text = self.code.take().unwrap_or_default();
                self.blocks.push(Block::Code { text: text.trim_end_matches('\n').to_string() });
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.spans);
                if let Some(row) = self.table.as_mut().and_then(|t| t.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::Table => {
                let rows = self.table.take().unwrap_or_default();
                self.blocks.push(Block::Table { rows });
            }
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Link => self.link = None,
            TagEnd::Image => {
                if let Some((url, alt)) = self.image.take() {
                    self.blocks.push(Block::Image { url, alt });
                }
            }
            _ => {}
        }
    }

    fn next_marker(&mut self) -> String {
        match self.lists.last_mut() {
            Some(Some(n)) => {
                let marker = format!("{n}.");
                *n += 1;
                marker
            }
            _ => "•".to_string(),
        }
    }

    /// Ends the paragraph being collected, if it has text.
    fn flush(&mut self) {
        if self.table.is_some() || self.spans.iter().all(|s| s.text.trim().is_empty()) {
            if self.table.is_none() {
                self.spans.clear();
            }
            return;
        }
        let spans = std::mem::take(&mut self.spans);
        self.blocks.push(Block::Para {
            spans,
            level: self.heading,
            depth: self.lists.len(),
            marker: self.marker.take(),
            quote: self.quote > 0,
        });
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Body size of notes.
const BODY: f32 = 10.5;

/// Sets a plain-text note: every line kept, long lines wrapped.
pub fn set_plain(flow: &mut Flow<'_, '_>, text: &str) {
    let text = text.replace('\t', "    ");
    let style = ParaStyle { leading: 1.45, ..ParaStyle::body(BODY) };
    flow.paragraph(&[Span::plain(text)], style, None);
}

/// Sets Markdown blocks. `images[i]` is the loaded image of the i-th image block, as an
/// index into `all_images`, or `None` to show "[그림: alt]".
pub fn set_blocks(flow: &mut Flow<'_, '_>, blocks: &[Block], images: &[Option<usize>], all_images: &[PdfImage]) {
    let mut next_image = 0;
    for block in blocks {
        match block {
            Block::Para { spans, level, depth, marker, quote } => {
                set_para(flow, spans, *level, *depth, marker.as_deref(), *quote)
            }
            Block::Code { text } => set_code(flow, text),
            Block::Table { rows } => set_table(flow, rows),
            Block::Rule => set_rule(flow),
            Block::Image { alt, .. } => {
                let loaded = images.get(next_image).copied().flatten();
                next_image += 1;
                match loaded {
                    Some(i) => set_image(flow, i, &all_images[i]),
                    None => {
                        let span = Span::plain(format!("[그림: {alt}]"));
                        flow.paragraph(&[span], ParaStyle { color: GREY, ..ParaStyle::body(BODY) }, None);
                    }
                }
            }
        }
    }
}

fn set_para(flow: &mut Flow<'_, '_>, spans: &[Span], level: u8, depth: usize, marker: Option<&str>, quote: bool) {
    let size = match level {
        1 => 18.0,
        2 => 15.0,
        3 => 13.0,
        4 => 12.0,
        5 | 6 => 11.0,
        _ => BODY,
    };
    let indent = depth as f32 * 16.0 + if quote { 14.0 } else { 0.0 };
    let color = if quote { GREY } else { super::layout::BLACK };
    let style = ParaStyle { indent, bold: level > 0, color, bar: quote, ..ParaStyle::body(size) };
    if level > 0 {
        flow.gap(size * 0.6);
        flow.reserve(size * 4.0); // keep a heading with the start of what follows
    }
    flow.paragraph(spans, style, marker);
    flow.gap(if level > 0 { 3.0 } else { BODY * 0.4 });
}

fn set_code(flow: &mut Flow<'_, '_>, text: &str) {
    let style = ParaStyle { leading: 1.4, indent: 6.0, shade: Some(SHADE), ..ParaStyle::body(9.0) };
    flow.gap(2.0);
    flow.paragraph(&[Span::plain(text.replace('\t', "    "))], style, None);
    flow.gap(BODY * 0.6);
}

fn set_rule(flow: &mut Flow<'_, '_>) {
    flow.reserve(12.0);
    let y = flow.y - 6.0;
    let w = flow.width();
    flow.page().items.push(Item::Line { points: [MARGIN, y, MARGIN + w, y], width: 0.5, color: LIGHT });
    flow.y -= 12.0;
}

/// A grid with equal columns; each row is as tall as its tallest wrapped cell.
fn set_table(flow: &mut Flow<'_, '_>, rows: &[Vec<Vec<Span>>]) {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    if cols == 0 {
        return;
    }
    let size = 9.5;
    let line_h = size * 1.4;
    let col_w = flow.width() / cols as f32;
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<Vec<String>> = row.iter().map(|c| cell_lines(flow, c, size, col_w - 8.0)).collect();
        let n = cells.iter().map(|c| c.len()).max().unwrap_or(1).max(1);
        let row_h = n as f32 * line_h + 6.0;
        flow.reserve(row_h);
        let top = flow.y;
        for c in 0..cols {
            let x = MARGIN + c as f32 * col_w;
            let fill = (r == 0).then_some(SHADE);
            let rect = [x, top - row_h, col_w, row_h];
            flow.page().items.push(Item::Rect { rect, fill, stroke: Some((LIGHT, 0.6)) });
            for (i, line) in cells.get(c).into_iter().flatten().enumerate() {
                let y = top - 3.0 - (i as f32 + 1.0) * line_h + size * 0.35;
                flow.page().text(x + 4.0, y, size, (r == 0, super::layout::BLACK), line);
            }
        }
        flow.y -= row_h;
    }
    flow.gap(BODY * 0.6);
}

fn cell_lines(flow: &Flow<'_, '_>, cell: &[Span], size: f32, width: f32) -> Vec<String> {
    let text: String = cell.iter().map(|s| s.text.as_str()).collect();
    super::text::break_lines(flow.shaper, &text, size, width).into_iter().map(|r| text[r].to_string()).collect()
}

/// The size (points) of an image of upright size `(w, h)` (any unit) in a note: the text
/// width, at most 60 % of the page height. Compaction (issue 9) measures density with it.
pub fn note_image_size((w, h): (f32, f32)) -> (f32, f32) {
    let width = super::layout::A4_W - 2.0 * MARGIN;
    let max_h = (super::layout::A4_H - 2.0 * MARGIN) * 0.6;
    let scale = (width / w.max(1.0)).min(max_h / h.max(1.0));
    (w * scale, h * scale)
}

/// An image scaled to the text width, at most 60 % of the page height, centred.
fn set_image(flow: &mut Flow<'_, '_>, index: usize, image: &PdfImage) {
    let (dw, dh) = note_image_size(image.upright());
    flow.reserve(dh + 8.0);
    let x = MARGIN + (flow.width() - dw) / 2.0;
    let y = flow.y - 4.0 - dh;
    let matrix = orientation_matrix(image.orientation, x, y, dw, dh);
    flow.page().items.push(Item::Image { image: index, matrix });
    flow.y = y - 8.0;
}

/// The relative file path an image link names (percent-decoded, query and fragment dropped);
/// `None` for web and data links, which are never fetched.
pub fn local_path(url: &str) -> Option<String> {
    if url.contains("://") || url.starts_with("data:") || url.starts_with("mailto:") {
        return None;
    }
    let path = percent_decode(url.split(['?', '#']).next()?);
    (!path.is_empty()).then_some(path)
}

/// Decodes `%XX` escapes (UTF-8); malformed escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_headings_lists_code_tables_and_images() {
        let md = "# 제목\n\n본문 **굵게** [링크](https://x.kr)\n\n- 하나\n- 둘\n\n1. 첫째\n\n```\ncode\n```\n\n> 인용\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![그림](a%20b.png)\n";
        let blocks = parse(md);
        assert!(matches!(&blocks[0], Block::Para { level: 1, .. }));
        let Block::Para { spans, .. } = &blocks[1] else { panic!() };
        assert!(spans.iter().any(|s| s.bold && s.text == "굵게"));
        assert!(spans.iter().any(|s| s.link.as_deref() == Some("https://x.kr")));
        assert!(matches!(&blocks[2], Block::Para { marker: Some(m), depth: 1, .. } if m == "•"));
        assert!(matches!(&blocks[4], Block::Para { marker: Some(m), .. } if m == "1."));
        assert!(matches!(&blocks[5], Block::Code { text } if text == "code"));
        assert!(matches!(&blocks[6], Block::Para { quote: true, .. }));
        assert!(matches!(&blocks[7], Block::Table { rows } if rows.len() == 2 && rows[1].len() == 2));
        assert!(matches!(&blocks[8], Block::Image { url, alt } if url == "a%20b.png" && alt == "그림"));
    }

    #[test]
    fn percent_decoding_handles_utf8_and_bad_escapes() {
        assert_eq!(percent_decode("스크린샷%202023-04-12%20%EC%98%A4%ED%9B%84.png"), "스크린샷 2023-04-12 오후.png");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
