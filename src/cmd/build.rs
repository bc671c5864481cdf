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
        strict: args.strict,
        source_date_epoch: config.source_date_epoch,
    };
    let plan = plan::plan_build(&checked.manifest, &checked.report, &checked.recipients, &options);
    let (fonts, font_warnings) = fonts?;
    let checkpoint = |point: &str| config.checkpoint(point);
    let ctx = Context {
        fonts: &fonts,
        passwords: &checked.passwords,
        shared_warnings: &font_warnings,
        checkpoint: &checkpoint,
    };
    if args.dry_run {
        return dry_run(args, &checked, &plan, &ctx, term);
    }
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

/// `--dry-run`: makes each bundle in memory to learn how its mail fits, prints the plan with
/// it, and writes nothing.
fn dry_run(
    args: &BuildArgs,
    checked: &load::Checked,
    plan: &plan::BuildPlan,
    ctx: &Context<'_>,
    term: &mut Terminal<'_>,
) -> Result<Outcome, Error> {
    let mut cache = FileCache::default();
    let mails: Vec<report::DryRunMail> = plan
        .recipients
        .iter()
        .map(|r| match r {
            RecipientPlan::NotBuilt { .. } => report::DryRunMail::None,
            RecipientPlan::Build(bundle) => match crate::files::Batch::scratch()
                .and_then(|mut scratch| crate::build::make(bundle, ctx, &mut cache, &mut scratch))
            {
                Ok(made) => report::DryRunMail::Fitted(made.fitted),
                Err(e) => report::DryRunMail::Failed(e.message()),
            },
        })
        .collect();
    let failed = mails.iter().any(|m| matches!(m, report::DryRunMail::Failed(_)));
    let over = mails.iter().any(|m| matches!(m, report::DryRunMail::Fitted(Some(f)) if f.over));
    if args.selection.json {
        let mut value = serde_json::to_value(plan).expect("plans serialise");
        for (r, mail) in value["recipients"].as_array_mut().into_iter().flatten().zip(&mails) {
            r["mail"] = match mail {
                report::DryRunMail::Fitted(f) => serde_json::to_value(f).expect("fits serialise"),
                report::DryRunMail::Failed(e) => serde_json::json!({ "error": term.catalog().text(e) }),
                report::DryRunMail::None => serde_json::Value::Null,
            };
        }
        term.json(&value)?;
    } else {
        report::write_dry_run(term, plan, &mails)?;
    }
    Ok(Outcome::from_ok(checked.report.ok && !failed && !(over && args.strict)))
}
