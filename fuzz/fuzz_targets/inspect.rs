//! The content sniffer and the PDF, image and text inspectors: `dossier::fuzzing::inspect`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier::fuzzing::inspect(data));
