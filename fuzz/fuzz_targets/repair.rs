//! The repair layer and the build proof: `dossier::fuzzing::repair`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier::fuzzing::repair(data));
