//! Measuring and line breaking (pure).
//!
//! In: the faces of a [`FontSet`] and strings. Out: per-character glyphs (face, glyph id,
//! advance), string widths in points, and the byte ranges of wrapped lines. Breaking follows
//! UAX #14 (unicode-linebreak), so Korean breaks between syllables and Latin between words;
//! a word wider than the line is split between characters so that nothing overflows.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::fonts::{FaceData, FontSet};

/// One character as drawn: which face, which glyph, how wide (in 1/1000 em).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Index into [`Shaper::face`]: 0 is the primary face.
    pub face: usize,
    /// Glyph id in that face.
    pub gid: u16,
    /// Advance width in thousandths of the font size.
    pub advance: f32,
}

/// Maps characters to glyphs of the font set, with fallback faces and a cache.
///
/// The set's held faces come first, parsed once. A character none of them has is looked up
/// among the system's faces ([`FontSet::system_face_for`]); a face found that way joins this
/// shaper's list, so face numbers follow first use in layout order, the same for the same input.
pub struct Shaper<'a> {
    fonts: &'a FontSet,
    held: Vec<(ttf_parser::Face<'a>, &'a Arc<FaceData>)>,
    /// System faces this shaper has used, numbered after the held ones.
    extra: RefCell<Vec<Arc<FaceData>>>,
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
    /// A shaper over the set's faces (the held ones parsed once).
    pub fn new(fonts: &'a FontSet) -> Shaper<'a> {
        let held = fonts.held().iter().filter_map(|f| Some((f.parse()?, f))).collect();
        Shaper { fonts, held, extra: RefCell::default(), cache: RefCell::default(), missing: RefCell::default() }
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
        for (face, (f, _)) in self.held.iter().enumerate() {
            if let Some(id) = f.glyph_index(c) {
                return Glyph { face, gid: id.0, advance: advance(f, id) };
            }
        }
        if let Some(glyph) = self.system_glyph(c) {
            return glyph;
        }
        self.missing.borrow_mut().insert(c);
        let notdef = self.held.first().map_or(1000.0, |(f, _)| advance(f, ttf_parser::GlyphId(0)));
        Glyph { face: 0, gid: 0, advance: notdef }
    }

    fn system_glyph(&self, c: char) -> Option<Glyph> {
        let data = self.fonts.system_face_for(c)?;
        let parsed = data.parse()?;
        let id = parsed.glyph_index(c)?;
        let mut extra = self.extra.borrow_mut();
        let at = match extra.iter().position(|f| Arc::ptr_eq(f, &data)) {
            Some(at) => at,
            None => {
                extra.push(data.clone());
                extra.len() - 1
            }
        };
        Some(Glyph { face: self.held.len() + at, gid: id.0, advance: advance(&parsed, id) })
    }

    /// The face numbered `face` in [`Glyph::face`].
    pub fn face(&self, face: usize) -> Option<Arc<FaceData>> {
        match self.held.get(face) {
            Some((_, f)) => Some(Arc::clone(f)),
            None => self.extra.borrow().get(face - self.held.len()).cloned(),
        }
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
    use crate::render::fonts::FontSet;

    /// The bundled font: always there, so these tests always run.
    pub fn bundled() -> FontSet {
        FontSet::bundled()
    }

    fn lines<'t>(shaper: &Shaper<'_>, text: &'t str, width: f32) -> Vec<&'t str> {
        break_lines(shaper, text, 10.0, width).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn korean_breaks_between_syllables_and_never_overflows() {
        let fonts = bundled();
        let shaper = Shaper::new(&fonts);
        let text = "산학인턴쉽전공교과목학점인정제출서류를준비합니다";
        let out = lines(&shaper, text, 60.0);
        assert!(out.len() > 1);
        assert_eq!(out.concat(), text);
        assert!(out.iter().all(|l| shaper.width(l, 10.0) <= 60.0));
    }

    #[test]
    fn mixed_text_breaks_at_spaces_and_keeps_words() {
        let fonts = bundled();
        let shaper = Shaper::new(&fonts);
        let text = "Rust로 작성한 dossier 프로그램은 PDF를 만듭니다";
        let out = lines(&shaper, text, 80.0);
        assert!(out.iter().all(|l| shaper.width(l, 10.0) <= 80.0));
        assert!(out.iter().any(|l| l.contains("dossier")), "{out:?}");
        assert!(out.iter().all(|l| !l.ends_with(' ')));
    }

    #[test]
    fn newlines_force_breaks_and_blank_lines_stay() {
        let fonts = bundled();
        let shaper = Shaper::new(&fonts);
        assert_eq!(lines(&shaper, "가나\n\n다", 500.0), vec!["가나", "", "다"]);
    }

    #[test]
    fn overlong_word_is_split_between_characters() {
        let fonts = bundled();
        let shaper = Shaper::new(&fonts);
        let text = "https://example.com/a/very/long/path/without/any/spaces/at/all";
        let out = lines(&shaper, text, 50.0);
        assert_eq!(out.concat(), text);
        assert!(out.iter().all(|l| shaper.width(l, 10.0) <= 50.0), "{out:?}");
    }

    #[test]
    fn bundled_font_measures_hangul_full_width_and_latin_proportionally() {
        let fonts = bundled();
        let shaper = Shaper::new(&fonts);
        // Noto Sans CJK KR sets Hangul at 0.92 em.
        assert_eq!(shaper.width("가나", 10.0), 18.4);
        assert!(shaper.width("i", 10.0) < shaper.width("W", 10.0));
        assert!(shaper.missing().is_empty());
    }

    #[test]
    fn a_character_no_face_has_is_reported_missing() {
        let fonts = bundled();
        let shaper = Shaper::new(&fonts);
        assert_eq!(shaper.glyph('😀').map(|g| g.gid), Some(0), ".notdef");
        assert_eq!(shaper.missing(), vec!['😀']);
        assert!(!fonts.scanned_system_fonts(), "the bundled set never scans");
    }
}
