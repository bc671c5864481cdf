//! Integration tests: one binary, a module per command or feature. They run the real `dossier`
//! executable on copies of the fixtures and read its outputs with independent tools.

mod assemble;
mod build;
mod check;
mod common;
mod fuzz_regressions;
mod hardening;
mod inspect_corpus;
mod pack;
mod realworld;
