//! `dossier build`: check, then plan, render, assemble and pack each recipient's bundle.

use std::io::Write;

use crate::Outcome;
use crate::cli::BuildArgs;
use crate::error::Error;

/// Runs `dossier build`.
pub fn run_build(args: &BuildArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    let _ = (args, out, err);
    Err(Error::Usage { message: "build is not implemented yet".into(), hint: None })
}
