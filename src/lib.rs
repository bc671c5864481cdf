//! dossier checks and assembles the document bundle a student hands in for internship credit.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! manifest ─▶ discover ─▶ inspect ─▶ check ─▶ report            (dossier check)
//!                                      └────▶ plan ─▶ render ─▶ assemble ─▶ pack ─▶ files
//!                                                                            (dossier build)
//! ```
//!
//! Stages that decide (validate, check, plan, layout) are pure; reading happens in discover and
//! inspect, writing only in `files` (atomically). The library never prints or exits: `run`
//! returns an [`Outcome`] or an [`Error`], and `main` prints.

pub mod assemble;
pub mod cli;
pub mod error;
pub mod inspect;
pub mod mail;
pub mod manifest;
pub mod pack;
pub mod plan;
pub mod render;
pub mod report;

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
}

/// Runs one command line.
pub fn run(cli: cli::Cli) -> Result<Outcome, Error> {
    let _ = cli;
    Ok(Outcome::Ready)
}
