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
}

impl RecipientSummary {
    /// A bundle written.
    pub fn built(plan: &BundlePlan, files: Vec<Written>, warnings: Vec<Msg>, fits: bool) -> Self {
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
        }
    }

    /// Writing failed.
    pub fn failed(plan: &BundlePlan, error: &Error) -> Self {
        RecipientSummary {
            state: SummaryState::Failed,
            built: false,
            draft: false,
            files: Vec::new(),
            error: Some(Msg::new("build-failed").with("error", error.message())),
            ..RecipientSummary::built(plan, Vec::new(), Vec::new(), true)
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
        for w in &r.warnings {
            text += &format!("  ! {}\n", c.text(w));
        }
        if r.state == SummaryState::NotBuilt {
            text += &format!("  {}\n", c.word("build-draft-hint"));
        }
    }
    term.print(&text)
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

/// `--dry-run`: the plan, recipient by recipient, part by part.
pub fn write_dry_run(term: &mut Terminal<'_>, plan: &BuildPlan) -> Result<(), Error> {
    let c = term.catalog();
    let mut text = String::new();
    for r in &plan.recipients {
        match r {
            RecipientPlan::NotBuilt { id, title, blocking } => {
                let items: Vec<&str> = blocking.iter().map(|b| b.item.as_str()).collect();
                let state = c.text(&Msg::new("build-state-not_built").arg("items", items.join(", ")));
                text += &format!("{title} ({id}): {state}\n");
            }
            RecipientPlan::Build(b) => text += &dry_run_bundle(b, c),
        }
    }
    term.print(&text)
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
        let attach =
            Msg::new("dry-run-mail").arg("zip", format!("{}.zip", d.zip_stem)).arg("budget", format_size(d.budget));
        text += &format!("  {}\n  {}\n", c.text(&attach), d.mail.subject);
    }
    text
}
