//! `bench/run`'s measurement of the build proof (issue 11): for each PDF given, the median of
//! five runs of opening it, merging it with its generated pages and proving the result, one
//! tab-separated line per file: pages, open, merge and proof in milliseconds.
//!
//!     cargo run --release --example proof_cost -- FILE.pdf...
#![allow(clippy::disallowed_methods)] // a bench tool: it reads the files it is given

fn main() {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut runs: Vec<dossier::fuzzing::ProofCost> =
            (0..5).filter_map(|_| dossier::fuzzing::proof_cost(&data)).collect();
        if runs.len() < 5 {
            eprintln!("{path}: does not open, merge or prove");
            failed = true;
            continue;
        }
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        runs.sort_by_key(|r| r.proof_inputs);
        let inputs = ms(runs[2].proof_inputs);
        runs.sort_by_key(|r| r.proof);
        let proof = ms(runs[2].proof);
        runs.sort_by_key(|r| r.merge);
        let merge = ms(runs[2].merge);
        runs.sort_by_key(|r| r.open);
        let open = ms(runs[2].open);
        println!("{path}\t{}\t{open:.1}\t{merge:.1}\t{proof:.1}\t{inputs:.1}", runs[2].pages);
    }
    std::process::exit(i32::from(failed));
}
