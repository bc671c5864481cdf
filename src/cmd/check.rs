//! `dossier check`: one manifest, or a cohort of them (one table row per student).

use rayon::prelude::*;

use crate::Outcome;
use crate::check::Status;
use crate::cli::CheckArgs;
use crate::config::Config;
use crate::error::Error;
use crate::i18n::{Catalog, Msg};
use crate::inspect::Severity;
use crate::load::{self, Checked};
use crate::plan::{STUDENT_ID_KEYS, STUDENT_NAME_KEYS};
use crate::report::cohort::{Cell, Cohort, Row};
use crate::report::{self, Terminal};

/// Runs `dossier check`.
pub fn run(args: &CheckArgs, config: &Config, term: &mut Terminal<'_>) -> Result<Outcome, Error> {
    let json = args.selection.json;
    let tables = args.csv.is_some() || args.html.is_some();
    if args.manifests.len() == 1 && !tables {
        let checked = load::check_manifest(&args.manifests[0], &args.selection.recipients, config)?;
        if json {
            term.json(&report::check_json(&checked, term.catalog()))?;
        } else {
            report::write_check(term, &checked, false)?;
        }
        return Ok(Outcome::from_ok(checked.report.ok));
    }
    // A cohort: one manifest per student, checked in parallel (one at a time when a person may
    // be asked for passwords, so prompts do not interleave). A broken manifest is reported and
    // the rest go on.
    let check = |path: &std::path::PathBuf| load::check_manifest(path, &args.selection.recipients, config);
    let results: Vec<Result<Checked, Error>> = if config.prompt.is_some() {
        args.manifests.iter().map(check).collect()
    } else {
        args.manifests.par_iter().map(check).collect()
    };
    let all_ok = results.iter().all(|r| r.as_ref().is_ok_and(|c| c.report.ok));
    let cohort = cohort(&args.manifests, &results, term.catalog());
    crate::cmd::verify::write_tables(&cohort, args.csv.as_deref(), args.html.as_deref(), term)?;
    if json {
        let bundles: Vec<serde_json::Value> = args
            .manifests
            .iter()
            .zip(&results)
            .map(|(path, r)| match r {
                Ok(checked) => report::check_json(checked, term.catalog()),
                Err(e) => {
                    let error = report::error_json(e, term.catalog());
                    serde_json::json!({"manifest": path, "ok": false, "error": error})
                }
            })
            .collect();
        term.json(&serde_json::json!({"ok": all_ok, "bundles": bundles}))?;
    } else {
        let text = report::cohort::cohort_text(&cohort, term.catalog(), &report::Paint(config.color_out));
        term.print(&text)?;
    }
    Ok(Outcome::from_ok(all_ok))
}

/// One row per manifest: its recipients ready or not, and every error finding as a detail.
fn cohort(paths: &[std::path::PathBuf], results: &[Result<Checked, Error>], c: &Catalog) -> Cohort {
    let mut cohort = Cohort::default();
    for checked in results.iter().flatten() {
        for r in &checked.report.recipients {
            if !cohort.recipients.iter().any(|(id, _)| *id == r.id) {
                cohort.recipients.push((r.id.clone(), r.title.clone()));
            }
        }
    }
    for (path, result) in paths.iter().zip(results) {
        let row = match result {
            Ok(checked) => student_row(checked, &cohort.recipients, c),
            Err(e) => {
                let shown = path.display().to_string();
                Row {
                    id: String::new(),
                    name: shown.clone(),
                    cells: vec![None; cohort.recipients.len()],
                    details: vec![(shown, vec![c.text(&e.message())])],
                }
            }
        };
        cohort.rows.push(row);
    }
    cohort.sort();
    cohort
}

/// One student's row: a cell per recipient (what keeps it from being ready) and the errors.
fn student_row(checked: &Checked, recipients: &[(String, String)], c: &Catalog) -> Row {
    let m = &checked.manifest;
    let title = |id: &str| m.item(id).map_or(id.to_string(), |i| i.title.clone());
    let mut cells = vec![None; recipients.len()];
    for r in &checked.report.recipients {
        let notes = r
            .missing
            .iter()
            .map(|id| {
                let invalid = checked.report.item(id).map(|i| i.status) == Some(Status::Invalid);
                let message = if invalid { "cohort-short-invalid" } else { "verify-short-missing" };
                c.text(&Msg::new(message).arg("what", title(id)))
            })
            .collect();
        let at = recipients.iter().position(|(id, _)| *id == r.id).expect("collected");
        cells[at] = Some(Cell { ready: r.ok, notes });
    }
    let lines: Vec<String> = checked
        .report
        .items
        .iter()
        .flat_map(|item| {
            item.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| c.text(&Msg::new("cohort-detail").arg("item", &item.title).with("message", f.sentence())))
        })
        .collect();
    Row {
        id: m.student_field(STUDENT_ID_KEYS).unwrap_or_default().to_string(),
        name: m.student_field(STUDENT_NAME_KEYS).unwrap_or_default().to_string(),
        cells,
        details: vec![(m.path.display().to_string(), lines)],
    }
}
