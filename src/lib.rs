//! dossier checks and assembles the document bundle a student hands in for internship credit.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! manifest ─▶ discover ─▶ inspect ─▶ check ─▶ report                     dossier check
//!                                      └─▶ plan ─▶ build: render ─▶ assemble ─▶ pack ─▶ mail
//!                                                  └─ files (atomic writes)  dossier build
//! ```
//!
//! `load` runs the shared sequence up to check; `plan` makes every decision of a build and
//! `build` executes it. Stages that decide (validate, check, plan, layout) are pure; reading
//! happens in discover and inspect, writing only in `files`. The environment and the terminal
//! are read once, in [`config`]; `cmd` holds one module per subcommand, and every word shown
//! comes from the catalogues in [`i18n`].

pub mod assemble;
pub mod blob;
pub mod build;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod compact;
pub mod config;
pub mod digest;
pub mod discover;
pub mod error;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod inspect;
pub mod load;
pub mod mail;
pub mod manifest;
pub mod pack;
pub mod plan;
pub mod record;
pub mod render;
pub mod report;
pub mod size;
pub mod spec;
pub mod verify;

pub use error::Error;

/// How a run ended, when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for is ready (exit 0).
    Ready,
    /// Something required is missing or invalid; the report says what (exit 1).
    NotReady,
}

impl Outcome {
    /// 0 or 1.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Ready => 0,
            Outcome::NotReady => 1,
        }
    }

    /// Ready when `ok`.
    pub fn from_ok(ok: bool) -> Outcome {
        if ok { Outcome::Ready } else { Outcome::NotReady }
    }
}

/// Runs one command line with what `config` gathered, writing through `term`.
pub fn run(cli: &cli::Cli, config: &config::Config, term: &mut report::Terminal<'_>) -> Result<Outcome, Error> {
    match &cli.command {
        cli::Command::Check(args) => cmd::check::run(args, config, term),
        cli::Command::Build(args) => cmd::build::run(args, config, term),
        cli::Command::Init(args) => cmd::init::run(args, config, term),
        cli::Command::Inspect(args) => cmd::inspect::run(args, config, term),
        cli::Command::Verify(args) => cmd::verify::run(args, config, term),
    }
}
