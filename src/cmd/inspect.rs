//! `dossier inspect`: what dossier sees in files, without a manifest.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::Outcome;
use crate::cli::InspectArgs;
use crate::config::Config;
use crate::error::Error;
use crate::inspect::{self, FileFacts, PasswordAsk, PasswordSource};
use crate::report::{self, Terminal};

/// Runs `dossier inspect`.
pub fn run(args: &InspectArgs, config: &Config, term: &mut Terminal<'_>) -> Result<Outcome, Error> {
    let source = PasswordSource {
        env_var: args.password_env.clone(),
        password: args.password_env.as_deref().and_then(|v| config.secret(v)),
        ask: match &args.password_env {
            Some(var) => PasswordAsk::SetVar(var.clone()),
            None => PasswordAsk::InspectOption,
        },
    };
    let facts: Vec<(PathBuf, FileFacts)> =
        args.files.par_iter().map(|p| (p.clone(), inspect::inspect(p, &source))).collect();
    let ok = facts.iter().all(|(_, f)| !f.has_errors());
    if args.json {
        term.json(&report::inspect_json(&facts, term.catalog()))?;
    } else {
        report::write_inspect(term, &facts)?;
    }
    Ok(Outcome::from_ok(ok))
}
