//! Files under root that no item claims: each is a warning, with the item it most likely
//! belongs to (`인턴십노트.txt` where the glob says `인턴쉽노트*`). Pure: takes the walk's files
//! and what each item matched.
//!
//! Closeness is the normalised Levenshtein similarity (strsim, on NFC names, so a Hangul
//! syllable is one character) between a literal part of a glob or a word of the title and the
//! best-matching stretch of the file name. A suggestion needs a similarity of at least 2/3:
//! one edit in three characters. A one-syllable typo in a three-syllable word (수료중 for
//! 수료증) passes; two edits in five (a different word) do not. Literals shorter than three
//! characters (`증빙`, `ICT`'s two-letter cousins) are too short to tell a typo from chance.

use std::collections::{BTreeMap, BTreeSet};

use super::CheckReport;
use super::finding::{Finding, FindingKind, Suggestion};
use crate::discover::{Candidate, ItemMatches};
use crate::manifest::{Item, Manifest};

/// The least similarity that is worth a "did you mean".
const PLAUSIBLE: f64 = 2.0 / 3.0;

/// Editable originals kept beside their PDF (수행확인서.docx beside 수행확인서.pdf) are not strays.
const SOURCE_EXTENSIONS: [&str; 11] = ["docx", "doc", "hwp", "hwpx", "pptx", "ppt", "xlsx", "xls", "odt", "odp", "ods"];

/// A warning for every file of the walk that no item matched (the manifest itself, and office
/// sources beside a claimed file of the same name, excepted).
pub fn find(manifest: &Manifest, files: &[Candidate], matches: &BTreeMap<String, ItemMatches>) -> Vec<Finding> {
    let claimed: BTreeSet<&str> = matches.values().flat_map(|m| m.files.iter().map(|c| c.rel.as_str())).collect();
    let claimed_stems: BTreeSet<String> = claimed.iter().map(|rel| stem_path(rel)).collect();
    files
        .iter()
        .filter(|c| !claimed.contains(c.rel.as_str()) && c.path != manifest.path)
        .filter(|c| !(is_source(&c.rel) && claimed_stems.contains(&stem_path(&c.rel))))
        .map(|c| {
            let suggestion = closest_item(&c.rel, &manifest.items);
            Finding::warning(Some(&c.rel), FindingKind::Unclaimed { suggestion })
        })
        .collect()
}

/// Puts the unclaimed files in the report, and names each under the item it is close to when
/// that item found nothing ("near misses").
pub fn attach(report: &mut CheckReport, unclaimed: Vec<Finding>) {
    for item in &mut report.items {
        let near: Vec<String> = unclaimed
            .iter()
            .filter(|f| matches!(&f.kind, FindingKind::Unclaimed { suggestion: Some(s) } if s.item == item.id))
            .filter_map(|f| f.file.clone())
            .collect();
        for finding in &mut item.findings {
            if let FindingKind::NoMatch { near: slot, .. } = &mut finding.kind {
                slot.clone_from(&near);
            }
        }
    }
    report.unclaimed = unclaimed;
}

fn is_source(rel: &str) -> bool {
    rel.rsplit_once('.').is_some_and(|(_, ext)| SOURCE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The path without its extension, lower-cased: `a/수행확인서.docx` → `a/수행확인서`.
fn stem_path(rel: &str) -> String {
    let name_at = rel.rfind('/').map_or(0, |i| i + 1);
    let cut = rel[name_at..].rfind('.').map_or(rel.len(), |dot| name_at + dot);
    rel[..cut].to_lowercase()
}

/// The file name without folders and extension.
fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The item whose globs or title come closest to the file's name, when plausible. Among
/// plausible candidates the one that accounts for more of the name wins (similarity times
/// length: `인턴쉽노트` with one edit beats an exact `인턴십` for 인턴십노트.txt); ties go to the
/// item written first.
pub fn closest_item(rel: &str, items: &[Item]) -> Option<Suggestion> {
    let name = stem(rel);
    let mut best: Option<(f64, Suggestion)> = None;
    for item in items {
        let from_globs = item.files.iter().flat_map(|g| literals(g).into_iter().map(move |l| (l, g.clone())));
        let first = item.files.first().cloned().unwrap_or_default();
        let from_title = item.title.split_whitespace().map(|w| (w.to_string(), first.clone()));
        for (literal, glob) in from_globs.chain(from_title) {
            let similar = similarity(name, &literal);
            let score = similar * literal.chars().count() as f64;
            if similar >= PLAUSIBLE && best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, Suggestion { item: item.id.clone(), title: item.title.clone(), glob }));
            }
        }
    }
    best.map(|(_, s)| s)
}

/// The literal stretches of a glob's last component, without an extension, of three
/// characters or more: `*인턴쉽노트*` → `인턴쉽노트`, `학점인정서.*` → `학점인정서`.
fn literals(glob: &str) -> Vec<String> {
    let last = glob.rsplit('/').next().unwrap_or(glob);
    last.split(['*', '?', '[', ']', '{', '}'])
        .map(|part| match part.rsplit_once('.') {
            Some((before, ext)) if ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()) => before,
            _ => part,
        })
        .map(|part| part.trim_matches(['_', '-', ' ', '.']))
        .filter(|part| part.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// How well `literal` matches the best stretch of `name` of about its length (one character
/// shorter or longer, for a dropped or doubled syllable), from 0 to 1.
fn similarity(name: &str, literal: &str) -> f64 {
    let chars: Vec<char> = name.chars().collect();
    let len = literal.chars().count();
    let mut best = strsim::normalized_levenshtein(name, literal);
    for width in len.saturating_sub(1).max(1)..=len + 1 {
        for window in chars.windows(width) {
            let window: String = window.iter().collect();
            best = best.max(strsim::normalized_levenshtein(&window, literal));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Kind, PageBounds};

    fn item(id: &str, title: &str, globs: &[&str]) -> Item {
        Item {
            id: id.into(),
            title: title.into(),
            files: globs.iter().map(|g| g.to_string()).collect(),
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

    fn items() -> Vec<Item> {
        vec![
            item("form", "산학인턴쉽 전공교과목 학점인정서", &["학점인정서.*", "학점인정서_신청*"]),
            item("notes", "연수보고서 및 인턴쉽노트", &["연수보고서*", "인턴쉽노트", "*인턴쉽노트*"]),
            item("certificate", "수료증", &["수료증*"]),
            item("payslips", "급여명세서", &["급여명세서*", "payslip*"]),
        ]
    }

    #[test]
    fn a_one_syllable_typo_finds_its_item() {
        let s = closest_item("인턴십노트.txt", &items()).unwrap();
        assert_eq!((s.item.as_str(), s.glob.as_str()), ("notes", "인턴쉽노트"));
        assert_eq!(closest_item("메모/3주차_인턴십노트.md", &items()).unwrap().item, "notes");
        assert_eq!(closest_item("수료중.pdf", &items()).unwrap().item, "certificate");
        assert_eq!(closest_item("급어명세서_2023-04.pdf", &items()).unwrap().glob, "급여명세서*");
        // A short exact word of another item's title loses to the longer near match.
        let mut with_ict = items();
        with_ict.push(item("confirmation", "ICT 인턴십 수행확인서", &["*수행확인서*"]));
        assert_eq!(closest_item("인턴십노트.txt", &with_ict).unwrap().item, "notes");
    }

    #[test]
    fn unrelated_names_get_no_suggestion() {
        for name in ["사진.jpg", "README.md", "보험증권.pdf", "통장사본.pdf", "a.pdf"] {
            assert_eq!(closest_item(name, &items()), None, "{name}");
        }
    }

    #[test]
    fn literals_drop_wildcards_and_extensions() {
        assert_eq!(literals("*인턴쉽노트*"), ["인턴쉽노트"]);
        assert_eq!(literals("학점인정서.*"), ["학점인정서"]);
        assert_eq!(literals("docs/수료증_*.pdf"), ["수료증"]);
        assert!(literals("*.pdf").is_empty());
    }

    #[test]
    fn sources_beside_a_claimed_file_and_the_manifest_are_not_strays() {
        assert!(is_source("수행확인서.DOCX"));
        assert_eq!(stem_path("a/수행확인서.docx"), stem_path("a/수행확인서.pdf"));
        assert!(!is_source("수행확인서.pdf"));
    }
}
