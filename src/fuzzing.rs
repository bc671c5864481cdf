//! Fuzz target bodies: the code behind `fuzz/fuzz_targets/*.rs`, kept in the library so that
//! a plain `cargo test` replays the seed corpus and every saved crash without libFuzzer.
//!
//! Each function takes arbitrary bytes and drives one path dossier runs on files it did not
//! write: [`manifest`] the manifest parser and its error messages, [`inspect`] the content
//! sniffer and the PDF, image and text inspectors, [`merge`] the PDF load (repair, decrypt) and
//! the merge with generated pages, [`repair`] the repair layer and the build proof,
//! [`render_input`] image decoding and notes typesetting. They return nothing: a finding is a panic, an abort, a
//! hang or a blown memory limit, which the fuzzer (or the replaying test) reports.
//!
//! [`proof_cost`] times the same merge-and-proof path for `bench/run` (issue 11: the proof must
//! cost at most 10% of a build).
//!
//! Not a public API; hidden from the docs.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use crate::assemble::{self, Metadata};
use crate::inspect::{self, PasswordSource, Secret};
use crate::manifest;
use crate::plan::{BundleSpec, FileBody, Rendered, Section, SectionFile, StampSpec};
use crate::render::{self, FontSet};

/// Inputs larger than this are skipped by [`merge`]: one execution must stay well under a
/// second for the fuzzer to explore, and size alone finds nothing a small file cannot.
pub const MAX_MERGE_INPUT: usize = 1024 * 1024;

/// Parses `data` as a manifest, as `manifest::load` does after reading the file, and formats
/// any error the way `main` prints it (line, column and caret come from the text).
pub fn manifest(data: &[u8]) {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match manifest::parse(text, Path::new("/fuzz/dossier.toml")) {
        Ok(manifest) => {
            if let Some(period) = manifest.period {
                let _ = period.months();
            }
            let _ = manifest.select_recipients(&[]);
        }
        Err(error) => {
            let catalog = crate::i18n::Catalog::get(crate::i18n::Lang::Ko);
            let _ = crate::report::error_text(&error, catalog, &crate::report::Paint(false));
        }
    }
}

/// Inspects `data` as a file named `.md` (the name only tells Markdown from plain text) with
/// a password on hand, and decodes it as text, as check and `dossier inspect` do.
pub fn inspect(data: &[u8]) {
    let passwords = PasswordSource {
        env_var: Some("FUZZ".into()),
        password: Some(Secret::new("0000")),
        ask: crate::inspect::PasswordAsk::SetVar("FUZZ".into()),
    };
    let facts = inspect::facts(data, "fuzz.md", &passwords);
    let _ = serde_json::to_string(&facts);
    let _ = inspect::decode_text(data);
}

/// Opens `data` as an input PDF, as build does (decrypted copy included), then merges it with
/// generated cover, contents and stamps. The merged PDF must load again with every page.
pub fn merge(data: &[u8]) {
    if data.len() > MAX_MERGE_INPUT {
        return;
    }
    let Ok(doc) = inspect::open_pdf(data, Some(&Secret::new("0000"))) else {
        return;
    };
    if doc.was_encrypted() {
        // build writes this copy into the zip of originals.
        let mut plain = doc.clone();
        let _ = plain.save_to(&mut Vec::new());
    }
    // The form walk build does on every input (its drawings are not merged here: rendering is
    // cached per page count).
    let _ = assemble::fields::unfilled_text_fields(&doc);
    let pages = doc.get_pages().len() as u32;
    let rendered = rendered_for(pages);
    let metadata = Metadata { title: "fuzz".into(), author: "fuzz".into(), subject: "fuzz".into(), keywords: None };
    let Ok(merged) = assemble::assemble(&rendered, vec![doc], &metadata) else {
        return;
    };
    let reread = lopdf::Document::load_mem(&merged).expect("the merged PDF loads again");
    assert_eq!(reread.get_pages().len(), rendered.layout.pages.len(), "the merged PDF has every page");
}

/// The repair layer and the build proof: `data` opened as build opens an input (repairs
/// included), merged, and the proof run on the result. Whatever the repairs did, a merge of
/// what was read must pass the proof: a failure here is a page the merge itself lost.
pub fn repair(data: &[u8]) {
    if data.len() > MAX_MERGE_INPUT {
        return;
    }
    // The proof's tokenizer on raw bytes, as if they were a content stream.
    let _ = assemble::proof::Tokens::new(data).count();
    let Ok(doc) = inspect::open_pdf(data, Some(&Secret::new("0000"))) else {
        return;
    };
    let pages = doc.get_pages().len() as u32;
    let rendered = rendered_for(pages);
    let expected =
        assemble::proof::expectations(&rendered.layout, assemble::proof::read_inputs(std::slice::from_ref(&doc)));
    let metadata = Metadata { title: "fuzz".into(), author: "fuzz".into(), subject: "fuzz".into(), keywords: None };
    let Ok(merged) = assemble::assemble(&rendered, vec![doc], &metadata) else {
        return;
    };
    if let Err(failure) = assemble::proof::prove(&merged, &expected) {
        panic!("the merge lost content: {failure}");
    }
}

/// What the build proof costs beside the merge it checks, for one input PDF.
#[derive(Debug, Clone, Copy)]
pub struct ProofCost {
    /// Pages of the input.
    pub pages: usize,
    /// Opening the input (repairs and decryption included).
    pub open: std::time::Duration,
    /// Merging it with its generated pages and saving the result.
    pub merge: std::time::Duration,
    /// The proof: what every input page holds, read before the merge, and the merged PDF read
    /// again and checked against it.
    pub proof: std::time::Duration,
    /// Of the proof, the first half: the input pages read.
    pub proof_inputs: std::time::Duration,
}

/// Opens, merges and proves `data` as [`repair`] does, timing each step (`bench/run`'s proof
/// line); `None` when the file does not open or merge, or the proof fails.
pub fn proof_cost(data: &[u8]) -> Option<ProofCost> {
    use std::time::Instant;
    let start = Instant::now();
    let doc = inspect::open_pdf(data, None).ok()?;
    let open = start.elapsed();
    let pages = doc.get_pages().len();
    let rendered = rendered_for(u32::try_from(pages).ok()?);
    let metadata = Metadata { title: "bench".into(), author: "bench".into(), subject: "bench".into(), keywords: None };
    let start = Instant::now();
    let expected =
        assemble::proof::expectations(&rendered.layout, assemble::proof::read_inputs(std::slice::from_ref(&doc)));
    let expect_time = start.elapsed();
    let start = Instant::now();
    let merged = assemble::assemble(&rendered, vec![doc], &metadata).ok()?;
    let merge = start.elapsed();
    let start = Instant::now();
    assemble::proof::prove(&merged, &expected).ok()?;
    Some(ProofCost { pages, open, merge, proof: expect_time + start.elapsed(), proof_inputs: expect_time })
}

/// The render path on arbitrary bytes: as an image (header facts, then decoding and placing
/// it on a page) and as notes (every encoding dossier detects, as Markdown and as plain text).
pub fn render_input(data: &[u8]) {
    if data.len() > MAX_MERGE_INPUT {
        return;
    }
    let mut files = Vec::new();
    if let inspect::Content::Image(facts) = inspect::facts(data, "fuzz.png", &PasswordSource::default()).content {
        files.push(SectionFile {
            name: "fuzz.png".into(),
            body: FileBody::Image { bytes: data.to_vec().into(), facts },
        });
    }
    if let Some((text, _)) = inspect::decode_text(data) {
        for markdown in [true, false] {
            // A note's images arrive as bytes; the fuzzed bytes stand in for every link.
            let images = match (markdown, crate::render::image::sniff(data)) {
                (true, Some(facts)) => crate::inspect::markdown_image_links(&text)
                    .into_iter()
                    .map(|url| crate::plan::LinkedImage { url, bytes: data.to_vec().into(), facts: facts.clone() })
                    .collect(),
                _ => Vec::new(),
            };
            files.push(SectionFile {
                name: "fuzz.md".into(),
                body: FileBody::Text { text: text.clone(), markdown, images },
            });
        }
    }
    if files.is_empty() {
        return;
    }
    let mut spec = fuzz_spec(Vec::new());
    spec.sections = vec![Section { id: "input".into(), title: "입력".into(), files }];
    let _ = render::render(&spec, &FontSet::bundled());
}

/// A bundle spec with the usual cover and labels around `sections`.
fn fuzz_spec(sections: Vec<Section>) -> BundleSpec {
    BundleSpec {
        cover: crate::plan::CoverText {
            title: "퍼징".into(),
            recipient: "제출처: 지도교수".into(),
            rows: vec![("학번".into(), "20201234".into())],
            draft: false,
        },
        labels: crate::plan::labels(crate::i18n::Catalog::get(crate::i18n::Lang::Ko)),
        sections,
        stamp: Some(StampSpec { label: "20201234".into() }),
        fields: Vec::new(),
        compacted: Default::default(),
    }
}

/// The generated pages for a one-section bundle around an input of `pages` pages. Rendering is
/// deterministic and not what is fuzzed, so each page count is rendered once per process.
fn rendered_for(pages: u32) -> std::sync::Arc<Rendered> {
    static CACHE: OnceLock<Mutex<HashMap<u32, std::sync::Arc<Rendered>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(rendered) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&pages) {
        return rendered.clone();
    }
    let spec = fuzz_spec(vec![Section {
        id: "input".into(),
        title: "입력".into(),
        files: vec![SectionFile { name: "input.pdf".into(), body: FileBody::Pdf { input: 0, pages } }],
    }]);
    let rendered = std::sync::Arc::new(render::render(&spec, &FontSet::bundled()).expect("the bundled font renders"));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() > 64 {
        cache.clear();
    }
    cache.insert(pages, rendered.clone());
    rendered
}

#[cfg(test)]
mod tests {
    /// The targets run on trivial inputs (the replay of real inputs is `tests/cli/fuzz_regressions.rs`).
    #[test]
    fn targets_accept_trivial_inputs() {
        for data in [&b""[..], b"%PDF-1.4", b"[bundle]\ntitle = 1", b"\xEF\xBB\xBF", b"\xFF\xFE"] {
            super::manifest(data);
            super::inspect(data);
            super::merge(data);
            super::repair(data);
            super::render_input(data);
        }
    }
}
