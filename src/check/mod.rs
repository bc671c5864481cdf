//! The rules: what discovery and inspection found, judged against the manifest.
//!
//! Pure: takes the manifest and each item's inspected files, returns a [`CheckReport`] with a
//! status per item (ok, missing, invalid, warning) and a [`Finding`] per problem, each naming
//! the file and what to do. Nothing here touches the disk or prints.

pub mod finding;
pub mod month;
pub mod unclaimed;

pub use finding::{Finding, FindingKind, Suggestion};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::discover::{Candidate, Refused};
use crate::inspect::{Content, FileFacts, Severity};
use crate::manifest::{Item, Manifest, Month, Recipient};

/// One item's files as discovery and inspection saw them.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    /// Matched files with their facts, in natural order.
    pub files: Vec<(Candidate, FileFacts)>,
    /// Matched entries that discovery refused (links out of root, dangling links).
    pub refused: Vec<Refused>,
    /// Files this item shares with other items: relative path → the other item ids.
    pub shared: BTreeMap<String, Vec<String>>,
    /// The images each Markdown note links to: note's relative path → its images.
    pub note_images: BTreeMap<String, Vec<NoteImage>>,
}

/// An image a Markdown note links to.
#[derive(Debug, Clone)]
pub struct NoteImage {
    /// The link as written in the note.
    pub url: String,
    /// The file, when it exists inside root.
    pub path: Option<std::path::PathBuf>,
    /// What inspection found, when the file exists.
    pub facts: Option<FileFacts>,
}

/// An item's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Present and valid.
    Ok,
    /// Nothing usable found, or a month or a file short.
    Missing,
    /// Present but unusable as it is.
    Invalid,
    /// Usable, with something worth a look.
    Warning,
}

impl Status {
    /// Can the item go into a bundle?
    pub fn is_usable(self) -> bool {
        matches!(self, Status::Ok | Status::Warning)
    }
}

/// A file that passed, with what the report and the build need.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// Where it is.
    pub candidate: Candidate,
    /// What it is.
    pub facts: FileFacts,
    /// The month its name gives, for per-month items.
    pub month: Option<Month>,
    /// Usable in a bundle (no error of its own).
    pub usable: bool,
    /// For a Markdown note, the images it links to that can be drawn.
    pub images: Vec<NoteImage>,
}

/// The verdict on one item.
#[derive(Debug, Clone)]
pub struct ItemReport {
    /// Item id.
    pub id: String,
    /// Item title.
    pub title: String,
    /// Required by the manifest.
    pub required: bool,
    /// Verdict.
    pub status: Status,
    /// Files matched, in natural order.
    pub files: Vec<CheckedFile>,
    /// Everything wrong or worth a look.
    pub findings: Vec<Finding>,
}

/// The verdict for one recipient.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientReport {
    /// Recipient id.
    pub id: String,
    /// Recipient title.
    pub title: String,
    /// Every required item of this recipient is usable.
    pub ok: bool,
    /// Required items that keep this recipient from being ready (missing or invalid).
    pub missing: Vec<String>,
    /// Of those, the items present but invalid.
    pub invalid: Vec<String>,
}

/// The verdict on a whole manifest.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Items checked, in manifest order.
    pub items: Vec<ItemReport>,
    /// Recipients chosen, in manifest order.
    pub recipients: Vec<RecipientReport>,
    /// Every chosen recipient is ready.
    pub ok: bool,
    /// Files under root that no item claims (warnings, shown after the items).
    pub unclaimed: Vec<Finding>,
}

impl CheckReport {
    /// The report of one item.
    pub fn item(&self, id: &str) -> Option<&ItemReport> {
        self.items.iter().find(|i| i.id == id)
    }
}

/// The items the chosen recipients need, in manifest order; every item when all recipients
/// are chosen (so an item no recipient lists is still checked).
pub fn items_to_check<'a>(manifest: &'a Manifest, chosen: &[&Recipient]) -> Vec<&'a Item> {
    let everyone = chosen.len() == manifest.recipients.len();
    manifest.items.iter().filter(|item| everyone || chosen.iter().any(|r| r.items.contains(&item.id))).collect()
}

/// Judges every chosen item and recipient.
pub fn check(manifest: &Manifest, inputs: &BTreeMap<String, ItemInput>, chosen: &[&Recipient]) -> CheckReport {
    let empty = ItemInput::default();
    let items: Vec<ItemReport> = items_to_check(manifest, chosen)
        .into_iter()
        .map(|item| check_item(item, manifest, inputs.get(&item.id).unwrap_or(&empty)))
        .collect();
    let recipients: Vec<RecipientReport> = chosen.iter().map(|r| judge_recipient(r, &items)).collect();
    let ok = recipients.iter().all(|r| r.ok) && items.iter().filter(|i| i.required).all(|i| i.status.is_usable());
    CheckReport { items, recipients, ok, unclaimed: Vec::new() }
}

fn judge_recipient(recipient: &Recipient, items: &[ItemReport]) -> RecipientReport {
    let mut missing = Vec::new();
    let mut invalid = Vec::new();
    for id in &recipient.items {
        let Some(item) = items.iter().find(|i| &i.id == id) else { continue };
        if item.required && !item.status.is_usable() {
            missing.push(id.clone());
            if item.status == Status::Invalid {
                invalid.push(id.clone());
            }
        }
    }
    RecipientReport {
        id: recipient.id.clone(),
        title: recipient.title.clone(),
        ok: missing.is_empty(),
        missing,
        invalid,
    }
}

/// Applies every rule to one item.
pub fn check_item(item: &Item, manifest: &Manifest, input: &ItemInput) -> ItemReport {
    let mut findings: Vec<Finding> = input
        .refused
        .iter()
        .map(|r| Finding::error(Some(&r.rel), FindingKind::Refused { why: r.why.clone() }))
        .collect();
    let sources = exported_sources(&input.files);
    let mut files: Vec<CheckedFile> = input
        .files
        .iter()
        .enumerate()
        .map(|(i, (candidate, facts))| {
            if sources.contains(&i) {
                // The editable original of a PDF that is also there: left out, not an error.
                return CheckedFile {
                    candidate: candidate.clone(),
                    facts: facts.clone(),
                    month: None,
                    usable: false,
                    images: Vec::new(),
                };
            }
            let before = findings.len();
            file_findings(item, candidate, facts, &mut findings);
            let usable = !findings[before..].iter().any(|f| f.severity == Severity::Error);
            let images = note_image_findings(candidate, input, &mut findings);
            CheckedFile { candidate: candidate.clone(), facts: facts.clone(), month: None, usable, images }
        })
        .collect();
    same_name_findings(&mut files, &mut findings);
    shared_findings(item, input, &mut findings);
    count_findings(item, &files, files.len() - sources.len(), &mut findings);
    if item.per_month
        && let Some(period) = &manifest.period
    {
        month_findings(item, period, &mut files, &mut findings);
    }
    let status = status_of(&findings);
    ItemReport { id: item.id.clone(), title: item.title.clone(), required: item.required, status, files, findings }
}

/// Indices of office documents (설계포트폴리오.odp, 수행확인서.docx) whose PDF export is among
/// the same item's files: students keep the source beside the PDF, and only the PDF is meant.
fn exported_sources(files: &[(Candidate, FileFacts)]) -> BTreeSet<usize> {
    let stem = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name.rsplit_once('.').map_or(name, |(s, _)| s).to_lowercase()
    };
    let pdf_stems: BTreeSet<String> = files
        .iter()
        .filter(|(_, f)| matches!(f.content, Content::Pdf(_)) && !f.has_errors())
        .map(|(c, _)| stem(&c.rel))
        .collect();
    files
        .iter()
        .enumerate()
        .filter(|(_, (c, f))| {
            matches!(&f.content, Content::Other(o) if o.what.is_source_document()) && pdf_stems.contains(&stem(&c.rel))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The images a note links to that can be drawn; a warning for each that cannot (the note is
/// still typeset, with the alt text in the image's place).
fn note_image_findings(candidate: &Candidate, input: &ItemInput, out: &mut Vec<Finding>) -> Vec<NoteImage> {
    let mut usable = Vec::new();
    for image in input.note_images.get(&candidate.rel).into_iter().flatten() {
        let drawable = image.facts.as_ref().is_some_and(|f| matches!(f.content, Content::Image(_)) && !f.has_errors());
        if drawable {
            usable.push(image.clone());
        } else {
            let kind = FindingKind::NoteImageMissing { url: image.url.clone(), exists: image.path.is_some() };
            out.push(Finding::warning(Some(&candidate.rel), kind));
        }
    }
    usable
}

fn status_of(findings: &[Finding]) -> Status {
    let errors = || findings.iter().filter(|f| f.severity == Severity::Error);
    if errors().any(|f| !f.is_missing()) {
        Status::Invalid
    } else if errors().any(|f| f.is_missing()) {
        Status::Missing
    } else if findings.is_empty() {
        Status::Ok
    } else {
        Status::Warning
    }
}

/// Problems of one file: its own (from inspection), then the item's rules.
fn file_findings(item: &Item, candidate: &Candidate, facts: &FileFacts, out: &mut Vec<Finding>) {
    let rel = candidate.rel.as_str();
    if candidate.bad_name {
        out.push(Finding::error(Some(rel), FindingKind::BadName));
    }
    for p in &facts.problems {
        out.push(Finding {
            severity: p.severity,
            file: Some(rel.to_string()),
            kind: FindingKind::File { problem: p.problem.clone() },
        });
    }
    if let Some(kind) = facts.kind()
        && !item.kinds.contains(&kind)
    {
        let kind = FindingKind::WrongKind { kind, item: item.id.clone(), accepted: item.kinds.clone() };
        out.push(Finding::error(Some(rel), kind));
    }
    if let Some(limit) = item.max_size
        && facts.bytes > limit
    {
        out.push(Finding::error(Some(rel), FindingKind::TooBig { bytes: facts.bytes, limit, item: item.id.clone() }));
    }
    page_findings(item, rel, facts, out);
}

fn page_findings(item: &Item, rel: &str, facts: &FileFacts, out: &mut Vec<Finding>) {
    let Content::Pdf(pdf) = &facts.content else { return };
    let Some(pages) = pdf.pages else { return };
    if let Some(max) = item.pages.max
        && pages > max
    {
        out.push(Finding::error(Some(rel), FindingKind::TooManyPages { pages, max, item: item.id.clone() }));
    }
    if let Some(min) = item.pages.min
        && pages < min
    {
        out.push(Finding::error(Some(rel), FindingKind::TooFewPages { pages, min, item: item.id.clone() }));
    }
}

/// Two files whose names look the same once normalised (one written by macOS in NFD, one by
/// Windows in NFC): never pick one silently.
fn same_name_findings(files: &mut [CheckedFile], out: &mut Vec<Finding>) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        by_name.entry(f.candidate.rel.as_str()).or_default().push(i);
    }
    let mut clashes: Vec<Vec<usize>> = by_name.into_values().filter(|v| v.len() > 1).collect();
    clashes.sort();
    for group in clashes {
        let name = files[group[0]].candidate.rel.clone();
        let same = group.iter().all(|&i| files[i].facts.sha256 == files[group[0]].facts.sha256);
        if same {
            out.push(Finding::warning(Some(&name), FindingKind::NameTwinsSame { count: group.len() }));
            for &i in &group[1..] {
                files[i].usable = false;
            }
        } else {
            out.push(Finding::error(Some(&name), FindingKind::NameTwinsDiffer { count: group.len() }));
            for &i in &group {
                files[i].usable = false;
            }
        }
    }
}

fn shared_findings(item: &Item, input: &ItemInput, out: &mut Vec<Finding>) {
    for (rel, others) in &input.shared {
        let kind = FindingKind::Shared { others: others.clone(), item: item.id.clone() };
        out.push(Finding::warning(Some(rel), kind));
    }
}

/// File-count rules. `present` counts the matched files that are not exported sources; a
/// broken file already has its own error, so the count only speaks when even fixing every
/// broken file would leave too few.
fn count_findings(item: &Item, files: &[CheckedFile], present: usize, out: &mut Vec<Finding>) {
    let usable = files.iter().filter(|f| f.usable).count();
    let globs = item.files.join("\", \"");
    if present == 0 && item.min > 0 {
        out.push(Finding::error(None, FindingKind::NoMatch { globs, hint: item.hint.clone(), near: Vec::new() }));
        return;
    }
    if !item.per_month && present < item.min {
        out.push(Finding::error(None, FindingKind::TooFewFiles { present, min: item.min, globs }));
    }
    if let Some(max) = item.max
        && usable > max
    {
        out.push(Finding::error(None, FindingKind::TooManyFiles { usable, max }));
    }
}

fn month_findings(item: &Item, period: &crate::manifest::Period, files: &mut [CheckedFile], out: &mut Vec<Finding>) {
    let wanted = period.months();
    let mut seen: BTreeMap<Month, Vec<String>> = BTreeMap::new();
    // A month whose file is there but unusable (an HTML or locked stub) is reported once, on
    // that file, not again as missing.
    let mut present_unusable: BTreeSet<Month> = BTreeSet::new();
    for f in files.iter_mut() {
        let name = f.candidate.rel.rsplit('/').next().unwrap_or(&f.candidate.rel);
        let Some(found) = month::month_in_name(name) else {
            let example = format!("{}_{}.pdf", item.title, wanted.first().map(ToString::to_string).unwrap_or_default());
            out.push(Finding::error(Some(&f.candidate.rel), FindingKind::NoMonth { example }));
            continue;
        };
        let m = month::resolve(found, period);
        f.month = Some(m);
        if !wanted.contains(&m) {
            out.push(Finding::warning(Some(&f.candidate.rel), FindingKind::OutsidePeriod { month: m }));
        } else if f.usable {
            seen.entry(m).or_default().push(f.candidate.rel.clone());
        } else {
            present_unusable.insert(m);
        }
    }
    for (m, names) in &seen {
        if names.len() > 1 {
            out.push(Finding::warning(None, FindingKind::MonthTwice { month: *m, files: names.clone() }));
        }
    }
    for m in wanted.iter().filter(|m| !seen.contains_key(m) && !present_unusable.contains(m)) {
        let kind = FindingKind::MonthMissing { month: *m, title: item.title.clone(), hint: item.hint.clone() };
        out.push(Finding::error(None, kind));
    }
}

#[cfg(test)]
mod tests;
