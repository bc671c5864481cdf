//! Measuring and line breaking (pure).
//!
//! In: the faces of a [`FontSet`] and strings. Out: per-character glyphs (face, glyph id,
//! advance), string widths in points, and the byte ranges of wrapped lines. Breaking follows
//! UAX #14 (unicode-linebreak), so Korean breaks between syllables and Latin between words;
//! a word wider than the line is split between characters so that nothing overflows.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::fonts::FontSet;

/// One character as drawn: which face, which glyph, how wide (in 1/1000 em).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Index into [`Shaper::faces`]: 0 is the primary face (or the standard font).
    pub face: usize,
    /// Glyph id in that face (the UTF-16 code for the standard font).
    pub gid: u16,
    /// Advance width in thousandths of the font size.
    pub advance: f32,
}

/// Maps characters to glyphs of the font set, with fallback faces and a cache.
pub struct Shaper<'a> {
    /// Parsed faces: primary first, then fallbacks. Empty for the standard font.
    pub faces: Vec<ttf_parser::Face<'a>>,
    cache: RefCell<HashMap<char, Option<Glyph>>>,
    missing: RefCell<BTreeSet<char>>,
}

/// Characters that take no room and are not drawn (variation selectors, joiners, controls).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
        || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

impl<'a> Shaper<'a> {
    /// A shaper over the set's faces (parsed once).
    pub fn new(fonts: &'a FontSet) -> Shaper<'a> {
        let faces = fonts.primary.iter().chain(fonts.fallbacks.iter()).filter_map(|f| f.parse()).collect();
        Shaper { faces, cache: RefCell::default(), missing: RefCell::default() }
    }

    /// True when text is written with the non-embedded standard font.
    pub fn is_standard(&self) -> bool {
        self.faces.is_empty()
    }

    /// The glyph for `c`; `None` for invisible characters.
    pub fn glyph(&self, c: char) -> Option<Glyph> {
        if let Some(g) = self.cache.borrow().get(&c) {
            return *g;
        }
        let g = if is_invisible(c) { None } else { Some(self.lookup(c)) };
        self.cache.borrow_mut().insert(c, g);
        g
    }

    fn lookup(&self, c: char) -> Glyph {
        if self.is_standard() {
            return standard_glyph(c, &self.missing);
        }
        for (face, f) in self.faces.iter().enumerate() {
            if let Some(id) = f.glyph_index(c) {
                return Glyph { face, gid: id.0, advance: advance(f, id) };
            }
        }
        self.missing.borrow_mut().insert(c);
        let primary = &self.faces[0];
        Glyph { face: 0, gid: 0, advance: advance(primary, ttf_parser::GlyphId(0)) }
    }

    /// Visible characters of `text` with their glyphs, in order.
    pub fn glyphs(&self, text: &str) -> Vec<(char, Glyph)> {
        text.chars().filter_map(|c| self.glyph(c).map(|g| (c, g))).collect()
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().filter_map(|c| self.glyph(c)).map(|g| g.advance).sum::<f32>() * size / 1000.0
    }

    /// Characters no face could draw so far (drawn as .notdef), in code point order.
    pub fn missing(&self) -> Vec<char> {
        self.missing.borrow().iter().copied().collect()
    }
}

fn advance(face: &ttf_parser::Face<'_>, id: ttf_parser::GlyphId) -> f32 {
    let adv = face.glyph_hor_advance(id).unwrap_or(0) as f32;
    adv * 1000.0 / face.units_per_em() as f32
}

/// The standard Korean font: CID widths are 500 for ASCII (Adobe-Korea1 CIDs 1-95) and
/// 1000 for everything else. Only the Basic Multilingual Plane can be written as UTF-16
/// single units, so other characters become '?' and are reported as missing.
fn standard_glyph(c: char, missing: &RefCell<BTreeSet<char>>) -> Glyph {
    let code = u16::try_from(c as u32).unwrap_or_else(|_| {
        missing.borrow_mut().insert(c);
        b'?' as u16
    });
    let advance = if (0x20..0x7F).contains(&code) { 500.0 } else { 1000.0 };
    Glyph { face: 0, gid: code, advance }
}

/// Breaks `text` into lines no wider than `width` at `size` points. Returns byte ranges of
/// the lines, trailing spaces and newlines excluded. `\n` forces a break; an empty text or
/// an empty line between two `\n` gives an empty range.
pub fn break_lines(shaper: &Shaper<'_>, text: &str, size: f32, width: f32) -> Vec<Range<usize>> {
    let fits = |r: Range<usize>| shaper.width(text[r].trim_end(), size) <= width;
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last_fit: Option<usize> = None;
    for (pos, kind) in linebreaks(text) {
        if !fits(start..pos) {
            if let Some(fit) = last_fit.take() {
                lines.push(trimmed(text, start..fit));
                start = fit;
            }
            if !fits(start..pos) {
                start = split_long(shaper, text, start..pos, size, width, &mut lines);
            }
        }
        last_fit = Some(pos);
        if kind == BreakOpportunity::Mandatory {
            lines.push(trimmed(text, start..pos));
            start = pos;
            last_fit = None;
        }
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

/// Pushes character-split pieces of a too-wide segment; returns where its remainder starts.
fn split_long(
    shaper: &Shaper<'_>,
    text: &str,
    range: Range<usize>,
    size: f32,
    width: f32,
    lines: &mut Vec<Range<usize>>,
) -> usize {
    let mut start = range.start;
    let mut used = 0.0;
    for (i, c) in text[range.clone()].char_indices() {
        let at = range.start + i;
        let w = shaper.glyph(c).map_or(0.0, |g| g.advance * size / 1000.0);
        if used + w > width && at > start && !c.is_whitespace() {
            lines.push(trimmed(text, start..at));
            start = at;
            used = 0.0;
        }
        used += w;
    }
    start
}

fn trimmed(text: &str, r: Range<usize>) -> Range<usize> {
    let kept = text[r.clone()].trim_end();
    r.start..r.start + kept.len()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::render::fonts::{FaceData, FontSet};
    use std::sync::Arc;

    /// NanumGothic from the system, when installed (the tests are skipped otherwise).
    pub fn nanum() -> Option<FontSet> {
        let path = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf";
        let data = std::fs::read(path).ok()?;
        let face = FaceData { data: Arc::new(data), index: 0, name: "NanumGothic".into() };
        Some(FontSet::from_faces(face, Vec::new()))
    }

    fn lines<'t>(shaper: &Shaper<'_>, text: &'t str, width: f32) -> Vec<&'t str> {
        break_lines(shaper, text, 10.0, width).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn korean_breaks_between_syllables_and_never_overflows() {
        let Some(fonts) = nanum() else { return };
        let shaper = Shaper::new(&fonts);
        let text = "산학인턴쉽전공교과목학점인정제출서류를준비합니다";
        let out = lines(&shaper, text, 60.0);
        assert!(out.len() > 1);
        assert_eq!(out.concat(), text);
        assert!(out.iter().all(|l| shaper.width(l, 10.0) <= 60.0));
    }

    #[test]
    fn mixed_text_breaks_at_spaces_and_keeps_words() {
        let Some(fonts) = nanum() else { return };
        let shaper = Shaper::new(&fonts);
        let text = "Rust로 작성한 dossier 프로그램은 PDF를 만듭니다";
        let out = lines(&shaper, text, 80.0);
        assert!(out.iter().all(|l| shaper.width(l, 10.0) <= 80.0));
        assert!(out.iter().any(|l| l.contains("dossier")), "{out:?}");
        assert!(out.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn newlines_force_breaks_and_blank_lines_stay() {
        let Some(fonts) = nanum() else { return };
        let shaper = Shaper::new(&fonts);
        assert_eq!(lines(&shaper, "가나\n\n다", 500.0), vec!["가나", "", "다"]);
    }

    #[test]
    fn overlong_word_is_split_between_characters() {
        let Some(fonts) = nanum() else { return };
        let shaper = Shaper::new(&fonts);
        let text = "https://example.com/a/very/long/path/without/any/spaces/at/all";
        let out = lines(&shaper, text, 50.0);
        assert_eq!(out.concat(), text);
        assert!(out.iter().all(|l| shaper.width(l, 10.0) <= 50.0), "{out:?}");
    }

    #[test]
    fn standard_font_measures_ascii_half_width() {
        let fonts = FontSet::standard();
        let shaper = Shaper::new(&fonts);
        assert_eq!(shaper.width("ab", 10.0), 10.0);
        assert_eq!(shaper.width("가", 10.0), 10.0);
    }
}
