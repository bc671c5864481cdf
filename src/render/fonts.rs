//! Font resolution: which font files the generated pages use.
//!
//! In: the manifest's optional [`FontSpec`] and the system's fonts (through fontdb).
//! Out: a [`FontSet`] holding the bytes of a primary Korean face plus a short ordered list of
//! fallback faces (Hanja, symbols, emoji with outlines), or the non-embedded Adobe-Korea1
//! standard font as the last resort, and the warnings the user should see.
//! All file reading happens here, so that `render` itself stays pure.

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::manifest::FontSpec;

/// Korean families tried in order when the manifest names no font.
const KOREAN_FAMILIES: &[&str] = &[
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
    "Nanum Gothic",
    "NanumBarunGothic",
    "UnDotum",
    "Baekmuk Gulim",
];

/// Families preloaded as fallbacks for characters the primary face lacks (Hanja, circled
/// numbers, symbols, emoji). Only faces with outlines are kept; colour-bitmap emoji fonts
/// cannot be embedded as CID fonts.
const FALLBACK_FAMILIES: &[&str] = &[
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "NanumGothic",
    "NanumMyeongjo",
    "Noto Serif CJK KR",
    "DejaVu Sans",
    "Noto Sans Symbols",
    "Noto Sans Symbols2",
    "Noto Emoji",
    "Symbola",
    "Segoe UI Symbol",
    "Segoe UI Emoji",
    "Apple Symbols",
];

/// Characters whose coverage decides whether a further fallback face is worth loading
/// after the named families: one probe per kind of character Korean notes contain.
const PROBES: &[char] = &['가', '漢', '①', '㈜', '℃', '→', '✓', '😀'];

/// The warning shown when no Korean font can be embedded.
pub const NO_KOREAN_FONT_WARNING: &str = "no Korean font found: the PDF refers to the reader's standard Korean font (Adobe-Korea1) without embedding it; install fonts-nanum or set `font = \"path/to/NanumGothic.ttf\"` in [bundle] to embed one";

/// One font face held in memory, ready to be measured and subset.
#[derive(Clone)]
pub struct FaceData {
    /// The whole font file (a collection for .ttc/.otc).
    pub data: Arc<Vec<u8>>,
    /// Face index inside the file.
    pub index: u32,
    /// PostScript name (or a sanitised family name), used for `/BaseFont`.
    pub name: String,
}

impl std::fmt::Debug for FaceData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FaceData({} #{}, {} bytes)", self.name, self.index, self.data.len())
    }
}

impl FaceData {
    /// Parses the face; `None` if it is not a usable outline font.
    pub fn parse(&self) -> Option<ttf_parser::Face<'_>> {
        let face = ttf_parser::Face::parse(&self.data, self.index).ok()?;
        let raw = face.raw_face();
        let outlines = raw.table(ttf_parser::Tag::from_bytes(b"glyf")).is_some()
            || raw.table(ttf_parser::Tag::from_bytes(b"CFF ")).is_some();
        outlines.then_some(face)
    }

    fn covers(&self, c: char) -> bool {
        self.parse().and_then(|f| f.glyph_index(c)).is_some()
    }
}

/// The fonts generated pages are drawn with.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// The Korean face everything is set in; `None` means the non-embedded Adobe-Korea1
    /// standard font (HYGoThic-Medium) is referenced instead.
    pub primary: Option<FaceData>,
    /// Faces tried, in order, for characters the primary lacks.
    pub fallbacks: Vec<FaceData>,
}

impl FontSet {
    /// Manifest font -> system Korean fonts (fontdb) -> non-embedded Adobe-Korea1 last resort.
    ///
    /// System fonts are skipped when the environment has `DOSSIER_NO_SYSTEM_FONTS=1`.
    pub fn resolve(manifest_font: Option<&FontSpec>) -> Result<(FontSet, Vec<String>), Error> {
        let mut warnings = Vec::new();
        let db = system_fonts_allowed().then(system_database);
        let primary = match manifest_font {
            Some(spec) => Some(load_manifest_font(spec, &mut warnings)?),
            None => db.as_ref().and_then(find_korean_face),
        };
        let Some(primary) = primary else {
            warnings.push(NO_KOREAN_FONT_WARNING.to_string());
            return Ok((FontSet::standard(), warnings));
        };
        let fallbacks = db.as_ref().map(|db| pick_fallbacks(db, &primary)).unwrap_or_default();
        Ok((FontSet { primary: Some(primary), fallbacks }, warnings))
    }

    /// The last-resort set: the reader's standard Korean font, nothing embedded.
    pub fn standard() -> FontSet {
        FontSet { primary: None, fallbacks: Vec::new() }
    }

    /// A set made of faces already in memory (tests, callers with their own fonts).
    pub fn from_faces(primary: FaceData, fallbacks: Vec<FaceData>) -> FontSet {
        FontSet { primary: Some(primary), fallbacks }
    }
}

fn system_fonts_allowed() -> bool {
    #[allow(clippy::disallowed_methods)] // to be passed in from Config (see Config::system_fonts)
    std::env::var_os("DOSSIER_NO_SYSTEM_FONTS").is_none_or(|v| v != "1")
}

fn system_database() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    db
}

/// Reads the manifest's font; an unreadable or outline-less file is a fatal error, a face
/// without Hangul only a warning (the student asked for it).
fn load_manifest_font(spec: &FontSpec, warnings: &mut Vec<String>) -> Result<FaceData, Error> {
    let font_error = |message: String| Error::Font { path: spec.path.clone(), message };
    let data = std::fs::read(&spec.path).map_err(|e| font_error(e.to_string()))?;
    let name = face_name(&data, spec.index).unwrap_or_else(|| file_stem(&spec.path));
    let face = FaceData { data: Arc::new(data), index: spec.index, name };
    if face.parse().is_none() {
        return Err(font_error(format!("face {} is not a TrueType/OpenType font with glyph outlines", spec.index)));
    }
    if !face.covers('가') {
        warnings.push(format!("font `{}` has no Hangul: Korean text falls back to other fonts", spec.path.display()));
    }
    Ok(face)
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Font".into())
}

/// The face's PostScript name, restricted to characters that are safe in a PDF name.
fn face_name(data: &[u8], index: u32) -> Option<String> {
    let face = ttf_parser::Face::parse(data, index).ok()?;
    let name = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())?;
    let clean: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    (!clean.is_empty()).then_some(clean)
}

/// Faces of the database in a stable order (path, index), so that choices never depend on
/// the order fontconfig happened to list them.
fn sorted_faces(db: &fontdb::Database) -> Vec<&fontdb::FaceInfo> {
    let mut faces: Vec<_> = db.faces().collect();
    faces.sort_by_key(|f| (source_key(&f.source), f.index));
    faces
}

fn source_key(source: &fontdb::Source) -> String {
    match source {
        fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.display().to_string(),
        fontdb::Source::Binary(_) => String::new(),
    }
}

/// Loads the regular (or closest) face of `family`, if present with outlines.
fn load_family(db: &fontdb::Database, family: &str) -> Option<FaceData> {
    let families = [fontdb::Family::Name(family)];
    let id = db.query(&fontdb::Query { families: &families, ..Default::default() })?;
    load_face(db, id)
}

fn load_face(db: &fontdb::Database, id: fontdb::ID) -> Option<FaceData> {
    let (data, index) = db.with_face_data(id, |data, index| (data.to_vec(), index))?;
    let name = face_name(&data, index).unwrap_or_else(|| "Font".into());
    let face = FaceData { data: Arc::new(data), index, name };
    face.parse().is_some().then_some(face)
}

/// The first preferred Korean family present, else any face whose cmap covers '가'.
fn find_korean_face(db: &fontdb::Database) -> Option<FaceData> {
    for family in KOREAN_FAMILIES {
        if let Some(face) = load_family(db, family).filter(|f| f.covers('가')) {
            return Some(face);
        }
    }
    sorted_faces(db)
        .into_iter()
        .filter(|info| info.style == fontdb::Style::Normal)
        .find_map(|info| load_face(db, info.id).filter(|f| f.covers('가')))
}

/// Named fallback families first; then, for the probe characters still uncovered, the first
/// face (in stable order) that covers each. Faces identical to one already held are skipped.
/// Coverage is read from the mapped font files; only the faces chosen are copied into memory
/// (a CJK collection is tens of megabytes).
fn pick_fallbacks(db: &fontdb::Database, primary: &FaceData) -> Vec<FaceData> {
    let mut chosen: Vec<FaceData> = Vec::new();
    let same = |a: &FaceData, b: &FaceData| a.index == b.index && a.data == b.data;
    let covered = |chosen: &[FaceData], c: char| primary.covers(c) || chosen.iter().any(|f: &FaceData| f.covers(c));
    for family in FALLBACK_FAMILIES {
        let families = [fontdb::Family::Name(family)];
        let Some(id) = db.query(&fontdb::Query { families: &families, ..Default::default() }) else { continue };
        let uncovered: Vec<char> = PROBES.iter().copied().filter(|&c| !covered(&chosen, c)).collect();
        if !face_covers_any(db, id, &uncovered) {
            continue;
        }
        if let Some(face) = load_face(db, id)
            && !same(&face, primary)
            && !chosen.iter().any(|f| same(f, &face))
        {
            chosen.push(face);
        }
    }
    // One pass over the faces for every probe still uncovered.
    let mut uncovered: Vec<char> = PROBES.iter().copied().filter(|&c| !covered(&chosen, c)).collect();
    for info in sorted_faces(db) {
        if uncovered.is_empty() {
            break;
        }
        if !face_covers_any(db, info.id, &uncovered) {
            continue;
        }
        if let Some(face) = load_face(db, info.id) {
            uncovered.retain(|&c| !face.covers(c));
            chosen.push(face);
        }
    }
    chosen
}

/// Whether the face has a glyph for any of `chars`, read without copying the font.
fn face_covers_any(db: &fontdb::Database, id: fontdb::ID, chars: &[char]) -> bool {
    !chars.is_empty()
        && db
            .with_face_data(id, |data, index| {
                ttf_parser::Face::parse(data, index).is_ok_and(|f| chars.iter().any(|&c| f.glyph_index(c).is_some()))
            })
            .unwrap_or(false)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests write a bad font file
mod tests {
    use super::*;

    #[test]
    fn manifest_font_that_is_not_a_font_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.ttf");
        std::fs::write(&path, b"not a font").unwrap();
        let err = FontSet::resolve(Some(&FontSpec { path, index: 0 })).unwrap_err();
        assert!(matches!(err, Error::Font { .. }));
    }
}
