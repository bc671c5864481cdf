//! Discovery: the manifest's globs turned into the files each item names.
//!
//! One walk of `root` collects candidate files (hidden files and the output folder are never
//! picked up, links are not followed out of root). Matching and ordering are pure: names are
//! compared in NFC (macOS writes Hangul decomposed, NFD), ASCII extensions without case, and
//! files are sorted naturally ("3월" before "10월").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use unicode_normalization::UnicodeNormalization;

use crate::manifest::{Item, Manifest};

/// A file found under root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Where to read it (the path on disk, as the OS spells it).
    pub path: PathBuf,
    /// Its path relative to root, NFC, with `/` separators: what globs match and reports show.
    pub rel: String,
    /// The on-disk name was not NFC (macOS decomposed Hangul).
    pub was_nfd: bool,
    /// The on-disk name is not valid UTF-8 (shown with replacement characters).
    pub bad_name: bool,
    /// Reached through a symbolic link.
    pub via_link: bool,
    /// Modification time, seconds since 1970 (the mail draft's date is the newest input's).
    pub modified: Option<i64>,
}

/// A file's modification time in seconds since 1970.
fn modified(meta: &std::fs::Metadata) -> Option<i64> {
    let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(since.as_secs()).ok()
}

/// Something discovery could not use, tied to the path it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Path relative to root, NFC.
    pub rel: String,
    /// Why.
    pub why: RefusedWhy,
}

/// Why discovery refused an entry without opening it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "why", rename_all = "kebab-case")]
pub enum RefusedWhy {
    /// The walk could not read it (a folder without permission).
    Unreadable {
        /// The system's words.
        reason: String,
    },
    /// A named pipe, socket or device.
    NotRegular,
    /// A link whose target does not exist.
    DanglingLink {
        /// What the link points to.
        target: String,
    },
    /// A link out of root, and the manifest does not allow that.
    LinkOutside {
        /// The resolved target.
        target: String,
    },
}

/// The result of walking root.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Usable files, sorted naturally by `rel`.
    pub files: Vec<Candidate>,
    /// Entries that look like files but must not be used (links out of root, dangling links).
    pub refused: Vec<Refused>,
    /// Files below the folders that globs reaching outside root name (only with
    /// `allow_outside_root`); only those globs match them.
    pub outside: Vec<Candidate>,
    /// Refused entries below those folders.
    pub outside_refused: Vec<Refused>,
}

/// What one item's globs matched.
#[derive(Debug, Clone, Default)]
pub struct ItemMatches {
    /// Matched usable files in natural order.
    pub files: Vec<Candidate>,
    /// Matched entries that were refused.
    pub refused: Vec<Refused>,
}

/// Walks `manifest.bundle.root` and returns every candidate file; with `allow_outside_root`,
/// also the folders that globs reaching outside root name (`../scans/*.pdf`, `/data/*.pdf`).
pub fn walk(manifest: &Manifest) -> Result<Tree, crate::Error> {
    let root = &manifest.bundle.root;
    if !root.is_dir() {
        return Err(crate::Error::Usage(crate::error::UsageError::RootMissing {
            root: root.clone(),
            manifest: manifest.path.clone(),
        }));
    }
    let canonical_root = root.canonicalize().map_err(|e| crate::Error::io(crate::error::IoAction::Read, root, e))?;
    let mut tree = Tree::default();
    let mut inside = Found { files: &mut tree.files, refused: &mut tree.refused };
    walk_under(root, "", manifest, &canonical_root, &mut inside);
    if manifest.bundle.allow_outside_root {
        let mut outside = Found { files: &mut tree.outside, refused: &mut tree.outside_refused };
        for base in outside_bases(manifest) {
            let dir = if Path::new(&base).is_absolute() { PathBuf::from(&base) } else { root.join(&base) };
            if dir.is_dir() {
                walk_under(&dir, &base, manifest, &canonical_root, &mut outside);
            }
        }
        tree.outside.sort_by(|a, b| alphanumeric_sort::compare_str(&a.rel, &b.rel));
        tree.outside.dedup_by(|a, b| a.rel == b.rel);
    }
    tree.files.sort_by(|a, b| alphanumeric_sort::compare_str(&a.rel, &b.rel));
    Ok(tree)
}

/// Where a walk's findings go.
struct Found<'a> {
    files: &'a mut Vec<Candidate>,
    refused: &'a mut Vec<Refused>,
}

/// The folders to walk for globs that reach outside root: each glob's literal leading folders
/// (`../scans` for `../scans/*.pdf`). The last component is left out even when literal, since
/// it may name a file, or a folder whose files the walk of its parent finds.
fn outside_bases(manifest: &Manifest) -> std::collections::BTreeSet<String> {
    let mut bases = std::collections::BTreeSet::new();
    for glob in manifest.items.iter().flat_map(|i| &i.files).filter(|g| crate::manifest::reaches_outside(g)) {
        let parts: Vec<&str> = glob.split('/').collect();
        let literal: Vec<&str> =
            parts[..parts.len() - 1].iter().take_while(|p| !p.contains(['*', '?', '[', '{'])).copied().collect();
        let base = literal.join("/");
        bases.insert(if base.is_empty() && glob.starts_with('/') { "/".to_string() } else { base });
    }
    bases.retain(|b| !b.is_empty());
    bases
}

/// Collects the files below `base`; their `rel` is `prefix/…` (just `…` when prefix is empty).
fn walk_under(base: &Path, prefix: &str, manifest: &Manifest, canonical_root: &Path, found: &mut Found) {
    let output = manifest.bundle.output.canonicalize().unwrap_or_else(|_| manifest.bundle.output.clone());
    let with_prefix = |rel: String| match prefix {
        "" => rel,
        p if p.ends_with('/') => format!("{p}{rel}"),
        p => format!("{p}/{rel}"),
    };
    let walker = walkdir::WalkDir::new(base).follow_links(false).sort_by_file_name();
    // The output folder is pruned as a folder, so its files are never even listed; only
    // folders are resolved for that (canonicalizing every file costs a readlink per part).
    let is_output = |e: &walkdir::DirEntry| {
        e.file_type().is_dir()
            && (e.path() == manifest.bundle.output || e.path().canonicalize().is_ok_and(|c| c == output))
    };
    let entries = walker.into_iter().filter_entry(|e| e.depth() == 0 || !(is_hidden(e.file_name()) || is_output(e)));
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let rel = e.path().map(|p| relative(base, p).0).unwrap_or_default();
                let reason = e.io_error().map_or_else(|| e.to_string(), |io| io.kind().to_string());
                found.refused.push(Refused { rel: with_prefix(rel), why: RefusedWhy::Unreadable { reason } });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        if entry.path_is_symlink() && path.canonicalize().is_ok_and(|c| c.starts_with(&output)) {
            continue;
        }
        let (rel, bad_name) = relative(base, path);
        let was_nfd = !bad_name && path_str(base, path).is_some_and(|s| s != rel);
        let rel = with_prefix(rel);
        let kind = entry.file_type();
        if kind.is_file() {
            let modified = entry.metadata().ok().as_ref().and_then(modified);
            found.files.push(Candidate { path: path.to_path_buf(), rel, was_nfd, bad_name, via_link: false, modified });
        } else if kind.is_symlink() {
            let allow = manifest.bundle.allow_outside_root;
            classify_link(path, rel, (was_nfd, bad_name), canonical_root, allow, found);
        } else if !kind.is_dir() {
            found.refused.push(not_regular(rel));
        }
    }
}

/// A named pipe, socket or device: reading a pipe blocks until someone writes, a device may
/// never end, so they are refused before anything opens them.
fn not_regular(rel: String) -> Refused {
    Refused { rel, why: RefusedWhy::NotRegular }
}

/// A link is used only when it leads to a regular file inside root (or anywhere, when the
/// manifest allows it). Directory links are not followed: they are how walks loop.
fn classify_link(
    path: &Path,
    rel: String,
    (was_nfd, bad_name): (bool, bool),
    root: &Path,
    allow_outside: bool,
    found: &mut Found,
) {
    let target = match path.canonicalize() {
        Ok(t) => t,
        Err(_) => {
            let to = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
            found.refused.push(Refused { rel, why: RefusedWhy::DanglingLink { target: to } });
            return;
        }
    };
    if target.is_dir() {
        return;
    }
    if !target.is_file() {
        found.refused.push(not_regular(rel));
        return;
    }
    if !target.starts_with(root) && !allow_outside {
        found.refused.push(Refused { rel, why: RefusedWhy::LinkOutside { target: target.display().to_string() } });
        return;
    }
    let modified = std::fs::metadata(&target).ok().as_ref().and_then(modified);
    found.files.push(Candidate { path: path.to_path_buf(), rel, was_nfd, bad_name, via_link: true, modified });
}

/// The file a note's relative link names, from the note's folder `dir`: `None` when it does
/// not exist, is not a regular file, or lies outside root while the manifest keeps to root.
pub fn resolve_linked(manifest: &Manifest, dir: &Path, relative: &str) -> Option<PathBuf> {
    let path = dir.join(relative);
    let target = path.canonicalize().ok()?;
    let root = manifest.bundle.root.canonicalize().ok()?;
    let inside = target.starts_with(&root);
    (target.is_file() && (inside || manifest.bundle.allow_outside_root)).then_some(target)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn path_str(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// The path relative to root as NFC text with `/`, and whether the name was not valid UTF-8.
fn relative(root: &Path, path: &Path) -> (String, bool) {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut bad = false;
    let parts: Vec<String> = rel
        .components()
        .map(|c| {
            let s = c.as_os_str().to_string_lossy();
            bad |= matches!(s, std::borrow::Cow::Owned(_));
            s.nfc().collect()
        })
        .collect();
    (parts.join("/"), bad)
}

/// One item's globs, compiled. A glob without `/` matches a name at any depth, like a
/// .gitignore line; a glob that names a folder matches every file inside it.
pub struct ItemGlobs {
    matchers: Vec<GlobMatcher>,
}

impl ItemGlobs {
    /// Compiles an item's globs (already checked by the manifest).
    pub fn new(item: &Item) -> ItemGlobs {
        ItemGlobs::from_globs(&item.files)
    }

    /// Compiles some globs.
    pub fn from_globs<'a>(globs: impl IntoIterator<Item = &'a String>) -> ItemGlobs {
        let mut matchers = Vec::new();
        for glob in globs {
            let glob = lower_extension(glob.trim_start_matches("./"));
            let anchored = glob.contains('/');
            let bases = if anchored { vec![glob.clone()] } else { vec![glob.clone(), format!("**/{glob}")] };
            for base in bases {
                for pattern in [base.clone(), format!("{base}/**")] {
                    if let Ok(g) = GlobBuilder::new(&pattern).literal_separator(true).backslash_escape(false).build() {
                        matchers.push(g.compile_matcher());
                    }
                }
            }
        }
        ItemGlobs { matchers }
    }

    /// Does the relative NFC path match?
    pub fn is_match(&self, rel: &str) -> bool {
        let rel = lower_extension(rel);
        self.matchers.iter().any(|m| m.is_match(&rel))
    }
}

/// Lower-cases an ASCII extension so `*.pdf` matches `스캔.PDF` and `*.PDF` matches `a.pdf`.
fn lower_extension(name: &str) -> String {
    let file_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[file_start..].rfind('.') {
        Some(dot) if name[file_start + dot..].is_ascii() => {
            let split = file_start + dot;
            format!("{}{}", &name[..split], name[split..].to_ascii_lowercase())
        }
        _ => name.to_string(),
    }
}

/// Matches every item against the tree. Pure.
pub fn match_items(manifest: &Manifest, tree: &Tree) -> BTreeMap<String, ItemMatches> {
    let mut out = BTreeMap::new();
    for item in &manifest.items {
        let globs = ItemGlobs::new(item);
        let mut files: Vec<Candidate> = tree.files.iter().filter(|c| globs.is_match(&c.rel)).cloned().collect();
        let mut refused: Vec<Refused> = tree.refused.iter().filter(|r| globs.is_match(&r.rel)).cloned().collect();
        // Files outside root answer only to this item's own globs that reach there: a bare
        // `수료증*` of another item must not pick up `../scans/수료증.pdf`.
        let reaching = ItemGlobs::from_globs(item.files.iter().filter(|g| crate::manifest::reaches_outside(g)));
        files.extend(tree.outside.iter().filter(|c| reaching.is_match(&c.rel)).cloned());
        refused.extend(tree.outside_refused.iter().filter(|r| reaching.is_match(&r.rel)).cloned());
        out.insert(item.id.clone(), ItemMatches { files, refused });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Kind, PageBounds};

    fn item(globs: &[&str]) -> Item {
        Item {
            id: "x".into(),
            title: "x".into(),
            files: globs.iter().map(|g| g.nfc().collect()).collect(),
            kinds: vec![Kind::Pdf],
            required: true,
            min: 1,
            max: None,
            pages: PageBounds::default(),
            per_month: false,
            password_env: None,
            max_size: None,
            hint: None,
        }
    }

    #[test]
    fn bare_globs_match_at_any_depth_and_folders_match_their_files() {
        let g = ItemGlobs::new(&item(&["급여명세서*"]));
        assert!(g.is_match("급여명세서_2023-03.pdf"));
        assert!(g.is_match("급여명세서/2023-03.pdf"));
        assert!(g.is_match("a/b/급여명세서 (3월).pdf"));
        assert!(!g.is_match("수료증.pdf"));
        let anchored = ItemGlobs::new(&item(&["docs/*.pdf"]));
        assert!(anchored.is_match("docs/a.pdf"));
        assert!(!anchored.is_match("other/docs/a.pdf"));
        assert!(!anchored.is_match("docs/sub/a.pdf"));
    }

    #[test]
    fn extensions_match_without_case() {
        let g = ItemGlobs::new(&item(&["*.pdf"]));
        assert!(g.is_match("수행확인서_대문자확장자.PDF"));
        let upper = ItemGlobs::new(&item(&["*.PDF"]));
        assert!(upper.is_match("a.pdf"));
        // Only the extension: the rest of an ASCII name keeps its case.
        let named = ItemGlobs::new(&item(&["Payslip*"]));
        assert!(!named.is_match("payslip.pdf"));
    }

    #[test]
    fn nfd_names_match_nfc_globs() {
        let g = ItemGlobs::new(&item(&["연수보고서*"]));
        let nfd: String = "연수보고서.md".nfd().collect();
        let (rel, bad) = relative(Path::new("/r"), &Path::new("/r").join(&nfd));
        assert!(!bad);
        assert_eq!(rel, "연수보고서.md");
        assert!(g.is_match(&rel));
    }

    #[test]
    fn natural_order() {
        let mut names = vec!["10월.pdf", "3월.pdf", "1월.pdf", "2023-11.pdf", "2023-02.pdf"];
        names.sort_by(|a, b| alphanumeric_sort::compare_str(a, b));
        assert_eq!(names, ["1월.pdf", "3월.pdf", "10월.pdf", "2023-02.pdf", "2023-11.pdf"]);
    }

    #[test]
    fn lower_extension_only_touches_ascii_extensions() {
        assert_eq!(lower_extension("A/B.PDF"), "A/B.pdf");
        assert_eq!(lower_extension("dir.X/name"), "dir.X/name");
        assert_eq!(lower_extension("보고서.한글"), "보고서.한글");
    }
}
