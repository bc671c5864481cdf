//! PDF load (repair, decrypt) and merge with generated pages: `dossier::fuzzing::merge`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier::fuzzing::merge(data));
