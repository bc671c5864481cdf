//! The build plan: every decision of `dossier build`, made before any byte is read or written.
//!
//! In: the manifest, the check report and the options. Out: a [`BuildPlan`] with, for each
//! chosen recipient, either why nothing is built or a [`BundlePlan`]: the merged PDF's parts in
//! order (per-month items in month order, placeholders only for what is missing), the cover,
//! page labels, stamps and metadata, the zip's entries and names, and the mail's texts. Pure:
//! `build` executes a plan and decides nothing; `--dry-run` prints one.

pub use crate::spec::*;

pub mod fit;

use std::path::PathBuf;

use serde::Serialize;

use crate::check::{CheckReport, CheckedFile, ItemReport, Status};
use crate::i18n::{Catalog, Msg};
use crate::inspect::{Content, ImageFacts, Kind, Severity};
use crate::manifest::{Manifest, Month, Recipient};

/// `[student]` keys that hold the student id, in the order they are tried.
pub const STUDENT_ID_KEYS: &[&str] = &["학번", "student_id", "id"];
/// `[student]` keys that hold the student's name.
pub const STUDENT_NAME_KEYS: &[&str] = &["이름", "성명", "name"];
/// `[student]` keys that hold the student's address, never shown on the cover.
pub const STUDENT_EMAIL_KEYS: &[&str] = &["email", "이메일"];

/// How build was asked to run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Build even with required items missing, with placeholders.
    pub draft: bool,
    /// Only the merged PDFs.
    pub pdf_only: bool,
    /// Split attachments over the budget into parts (with `fit = "off"`; `fit = "auto"` splits
    /// by itself when nothing else fits).
    pub split: bool,
    /// `--strict`: a message over its limit is an error.
    pub strict: bool,
    /// The mail's date (`SOURCE_DATE_EPOCH`), when given.
    pub source_date_epoch: Option<i64>,
}

/// What build will do, recipient by recipient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuildPlan {
    /// One entry per chosen recipient, in manifest order.
    pub recipients: Vec<RecipientPlan>,
}

/// One recipient's part of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "plan", rename_all = "kebab-case")]
pub enum RecipientPlan {
    /// Nothing is built: a required item is missing or invalid and this is not a draft.
    NotBuilt {
        /// Recipient id.
        id: String,
        /// Recipient title.
        title: String,
        /// The items that keep it from being built, each with its first error.
        blocking: Vec<Blocking>,
    },
    /// A bundle is built.
    Build(Box<BundlePlan>),
}

/// An item that keeps a recipient from being built, and the reason check gave first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocking {
    /// Item id.
    pub item: String,
    /// Item title.
    pub title: String,
    /// Missing or invalid.
    pub status: Status,
    /// The first error (report renders it in the terminal's language).
    #[serde(skip)]
    pub reason: Option<Msg>,
}

/// One recipient's bundle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BundlePlan {
    /// Recipient id (output folder name).
    pub recipient: String,
    /// Recipient title.
    pub recipient_title: String,
    /// `<output>/<recipient id>`.
    pub dir: PathBuf,
    /// The merged PDF's file name ("20201234_홍길동_학점인정서류.pdf").
    pub pdf_name: String,
    /// The language of the generated pages and the mail.
    pub lang: crate::i18n::Lang,
    /// Placeholders stand in for missing required items.
    pub draft: bool,
    /// Required items that are missing or invalid (a draft carries placeholders for them).
    pub missing: Vec<String>,
    /// The items in the recipient's order.
    pub items: Vec<PlannedItem>,
    /// The cover.
    pub cover: CoverText,
    /// Fixed words of the generated pages.
    pub labels: PageLabels,
    /// The page stamps, or `None` with `stamp = false`.
    pub stamp: Option<StampPlan>,
    /// The merged PDF's document information.
    pub metadata: Metadata,
    /// The zip and mail, or `None` with `--pdf-only`.
    pub delivery: Option<Delivery>,
    /// The bundle's record (`dossier.json`), all but what only the built PDF knows: its page
    /// count and hash.
    pub record: crate::record::Record,
}

/// The page stamp's label (usually the student id).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StampPlan {
    /// "20201234".
    pub label: String,
}

/// One item of a bundle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedItem {
    /// Item id.
    pub id: String,
    /// Item title.
    pub title: String,
    /// Position in the recipient's order, from 1 (zip folders are numbered with it).
    pub position: usize,
    /// The manifest requires it.
    pub required: bool,
    /// Check's verdict on it.
    pub status: Status,
    /// One file per month of the period.
    pub per_month: bool,
    /// Files and placeholders, in order.
    pub entries: Vec<PlannedEntry>,
}

impl PlannedItem {
    /// The item's files (without placeholders).
    pub fn files(&self) -> impl Iterator<Item = &PlannedFile> {
        self.entries.iter().filter_map(|e| match e {
            PlannedEntry::File(f) => Some(f),
            PlannedEntry::Placeholder { .. } => None,
        })
    }
}

/// A file, or a placeholder page for one that is missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "entry", rename_all = "kebab-case")]
pub enum PlannedEntry {
    /// A file that goes in.
    File(PlannedFile),
    /// A page saying what is still to come ("제출 예정: 2023년 5월 급여명세서").
    Placeholder {
        /// The heading of the page, also its contents and bookmark label.
        heading: String,
    },
}

/// One input file, before its bytes are read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Path relative to root (NFC), for messages.
    pub rel: String,
    /// Label in the contents and bookmarks (month first for per-month items).
    pub label: String,
    /// The checksum check saw; build refuses the file if it changed.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
    /// Pages it contributes, where known.
    pub pages: Option<u32>,
    /// What check found it to be.
    pub kind: Kind,
    /// An encrypted PDF: the bundle carries it decrypted.
    pub encrypted: bool,
    /// For an image, the header facts check read.
    pub image: Option<ImageFacts>,
    /// For a note, whether it is Markdown.
    pub markdown: bool,
    /// For a Markdown note, the images it links to.
    pub note_images: Vec<PlannedImage>,
    /// The month, for per-month items.
    pub month: Option<Month>,
    /// The entry name in the zip (`03_급여명세서/급여명세서_2023-03.pdf`).
    pub zip_name: String,
    /// Modification time (seconds since 1970).
    pub modified: Option<i64>,
}

/// An image a note links to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedImage {
    /// The link as written.
    pub url: String,
    /// The file.
    pub path: PathBuf,
    /// Its checksum.
    pub sha256: String,
    /// Its header facts.
    pub facts: ImageFacts,
}

/// What is sent: the merged PDF and the zip of originals, and the mail draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    /// The zip's name, without `.zip` (parts add `_partN`).
    pub zip_stem: String,
    /// The message limit, base64 and headers included.
    pub budget: u64,
    /// What the mail carries.
    pub attach: crate::manifest::Attach,
    /// Make the mail fit (`auto`), or keep every byte and warn (`off`).
    pub fit: crate::manifest::Fit,
    /// Photos in the zip are never replaced by copies.
    pub keep_originals: bool,
    /// `--split`: split even with `fit = "off"`.
    pub split: bool,
    /// `--strict`: a message over the limit fails the recipient.
    pub strict: bool,
    /// The mail's texts and headers.
    pub mail: MailPlan,
}

/// The mail draft's texts, in the bundle's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MailPlan {
    /// From (the student's `email`).
    pub from: Option<String>,
    /// To (the recipient's `email`).
    pub to: Option<String>,
    /// The subject, before any "(1/3)".
    pub subject: String,
    /// The body's first line ("교수님께").
    pub greeting: String,
    /// The text after the greeting, before the list of attachments.
    pub intro: String,
    /// The last lines ("감사합니다. / 홍길동 드림").
    pub closing: String,
    /// The Date header, seconds since 1970.
    pub date: i64,
}

/// Plans the build of every chosen recipient.
pub fn plan_build(
    manifest: &Manifest,
    report: &CheckReport,
    recipients: &[String],
    options: &PlanOptions,
) -> BuildPlan {
    let catalog = Catalog::get(manifest.bundle.lang);
    let recipients = recipients
        .iter()
        .filter_map(|id| manifest.recipient(id))
        .map(|r| plan_recipient(manifest, report, r, options, catalog))
        .collect();
    BuildPlan { recipients }
}

fn plan_recipient(
    manifest: &Manifest,
    report: &CheckReport,
    recipient: &Recipient,
    options: &PlanOptions,
    catalog: &Catalog,
) -> RecipientPlan {
    let chosen: Vec<(usize, &ItemReport)> =
        recipient.items.iter().enumerate().filter_map(|(i, id)| Some((i + 1, report.item(id)?))).collect();
    let blocking: Vec<Blocking> = chosen
        .iter()
        .filter(|(_, item)| item.required && !item.status.is_usable())
        .map(|(_, item)| Blocking {
            item: item.id.clone(),
            title: item.title.clone(),
            status: item.status,
            reason: item.findings.iter().find(|f| f.severity == crate::inspect::Severity::Error).map(|f| f.sentence()),
        })
        .collect();
    if !blocking.is_empty() && !options.draft {
        return RecipientPlan::NotBuilt { id: recipient.id.clone(), title: recipient.title.clone(), blocking };
    }
    let items: Vec<PlannedItem> = chosen
        .iter()
        // An optional item that is not ready is left out rather than sent half-done.
        .filter(|(_, item)| item.required || item.status.is_usable())
        .map(|(position, item)| plan_item(manifest, item, *position, catalog))
        .collect();
    let draft = !blocking.is_empty();
    let file_stem = file_stem(manifest, recipient);
    let delivery = (!options.pdf_only).then(|| Delivery {
        zip_stem: file_stem.clone(),
        budget: recipient.max_attachment,
        attach: recipient.attach,
        fit: recipient.fit,
        keep_originals: recipient.keep_originals,
        split: options.split,
        strict: options.strict,
        mail: mail_plan(manifest, recipient, &items, draft, options, catalog),
    });
    let pdf_name = format!("{file_stem}.pdf");
    let record = record(manifest, recipient, &items, draft, &pdf_name);
    RecipientPlan::Build(Box::new(BundlePlan {
        record,
        recipient: recipient.id.clone(),
        recipient_title: recipient.title.clone(),
        dir: manifest.bundle.output.join(&recipient.id),
        pdf_name,
        lang: manifest.bundle.lang,
        draft,
        missing: blocking.iter().map(|b| b.item.clone()).collect(),
        cover: cover(manifest, recipient, draft, catalog),
        labels: labels(catalog),
        stamp: manifest
            .bundle
            .stamp
            .then(|| StampPlan { label: manifest.student_field(STUDENT_ID_KEYS).unwrap_or_default().to_string() }),
        metadata: metadata(manifest, recipient, &items),
        items,
        delivery,
    }))
}

/// The bundle's record: the student, the recipient, the period and every planned file with the
/// hash check saw. Build adds the merged PDF's pages and hash.
fn record(
    manifest: &Manifest,
    recipient: &Recipient,
    items: &[PlannedItem],
    draft: bool,
    pdf_name: &str,
) -> crate::record::Record {
    use crate::record::{FORMAT, MergedPdf, Record, RecordFile, RecordItem, RecordPeriod, RecordRecipient, Student};
    let items = items
        .iter()
        .map(|item| RecordItem {
            id: item.id.clone(),
            title: item.title.clone(),
            required: item.required,
            status: serde_json::to_value(item.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            per_month: item.per_month,
            files: item
                .files()
                .map(|f| RecordFile {
                    zip_path: f.zip_name.clone(),
                    sha256: f.sha256.clone(),
                    bytes: f.bytes,
                    pages: f.pages,
                    month: f.month.map(|m| m.to_string()),
                    decrypted: f.encrypted,
                })
                .collect(),
            placeholders: item
                .entries
                .iter()
                .filter_map(|e| match e {
                    PlannedEntry::Placeholder { heading } => Some(heading.clone()),
                    PlannedEntry::File(_) => None,
                })
                .collect(),
        })
        .collect();
    Record {
        format: FORMAT,
        dossier_version: env!("CARGO_PKG_VERSION").to_string(),
        student: Student {
            id: manifest.student_field(STUDENT_ID_KEYS).map(str::to_string),
            name: manifest.student_field(STUDENT_NAME_KEYS).map(str::to_string),
            fields: manifest.student.clone(),
        },
        recipient: RecordRecipient { id: recipient.id.clone(), title: recipient.title.clone() },
        period: manifest.period.map(|p| RecordPeriod {
            start: p.start.to_string(),
            end: p.end.to_string(),
            months: p.months().iter().map(Month::to_string).collect(),
        }),
        draft,
        items,
        merged_pdf: MergedPdf { name: pdf_name.to_string(), sha256: None, pages: None },
        compaction: Vec::new(),
    }
}

/// An item's files in order, and placeholders for what is missing: per-month items are in
/// month order (a file without a month last), each month without a usable file gets a
/// placeholder in its place, and an unusable file of another item gets one of its own.
fn plan_item(manifest: &Manifest, item: &ItemReport, position: usize, catalog: &Catalog) -> PlannedItem {
    let per_month = item.files.iter().any(|f| f.month.is_some());
    let mut usable: Vec<&CheckedFile> = item.files.iter().filter(|f| f.usable).collect();
    if per_month {
        // Stable: files of one month keep check's natural order.
        usable.sort_by_key(|f| f.month.map_or((1, Month { year: 0, month: 0 }), |m| (0, m)));
    }
    let mut entries: Vec<(Option<Month>, PlannedEntry)> = usable
        .iter()
        .map(|f| (f.month, PlannedEntry::File(planned_file(item, f, position, per_month, catalog))))
        .collect();
    if !item.status.is_usable() {
        entries.extend(placeholders(manifest, item, catalog));
        if per_month {
            entries.sort_by_key(|(m, _)| m.map_or((1, Month { year: 0, month: 0 }), |m| (0, m)));
        }
    }
    PlannedItem {
        id: item.id.clone(),
        title: item.title.clone(),
        position,
        required: item.required,
        status: item.status,
        per_month: manifest.item(&item.id).is_some_and(|i| i.per_month),
        entries: entries.into_iter().map(|(_, e)| e).collect(),
    }
}

/// Placeholders for an item that is not ready: one per month without a usable file, one per
/// unusable file, or one for the whole item when nothing is there.
fn placeholders(manifest: &Manifest, item: &ItemReport, catalog: &Catalog) -> Vec<(Option<Month>, PlannedEntry)> {
    let heading = |msg: Msg| PlannedEntry::Placeholder { heading: catalog.text(&msg) };
    let per_month = manifest.items.iter().find(|i| i.id == item.id).is_some_and(|i| i.per_month);
    if per_month && let Some(period) = &manifest.period {
        let covered: Vec<Month> = item.files.iter().filter(|f| f.usable).filter_map(|f| f.month).collect();
        return period
            .months()
            .into_iter()
            .filter(|m| !covered.contains(m))
            .map(|m| {
                (
                    Some(m),
                    heading(Msg::new("page-placeholder-month").with("month", m.label()).arg("title", &item.title)),
                )
            })
            .collect();
    }
    // A file the report refuses (an error names it); an office source left out beside its
    // PDF is unusable too, but nothing is missing there.
    let refused = |f: &&CheckedFile| {
        !f.usable
            && item
                .findings
                .iter()
                .any(|x| x.severity == Severity::Error && x.file.as_deref() == Some(&f.candidate.rel))
    };
    let unusable: Vec<&CheckedFile> = item.files.iter().filter(refused).collect();
    if unusable.is_empty() || item.status == Status::Missing {
        return vec![(None, heading(Msg::new("page-placeholder").arg("title", &item.title)))];
    }
    unusable
        .iter()
        .map(|f| {
            (
                None,
                heading(
                    Msg::new("page-placeholder-file")
                        .arg("title", &item.title)
                        .arg("file", file_name(&f.candidate.rel)),
                ),
            )
        })
        .collect()
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

fn planned_file(
    item: &ItemReport,
    f: &CheckedFile,
    position: usize,
    per_month: bool,
    catalog: &Catalog,
) -> PlannedFile {
    let name = file_name(&f.candidate.rel).to_string();
    let label = match f.month {
        Some(m) if per_month => catalog.text(&Msg::new("page-file-month").with("month", m.label()).arg("file", &name)),
        _ => name.clone(),
    };
    let markdown = matches!(&f.facts.content, Content::Text(t) if t.markdown);
    PlannedFile {
        path: f.candidate.path.clone(),
        rel: f.candidate.rel.clone(),
        label,
        sha256: f.facts.sha256.clone(),
        bytes: f.facts.bytes,
        pages: f.facts.pages(),
        kind: f.facts.kind().unwrap_or(Kind::Pdf),
        encrypted: matches!(&f.facts.content, Content::Pdf(p) if p.encryption.is_some()),
        image: match &f.facts.content {
            Content::Image(image) => Some(image.clone()),
            _ => None,
        },
        markdown,
        note_images: f
            .images
            .iter()
            .filter_map(|i| {
                let facts = i.facts.as_ref()?;
                let Content::Image(image) = &facts.content else { return None };
                Some(PlannedImage {
                    url: i.url.clone(),
                    path: i.path.clone()?,
                    sha256: facts.sha256.clone(),
                    facts: image.clone(),
                })
            })
            .collect(),
        month: f.month,
        zip_name: crate::pack::entry_name(position, &item.title, &name),
        modified: f.candidate.modified,
    }
}

fn cover(manifest: &Manifest, recipient: &Recipient, draft: bool, catalog: &Catalog) -> CoverText {
    let mut rows: Vec<(String, String)> = manifest
        .student
        .iter()
        .filter(|(k, _)| !STUDENT_EMAIL_KEYS.iter().any(|e| k.eq_ignore_ascii_case(e)))
        .cloned()
        .collect();
    if let Some(p) = &manifest.period {
        let period = catalog
            .text(&Msg::new("page-period-range").arg("start", p.start.to_string()).arg("end", p.end.to_string()));
        rows.push((catalog.word("page-period"), period));
    }
    CoverText {
        title: manifest.bundle.title.clone(),
        recipient: catalog.text(&Msg::new("page-recipient").arg("recipient", &recipient.title)),
        rows,
        draft,
    }
}

/// The fixed words of generated pages in `catalog`'s language.
pub fn labels(catalog: &Catalog) -> PageLabels {
    PageLabels {
        documents: catalog.word("page-documents"),
        draft_banner: catalog.word("page-draft-banner"),
        more_items: catalog.text(&Msg::new("page-more-items").arg("count", PageLabels::COUNT)),
        contents: catalog.word("page-contents"),
        cover: catalog.word("page-cover"),
        placeholder_note: catalog.word("page-placeholder-note"),
    }
}

fn metadata(manifest: &Manifest, recipient: &Recipient, items: &[PlannedItem]) -> Metadata {
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    Metadata {
        title: format!("{} — {}", manifest.bundle.title, recipient.title),
        author: manifest.student_field(STUDENT_NAME_KEYS).unwrap_or_default().to_string(),
        subject: titles.join(", "),
        keywords: manifest.student_field(STUDENT_ID_KEYS).map(str::to_string),
    }
}

fn mail_plan(
    manifest: &Manifest,
    recipient: &Recipient,
    items: &[PlannedItem],
    draft: bool,
    options: &PlanOptions,
    catalog: &Catalog,
) -> MailPlan {
    let who = manifest.student_field(STUDENT_NAME_KEYS).unwrap_or_default();
    let id = manifest.student_field(STUDENT_ID_KEYS).unwrap_or_default();
    let fill = |t: &str| fill_template(t, manifest, recipient);
    let subject = match &recipient.subject {
        Some(template) => {
            let subject = fill(template);
            let mark = catalog.word("mail-draft-mark");
            if draft && !subject.contains(&mark) { format!("{mark} {subject}") } else { subject }
        }
        None => catalog.text(
            &Msg::new(if draft { "mail-subject-draft" } else { "mail-subject" })
                .arg("short_title", &manifest.bundle.short_title)
                .arg("id", id)
                .arg("name", who),
        ),
    };
    let intro = match &recipient.body {
        Some(template) if draft => {
            format!("{}\n\n{}", fill(template).trim_end(), catalog.word("mail-draft-note"))
        }
        Some(template) => fill(template),
        None => catalog.text(
            &Msg::new(if draft { "mail-intro-draft" } else { "mail-intro" })
                .arg("name", who)
                .arg("id", id)
                .arg("title", &manifest.bundle.title),
        ),
    };
    // The newest input's modification time, so two builds of the same files give the same
    // bytes; mail clients set the real date when the message is sent.
    let newest = items.iter().flat_map(|i| i.files()).filter_map(|f| f.modified).max();
    MailPlan {
        from: manifest.student_field(STUDENT_EMAIL_KEYS).map(str::to_string),
        to: recipient.email.clone(),
        subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
        greeting: recipient.greeting.as_deref().map_or_else(|| greeting(recipient, catalog), fill),
        intro,
        closing: catalog.text(&Msg::new("mail-closing").arg("name", who).arg("id", id)),
        date: options.source_date_epoch.or(newest).unwrap_or(0),
    }
}

/// "교수님께" for a professor, "학과 사무실 담당자님께" for the department office, "<title>
/// 담당자님께" for anyone else; told apart by the recipient's id and title.
fn greeting(recipient: &Recipient, catalog: &Catalog) -> String {
    let id = recipient.id.to_lowercase();
    let title = recipient.title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| id.contains(w) || title.contains(w));
    let message = if has(&["교수", "prof", "advisor", "지도"]) {
        Msg::new("mail-greeting-professor")
    } else if has(&["사무실", "과사", "학과", "행정실", "office", "department", "dept"]) {
        Msg::new("mail-greeting-office")
    } else {
        Msg::new("mail-greeting-other").arg("recipient", &recipient.title)
    };
    catalog.text(&message)
}

/// The merged PDF's name: the recipient's `file_name`, else the bundle's, else
/// "{학번}_{이름}_{short title}"; `{field}` is replaced by a `[student]` field.
pub fn file_stem(manifest: &Manifest, recipient: &Recipient) -> String {
    let template = recipient.file_name.clone().or_else(|| manifest.bundle.file_name.clone());
    let name = match template {
        Some(t) => fill_template(&t, manifest, recipient),
        None => {
            let id = manifest.student_field(STUDENT_ID_KEYS);
            let who = manifest.student_field(STUDENT_NAME_KEYS);
            [id, who, Some(manifest.bundle.short_title.as_str())].into_iter().flatten().collect::<Vec<_>>().join("_")
        }
    };
    let name = crate::pack::clean_component(&name);
    if name.is_empty() { recipient.id.clone() } else { name }
}

fn fill_template(template: &str, manifest: &Manifest, recipient: &Recipient) -> String {
    let mut out = template.to_string();
    for (key, value) in &manifest.student {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    // {학번} and {이름} work whatever the [student] keys are called, and so do {id} and {name}.
    for (names, keys) in [(["{학번}", "{id}"], STUDENT_ID_KEYS), (["{이름}", "{name}"], STUDENT_NAME_KEYS)] {
        if let Some(value) = manifest.student_field(keys) {
            for name in names {
                out = out.replace(name, value);
            }
        }
    }
    out.replace("{recipient}", &recipient.id)
        .replace("{recipient_title}", &recipient.title)
        .replace("{bundle_title}", &manifest.bundle.title)
        .replace("{title}", &manifest.bundle.short_title)
}

#[cfg(test)]
mod tests;
