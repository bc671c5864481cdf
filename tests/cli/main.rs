//! Integration tests: one binary, a module per command or feature. They run the real `dossier`
//! executable on copies of the fixtures and read its outputs with independent tools.

mod assemble;
mod check;
mod common;
mod fuzz_regressions;
mod inspect_corpus;
mod pack;
