//! What is sent: the zips (one per message when split) and the mail drafts that carry the
//! merged PDF and the zip, as the fitting decided.

use std::sync::Arc;

use serde::Serialize;
use sha2::Digest;

use super::Merged;
use super::fitting::Fitting;
use crate::compact::Rung;
use crate::digest::{Finished, HashingWriter};
use crate::error::{BundleError, Error, IoAction};
use crate::files;
use crate::i18n::{Catalog, Msg};
use crate::mail::{self, Attached, Body, Data, MailSpec};
use crate::pack::{self, PackedEntry, Sums};
use crate::plan::{BundlePlan, Delivery};
use crate::record::RECORD_FILE;
use crate::report::Written;
use crate::size::format_size;

/// How a recipient's mail was fitted to its limit, for the summary and `--dry-run`.
#[derive(Debug, Clone, Serialize)]
pub struct Fitted {
    /// The limit on one message.
    pub budget: u64,
    /// Each message as written.
    pub messages: Vec<Message>,
    /// The rung the images dossier places were compacted to.
    pub rung: Option<Rung>,
    /// Placed images made smaller, and their bytes before and after.
    pub images: usize,
    /// Bytes of those images before.
    pub images_before: u64,
    /// Bytes of those images after.
    pub images_after: u64,
    /// Bytes saved by recompressing JPEGs inside input PDFs.
    pub inner_saving: u64,
    /// Photos of the zip replaced by smaller copies, one line each.
    pub copies: Vec<String>,
    /// Bytes of the replaced originals.
    pub copies_before: u64,
    /// Bytes of their copies.
    pub copies_after: u64,
    /// Some message is over the limit (`fit = "off"`).
    pub over: bool,
}

/// One mail draft.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// `mail.eml`, `mail_part2.eml`.
    pub name: String,
    /// Its size as sent.
    pub bytes: u64,
    /// Its attachments (name, size).
    pub attachments: Vec<(String, u64)>,
    /// The files in its zip (name in the zip, size).
    pub files: Vec<(String, u64)>,
}

/// Packs the zip of each message and writes its draft, one message at a time, into `batch`:
/// a zip is written entry by entry (a photo is read only while it is copied in), then encoded
/// into its draft as it is read back from its file, so it is never whole in memory; both are
/// hashed as they are written. Gives what was written, the zips first, and how the mail fits.
pub(super) fn pack_and_draft(
    plan: &BundlePlan,
    delivery: &Delivery,
    merged: &Merged,
    fitting: Fitting,
    batch: &mut files::Batch,
) -> Result<(Vec<Written>, Fitted), Error> {
    let bundle_error = |source| Error::Bundle { recipient: plan.recipient.clone(), source };
    let zip_error = |e| match e {
        // A file that changed since check is named as such, not as a zip that failed.
        pack::PackError::Source(e) => Error::from(e),
        e => bundle_error(BundleError::Zip(e)),
    };
    let attach = delivery.attach;
    let pdf_in_zip = attach.zip && !attach.pdf;
    let mut slots: Vec<Option<PackedEntry>> = fitting.entries.into_iter().map(Some).collect();
    let parts: Vec<Vec<usize>> =
        if attach.zip { fitting.decision.parts.clone() } else { vec![(0..slots.len()).collect()] };
    let count = parts.len();
    // The first message may carry the PDF alone (its zip part would hold nothing); zips are
    // numbered among themselves, so a single zip keeps the plain name.
    let with_zip: Vec<bool> =
        parts.iter().enumerate().map(|(n, part)| !(n == 0 && part.is_empty() && attach.pdf && count > 1)).collect();
    let zip_count = with_zip.iter().filter(|&&z| z).count();
    let mut zip_number = 0;
    let sums = Sums {
        beside: if pdf_in_zip { vec![] } else { vec![(plan.pdf_name.clone(), merged.sha256.clone())] },
        notes: fitting.copies.clone(),
    };
    let (mut zips, mut mails, mut messages) = (Vec::new(), Vec::new(), Vec::new());
    for (n, part) in parts.iter().enumerate() {
        let mut entries: Vec<PackedEntry> = Vec::new();
        if pdf_in_zip && n == 0 {
            entries.push(pack::pack_one(&pack::clean_component(&plan.pdf_name), &merged.pdf).map_err(zip_error)?);
        }
        entries.extend(part.iter().filter_map(|&i| slots.get_mut(i).and_then(Option::take)));
        let files: Vec<(String, u64)> = entries.iter().map(|e| (e.name.clone(), e.bytes)).collect();
        entries.push(pack::pack_one(RECORD_FILE, &merged.record.to_json()).map_err(zip_error)?);
        let mut attachments: Vec<Attachment> = Vec::new();
        if attach.pdf && n == 0 {
            let pdf = Data::Bytes(merged.pdf.clone());
            attachments.push((plan.pdf_name.clone(), pdf, true, digest(&merged.sha256)));
        }
        // The zip attached, read from its staged file as the draft is written.
        let mut streamed_zip = None;
        if with_zip[n] {
            zip_number += 1;
            let suffix = if zip_count > 1 { format!("_part{zip_number}") } else { String::new() };
            let zip_name = format!("{}{suffix}.zip", delivery.zip_stem);
            let path = plan.dir.join(&zip_name);
            let (staged, file) = batch.create(&path)?;
            let write_error = |e| Error::io(IoAction::Write, &staged, e);
            let file = HashingWriter::new(file).map_err(write_error)?;
            let done = pack::write_packed_to(entries, &sums, file).map_err(zip_error)?.finish().map_err(write_error)?;
            let written = written(path, &done, batch)?;
            if attach.zip {
                attachments.push((zip_name, Data::Streamed(written.bytes), false, digest(&written.sha256)));
                streamed_zip = Some(staged);
            }
            zips.push(written);
        }
        let shown_files = if attach.zip { files.clone() } else { Vec::new() };
        let copies = if attach.zip { fitting.copies.as_slice() } else { &[] };
        let spec = mail_spec(plan, delivery, &attachments, &shown_files, copies, (n + 1, count));
        let eml_name = if count > 1 { format!("mail_part{}.eml", n + 1) } else { "mail.eml".to_string() };
        let path = plan.dir.join(&eml_name);
        let (staged, file) = batch.create(&path)?;
        let mut out = HashingWriter::new(file).map_err(|e| Error::io(IoAction::Write, &staged, e))?;
        let mut streams: Vec<Box<dyn std::io::Read>> = Vec::new();
        if let Some(zip) = &streamed_zip {
            let file = std::fs::File::open(zip).map_err(|e| Error::io(IoAction::Read, zip, e))?;
            streams.push(Box::new(file));
        }
        mail::draft_to(&spec, &mut out, streams).map_err(|e| bundle_error(BundleError::Mail(e)))?;
        let done = out.finish().map_err(|e| Error::io(IoAction::Write, &staged, e))?;
        let written = written(path, &done, batch)?;
        messages.push(Message {
            name: eml_name.clone(),
            bytes: written.bytes,
            attachments: attachments.iter().map(|(name, data, ..)| (name.clone(), data.len())).collect(),
            files,
        });
        mails.push(written);
    }
    let over = messages.iter().any(|m| m.bytes > delivery.budget);
    let fitted = Fitted {
        budget: delivery.budget,
        messages,
        rung: fitting.decision.rung,
        images: fitting.images.0,
        images_before: fitting.images.1,
        images_after: fitting.images.2,
        inner_saving: fitting.inner_saving,
        copies: fitting.copies,
        copies_before: fitting.copies_bytes.0,
        copies_after: fitting.copies_bytes.1,
        over,
    };
    zips.append(&mut mails);
    Ok((zips, fitted))
}

/// What was written at `path` through a [`HashingWriter`]: its size and the hash taken as it
/// was written, or, when some bytes were written back over others (a zip patched past 4 GB;
/// never a draft), the hash of the staged file read again: a hash is never guessed.
fn written(path: std::path::PathBuf, done: &Finished<std::fs::File>, batch: &files::Batch) -> Result<Written, Error> {
    match done.sha256 {
        Some(sha256) => Ok(Written { path, bytes: done.bytes, pages: None, sha256: hex::encode(sha256) }),
        None => Ok(Written::of(path.clone(), &batch.read(&path)?, None)),
    }
}

/// An attachment: its name, its data (the PDF in memory, the zip streamed from its file),
/// whether it is the merged PDF, and its SHA-256 (taken once, when it was made).
type Attachment = (String, Data, bool, [u8; 32]);

/// A SHA-256 in hex as bytes (build's own hashes, always 64 hex digits).
fn digest(hex_digest: &str) -> [u8; 32] {
    crate::blob::digest_from_hex(hex_digest).unwrap_or_default()
}

/// One mail draft's spec, its texts from the plan.
fn mail_spec(
    plan: &BundlePlan,
    delivery: &Delivery,
    attachments: &[Attachment],
    files: &[(String, u64)],
    compacted: &[String],
    (part, parts): (usize, usize),
) -> MailSpec {
    let catalog = Catalog::get(plan.lang);
    let attached: Vec<Attached> = attachments
        .iter()
        .map(|(name, data, pdf, _)| Attached { name: name.clone(), bytes: data.len(), pdf: *pdf })
        .collect();
    let body = Body {
        greeting: &delivery.mail.greeting,
        intro: &delivery.mail.intro,
        closing: &delivery.mail.closing,
        attached: &attached,
        files,
        compacted,
        part: (part, parts),
    };
    let mut hash = sha2::Sha256::new();
    for (.., sha256) in attachments {
        hash.update(sha256);
    }
    let hash = hex::encode(hash.finalize());
    MailSpec {
        from: delivery.mail.from.clone(),
        to: delivery.mail.to.clone(),
        subject: mail::part_subject(&delivery.mail.subject, part, parts),
        body: mail::body_text(catalog, &body),
        attachments: attachments.iter().map(|(name, data, ..)| (name.clone(), data.clone())).collect(),
        digests: attachments.iter().map(|(.., sha256)| *sha256).collect(),
        date: delivery.mail.date,
        message_id: format!("{}.{part}@dossier.invalid", &hash[..32]),
    }
}

/// A message's bytes besides its attachments' data and the body's per-file lines: the draft
/// written with empty attachments under the real names (headers, the body's fixed text, the
/// MIME part headers), and room for the "(1/9)" of parts and the sizes written in the body.
pub(super) fn message_overhead(plan: &BundlePlan, delivery: &Delivery) -> u64 {
    let empty = Data::Bytes(Arc::new(Vec::new()));
    let mut attachments = Vec::new();
    if delivery.attach.pdf {
        attachments.push((plan.pdf_name.clone(), empty.clone(), true, [0; 32]));
    }
    if delivery.attach.zip {
        attachments.push((format!("{}_part99.zip", delivery.zip_stem), empty, false, [0; 32]));
    }
    let spec = mail_spec(plan, delivery, &attachments, &[], &[], (99, 99));
    let draft = mail::draft(&spec).map_or(16_000, |d| d.len() as u64);
    draft + 1_024
}

/// "The mail is over its limit" with the three largest attachments.
pub(super) fn over_budget_warning(fitted: &Fitted, delivery: &Delivery) -> Msg {
    let mut largest: Vec<&(String, u64)> = fitted.messages.iter().flat_map(|m| &m.files).collect();
    largest.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    let names: Vec<String> =
        largest.iter().take(3).map(|(name, size)| format!("{name} ({})", format_size(*size))).collect();
    let id = if delivery.fit == crate::manifest::Fit::Off { "build-over_budget-off" } else { "build-over_budget" };
    Msg::new(id).arg("budget", format_size(delivery.budget)).arg("largest", names.join(", "))
}
