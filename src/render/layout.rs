//! Page display lists and the text flow that fills them (pure).
//!
//! In: styled spans and blocks from the page builders (cover, contents, notes).
//! Out: [`PageDraw`]s, each a page size and a list of [`Item`]s in points, which the writer
//! turns into PDF content streams. A [`Flow`] places wrapped lines top-down on A4 pages and
//! starts a new page whenever the next line would cross the bottom margin.

use super::text::{Shaper, break_lines};

/// A4 width in points.
pub const A4_W: f32 = 595.28;
/// A4 height in points.
pub const A4_H: f32 = 841.89;
/// 20 mm.
pub const MARGIN: f32 = 56.69;

/// An RGB colour, components 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub f32, pub f32, pub f32);

/// Body text.
pub const BLACK: Color = Color(0.0, 0.0, 0.0);
/// Captions, leaders, stamps.
pub const GREY: Color = Color(0.45, 0.45, 0.45);
/// Rules and grids.
pub const LIGHT: Color = Color(0.75, 0.75, 0.75);
/// Code block and quote shading.
pub const SHADE: Color = Color(0.94, 0.94, 0.94);
/// Draft banner and placeholders.
pub const RED: Color = Color(0.8, 0.1, 0.1);
/// Links.
pub const BLUE: Color = Color(0.1, 0.25, 0.7);

/// One thing drawn on a page. Coordinates are PDF user space (origin bottom left).
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text starting at baseline point (x, y).
    Text {
        /// Left end of the baseline.
        x: f32,
        /// Baseline.
        y: f32,
        /// Font size.
        size: f32,
        /// Faux bold (fill and stroke).
        bold: bool,
        /// Fill colour.
        color: Color,
        /// The text (no newlines).
        text: String,
    },
    /// A rectangle, filled and/or stroked.
    Rect {
        /// [x, y, width, height].
        rect: [f32; 4],
        /// Fill colour.
        fill: Option<Color>,
        /// Stroke colour and width.
        stroke: Option<(Color, f32)>,
    },
    /// A straight line.
    Line {
        /// [x0, y0, x1, y1].
        points: [f32; 4],
        /// Width.
        width: f32,
        /// Colour.
        color: Color,
    },
    /// An image XObject drawn with a transformation matrix (unit square to page).
    Image {
        /// Index into the render's image list.
        image: usize,
        /// The `cm` matrix.
        matrix: [f32; 6],
    },
    /// A clickable web link.
    Uri {
        /// [x0, y0, x1, y1].
        rect: [f32; 4],
        /// Target.
        uri: String,
    },
}

/// One generated page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageDraw {
    /// Width and height in points.
    pub size: (f32, f32),
    /// What is drawn, in painting order.
    pub items: Vec<Item>,
}

impl PageDraw {
    /// An empty A4 portrait page.
    pub fn a4() -> PageDraw {
        PageDraw { size: (A4_W, A4_H), items: Vec::new() }
    }

    /// Adds a text item.
    pub fn text(&mut self, x: f32, y: f32, size: f32, style: (bool, Color), text: &str) {
        let (bold, color) = style;
        self.items.push(Item::Text { x, y, size, bold, color, text: text.to_string() });
    }
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Strong.
    pub bold: bool,
    /// Inline code (shaded).
    pub code: bool,
    /// Link target, shown as text and made clickable.
    pub link: Option<String>,
}

impl Span {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span { text: text.into(), ..Span::default() }
    }
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub struct ParaStyle {
    /// Font size.
    pub size: f32,
    /// Baseline-to-baseline distance as a multiple of the size.
    pub leading: f32,
    /// Left indent of every line (points from the left margin).
    pub indent: f32,
    /// Everything bold (headings).
    pub bold: bool,
    /// Text colour.
    pub color: Color,
    /// Background shade behind each line (code blocks).
    pub shade: Option<Color>,
    /// Grey bar left of each line (block quotes).
    pub bar: bool,
}

impl ParaStyle {
    /// Body text at `size`.
    pub fn body(size: f32) -> ParaStyle {
        ParaStyle { size, leading: 1.5, indent: 0.0, bold: false, color: BLACK, shade: None, bar: false }
    }
}

/// Places text top-down on A4 pages between the margins.
pub struct Flow<'s, 'f> {
    /// Measures and breaks.
    pub shaper: &'s Shaper<'f>,
    /// Pages filled so far (never empty).
    pub pages: Vec<PageDraw>,
    /// Top of the free space on the current page.
    pub y: f32,
}

impl<'s, 'f> Flow<'s, 'f> {
    /// A flow with one empty page.
    pub fn new(shaper: &'s Shaper<'f>) -> Self {
        Flow { shaper, pages: vec![PageDraw::a4()], y: A4_H - MARGIN }
    }

    /// Width between the margins.
    pub fn width(&self) -> f32 {
        A4_W - 2.0 * MARGIN
    }

    /// The page being filled.
    pub fn page(&mut self) -> &mut PageDraw {
        self.pages.last_mut().expect("a flow always has a page")
    }

    /// Index of the page being filled.
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(PageDraw::a4());
        self.y = A4_H - MARGIN;
    }

    /// Makes room for `height` points, starting a new page unless this one is still empty.
    pub fn reserve(&mut self, height: f32) {
        let fresh = self.y >= A4_H - MARGIN - 0.01;
        if self.y - height < MARGIN && !fresh {
            self.new_page();
        }
    }

    /// Vertical space (dropped at the top of a page).
    pub fn gap(&mut self, height: f32) {
        if self.y < A4_H - MARGIN - 0.01 {
            self.y = (self.y - height).max(MARGIN);
        }
    }

    /// Sets a paragraph of spans; `marker` ("•", "1.") hangs left of the first line.
    pub fn paragraph(&mut self, spans: &[Span], style: ParaStyle, marker: Option<&str>) {
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        let width = self.width() - style.indent;
        let line_h = style.size * style.leading;
        for (n, range) in break_lines(self.shaper, &text, style.size, width).into_iter().enumerate() {
            self.reserve(line_h);
            let top = self.y;
            let baseline = top - style.size * (0.5 + style.leading / 2.0) + style.size * 0.15;
            self.decorate_line(style, top, line_h);
            if let Some(marker) = marker.filter(|_| n == 0) {
                let x = MARGIN + style.indent - self.shaper.width(marker, style.size) - 4.0;
                self.page().text(x, baseline, style.size, (style.bold, style.color), marker);
            }
            self.line_spans(spans, range, MARGIN + style.indent, baseline, style);
            self.y -= line_h;
        }
    }

    fn decorate_line(&mut self, style: ParaStyle, top: f32, line_h: f32) {
        let x = MARGIN + style.indent;
        let w = self.width() - style.indent;
        if let Some(shade) = style.shade {
            let rect = [x - 4.0, top - line_h, w + 4.0, line_h];
            self.page().items.push(Item::Rect { rect, fill: Some(shade), stroke: None });
        }
        if style.bar {
            let points = [x - 8.0, top, x - 8.0, top - line_h];
            self.page().items.push(Item::Line { points, width: 2.0, color: LIGHT });
        }
    }

    /// Draws the parts of `spans` that fall in byte `range` of their concatenation.
    fn line_spans(
        &mut self,
        spans: &[Span],
        range: std::ops::Range<usize>,
        mut x: f32,
        baseline: f32,
        style: ParaStyle,
    ) {
        let mut offset = 0;
        for span in spans {
            let (s, e) = (offset, offset + span.text.len());
            offset = e;
            let (a, b) = (range.start.max(s), range.end.min(e));
            if a >= b {
                continue;
            }
            let piece = &span.text[a - s..b - s];
            let w = self.shaper.width(piece, style.size);
            self.span_piece(span, piece, x, w, baseline, style);
            x += w;
        }
    }

    fn span_piece(&mut self, span: &Span, piece: &str, x: f32, w: f32, y: f32, st: ParaStyle) {
        let size = st.size;
        if span.code {
            let rect = [x, y - size * 0.25, w, size * 1.2];
            self.page().items.push(Item::Rect { rect, fill: Some(SHADE), stroke: None });
        }
        let color = if span.link.is_some() { BLUE } else { st.color };
        self.page().text(x, y, size, (st.bold || span.bold, color), piece);
        if let Some(uri) = &span.link {
            let rect = [x, y - size * 0.25, x + w, y + size * 0.9];
            self.page().items.push(Item::Uri { rect, uri: uri.clone() });
        }
    }
}
