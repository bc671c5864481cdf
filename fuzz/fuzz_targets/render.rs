//! Image decoding and notes typesetting: `dossier::fuzzing::render_input`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier::fuzzing::render_input(data));
