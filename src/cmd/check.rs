//! `dossier check`: one manifest, or a cohort of them.

use crate::Outcome;
use crate::cli::CheckArgs;
use crate::config::Config;
use crate::error::Error;
use crate::load;
use crate::report::{self, Terminal};

/// Runs `dossier check`.
pub fn run(args: &CheckArgs, config: &Config, term: &mut Terminal<'_>) -> Result<Outcome, Error> {
    let json = args.selection.json;
    if args.manifests.len() == 1 {
        let checked = load::check_manifest(&args.manifests[0], &args.selection.recipients, config)?;
        if json {
            term.json(&report::check_json(&checked, term.catalog()))?;
        } else {
            report::write_check(term, &checked, false)?;
        }
        return Ok(Outcome::from_ok(checked.report.ok));
    }
    // A cohort: one manifest per student. A broken manifest is reported and the rest go on.
    let mut all_ok = true;
    let mut bundles = Vec::new();
    for path in &args.manifests {
        match load::check_manifest(path, &args.selection.recipients, config) {
            Ok(checked) => {
                all_ok &= checked.report.ok;
                if json {
                    bundles.push(report::check_json(&checked, term.catalog()));
                } else {
                    report::write_check(term, &checked, false)?;
                    term.print("\n")?;
                }
            }
            Err(e) => {
                all_ok = false;
                term.error(&e);
                if json {
                    let error = report::error_json(&e, term.catalog());
                    bundles.push(serde_json::json!({"manifest": path, "ok": false, "error": error}));
                }
            }
        }
    }
    if json {
        term.json(&serde_json::json!({"ok": all_ok, "bundles": bundles}))?;
    }
    Ok(Outcome::from_ok(all_ok))
}
