//! Font resolution: which faces the generated pages are drawn with.
//!
//! In: the manifest's optional [`FontChoice`] and whether system fonts may be consulted
//! ([`SystemFonts`], read from the environment by the caller). Out: a [`FontSet`] and the
//! warnings the user should see.
//!
//! The default primary face is bundled in the binary: Noto Sans CJK KR Regular cut to Latin,
//! Hangul and KS X 1001 (with its Hanja) by `assets/fonts/make-font` (issue 10). Bundled, so the
//! same folder gives the same bytes on every machine and nothing shows as boxes where no Korean
//! font is installed; Noto because it covers all of that, has 2,350 + 8,822 well drawn
//! syllables, is OFL with only "Source" reserved (a cut-down copy may keep its name), and is
//! 2.3 MB once cut. System faces are consulted only for a character no held face has (emoji,
//! rare Hanja), and only then is the system font list scanned: a build whose text is covered
//! does no font discovery at all. All file reading happens here, so `render` stays pure apart
//! from that lazy, cached lookup.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::Error;
use crate::i18n::Msg;
use crate::manifest::{FontChoice, FontSpec};

/// The bundled face (see the module doc and `assets/fonts/README.md`).
pub static BUNDLED_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansKR-dossier.otf");

/// The SHA-256 `make-font` recorded for [`BUNDLED_FONT`] (checked by a test).
pub const BUNDLED_FONT_SHA256: &str = include_str!("../../assets/fonts/NotoSansKR-dossier.otf.sha256");

/// `/BaseFont` of the bundled face.
const BUNDLED_NAME: &str = "NotoSansCJKkr-Regular";

/// Korean families tried in order for `font = "system"`.
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

/// Families tried first, in order, for a character no held face has. Only faces with outlines
/// are used; colour-bitmap emoji fonts cannot be embedded as CID fonts.
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

/// Whether system fonts may be consulted. The caller decides (the CLI reads
/// `DOSSIER_NO_SYSTEM_FONTS`), so that resolving fonts never reads the environment itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemFonts {
    /// Scan the system's fonts when a character needs it.
    Allowed,
    /// Never look at the system's fonts: the bundled face (and the manifest's) only.
    Denied,
}

impl SystemFonts {
    /// `Allowed` when `allowed` (Config::system_fonts, off with `DOSSIER_NO_SYSTEM_FONTS=1`).
    pub fn from_config(allowed: bool) -> SystemFonts {
        if allowed { SystemFonts::Allowed } else { SystemFonts::Denied }
    }
}

/// The font a manifest named has no Hangul.
fn no_hangul(path: &Path) -> Msg {
    Msg::new("font-no_hangul").arg("path", path.display().to_string())
}

/// `font = "system"` found no Korean system font.
fn no_system_korean() -> Msg {
    Msg::new("font-no_system_korean")
}

/// One font face held in memory, ready to be measured and subset.
#[derive(Clone)]
pub struct FaceData {
    /// The whole font file (a collection for .ttc/.otc).
    pub data: Arc<[u8]>,
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
    /// The bundled face.
    pub fn bundled() -> FaceData {
        // One copy per process, shared by every set (fuzzing makes thousands).
        static DATA: OnceLock<Arc<[u8]>> = OnceLock::new();
        let data = DATA.get_or_init(|| Arc::from(BUNDLED_FONT)).clone();
        FaceData { data, index: 0, name: BUNDLED_NAME.to_string() }
    }

    /// Parses the face; `None` if it is not a usable outline font.
    pub fn parse(&self) -> Option<ttf_parser::Face<'_>> {
        FaceData::parse_outlines(&self.data, self.index)
    }

    fn parse_outlines(data: &[u8], index: u32) -> Option<ttf_parser::Face<'_>> {
        let face = ttf_parser::Face::parse(data, index).ok()?;
        let raw = face.raw_face();
        let outlines = raw.table(ttf_parser::Tag::from_bytes(b"glyf")).is_some()
            || raw.table(ttf_parser::Tag::from_bytes(b"CFF ")).is_some();
        outlines.then_some(face)
    }

    fn covers(&self, c: char) -> bool {
        self.parse().and_then(|f| f.glyph_index(c)).is_some()
    }
}

/// The fonts generated pages are drawn with: faces held in memory (the primary first, then
/// the bundled face when the primary is another), and the system's faces, consulted lazily.
pub struct FontSet {
    faces: Vec<Arc<FaceData>>,
    system: Option<SystemLookup>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scanned = self.system.as_ref().is_some_and(|s| s.db.get().is_some());
        write!(f, "FontSet({:?}, system fonts scanned: {scanned})", self.faces)
    }
}

/// The system font list, scanned on first need, and the face chosen for each character asked.
#[derive(Default)]
struct SystemLookup {
    db: OnceLock<fontdb::Database>,
    by_char: Mutex<HashMap<char, Option<Arc<FaceData>>>>,
    loaded: Mutex<HashMap<fontdb::ID, Arc<FaceData>>>,
}

impl FontSet {
    /// Bundled face by default; `font = "path"` puts that file first (the bundled face then
    /// draws what it lacks); `font = "system"` looks for a Korean system face. System faces
    /// are consulted, lazily, for characters no held face has, unless `system` is `Denied`.
    pub fn resolve(choice: Option<&FontChoice>, system: SystemFonts) -> Result<(FontSet, Vec<Msg>), Error> {
        let mut warnings = Vec::new();
        let lookup = (system == SystemFonts::Allowed).then(SystemLookup::default);
        let primary = match choice {
            None => None,
            Some(FontChoice::File(spec)) => Some(load_manifest_font(spec, &mut warnings)?),
            Some(FontChoice::System) => {
                let found = lookup.as_ref().and_then(|l| find_korean_face(l.db()));
                if found.is_none() {
                    warnings.push(no_system_korean());
                }
                found
            }
        };
        let mut faces: Vec<Arc<FaceData>> = primary.into_iter().map(Arc::new).collect();
        faces.push(Arc::new(FaceData::bundled()));
        Ok((FontSet { faces, system: lookup }, warnings))
    }

    /// The bundled face alone, never looking at the system (tests, fuzzing).
    pub fn bundled() -> FontSet {
        FontSet { faces: vec![Arc::new(FaceData::bundled())], system: None }
    }

    /// A set made of faces already in memory, the bundled face after them, no system fonts.
    pub fn from_faces(primary: FaceData, fallbacks: Vec<FaceData>) -> FontSet {
        let mut faces: Vec<Arc<FaceData>> = std::iter::once(primary).chain(fallbacks).map(Arc::new).collect();
        faces.push(Arc::new(FaceData::bundled()));
        FontSet { faces, system: None }
    }

    /// The faces held in memory, primary first.
    pub fn held(&self) -> &[Arc<FaceData>] {
        &self.faces
    }

    /// Whether the system's font list has been scanned (a covered build never does).
    pub fn scanned_system_fonts(&self) -> bool {
        self.system.as_ref().is_some_and(|s| s.db.get().is_some())
    }

    /// A system face for `c`, which no held face has; scans the system fonts the first time.
    /// The choice depends only on `c` and the installed fonts, never on what was asked before,
    /// so bundles built in one run do not depend on each other.
    pub fn system_face_for(&self, c: char) -> Option<Arc<FaceData>> {
        let lookup = self.system.as_ref()?;
        if let Some(found) = lookup.by_char.lock().ok()?.get(&c) {
            return found.clone();
        }
        let db = lookup.db();
        let found = face_for_char(db, c).and_then(|id| {
            let mut loaded = lookup.loaded.lock().ok()?;
            if let Some(face) = loaded.get(&id) {
                return Some(face.clone());
            }
            let face = Arc::new(load_face(db, id)?);
            loaded.insert(id, face.clone());
            Some(face)
        });
        lookup.by_char.lock().ok()?.insert(c, found.clone());
        found
    }
}

impl SystemLookup {
    fn db(&self) -> &fontdb::Database {
        self.db.get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            db
        })
    }
}

/// Reads the manifest's font; an unreadable or outline-less file is a fatal error, a face
/// without Hangul only a warning (the student asked for it).
fn load_manifest_font(spec: &FontSpec, warnings: &mut Vec<Msg>) -> Result<FaceData, Error> {
    let font_error = |message: String| Error::Font { path: spec.path.clone(), message };
    let data = std::fs::read(&spec.path).map_err(|e| font_error(e.to_string()))?;
    let name = face_name(&data, spec.index).unwrap_or_else(|| file_stem(&spec.path));
    let face = FaceData { data: Arc::from(data), index: spec.index, name };
    if face.parse().is_none() {
        return Err(font_error(format!("face {} is not a TrueType/OpenType font with glyph outlines", spec.index)));
    }
    if !face.covers('가') {
        warnings.push(no_hangul(&spec.path));
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
    let (data, index) = db.with_face_data(id, |data, index| (Arc::<[u8]>::from(data), index))?;
    let name = face_name(&data, index).unwrap_or_else(|| "Font".into());
    let face = FaceData { data, index, name };
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

/// The face for `c`: the first named fallback family that has it, else the first face (in
/// stable order) that has it.
fn face_for_char(db: &fontdb::Database, c: char) -> Option<fontdb::ID> {
    let named = FALLBACK_FAMILIES.iter().filter_map(|family| {
        let families = [fontdb::Family::Name(family)];
        db.query(&fontdb::Query { families: &families, ..Default::default() })
    });
    named.chain(sorted_faces(db).into_iter().map(|info| info.id)).find(|&id| face_covers(db, id, c))
}

/// Whether the face has outlines and a glyph for `c`, read without copying the font.
fn face_covers(db: &fontdb::Database, id: fontdb::ID, c: char) -> bool {
    db.with_face_data(id, |data, index| {
        let face = FaceData::parse_outlines(data, index);
        face.is_some_and(|f| f.glyph_index(c).is_some())
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
        let choice = FontChoice::File(FontSpec { path, index: 0 });
        let err = FontSet::resolve(Some(&choice), SystemFonts::Denied).unwrap_err();
        assert!(matches!(err, Error::Font { .. }));
    }

    /// The committed font is the one `make-font` wrote (CI may not be able to regenerate it).
    #[test]
    fn bundled_font_is_the_one_make_font_recorded() {
        use sha2::Digest;
        let recorded = BUNDLED_FONT_SHA256.split_whitespace().next().unwrap();
        assert_eq!(hex::encode(sha2::Sha256::digest(BUNDLED_FONT)), recorded);
    }

    #[test]
    fn bundled_font_covers_every_hangul_syllable_jamo_and_ks_x_1001_hanja() {
        let face = FaceData::bundled();
        let face = face.parse().expect("an outline font");
        assert_eq!(face.units_per_em(), 1000);
        let lacking = |range: std::ops::RangeInclusive<u32>| {
            range.filter_map(char::from_u32).filter(|&c| face.glyph_index(c).is_none()).count()
        };
        assert_eq!(lacking(0xAC00..=0xD7A3), 0, "the 11,172 syllables");
        assert_eq!(lacking(0x3131..=0x318E), 0, "compatibility jamo");
        assert_eq!(lacking(0x1100..=0x1112), 0, "leading jamo");
        assert_eq!(lacking(0x20..=0x7E), 0, "ASCII");
        for c in "漢字學科産業①㈜℃→※“”…·「」".chars() {
            assert!(face.glyph_index(c).is_some(), "{c}");
        }
        assert!(face.glyph_index('😀').is_none(), "no emoji: those come from the system");
    }

    #[test]
    fn default_set_is_the_bundled_face_and_scans_nothing() {
        let (fonts, warnings) = FontSet::resolve(None, SystemFonts::Allowed).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(fonts.held().len(), 1);
        assert_eq!(fonts.held()[0].name, BUNDLED_NAME);
        assert!(!fonts.scanned_system_fonts());
    }

    #[test]
    fn denied_system_fonts_are_never_consulted() {
        let (fonts, _) = FontSet::resolve(None, SystemFonts::Denied).unwrap();
        assert!(fonts.system_face_for('😀').is_none());
        assert!(!fonts.scanned_system_fonts());
        let (fonts, warnings) = FontSet::resolve(Some(&FontChoice::System), SystemFonts::Denied).unwrap();
        assert_eq!(warnings, vec![no_system_korean()]);
        assert_eq!(fonts.held().len(), 1, "the bundled face stands in");
    }
}
