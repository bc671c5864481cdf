//! Integration tests: one binary, a module per command or feature. They run the real `dossier`
//! executable on copies of the fixtures and read its outputs with independent tools.
#![allow(clippy::disallowed_methods)] // tests and fixtures set up files and read the environment

mod assemble;
mod build;
mod cases;
mod check;
mod common;
mod fit;
mod fonts;
mod fuzz_regressions;
mod hardening;
mod inspect_corpus;
mod pack;
mod realworld;
mod verify;
