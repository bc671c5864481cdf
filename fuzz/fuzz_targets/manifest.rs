//! The manifest parser, validation and error formatting: `dossier::fuzzing::manifest`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier::fuzzing::manifest(data));
