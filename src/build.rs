//! Executes a [`BuildPlan`]: reads each planned file once (refusing any that changed since
//! check hashed it), opens the PDFs, hands bytes to render and assemble, packs the zip and the
//! mail, and writes each recipient's folder as one batch. It decides nothing: every name, text
//! and order comes from the plan.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::Digest;

use crate::blob::Blob;
use crate::error::{BundleError, DocumentError, Error};
use crate::i18n::Msg;
use crate::inspect::{Kind, PasswordSource, Secret};
use crate::plan::{
    BundlePlan, BundleSpec, FieldText, FileBody, LinkedImage, PlannedEntry, PlannedFile, Section, SectionFile,
    StampSpec,
};
use crate::record::RECORD_FILE;
use crate::report::{RecipientSummary, Written};
use crate::{assemble, files, pack, render};

mod deliver;
mod fitting;

pub use deliver::Fitted;

/// Input bytes read once per run and shared by every recipient that sends the file: PDFs and
/// notes in memory (they are opened or decoded whole anyway), images as [`Blob`]s that are read
/// again when needed, so a folder of photos is never in memory at once.
#[derive(Default)]
pub struct FileCache {
    bytes: BTreeMap<PathBuf, Arc<Vec<u8>>>,
    blobs: BTreeMap<PathBuf, Blob>,
    /// Images other than JPEGs as render prepares them, shared by every recipient.
    prepared: fitting::Prepared,
}

impl FileCache {
    /// The file's bytes, refusing a file whose SHA-256 is no longer `sha256`.
    fn read(&mut self, path: &Path, sha256: &str, item: &str) -> Result<Arc<Vec<u8>>, Error> {
        if let Some(bytes) = self.bytes.get(path) {
            return Ok(bytes.clone());
        }
        let bytes = files::read(path)?;
        if hex::encode(sha2::Sha256::digest(&bytes)) != sha256 {
            return Err(document(item, path, DocumentError::Changed));
        }
        let bytes = Arc::new(bytes);
        self.bytes.insert(path.to_path_buf(), bytes.clone());
        Ok(bytes)
    }

    /// A handle on an image file, not read yet ([`verify_blobs`] checks it, streaming).
    fn blob(&mut self, path: &Path, sha256: &str, len: Option<u64>, item: &str) -> Result<Blob, Error> {
        if let Some(blob) = self.blobs.get(path) {
            return Ok(blob.clone());
        }
        let len = match len {
            Some(len) => len,
            None => std::fs::metadata(path).map_err(|e| Error::io(crate::error::IoAction::Read, path, e))?.len(),
        };
        let blob = Blob::file(path, item, sha256, len);
        self.blobs.insert(path.to_path_buf(), blob.clone());
        Ok(blob)
    }
}

/// Checks, in parallel and without holding them, that the image files of a bundle are still
/// what check hashed; the first that is not is the error.
fn verify_blobs(spec: &BundleSpec) -> Result<(), Error> {
    let mut blobs: Vec<&Blob> = Vec::new();
    for file in spec.sections.iter().flat_map(|s| &s.files) {
        match &file.body {
            FileBody::Image { bytes, .. } => blobs.push(bytes),
            FileBody::Text { images, .. } => blobs.extend(images.iter().map(|i| &i.bytes)),
            _ => {}
        }
    }
    let failures: Vec<Error> = blobs.par_iter().filter_map(|b| b.verify().err()).map(Error::from).collect();
    failures.into_iter().next().map_or(Ok(()), Err)
}

fn document(item: &str, path: &Path, source: DocumentError) -> Error {
    Error::Document { item: item.to_string(), path: path.to_path_buf(), source }
}

/// What one recipient's build needs besides its plan.
pub struct Context<'a> {
    /// The fonts of generated pages.
    pub fonts: &'a render::FontSet,
    /// Passwords per item, as check used them.
    pub passwords: &'a BTreeMap<String, PasswordSource>,
    /// Warnings every recipient shares (fonts).
    pub shared_warnings: &'a [Msg],
    /// Called at named points ("office:staged"): the interruption tests' hook.
    pub checkpoint: &'a (dyn Fn(&str) + Sync),
}

/// A recipient's outputs, staged and not yet committed.
pub struct Made {
    /// The merged PDF, then the zips (one per message, or one beside a PDF-only mail), then the
    /// mail drafts, as staged.
    pub written: Vec<Written>,
    /// How the mail was fitted to its limit.
    pub fitted: Option<Fitted>,
    /// Warnings for the summary.
    pub warnings: Vec<Msg>,
}

/// Builds one recipient's bundle and writes its folder; a failure leaves the folder as it was.
pub fn build_bundle(plan: &BundlePlan, ctx: &Context<'_>, cache: &mut FileCache) -> Result<RecipientSummary, Error> {
    let point = |name: &str| (ctx.checkpoint)(&format!("{}:{name}", plan.recipient));
    point("start");
    let mut batch = files::Batch::new(&plan.dir)?;
    let made = make(plan, ctx, cache, &mut batch)?;
    point("staged");
    batch.commit(&|| point("swapped"))?;
    point("committed");
    if let Some(output) = plan.dir.parent() {
        files::remove_stale_temporaries(output);
    }
    let fits = made.fitted.as_ref().is_none_or(|f| !f.over);
    Ok(RecipientSummary::built(plan, made.written, made.warnings, fits, made.fitted))
}

/// Makes a recipient's outputs into `batch`: gathers the inputs, merges them, fits the mail to
/// its limit (compacting images and photos, splitting into parts, as `plan::fit` decides),
/// then stages the merged PDF and packs and drafts one message at a time. Nothing is
/// committed; `--dry-run` stages into a scratch batch and stops here.
///
/// Memory stays near the largest input plus what one message holds, whatever the folder's
/// size: photos are read when needed ([`Blob`]), and when the photos alone are over the limit
/// the PDF is measured with them left out (their size is known) instead of merged at full size.
pub fn make(
    plan: &BundlePlan,
    ctx: &Context<'_>,
    cache: &mut FileCache,
    batch: &mut files::Batch,
) -> Result<Made, Error> {
    let point = |name: &str| (ctx.checkpoint)(&format!("{}:{name}", plan.recipient));
    let mut gathered = gather(plan, ctx.passwords, cache)?;
    let mut warnings: Vec<Msg> = ctx.shared_warnings.to_vec();
    warnings.append(&mut gathered.warnings);
    let stage_pdf = |batch: &mut files::Batch, merged: &Merged| -> Result<Written, Error> {
        let path = plan.dir.join(&plan.pdf_name);
        batch.stage(&path, &merged.pdf)?;
        point("pdf-staged");
        // Hashed once, when it was merged.
        Ok(Written { path, bytes: merged.pdf.len() as u64, pages: Some(merged.pages), sha256: merged.sha256.clone() })
    };
    let Some(delivery) = &plan.delivery else {
        let documents = std::mem::take(&mut gathered.documents);
        let merged = merge(plan, ctx, &gathered, documents, &plan.record)?.prove(&gathered.sources)?;
        warnings.extend(merged.warnings.iter().cloned());
        let written = vec![stage_pdf(batch, &merged)?];
        return Ok(Made { written, fitted: None, warnings });
    };
    let placement = fitting::Placement::of(&gathered, &cache.prepared);
    // Render draws the images measuring prepared without preparing them again.
    gathered.spec.compacted = cache.prepared.for_placement(&placement);
    // The documents are kept for a second merge in case the mail must be fitted. When the
    // placed images alone keep the PDF over the limit, it is certainly made again at a rung:
    // it is then only measured, merged with each image's data left out and its size added.
    let stubs = match delivery.fit == crate::manifest::Fit::Auto
        && crate::mail::base64_size(placement.image_bytes()) > delivery.budget
    {
        true => placement.stubs(),
        false => None,
    };
    let (baseline, baseline_size) = match stubs {
        Some(stubs) => {
            // The prepared images are set aside rather than copied into a spec that stubs them.
            let prepared = std::mem::replace(&mut gathered.spec.compacted, stubs);
            let spec = gathered.spec.clone();
            gathered.spec.compacted = prepared;
            let measured = merge(plan, ctx, &gathered.with_spec(spec), gathered.documents.clone(), &plan.record)?;
            (None, measured.merged.pdf.len() as u64 + placement.image_bytes())
        }
        None => {
            let baseline = merge(plan, ctx, &gathered, gathered.documents.clone(), &plan.record)?;
            let size = baseline.merged.pdf.len() as u64;
            (Some(baseline), size)
        }
    };
    // When fitting will most likely keep the baseline (nothing is fitted, or the PDF alone
    // fits the message), its proof runs beside the fitting. Only the PDF that is sent is
    // proven: a baseline that fitting replaces is not, and a proof run for it is dropped. A
    // baseline over the limit is not proven ahead: it would hold a second copy of a large PDF
    // in memory for a proof that is most likely thrown away.
    let likely_kept = baseline.is_some()
        && (delivery.fit == crate::manifest::Fit::Off || crate::mail::base64_size(baseline_size) <= delivery.budget);
    let (baseline_proof, fitting) = match (likely_kept, &baseline) {
        (true, Some(kept)) => {
            let (proof, fitting) = rayon::join(
                || kept.check(&gathered.sources),
                || fitting::fit(plan, delivery, &gathered, (placement, baseline_size), &plan.record),
            );
            (Some(proof), fitting)
        }
        _ => (None, fitting::fit(plan, delivery, &gathered, (placement, baseline_size), &plan.record)),
    };
    let mut fitting = fitting?;
    let (unproven, proven) = match (fitting.changes_pdf(), baseline) {
        (false, Some(baseline)) => (baseline, baseline_proof),
        (changes, baseline) => {
            drop(baseline);
            let mut documents = std::mem::take(&mut gathered.documents);
            // Without a change the PDF is the one only measured so far: merged as it is now.
            let spec = match changes {
                true => fitting.apply(&gathered.spec, &mut documents),
                false => gathered.spec.clone(),
            };
            let compacted = gathered.with_spec(spec);
            (merge(plan, ctx, &compacted, documents, &fitting.record)?, None)
        }
    };
    let mut written = vec![stage_pdf(batch, &unproven.merged)?];
    let packed = match proven {
        Some(proof) => proof.and_then(|()| deliver::pack_and_draft(plan, delivery, &unproven.merged, fitting, batch)),
        // The proof re-reads the PDF while the zips and drafts are packed from it: nothing is
        // committed before both are done, and a failed proof fails the recipient.
        None => {
            let (proof, packed) = rayon::join(
                || unproven.check(&gathered.sources),
                || deliver::pack_and_draft(plan, delivery, &unproven.merged, fitting, batch),
            );
            proof.and(packed)
        }
    };
    let merged = unproven.merged;
    let (mut outputs, fitted) = packed?;
    written.append(&mut outputs);
    warnings.extend(merged.warnings.iter().cloned());
    if fitted.over {
        warnings.push(deliver::over_budget_warning(&fitted, delivery));
    }
    Ok(Made { written, fitted: Some(fitted), warnings })
}

/// A merged PDF that passed the proof.
pub(crate) struct Merged {
    pdf: Arc<Vec<u8>>,
    pages: usize,
    sha256: String,
    /// The record as finished: page count and the PDF's hash.
    record: crate::record::Record,
    warnings: Vec<Msg>,
}

/// The `bench-skip-proof` feature (`bench/run` only): what a build costs without its proof.
const SKIP_PROOF: bool = cfg!(feature = "bench-skip-proof");

/// A merged PDF before its proof, with what the proof checks.
struct Unproven {
    merged: Merged,
    expected: assemble::proof::Expectations,
}

impl Unproven {
    /// The proof, before anything is written: a page that lost its content is an error naming
    /// the item, the file and the page.
    fn check(&self, sources: &[(String, PathBuf)]) -> Result<(), Error> {
        if SKIP_PROOF {
            return Ok(());
        }
        assemble::proof::prove(&self.merged.pdf, &self.expected).map_err(|failure| {
            let (item, path) = sources.get(failure.input).cloned().unwrap_or_default();
            document(&item, &path, DocumentError::Proof(failure))
        })?;
        Ok(())
    }

    /// [`Unproven::check`], then the merged PDF.
    fn prove(self, sources: &[(String, PathBuf)]) -> Result<Merged, Error> {
        self.check(sources)?;
        Ok(self.merged)
    }
}

/// Renders the generated pages and merges the input documents into them with the record
/// embedded; [`Unproven::prove`] then checks that no input page lost its content.
fn merge(
    plan: &BundlePlan,
    ctx: &Context<'_>,
    gathered: &Gathered,
    documents: Vec<lopdf::Document>,
    record: &crate::record::Record,
) -> Result<Unproven, Error> {
    // What every input page holds is read beside the rendering, before assemble consumes the
    // inputs: neither needs the other.
    let (rendered, inputs) = rayon::join(
        || render::render(&gathered.spec, ctx.fonts),
        || match SKIP_PROOF {
            true => assemble::proof::InputPages::default(),
            false => assemble::proof::read_inputs(&documents),
        },
    );
    let rendered = rendered?;
    let sources = &gathered.sources;
    let pages = rendered.layout.pages.len();
    // The record: the plan's, with the page count; the PDF's copy cannot hold its own hash.
    let mut record = record.clone();
    record.merged_pdf.pages = u32::try_from(pages).ok();
    let embedded = record.for_pdf().to_json();
    let attachment = assemble::Attachment {
        name: RECORD_FILE,
        description: "dossier record: the student, the recipient and every file of this bundle with its SHA-256",
        mime: "application/json",
        bytes: &embedded,
    };
    let expected = assemble::proof::expectations(&rendered.layout, inputs);
    let (pdf, sha256) =
        assemble::assemble_with(&rendered, documents, &plan.metadata, Some(&attachment)).map_err(|e| {
            match e.input() {
                Some(i) => document(&sources[i].0, &sources[i].1, DocumentError::Merge(e)),
                None => Error::Bundle { recipient: plan.recipient.clone(), source: BundleError::Assemble(e) },
            }
        })?;
    let sha256 = hex::encode(sha256);
    record.merged_pdf.sha256 = Some(sha256.clone());
    let merged = Merged { pdf: Arc::new(pdf), pages, sha256, record, warnings: rendered.warnings.clone() };
    Ok(Unproven { merged, expected })
}

/// The inputs of one bundle, read and opened.
pub(crate) struct Gathered {
    spec: BundleSpec,
    documents: Vec<lopdf::Document>,
    /// For each input document: the item id and the file, to name them when merging fails.
    sources: Vec<(String, PathBuf)>,
    /// Zip entries for the originals, in plan order (decrypted where the original was encrypted).
    originals: Vec<Original>,
    warnings: Vec<Msg>,
}

/// An original for the zip, and its image facts when it is a photo (it may get a copy).
pub(crate) struct Original {
    entry: pack::ZipEntry,
    image: Option<crate::inspect::ImageFacts>,
}

impl Gathered {
    /// The same sources with another spec (compacted images), for a second merge.
    fn with_spec(&self, spec: BundleSpec) -> Gathered {
        Gathered {
            spec,
            documents: Vec::new(),
            sources: self.sources.clone(),
            originals: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

fn gather(
    plan: &BundlePlan,
    passwords: &BTreeMap<String, PasswordSource>,
    cache: &mut FileCache,
) -> Result<Gathered, Error> {
    let mut opened = open_pdfs(plan, passwords, cache)?.into_iter();
    let mut g = Gathered {
        spec: spec_shell(plan),
        documents: Vec::new(),
        sources: Vec::new(),
        originals: Vec::new(),
        warnings: Vec::new(),
    };
    for item in &plan.items {
        let mut section = Section { id: item.id.clone(), title: item.title.clone(), files: Vec::new() };
        for entry in &item.entries {
            let file = match entry {
                PlannedEntry::Placeholder { heading } => {
                    let body = FileBody::Placeholder { heading: heading.clone() };
                    section.files.push(SectionFile { name: heading.clone(), body });
                    continue;
                }
                PlannedEntry::File(file) => file,
            };
            let (body, original) = match file.kind {
                Kind::Pdf => {
                    let bytes = cache.read(&file.path, &file.sha256, &item.id)?;
                    pdf_body(&mut g, opened.next().expect("every planned PDF was opened")?, file, &item.id, &bytes)
                }
                Kind::Image => {
                    let blob = cache.blob(&file.path, &file.sha256, Some(file.bytes), &item.id)?;
                    (image_body(&blob, file, &item.id)?, blob)
                }
                Kind::Text => {
                    let bytes = cache.read(&file.path, &file.sha256, &item.id)?;
                    (text_body(&bytes, file, &item.id, cache)?, Blob::hashed(bytes, &file.sha256))
                }
            };
            section.files.push(SectionFile { name: file.label.clone(), body });
            let entry = pack::ZipEntry { name: file.zip_name.clone(), bytes: original };
            g.originals.push(Original { entry, image: file.image.clone() });
        }
        g.spec.sections.push(section);
    }
    verify_blobs(&g.spec)?;
    Ok(g)
}

/// The spec's fixed parts, copied from the plan; sections and fields are added while gathering.
fn spec_shell(plan: &BundlePlan) -> BundleSpec {
    BundleSpec {
        cover: plan.cover.clone(),
        labels: plan.labels.clone(),
        sections: Vec::new(),
        stamp: plan.stamp.as_ref().map(|s| StampSpec { label: s.label.clone() }),
        fields: Vec::new(),
        compacted: Default::default(),
    }
}

/// Registers an opened input PDF: its unfilled form fields, its place among the documents.
fn pdf_body(
    g: &mut Gathered,
    (doc, decrypted): Opened,
    file: &PlannedFile,
    item: &str,
    bytes: &Arc<Vec<u8>>,
) -> (FileBody, Blob) {
    if decrypted.is_some() {
        g.warnings.push(Msg::new("build-decrypted").arg("file", &file.rel));
    }
    let input = g.documents.len();
    g.spec.fields.extend(assemble::fields::unfilled_text_fields(&doc).into_iter().map(|f| FieldText {
        input,
        widget: f.widget,
        text: f.text,
        width: f.size[0],
        height: f.size[1],
        size: f.font_size,
        align: f.align,
    }));
    let pages = doc.get_pages().len() as u32;
    g.documents.push(doc);
    g.sources.push((item.to_string(), file.path.clone()));
    let original = match decrypted {
        Some(plain) => Blob::memory(Arc::new(plain)),
        None => Blob::hashed(bytes.clone(), &file.sha256),
    };
    (FileBody::Pdf { input, pages }, original)
}

/// An input PDF ready to merge, and its decrypted bytes when the file was encrypted.
type Opened = (lopdf::Document, Option<Vec<u8>>);

/// Opens every PDF of the plan, in plan order, in parallel: parsing and decrypting are the
/// costly part of gathering, and each file is independent.
fn open_pdfs(
    plan: &BundlePlan,
    passwords: &BTreeMap<String, PasswordSource>,
    cache: &mut FileCache,
) -> Result<Vec<Result<Opened, Error>>, Error> {
    let mut jobs = Vec::new();
    for item in &plan.items {
        let password = passwords.get(&item.id).and_then(|p| p.password.as_ref());
        for file in item.files().filter(|f| f.kind == Kind::Pdf) {
            jobs.push((cache.read(&file.path, &file.sha256, &item.id)?, password, file, item.id.as_str()));
        }
    }
    Ok(jobs.par_iter().map(|(bytes, password, file, item)| open_input(bytes, *password, file, item)).collect())
}

/// Opens an input PDF for merging; for an encrypted one also returns its decrypted bytes for
/// the zip (the office cannot open a pay stub locked with the student's birth date).
fn open_input(bytes: &[u8], password: Option<&Secret>, file: &PlannedFile, item: &str) -> Result<Opened, Error> {
    let doc = crate::inspect::open_pdf(bytes, password)
        .map_err(|p| document(item, &file.path, DocumentError::Open(p.problem)))?;
    if !file.encrypted {
        return Ok((doc, None));
    }
    let mut plain = doc.clone();
    // Decryption dropped the /Encrypt object; the trailer's /Size must follow what is left.
    plain.max_id = plain.objects.keys().map(|id| id.0).max().unwrap_or(0);
    let options = lopdf::SaveOptions { use_object_streams: true, use_xref_streams: true, ..Default::default() };
    let mut out = Vec::new();
    plain.save_with_options(&mut out, options).map_err(|e| document(item, &file.path, DocumentError::Decrypted(e)))?;
    Ok((doc, Some(out)))
}

fn image_body(bytes: &Blob, file: &PlannedFile, item: &str) -> Result<FileBody, Error> {
    match &file.image {
        Some(facts) => Ok(FileBody::Image { bytes: bytes.clone(), facts: facts.clone() }),
        None => Err(document(item, &file.path, DocumentError::KindChanged(Kind::Image))),
    }
}

/// A note's text and the bytes of the images it links to (checked like every input).
fn text_body(bytes: &[u8], file: &PlannedFile, item: &str, cache: &mut FileCache) -> Result<FileBody, Error> {
    let (text, _) = crate::inspect::decode_text(bytes)
        .ok_or_else(|| document(item, &file.path, DocumentError::KindChanged(Kind::Text)))?;
    let mut images = Vec::new();
    for image in &file.note_images {
        let bytes = cache.blob(&image.path, &image.sha256, None, item)?;
        images.push(LinkedImage { url: image.url.clone(), bytes, facts: image.facts.clone() });
    }
    Ok(FileBody::Text { text, markdown: file.markdown, images })
}
