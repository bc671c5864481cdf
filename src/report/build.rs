//! `dossier build`: the summary per recipient, and `--dry-run`'s plan.

use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Value, json};

use super::Terminal;
use crate::error::Error;
use crate::i18n::{Catalog, Msg};
use crate::plan::{Blocking, BuildPlan, BundlePlan, PlannedEntry, RecipientPlan};
use crate::size::format_size;

/// One file build wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    /// Where.
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// Pages, for PDFs.
    pub pages: Option<usize>,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

impl Written {
    /// The file written at `path` with these bytes.
    pub fn of(path: PathBuf, bytes: &[u8], pages: Option<usize>) -> Written {
        use sha2::Digest;
        Written { path, bytes: bytes.len() as u64, pages, sha256: hex::encode(sha2::Sha256::digest(bytes)) }
    }
}

/// How a recipient's build ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SummaryState {
    /// Written, complete.
    Built,
    /// Written with placeholders.
    Draft,
    /// Not written: a required item is missing or invalid.
    NotBuilt,
    /// Writing it failed; its folder is as it was.
    Failed,
}

/// What build did for one recipient.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientSummary {
    /// Recipient id.
    pub id: String,
    /// Recipient title.
    pub title: String,
    /// How it ended.
    pub state: SummaryState,
    /// The bundle was written.
    pub built: bool,
    /// It was built with placeholders for missing items.
    pub draft: bool,
    /// Required items that kept it from being built (or that placeholders stand in for).
    pub missing: Vec<String>,
    /// Files written.
    pub files: Vec<Written>,
    /// Warnings (messages; rendered by the writer).
    #[serde(skip)]
    pub warnings: Vec<Msg>,
    /// Why it was not built, item by item.
    #[serde(skip)]
    pub blocking: Vec<Blocking>,
    /// The error that stopped it.
    #[serde(skip)]
    pub error: Option<Msg>,
    /// The email (or each part) fits `max_attachment`.
    pub fits_budget: bool,
    /// How the mail was fitted to its limit: the messages, what was compacted.
    pub mail: Option<crate::build::Fitted>,
}

impl RecipientSummary {
    /// A bundle written.
    pub fn built(
        plan: &BundlePlan,
        files: Vec<Written>,
        warnings: Vec<Msg>,
        fits: bool,
        mail: Option<crate::build::Fitted>,
    ) -> Self {
        RecipientSummary {
            id: plan.recipient.clone(),
            title: plan.recipient_title.clone(),
            state: if plan.draft { SummaryState::Draft } else { SummaryState::Built },
            built: true,
            draft: plan.draft,
            missing: plan.missing.clone(),
            files,
            warnings,
            blocking: Vec::new(),
            error: None,
            fits_budget: fits,
            mail,
        }
    }

    /// Nothing written: items are missing.
    pub fn not_built(id: &str, title: &str, blocking: &[Blocking]) -> Self {
        RecipientSummary {
            id: id.to_string(),
            title: title.to_string(),
            state: SummaryState::NotBuilt,
            built: false,
            draft: false,
            missing: blocking.iter().map(|b| b.item.clone()).collect(),
            files: Vec::new(),
            warnings: Vec::new(),
            blocking: blocking.to_vec(),
            error: None,
            fits_budget: true,
            mail: None,
        }
    }

    /// Writing failed.
    pub fn failed(plan: &BundlePlan, error: &Error) -> Self {
        RecipientSummary {
            state: SummaryState::Failed,
            built: false,
            draft: false,
            files: Vec::new(),
            error: Some(match error.hint() {
                Some(hint) => Msg::new("build-failed")
                    .with("error", Msg::new("sentence-hint").with("what", error.message()).with("hint", hint)),
                None => Msg::new("build-failed").with("error", error.message()),
            }),
            ..RecipientSummary::built(plan, Vec::new(), Vec::new(), true, None)
        }
    }
}

/// The build summary: per recipient, every file written with size, pages and SHA-256, every
/// warning, and for what was not built, the reason of each item.
pub fn write_build(term: &mut Terminal<'_>, results: &[RecipientSummary]) -> Result<(), Error> {
    let c = term.catalog();
    let mut text = String::new();
    for r in results {
        let state = match r.state {
            SummaryState::NotBuilt => c.text(&Msg::new("build-state-not_built").arg("items", r.missing.join(", "))),
            SummaryState::Draft => c.text(&Msg::new("build-state-draft").arg("items", r.missing.join(", "))),
            SummaryState::Built => c.word("build-state-built"),
            SummaryState::Failed => c.word("build-state-failed"),
        };
        text += &format!("{} ({}): {state}\n", r.title, r.id);
        for b in &r.blocking {
            let reason = b.reason.as_ref().map(|m| c.text(m)).unwrap_or_default();
            text += &format!("  ✗ {} ({}): {reason}\n", b.title, b.item);
        }
        if let Some(error) = &r.error {
            text += &format!("  ✗ {}\n", c.text(error));
        }
        for f in &r.files {
            let pages = f.pages.map(|p| c.text(&Msg::new("build-pages").arg("pages", p))).unwrap_or_default();
            text += &format!("  {}  {}{pages}  sha256 {}\n", f.path.display(), format_size(f.bytes), f.sha256);
        }
        if let Some(mail) = &r.mail {
            text += &mail_lines(mail, c);
        }
        for w in &r.warnings {
            text += &format!("  ! {}\n", c.text(w));
        }
        if r.state == SummaryState::NotBuilt {
            text += &format!("  {}\n", c.word("build-draft-hint"));
        }
    }
    term.print(&text)
}

/// "mail 18.4 MB / 25 MB: 8 photos at 200 dpi, 33.6 MB → 6.2 MB", one line per message, and
/// the photos of the zip that are compacted copies.
pub fn mail_lines(mail: &crate::build::Fitted, c: &Catalog) -> String {
    let mut done = Vec::new();
    if let Some(rung) = mail.rung
        && mail.images > 0
    {
        done.push(
            c.text(
                &Msg::new("build-mail-images")
                    .arg("count", mail.images)
                    .arg("dpi", rung.dpi)
                    .arg("before", format_size(mail.images_before))
                    .arg("after", format_size(mail.images_after)),
            ),
        );
    }
    if let Some(rung) = mail.rung
        && mail.inner_saving > 0
    {
        let saved = Msg::new("build-mail-inner").arg("dpi", rung.dpi).arg("saved", format_size(mail.inner_saving));
        done.push(c.text(&saved));
    }
    if !mail.copies.is_empty() {
        done.push(
            c.text(
                &Msg::new("build-mail-copies")
                    .arg("count", mail.copies.len())
                    .arg("before", format_size(mail.copies_before))
                    .arg("after", format_size(mail.copies_after)),
            ),
        );
    }
    let what = if done.is_empty() { String::new() } else { format!(": {}", done.join(", ")) };
    let mut text = String::new();
    let count = mail.messages.len();
    for (n, m) in mail.messages.iter().enumerate() {
        let message = Msg::new("build-mail")
            .arg("name", m.name.as_str())
            .arg("size", format_size(m.bytes))
            .arg("budget", format_size(mail.budget));
        let part = if count > 1 { format!(" ({}/{count})", n + 1) } else { String::new() };
        let what = if n == 0 { what.as_str() } else { "" };
        text += &format!("  {}{part}{what}\n", c.text(&message));
    }
    for copy in &mail.copies {
        text += &format!("    {copy}\n");
    }
    text
}

/// The summary as JSON, beside the check report.
pub fn build_json(ok: bool, check: Value, results: &[RecipientSummary], catalog: &Catalog) -> Value {
    let recipients: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).expect("summaries serialise");
            v["warnings"] = json!(r.warnings.iter().map(|w| catalog.text(w)).collect::<Vec<_>>());
            v["error"] = json!(r.error.as_ref().map(|e| catalog.text(e)));
            v
        })
        .collect();
    json!({"ok": ok, "check": check, "recipients": recipients})
}

/// `--dry-run`: the plan, recipient by recipient, part by part, with how each mail would be
/// fitted (or why it could not be).
pub fn write_dry_run(term: &mut Terminal<'_>, plan: &BuildPlan, fitted: &[DryRunMail]) -> Result<(), Error> {
    let c = term.catalog();
    let mut text = String::new();
    for (r, mail) in plan.recipients.iter().zip(fitted) {
        match r {
            RecipientPlan::NotBuilt { id, title, blocking } => {
                let items: Vec<&str> = blocking.iter().map(|b| b.item.as_str()).collect();
                let state = c.text(&Msg::new("build-state-not_built").arg("items", items.join(", ")));
                text += &format!("{title} ({id}): {state}\n");
            }
            RecipientPlan::Build(b) => {
                text += &dry_run_bundle(b, c);
                match mail {
                    DryRunMail::Fitted(Some(mail)) => {
                        for m in &mail.messages {
                            let names: Vec<String> = m
                                .attachments
                                .iter()
                                .map(|(name, size)| format!("{name} ({})", format_size(*size)))
                                .collect();
                            let line = Msg::new("dry-run-attachments")
                                .arg("name", m.name.as_str())
                                .arg("list", names.join(", "));
                            text += &format!("  {}\n", c.text(&line));
                        }
                        text += &mail_lines(mail, c);
                    }
                    DryRunMail::Failed(error) => text += &format!("  ✗ {}\n", c.text(error)),
                    _ => {}
                }
            }
        }
    }
    term.print(&text)
}

/// What `--dry-run` learnt of a recipient's mail by making it in memory.
#[derive(Debug, Clone)]
pub enum DryRunMail {
    /// Nothing to fit: not built.
    None,
    /// Made: how it fits (`None` with `--pdf-only`).
    Fitted(Option<crate::build::Fitted>),
    /// Making it failed.
    Failed(Msg),
}

fn dry_run_bundle(b: &BundlePlan, c: &Catalog) -> String {
    let mut text = format!("{} ({}) → {}\n", b.recipient_title, b.recipient, b.dir.join(&b.pdf_name).display());
    for item in &b.items {
        text += &format!("  {}. {} ({})\n", item.position, item.title, item.id);
        for entry in &item.entries {
            text += &match entry {
                PlannedEntry::File(f) => {
                    let pages = f.pages.map(|p| c.text(&Msg::new("build-pages").arg("pages", p))).unwrap_or_default();
                    format!("     {}  {}{pages}\n", f.label, format_size(f.bytes))
                }
                PlannedEntry::Placeholder { heading } => format!("     [{heading}]\n"),
            };
        }
    }
    if let Some(d) = &b.delivery {
        text += &format!("  {}\n", c.text(&Msg::new("dry-run-subject").arg("subject", d.mail.subject.as_str())));
    }
    text
}
