//! `dossier verify`: is what arrived what was sent, and is it complete?
//!
//! In: received files, opened by [`open`] into [`Received`] (a zip's entries read in memory
//! with limits, a PDF's embedded record, a mail's attachments), and the [`Standard`] to judge
//! completeness by (each bundle's own record, or a manifest's recipient). Out: one [`Verdict`]
//! per bundle: intact or not (every recorded hash and `SHA256SUMS.txt` line matches; a changed,
//! missing or extra file is named), complete or not, the per-month coverage and the student.
//! Everything here but [`open`] is pure.
//!
//! The zips of a split bundle (`_part1.zip`, `_part2.zip`) and the merged PDF sent beside them
//! carry the same record; they are judged together as one bundle.

pub mod open;

use std::collections::{BTreeMap, BTreeSet};

use sha2::Digest;

use crate::i18n::Msg;
use crate::manifest::{Manifest, Recipient};
use crate::pack::CHECKSUM_FILE;
use crate::record::{RECORD_FILE, Record};

/// One received file (or one attachment of a mail), opened.
#[derive(Debug, Clone)]
pub struct Received {
    /// Where it came from, for messages (`mail.eml › bundle.zip`).
    pub source: String,
    /// What it holds.
    pub content: ReceivedContent,
}

/// What a received file holds.
#[derive(Debug, Clone)]
pub enum ReceivedContent {
    /// A zip of a bundle (or one part of it).
    Zip {
        /// Its record.
        record: Record,
        /// Every file entry: name → (SHA-256, size).
        entries: BTreeMap<String, (String, u64)>,
    },
    /// A merged PDF with its embedded record.
    Pdf {
        /// The embedded record (without the PDF's own hash).
        record: Record,
        /// Its page count.
        pages: u32,
        /// Its SHA-256.
        sha256: String,
    },
    /// Not something dossier can verify; the problem says what it is.
    Refused(Problem),
}

/// A problem with a received bundle, with a stable [`Problem::code`].
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not a dossier bundle: `what` says what it is.
    NotDossier {
        /// "a zip without dossier.json", "a Word document (.docx)".
        what: Msg,
    },
    /// A zip that tries something dangerous; nothing of it was used.
    Unsafe {
        /// The entry.
        entry: String,
        /// What it tries.
        reason: UnsafeReason,
    },
    /// The file cannot be read as what it claims to be.
    Damaged {
        /// The reader's words.
        reason: String,
    },
    /// The record is not one this dossier reads.
    RecordUnreadable {
        /// Why.
        reason: String,
    },
    /// A file's bytes differ from its recorded hash or checksum line.
    Changed {
        /// The entry.
        file: String,
    },
    /// A recorded file is not in the zip.
    FileMissing {
        /// The entry.
        file: String,
        /// The item's title, when it belongs to one.
        item: Option<String>,
    },
    /// A file that neither the record nor the checksum list names.
    Extra {
        /// The entry.
        file: String,
    },
    /// The zip has no `SHA256SUMS.txt`.
    NoChecksums,
    /// The merged PDF does not have the recorded number of pages.
    Pages {
        /// Recorded.
        expected: u32,
        /// Found.
        found: u32,
    },
    /// A required item is not in the bundle (or has no usable file).
    ItemMissing {
        /// Item id.
        item: String,
        /// Item title.
        title: String,
    },
    /// A month of the period without a file.
    MonthMissing {
        /// Item title.
        title: String,
        /// `YYYY-MM`.
        month: String,
    },
    /// Built with `--draft`.
    Draft,
    /// Judged by another recipient's list than the one the bundle was built for.
    OtherRecipient {
        /// The recipient judged by.
        expected: String,
        /// The bundle's recipient.
        found: String,
    },
}

/// What a hostile zip tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsafeReason {
    /// A `..` component: it would climb out of the folder it is extracted into.
    Traversal,
    /// An absolute path or a drive letter.
    Absolute,
    /// A symbolic link.
    Symlink,
    /// The same name twice (also compared as Windows and macOS do).
    Duplicate,
    /// Unpacks to more than the limits allow, or far more than its packed size (a zip bomb).
    Bomb,
    /// More entries than any bundle has.
    TooManyEntries,
    /// Encrypted entries (dossier never writes them).
    Encrypted,
}

/// Does a problem concern integrity, completeness, or the input itself?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    /// The bundle cannot be verified at all.
    Input,
    /// What arrived is not what was sent.
    Integrity,
    /// Something is missing.
    Completeness,
}

impl UnsafeReason {
    fn id(self) -> &'static str {
        match self {
            UnsafeReason::Traversal => "verify-unsafe-traversal",
            UnsafeReason::Absolute => "verify-unsafe-absolute",
            UnsafeReason::Symlink => "verify-unsafe-symlink",
            UnsafeReason::Duplicate => "verify-unsafe-duplicate",
            UnsafeReason::Bomb => "verify-unsafe-bomb",
            UnsafeReason::TooManyEntries => "verify-unsafe-too_many",
            UnsafeReason::Encrypted => "verify-unsafe-encrypted",
        }
    }

    /// The stable name in `--json`.
    pub fn as_str(self) -> &'static str {
        &self.id()["verify-unsafe-".len()..]
    }
}

impl Problem {
    /// The stable code of `--json`.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NotDossier { .. } => "verify.not_dossier",
            Problem::Unsafe { .. } => "verify.unsafe_zip",
            Problem::Damaged { .. } => "verify.damaged",
            Problem::RecordUnreadable { .. } => "verify.record_unreadable",
            Problem::Changed { .. } => "verify.changed",
            Problem::FileMissing { .. } => "verify.file_missing",
            Problem::Extra { .. } => "verify.extra",
            Problem::NoChecksums => "verify.no_checksums",
            Problem::Pages { .. } => "verify.pages",
            Problem::ItemMissing { .. } => "verify.item_missing",
            Problem::MonthMissing { .. } => "verify.month_missing",
            Problem::Draft => "verify.draft",
            Problem::OtherRecipient { .. } => "verify.other_recipient",
        }
    }

    /// Integrity, completeness or input.
    pub fn aspect(&self) -> Aspect {
        match self {
            Problem::NotDossier { .. }
            | Problem::Unsafe { .. }
            | Problem::Damaged { .. }
            | Problem::RecordUnreadable { .. } => Aspect::Input,
            Problem::Changed { .. }
            | Problem::FileMissing { .. }
            | Problem::Extra { .. }
            | Problem::NoChecksums
            | Problem::Pages { .. } => Aspect::Integrity,
            Problem::ItemMissing { .. }
            | Problem::MonthMissing { .. }
            | Problem::Draft
            | Problem::OtherRecipient { .. } => Aspect::Completeness,
        }
    }

    /// The sentence.
    pub fn message(&self) -> Msg {
        match self {
            Problem::NotDossier { what } => Msg::new("verify-not_dossier").with("what", what.clone()),
            Problem::Unsafe { entry, reason } => {
                Msg::new("verify-unsafe_zip").arg("entry", entry).with("reason", Msg::new(reason.id()))
            }
            Problem::Damaged { reason } => Msg::new("verify-damaged").arg("reason", reason),
            Problem::RecordUnreadable { reason } => Msg::new("verify-record_unreadable").arg("reason", reason),
            Problem::Changed { file } => Msg::new("verify-changed").arg("file", file),
            Problem::FileMissing { file, item: Some(item) } => {
                Msg::new("verify-file_missing-item").arg("file", file).arg("item", item)
            }
            Problem::FileMissing { file, item: None } => Msg::new("verify-file_missing").arg("file", file),
            Problem::Extra { file } => Msg::new("verify-extra").arg("file", file),
            Problem::NoChecksums => Msg::new("verify-no_checksums").arg("file", CHECKSUM_FILE),
            Problem::Pages { expected, found } => {
                Msg::new("verify-pages").arg("expected", *expected).arg("found", *found)
            }
            Problem::ItemMissing { item, title } => {
                Msg::new("verify-item_missing").arg("item", item).arg("title", title)
            }
            Problem::MonthMissing { title, month } => {
                Msg::new("verify-month_missing").arg("title", title).arg("month", month)
            }
            Problem::Draft => Msg::new("verify-draft"),
            Problem::OtherRecipient { expected, found } => {
                Msg::new("verify-other_recipient").arg("expected", expected).arg("found", found)
            }
        }
    }

    /// The short form for a table cell: the item or file concerned.
    pub fn short(&self) -> Msg {
        match self {
            Problem::ItemMissing { title, .. } => Msg::new("verify-short-missing").arg("what", title),
            Problem::MonthMissing { title, month } => {
                Msg::new("verify-short-missing").arg("what", format!("{title} {month}"))
            }
            Problem::FileMissing { file, .. } => Msg::new("verify-short-missing").arg("what", file_name(file)),
            Problem::Changed { file } => Msg::new("verify-short-changed").arg("what", file_name(file)),
            Problem::Extra { file } => Msg::new("verify-short-extra").arg("what", file_name(file)),
            Problem::Draft => Msg::new("verify-short-draft"),
            _ => self.message(),
        }
    }

    /// Data fields for `--json` beside `code` and `message`.
    pub fn data(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Problem::Unsafe { entry, reason } => json!({"entry": entry, "reason": reason.as_str()}),
            Problem::Changed { file } | Problem::Extra { file } => json!({"file": file}),
            Problem::FileMissing { file, item } => json!({"file": file, "item": item}),
            Problem::Pages { expected, found } => json!({"expected": expected, "found": found}),
            Problem::ItemMissing { item, title } => json!({"item": item, "title": title}),
            Problem::MonthMissing { title, month } => json!({"title": title, "month": month}),
            Problem::OtherRecipient { expected, found } => json!({"expected": expected, "found": found}),
            _ => json!({}),
        }
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What completeness is judged by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standard {
    /// Each bundle's own record: its required items, its months.
    Record,
    /// A recipient of a manifest or template: an office judges by its own list.
    Recipient(RecipientStandard),
    /// A manifest or template, each bundle by its own recipient's list there.
    Manifest(Vec<RecipientStandard>),
}

/// One recipient's list, from a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientStandard {
    /// Recipient id.
    pub id: String,
    /// Items: (id, title, required, per month).
    pub items: Vec<(String, String, bool, bool)>,
}

impl RecipientStandard {
    /// The list of `recipient` in `manifest`.
    pub fn from_manifest(manifest: &Manifest, recipient: &Recipient) -> RecipientStandard {
        let items = recipient
            .items
            .iter()
            .filter_map(|id| manifest.item(id))
            .map(|i| (i.id.clone(), i.title.clone(), i.required, i.per_month))
            .collect();
        RecipientStandard { id: recipient.id.clone(), items }
    }
}

/// A month-by-month account of one per-month item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// Item id.
    pub item: String,
    /// Item title.
    pub title: String,
    /// Months with a file that arrived intact.
    pub covered: Vec<String>,
    /// Months of the period without one.
    pub missing: Vec<String>,
}

/// The verdict on one bundle (or on one file that is not one).
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The files it came from.
    pub sources: Vec<String>,
    /// Its record, when it had one.
    pub record: Option<Record>,
    /// Per-month coverage.
    pub months: Vec<Coverage>,
    /// Everything wrong, integrity first.
    pub problems: Vec<Problem>,
}

impl Verdict {
    /// No integrity or input problem.
    pub fn intact(&self) -> bool {
        self.problems.iter().all(|p| p.aspect() == Aspect::Completeness)
    }

    /// Intact, and nothing missing.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// (학번, 이름), empty when unknown.
    pub fn student(&self) -> (String, String) {
        match &self.record {
            Some(r) => (r.student.id.clone().unwrap_or_default(), r.student.name.clone().unwrap_or_default()),
            None => (String::new(), String::new()),
        }
    }
}

/// Groups received files into bundles and judges each. Refused files get a verdict of their
/// own. Order: as received.
pub fn verify(received: Vec<Received>, standard: &Standard) -> Vec<Verdict> {
    let mut groups: Vec<(Vec<u8>, Vec<Received>)> = Vec::new();
    let mut verdicts = Vec::new();
    for r in received {
        let key = match &r.content {
            ReceivedContent::Zip { record, .. } | ReceivedContent::Pdf { record, .. } => record.for_pdf().to_json(),
            ReceivedContent::Refused(problem) => {
                verdicts.push(Verdict {
                    sources: vec![r.source],
                    record: None,
                    months: vec![],
                    problems: vec![problem.clone()],
                });
                continue;
            }
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    let mut judged: Vec<Verdict> = groups.into_iter().map(|(_, members)| judge(&members, standard)).collect();
    // Files that are not bundles come after the bundles.
    judged.extend(verdicts);
    judged
}

/// Judges the members of one bundle (zip parts and PDFs with the same record).
fn judge(members: &[Received], standard: &Standard) -> Verdict {
    let sources = members.iter().map(|m| m.source.clone()).collect();
    let mut problems = Vec::new();
    // The zip's record has the PDF's hash; prefer it.
    let record = members
        .iter()
        .filter_map(|m| match &m.content {
            ReceivedContent::Zip { record, .. } => Some(record),
            _ => None,
        })
        .chain(members.iter().filter_map(|m| match &m.content {
            ReceivedContent::Pdf { record, .. } => Some(record),
            _ => None,
        }))
        .next()
        .expect("a group has a member with a record")
        .clone();
    let mut entries: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut has_zip = false;
    for m in members {
        match &m.content {
            ReceivedContent::Zip { entries: e, .. } => {
                has_zip = true;
                entries.extend(e.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            ReceivedContent::Pdf { pages, sha256, .. } => {
                // The merged PDF travels beside the zip (the mail attaches it itself);
                // `SHA256SUMS.txt` and the record list it, so it counts among the entries.
                entries.insert(record.merged_pdf.name.clone(), (sha256.clone(), 0));
                if let Some(expected) = &record.merged_pdf.sha256 {
                    if expected != sha256 {
                        problems.push(Problem::Changed { file: record.merged_pdf.name.clone() });
                    }
                } else if let Some(expected) = record.merged_pdf.pages
                    && expected != *pages
                {
                    problems.push(Problem::Pages { expected, found: *pages });
                }
            }
            ReceivedContent::Refused(_) => {}
        }
    }
    let present: BTreeSet<String> = if has_zip {
        problems.extend(integrity(&record, &entries));
        record
            .files()
            .filter(|(_, f)| entries.contains_key(&f.zip_path))
            .filter(|(_, f)| !problems.contains(&Problem::Changed { file: f.zip_path.clone() }))
            .map(|(_, f)| f.zip_path.clone())
            .collect()
    } else {
        // A PDF alone: the originals are not there to check; the record says what went in.
        record.files().map(|(_, f)| f.zip_path.clone()).collect()
    };
    let (mut completeness, months) = completeness(&record, &present, standard);
    problems.append(&mut completeness);
    dedup(&mut problems);
    Verdict { sources, record: Some(record), months, problems }
}

fn dedup(problems: &mut Vec<Problem>) {
    let mut seen = Vec::new();
    problems.retain(|p| {
        if seen.contains(p) {
            false
        } else {
            seen.push(p.clone());
            true
        }
    });
}

/// The zip entries against the checksum lists of every part and the record.
fn integrity(record: &Record, entries: &BTreeMap<String, (String, u64)>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut sums: BTreeMap<String, String> = BTreeMap::new();
    let mut any_sums = false;
    // SHA256SUMS.txt's text is not kept in `entries` (only its hash); `open` parses it into
    // pseudo-entries named `SHA256SUMS.txt:<name>`.
    for (name, (hash, _)) in entries {
        if let Some(listed) = name.strip_prefix(SUMS_PREFIX) {
            any_sums = true;
            sums.insert(listed.to_string(), hash.clone());
        }
    }
    if !any_sums {
        problems.push(Problem::NoChecksums);
    }
    let recorded: BTreeMap<&str, (&str, Option<&str>, bool)> = record
        .files()
        .map(|(item, f)| (f.zip_path.as_str(), (f.sha256.as_str(), Some(item.title.as_str()), f.decrypted)))
        .chain(record.merged_pdf.sha256.as_deref().map(|h| (record.merged_pdf.name.as_str(), (h, None, false))))
        .collect();
    for (name, (hash, _)) in entries.iter().filter(|(n, _)| !n.starts_with(SUMS_PREFIX) && *n != CHECKSUM_FILE) {
        let listed = sums.get(name);
        let known = recorded.get(name.as_str());
        if listed.is_some_and(|l| l != hash) {
            problems.push(Problem::Changed { file: name.clone() });
        } else if let Some((recorded_hash, _, decrypted)) = known
            && !decrypted
            && recorded_hash != hash
        {
            problems.push(Problem::Changed { file: name.clone() });
        } else if listed.is_none() && known.is_none() && name != RECORD_FILE {
            problems.push(Problem::Extra { file: name.clone() });
        }
    }
    // The merged PDF travels beside the zip: a zip verified without it is not missing a file.
    let beside = record.merged_pdf.name.as_str();
    for (name, (_, item, _)) in &recorded {
        if !entries.contains_key(*name) && *name != beside {
            problems.push(Problem::FileMissing { file: name.to_string(), item: item.map(str::to_string) });
        }
    }
    for name in sums.keys() {
        if !entries.contains_key(name) && !recorded.contains_key(name.as_str()) && name != beside {
            problems.push(Problem::FileMissing { file: name.clone(), item: None });
        }
    }
    problems
}

/// Pseudo-entries `open` makes of `SHA256SUMS.txt` lines: `SHA256SUMS.txt:<name>` → hash.
pub const SUMS_PREFIX: &str = "SHA256SUMS.txt:";

/// Missing items and months, by the record or by a manifest's list, counting only files that
/// arrived intact.
fn completeness(record: &Record, present: &BTreeSet<String>, standard: &Standard) -> (Vec<Problem>, Vec<Coverage>) {
    let mut problems = Vec::new();
    if record.draft {
        problems.push(Problem::Draft);
    }
    // (id, title, required, per month) of every item to judge.
    let list: Vec<(String, String, bool, bool)> = match standard {
        Standard::Record => {
            record.items.iter().map(|i| (i.id.clone(), i.title.clone(), i.required, i.per_month)).collect()
        }
        Standard::Recipient(r) => {
            if r.id != record.recipient.id {
                problems.push(Problem::OtherRecipient { expected: r.id.clone(), found: record.recipient.id.clone() });
            }
            r.items.clone()
        }
        Standard::Manifest(all) => match all.iter().find(|r| r.id == record.recipient.id) {
            Some(r) => r.items.clone(),
            None => {
                let expected = all.iter().map(|r| r.id.clone()).collect::<Vec<_>>().join(", ");
                problems.push(Problem::OtherRecipient { expected, found: record.recipient.id.clone() });
                Vec::new()
            }
        },
    };
    let period: Vec<String> = record.period.as_ref().map(|p| p.months.clone()).unwrap_or_default();
    let mut months = Vec::new();
    for (id, title, required, per_month) in list {
        let item = record.items.iter().find(|i| i.id == id);
        let usable = item.is_some_and(|i| i.status == "ok" || i.status == "warning");
        let files: Vec<&crate::record::RecordFile> =
            item.map(|i| i.files.iter().filter(|f| present.contains(&f.zip_path)).collect()).unwrap_or_default();
        if required && (!usable || files.is_empty()) {
            problems.push(Problem::ItemMissing { item: id.clone(), title: title.clone() });
            if files.is_empty() {
                continue;
            }
        }
        if per_month && !period.is_empty() {
            let have: BTreeSet<&str> = files.iter().filter_map(|f| f.month.as_deref()).collect();
            let (covered, missing): (Vec<String>, Vec<String>) =
                period.iter().cloned().partition(|m| have.contains(m.as_str()));
            if required {
                problems
                    .extend(missing.iter().map(|m| Problem::MonthMissing { title: title.clone(), month: m.clone() }));
            }
            months.push(Coverage { item: id, title, covered, missing });
        }
    }
    (problems, months)
}

/// SHA-256 in hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests;
