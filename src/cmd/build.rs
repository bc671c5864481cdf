//! `dossier build`: check, plan, then execute the plan recipient by recipient. One recipient's
//! failure is reported and the others are still built.

use crate::Outcome;
use crate::build::{Context, FileCache};
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::error::Error;
use crate::load;
use crate::plan::{self, PlanOptions, RecipientPlan};
use crate::render;
use crate::report::{self, RecipientSummary, SummaryState, Terminal};

/// Runs `dossier build`.
pub fn run(args: &BuildArgs, config: &Config, term: &mut Terminal<'_>) -> Result<Outcome, Error> {
    // Finding the fonts does not depend on the check, so both run at once; the manifest is
    // read once more just for its `font` (under a millisecond).
    let font = crate::manifest::load(&load::manifest_path(&args.manifest)).ok().and_then(|m| m.bundle.font);
    let (checked, fonts) = rayon::join(
        || load::check_manifest(&args.manifest, &args.selection.recipients, config),
        || render::FontSet::resolve(font.as_ref(), render::SystemFonts::from_config(config.system_fonts)),
    );
    let checked = checked?;
    let options = PlanOptions {
        draft: args.draft,
        pdf_only: args.pdf_only,
        split: args.split,
        source_date_epoch: config.source_date_epoch,
    };
    let plan = plan::plan_build(&checked.manifest, &checked.report, &checked.recipients, &options);
    if args.dry_run {
        if args.selection.json {
            term.json(&serde_json::to_value(&plan).expect("plans serialise"))?;
        } else {
            report::write_dry_run(term, &plan)?;
        }
        return Ok(Outcome::from_ok(checked.report.ok));
    }
    let (fonts, font_warnings) = fonts?;
    let checkpoint = |point: &str| config.checkpoint(point);
    let ctx = Context {
        fonts: &fonts,
        passwords: &checked.passwords,
        shared_warnings: &font_warnings,
        checkpoint: &checkpoint,
    };
    let mut cache = FileCache::default();
    let results: Vec<RecipientSummary> = plan
        .recipients
        .iter()
        .map(|r| match r {
            RecipientPlan::NotBuilt { id, title, blocking } => RecipientSummary::not_built(id, title, blocking),
            RecipientPlan::Build(bundle) => crate::build::build_bundle(bundle, &ctx, &mut cache)
                .unwrap_or_else(|e| RecipientSummary::failed(bundle, &e)),
        })
        .collect();
    let ok = results.iter().all(|r| r.state == SummaryState::Built && (r.fits_budget || !args.strict));
    if args.selection.json {
        let check = report::check_json(&checked, term.catalog());
        let value = report::build_json(ok, check, &results, term.catalog());
        term.json(&value)?;
    } else {
        if !checked.report.ok {
            report::write_check(term, &checked, true)?;
        }
        report::write_build(term, &results)?;
    }
    Ok(Outcome::from_ok(ok))
}
