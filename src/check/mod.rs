//! The rules: what discovery and inspection found, judged against the manifest.
//!
//! Pure: takes the manifest and each item's inspected files, returns a [`CheckReport`] with a
//! status per item (ok, missing, invalid, warning) and a [`Finding`] per problem, each naming
//! the file and what to do. Nothing here touches the disk or prints.

pub mod month;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::discover::{Candidate, Refused};
use crate::inspect::{Content, FileFacts, Kind, Severity};
use crate::manifest::size::format_size;
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

/// One problem: which file (if any), what is wrong, what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The file's path relative to root, when the problem is about one file.
    pub file: Option<String>,
    /// What is wrong, in a phrase that follows the file name.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
    /// The item is missing something (a file, a month), rather than holding a bad file.
    #[serde(skip)]
    pub missing: bool,
}

impl Finding {
    fn error(file: Option<&str>, message: String, hint: impl Into<Option<String>>) -> Finding {
        Finding {
            severity: Severity::Error,
            file: file.map(str::to_string),
            message,
            hint: hint.into(),
            missing: false,
        }
    }

    fn warning(file: Option<&str>, message: String, hint: impl Into<Option<String>>) -> Finding {
        Finding {
            severity: Severity::Warning,
            file: file.map(str::to_string),
            message,
            hint: hint.into(),
            missing: false,
        }
    }

    fn missing(message: String, hint: impl Into<Option<String>>) -> Finding {
        Finding { missing: true, ..Finding::error(None, message, hint) }
    }

    /// The whole finding as one line: "급여명세서_2023-04.pdf is encrypted …: set …".
    pub fn sentence(&self) -> String {
        let what = match &self.file {
            Some(file) => format!("{file} {}", self.message),
            None => self.message.clone(),
        };
        match &self.hint {
            Some(hint) => format!("{what}: {hint}"),
            None => what,
        }
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
    CheckReport { items, recipients, ok }
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
    let mut findings: Vec<Finding> =
        input.refused.iter().map(|r| Finding::error(Some(&r.rel), r.why.clone(), r.hint.clone())).collect();
    let sources = exported_sources(&input.files);
    let mut files: Vec<CheckedFile> = input
        .files
        .iter()
        .enumerate()
        .map(|(i, (candidate, facts))| {
            if sources.contains(&i) {
                // The editable original of a PDF that is also there: left out, not an error.
                return CheckedFile { candidate: candidate.clone(), facts: facts.clone(), month: None, usable: false };
            }
            let before = findings.len();
            file_findings(item, candidate, facts, &mut findings);
            let usable = !findings[before..].iter().any(|f| f.severity == Severity::Error);
            CheckedFile { candidate: candidate.clone(), facts: facts.clone(), month: None, usable }
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
            matches!(&f.content, Content::Other(o) if o.is_source_document()) && pdf_stems.contains(&stem(&c.rel))
        })
        .map(|(i, _)| i)
        .collect()
}

fn status_of(findings: &[Finding]) -> Status {
    let errors = || findings.iter().filter(|f| f.severity == Severity::Error);
    if errors().any(|f| !f.missing) {
        Status::Invalid
    } else if errors().any(|f| f.missing) {
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
        out.push(Finding::error(
            Some(rel),
            "has a name that is not valid Unicode (it would show as garbage on Windows)".into(),
            "rename it".to_string(),
        ));
    }
    for p in &facts.problems {
        out.push(Finding {
            severity: p.severity,
            file: Some(rel.to_string()),
            message: p.message.clone(),
            hint: p.hint.clone(),
            missing: false,
        });
    }
    if let Some(kind) = facts.kind()
        && !item.kinds.contains(&kind)
    {
        let accepted: Vec<&str> = item.kinds.iter().map(|k| k.as_str()).collect();
        out.push(Finding::error(
            Some(rel),
            format!("is {}, but `{}` accepts only {}", kind_phrase(kind), item.id, accepted.join(" or ")),
            kind_hint(kind, &item.kinds),
        ));
    }
    if let Some(limit) = item.max_size
        && facts.bytes > limit
    {
        out.push(Finding::error(
            Some(rel),
            format!("is {}, over the limit of {} for `{}`", format_size(facts.bytes), format_size(limit), item.id),
            "scan or export it at a lower resolution, or split it".to_string(),
        ));
    }
    page_findings(item, rel, facts, out);
}

fn kind_phrase(kind: Kind) -> &'static str {
    match kind {
        Kind::Pdf => "a PDF",
        Kind::Image => "an image",
        Kind::Text => "a text file",
    }
}

fn kind_hint(kind: Kind, accepted: &[Kind]) -> String {
    match (kind, accepted.contains(&Kind::Pdf)) {
        (Kind::Image | Kind::Text, true) => {
            "export or print it to PDF, or add its kind to `kinds` in the manifest".into()
        }
        _ => format!(
            "add \"{}\" to `kinds` in the manifest if it belongs here, or narrow the `files` globs",
            kind.as_str()
        ),
    }
}

fn page_findings(item: &Item, rel: &str, facts: &FileFacts, out: &mut Vec<Finding>) {
    let Content::Pdf(pdf) = &facts.content else { return };
    let Some(pages) = pdf.pages else { return };
    if let Some(max) = item.pages.max
        && pages > max
    {
        out.push(Finding::error(
            Some(rel),
            format!("has {pages} pages, more than the {max} allowed for `{}`", item.id),
            "check that it is the right document".to_string(),
        ));
    }
    if let Some(min) = item.pages.min
        && pages < min
    {
        out.push(Finding::error(
            Some(rel),
            format!("has {pages} pages, fewer than the {min} required for `{}`", item.id),
            "check that the whole document was saved".to_string(),
        ));
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
            out.push(Finding::warning(
                Some(&name),
                format!(
                    "exists {} times with the same content, its name spelt differently (macOS NFD and NFC)",
                    group.len()
                ),
                "delete the copies".to_string(),
            ));
            for &i in &group[1..] {
                files[i].usable = false;
            }
        } else {
            out.push(Finding::error(Some(&name), format!("exists {} times with different content: the names look the same but are spelt differently (macOS NFD and NFC)", group.len()), "keep the right one and delete or rename the other".to_string()));
            for &i in &group {
                files[i].usable = false;
            }
        }
    }
}

fn shared_findings(item: &Item, input: &ItemInput, out: &mut Vec<Finding>) {
    for (rel, others) in &input.shared {
        let names: Vec<String> = others.iter().map(|o| format!("`{o}`")).collect();
        out.push(Finding::warning(
            Some(rel),
            format!("is also matched by {}", names.join(", ")),
            format!("narrow the `files` globs of `{}` so each file belongs to one item", item.id),
        ));
    }
}

/// File-count rules. `present` counts the matched files that are not exported sources; a
/// broken file already has its own error, so the count only speaks when even fixing every
/// broken file would leave too few.
fn count_findings(item: &Item, files: &[CheckedFile], present: usize, out: &mut Vec<Finding>) {
    let usable = files.iter().filter(|f| f.usable).count();
    let globs = item.files.join("\", \"");
    if present == 0 && item.min > 0 {
        let hint = item
            .hint
            .clone()
            .unwrap_or_else(|| format!("put it under the documents folder with a name matching \"{globs}\""));
        out.push(Finding::missing(format!("no file matches \"{globs}\""), hint));
        return;
    }
    if !item.per_month && present < item.min {
        out.push(Finding::missing(
            format!("has {present} file(s), needs at least {}", item.min),
            format!("add the missing files (names matching \"{globs}\")"),
        ));
    }
    if let Some(max) = item.max
        && usable > max
    {
        out.push(Finding::error(
            None,
            format!("has {usable} files, at most {max} allowed"),
            "remove the extra files or narrow the `files` globs".to_string(),
        ));
    }
}

fn month_findings(item: &Item, period: &crate::manifest::Period, files: &mut [CheckedFile], out: &mut Vec<Finding>) {
    let wanted = period.months();
    let mut seen: BTreeMap<Month, Vec<String>> = BTreeMap::new();
    for f in files.iter_mut() {
        let name = f.candidate.rel.rsplit('/').next().unwrap_or(&f.candidate.rel);
        match month::month_in_name(name) {
            Some(found) => {
                let m = month::resolve(found, period);
                f.month = Some(m);
                if !wanted.contains(&m) {
                    out.push(Finding::warning(
                        Some(&f.candidate.rel),
                        format!("is for {m}, outside the internship period"),
                        "check the file; it is left out of the month count".to_string(),
                    ));
                } else if f.usable {
                    seen.entry(m).or_default().push(f.candidate.rel.clone());
                }
            }
            None => out.push(Finding::error(
                Some(&f.candidate.rel),
                "has no month in its name".into(),
                format!(
                    "rename it with the month it is for, e.g. {}_{}.pdf",
                    item.title,
                    wanted.first().map(ToString::to_string).unwrap_or_default()
                ),
            )),
        }
    }
    for (m, names) in &seen {
        if names.len() > 1 {
            out.push(Finding::warning(
                None,
                format!("has {} files for {m}: {}", names.len(), names.join(", ")),
                "keep one per month unless the month really has several".to_string(),
            ));
        }
    }
    let have: BTreeSet<Month> = seen.keys().copied().collect();
    for m in wanted.iter().filter(|m| !have.contains(m)) {
        out.push(Finding::missing(
            format!("missing {m}"),
            item.hint.clone().unwrap_or_else(|| format!("add the {} for {m}, with the month in its name", item.title)),
        ));
    }
}

#[cfg(test)]
mod tests;
