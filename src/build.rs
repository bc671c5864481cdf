//! `dossier build`: check, then for each recipient plan, render, assemble and pack the bundle,
//! and write the merged PDF, the zip and the mail draft atomically into `<output>/<recipient>/`.
//!
//! This module is the orchestration: it reads the chosen files once (refusing any that changed
//! since check saw them), hands bytes to the pure stages and gives their outputs to `files`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use sha2::Digest;

use crate::cli::BuildArgs;
use crate::error::Error;
use crate::inspect::{Kind, PasswordSource};
use crate::manifest::Manifest;
use crate::manifest::size::format_size;
use crate::plan::{BundlePlan, BundleSpec, FieldText, FileBody, PlannedFile, Section, SectionFile, StampSpec};
use crate::{Checked, Outcome, assemble, files, inspect, mail, pack, render, report};

/// One file build wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    /// Where.
    pub path: PathBuf,
    /// Size in bytes.
    pub bytes: u64,
    /// Pages, for PDFs.
    pub pages: Option<usize>,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

/// What build did for one recipient.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientBuild {
    /// Recipient id.
    pub id: String,
    /// Recipient title.
    pub title: String,
    /// The bundle was written.
    pub built: bool,
    /// It was built with placeholders for missing items.
    pub draft: bool,
    /// Required items that kept it from being built (or that placeholders stand in for).
    pub missing: Vec<String>,
    /// Files written.
    pub files: Vec<Written>,
    /// Everything worth a look: fonts, decrypted originals, the email budget.
    pub warnings: Vec<String>,
    /// The email (or each part) fits `max_attachment`.
    pub fits_budget: bool,
}

/// Runs `dossier build`.
pub fn run_build(args: &BuildArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    // Finding the fonts (a scan of the system's font files) does not depend on the check, so
    // both run at once; the manifest is read once more just for its `font` (under a millisecond).
    let font = crate::manifest::load(&crate::manifest_path(&args.manifest)).ok().and_then(|m| m.bundle.font);
    let (checked, fonts) = rayon::join(
        || crate::check_manifest(&args.manifest, &args.selection.recipients),
        || render::FontSet::resolve(font.as_ref()),
    );
    let checked = checked?;
    let (fonts, font_warnings) = fonts?;
    let mut cache = FileCache::default();
    let mut results = Vec::new();
    for id in &checked.recipients {
        let recipient = checked.manifest.recipient(id).expect("chosen recipients exist");
        let verdict = checked.report.recipients.iter().find(|r| &r.id == id).expect("judged");
        let Some(plan) = crate::plan::plan_bundle(&checked.manifest, &checked.report, recipient, args.draft) else {
            results.push(not_built(recipient, verdict.missing.clone()));
            continue;
        };
        let mut result = build_recipient(&checked, &plan, &fonts, &mut cache, args)?;
        result.missing = verdict.missing.clone();
        result.warnings.splice(0..0, font_warnings.iter().cloned());
        results.push(result);
    }
    let ok = results.iter().all(|r| r.built && !r.draft && (r.fits_budget || !args.strict));
    if args.selection.json {
        report::write_json(
            out,
            &serde_json::json!({"ok": ok, "check": report::check_json(&checked), "recipients": results}),
        )?;
    } else {
        if !checked.report.ok {
            report::write_check(err, &checked, false)?;
        }
        report::write_build(out, &results)?;
    }
    Ok(if ok { Outcome::Ready } else { Outcome::NotReady })
}

fn not_built(recipient: &crate::manifest::Recipient, missing: Vec<String>) -> RecipientBuild {
    RecipientBuild {
        id: recipient.id.clone(),
        title: recipient.title.clone(),
        built: false,
        draft: false,
        missing,
        files: Vec::new(),
        warnings: vec![
            "nothing was built: a required item is missing or invalid (use --draft to build with placeholders)".into(),
        ],
        fits_budget: true,
    }
}

/// Input bytes read once per run and shared by every recipient that sends the file.
#[derive(Default)]
struct FileCache {
    bytes: BTreeMap<PathBuf, Arc<Vec<u8>>>,
}

impl FileCache {
    /// The file's bytes, refusing a file that changed since check hashed it.
    fn read(&mut self, file: &PlannedFile, item: &str) -> Result<Arc<Vec<u8>>, Error> {
        if let Some(bytes) = self.bytes.get(&file.path) {
            return Ok(bytes.clone());
        }
        let bytes = files::read(&file.path)?;
        if hex::encode(sha2::Sha256::digest(&bytes)) != file.sha256 {
            return Err(Error::Document {
                item: item.to_string(),
                path: file.path.clone(),
                message: "changed while dossier was running; run build again".into(),
            });
        }
        let bytes = Arc::new(bytes);
        self.bytes.insert(file.path.clone(), bytes.clone());
        Ok(bytes)
    }
}

/// The inputs of one bundle, read and opened.
struct Gathered {
    spec: BundleSpec,
    documents: Vec<lopdf::Document>,
    /// For each input document: the item id and the file, to name them when merging fails.
    sources: Vec<(String, PathBuf)>,
    /// Zip entries for the originals, in order (decrypted where the original was encrypted).
    originals: Vec<pack::ZipEntry>,
    warnings: Vec<String>,
}

fn build_recipient(
    checked: &Checked,
    plan: &BundlePlan,
    fonts: &render::FontSet,
    cache: &mut FileCache,
    args: &BuildArgs,
) -> Result<RecipientBuild, Error> {
    let manifest = &checked.manifest;
    let gathered = gather(manifest, plan, &checked.passwords, cache)?;
    let rendered = render::render(&gathered.spec, fonts)?;
    let metadata = metadata(manifest, plan);
    let sources = gathered.sources;
    // issue 11 hook (1/2): what every input page holds, read before assemble consumes the inputs.
    let expected = assemble::proof::expectations(&rendered.layout, &gathered.documents);
    let pdf = assemble::assemble(&rendered, gathered.documents, &metadata).map_err(|e| match e.input() {
        Some(i) => Error::Document {
            item: sources[i].0.clone(),
            path: sources[i].1.clone(),
            message: format!(
                "cannot be merged: {}",
                e.to_string().split_once(": ").map_or(e.to_string(), |(_, m)| m.to_string())
            ),
        },
        None => Error::Document {
            item: plan.recipient.clone(),
            path: manifest.bundle.output.clone(),
            message: e.to_string(),
        },
    })?;
    // issue 11 hook (2/2): the proof, before anything is written; a page that lost content is
    // an error naming the item, the file and the page.
    assemble::proof::prove(&pdf, &expected).map_err(|failure| {
        let (item, path) = sources.get(failure.input).cloned().unwrap_or_default();
        Error::Document { item, path, message: assemble::proof::message(&failure) }
    })?;
    let dir = manifest.bundle.output.join(&plan.recipient);
    let pdf_name = format!("{}.pdf", plan.file_stem);
    let mut warnings = gathered.warnings;
    warnings.extend(rendered.warnings.iter().cloned());
    let pages = rendered.layout.pages.len();
    let pdf = Arc::new(pdf);
    let mut written = vec![write(&dir.join(&pdf_name), &pdf, Some(pages))?];
    let mut entries = vec![pack::ZipEntry { name: pdf_name.clone(), bytes: pdf.clone() }];
    entries.extend(gathered.originals);
    let fits = if args.pdf_only {
        true
    } else {
        let (mail_files, fits) = write_mail(manifest, plan, &dir, &entries, args, &mut warnings)?;
        written.extend(mail_files);
        fits
    };
    files::remove_stale_temporaries(&dir);
    Ok(RecipientBuild {
        id: plan.recipient.clone(),
        title: plan.recipient_title.clone(),
        built: true,
        draft: plan.draft,
        missing: Vec::new(),
        files: written,
        warnings,
        fits_budget: fits,
    })
}

fn write(path: &Path, bytes: &[u8], pages: Option<usize>) -> Result<Written, Error> {
    files::write_atomic(path, bytes)?;
    Ok(Written {
        path: path.to_path_buf(),
        bytes: bytes.len() as u64,
        pages,
        sha256: hex::encode(sha2::Sha256::digest(bytes)),
    })
}

fn gather(
    manifest: &Manifest,
    plan: &BundlePlan,
    passwords: &BTreeMap<String, PasswordSource>,
    cache: &mut FileCache,
) -> Result<Gathered, Error> {
    let mut documents = Vec::new();
    let mut sources = Vec::new();
    let mut fields = Vec::new();
    let mut originals = Vec::new();
    let mut warnings = Vec::new();
    let mut sections = Vec::new();
    let mut opened = open_pdfs(plan, passwords, cache)?.into_iter();
    for item in &plan.items {
        let mut section = Section {
            id: item.id.clone(),
            title: item.title.clone(),
            files: Vec::new(),
            missing: item.missing.clone(),
        };
        for file in &item.files {
            let bytes = cache.read(file, &item.id)?;
            let zip_name = pack::entry_name(item.position, &item.title, &file.name);
            let (body, original) = match file.kind {
                Kind::Pdf => {
                    let (doc, decrypted) = opened.next().expect("every planned PDF was opened")?;
                    if decrypted.is_some() {
                        warnings.push(format!(
                            "{} was encrypted: the merged PDF and the zip hold it decrypted, so the recipient can open it",
                            file.rel
                        ));
                    }
                    fields.extend(assemble::fields::unfilled_text_fields(&doc).into_iter().map(|f| FieldText {
                        input: documents.len(),
                        widget: f.widget,
                        text: f.text,
                        width: f.size[0],
                        height: f.size[1],
                        size: f.font_size,
                        align: f.align,
                    }));
                    documents.push(doc);
                    sources.push((item.id.clone(), file.path.clone()));
                    let pages = documents.last().map_or(0, |d| d.get_pages().len() as u32);
                    (
                        FileBody::Pdf { input: documents.len() - 1, pages },
                        decrypted.map(Arc::new).unwrap_or_else(|| bytes.clone()),
                    )
                }
                Kind::Image => (image_body(&bytes, file, &item.id)?, bytes.clone()),
                Kind::Text => (text_body(&bytes, file, &item.id)?, bytes.clone()),
            };
            section.files.push(SectionFile { name: file.name.clone(), body });
            originals.push(pack::ZipEntry { name: zip_name, bytes: original });
        }
        sections.push(section);
    }
    let spec = BundleSpec {
        title: manifest.bundle.title.clone(),
        recipient: plan.recipient_title.clone(),
        student: manifest.student.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("email")).cloned().collect(),
        period: manifest.period.map(|p| format!("{} ~ {}", p.start, p.end)),
        draft: plan.draft,
        sections,
        stamp: manifest.bundle.stamp.then(|| StampSpec {
            label: manifest.student_field(crate::plan::STUDENT_ID_KEYS).unwrap_or_default().to_string(),
        }),
        fields,
    };
    Ok(Gathered { spec, documents, sources, originals, warnings })
}

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
        for file in item.files.iter().filter(|f| f.kind == Kind::Pdf) {
            jobs.push((cache.read(file, &item.id)?, password, file, item.id.as_str()));
        }
    }
    Ok(jobs.par_iter().map(|(bytes, password, file, item)| open_input(bytes, *password, file, item)).collect())
}

/// An input PDF ready to merge, and its decrypted bytes when the file was encrypted.
type Opened = (lopdf::Document, Option<Vec<u8>>);

/// Opens an input PDF for merging; for an encrypted one also returns its decrypted bytes for
/// the zip (the office cannot open a pay stub locked with the student's birth date).
fn open_input(
    bytes: &[u8],
    password: Option<&inspect::Secret>,
    file: &PlannedFile,
    item: &str,
) -> Result<(lopdf::Document, Option<Vec<u8>>), Error> {
    let fail = |message: String| Error::Document { item: item.to_string(), path: file.path.clone(), message };
    let doc = inspect::open_pdf(bytes, password).map_err(|p| fail(p.message))?;
    if !file.encrypted {
        return Ok((doc, None));
    }
    let mut plain = doc.clone();
    // Decryption dropped the /Encrypt object; the trailer's /Size must follow what is left.
    plain.max_id = plain.objects.keys().map(|id| id.0).max().unwrap_or(0);
    let options = lopdf::SaveOptions { use_object_streams: true, use_xref_streams: true, ..Default::default() };
    let mut out = Vec::new();
    plain.save_with_options(&mut out, options).map_err(|e| fail(format!("cannot write the decrypted copy: {e}")))?;
    Ok((doc, Some(out)))
}

fn image_body(bytes: &Arc<Vec<u8>>, file: &PlannedFile, item: &str) -> Result<FileBody, Error> {
    match &file.image {
        Some(facts) => Ok(FileBody::Image { bytes: bytes.clone(), facts: facts.clone() }),
        None => {
            Err(Error::Document { item: item.into(), path: file.path.clone(), message: "is no longer an image".into() })
        }
    }
}

fn text_body(bytes: &[u8], file: &PlannedFile, item: &str) -> Result<FileBody, Error> {
    let (text, _) = inspect::decode_text(bytes).ok_or_else(|| Error::Document {
        item: item.into(),
        path: file.path.clone(),
        message: "is no longer readable text".into(),
    })?;
    let lower = file.name.to_lowercase();
    let markdown = lower.ends_with(".md") || lower.ends_with(".markdown");
    let base_dir = file.path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(FileBody::Text { text, markdown, base_dir })
}

fn metadata(manifest: &Manifest, plan: &BundlePlan) -> assemble::Metadata {
    let author = manifest.student_field(crate::plan::STUDENT_NAME_KEYS).unwrap_or_default().to_string();
    let titles: Vec<&str> = plan.items.iter().map(|i| i.title.as_str()).collect();
    assemble::Metadata {
        title: format!("{} — {}", manifest.bundle.title, plan.recipient_title),
        author,
        subject: titles.join(", "),
        keywords: manifest.student_field(crate::plan::STUDENT_ID_KEYS).map(str::to_string),
    }
}

/// Writes the zip (or its parts) and the mail draft(s); returns what was written and whether
/// every message fits the recipient's budget.
fn write_mail(
    manifest: &Manifest,
    plan: &BundlePlan,
    dir: &Path,
    entries: &[pack::ZipEntry],
    args: &BuildArgs,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Written>, bool), Error> {
    let recipient = manifest.recipient(&plan.recipient).expect("planned recipients exist");
    let budget = recipient.max_attachment;
    let sizes: Vec<(String, u64)> = entries.iter().map(|e| (e.name.clone(), e.bytes.len() as u64)).collect();
    let whole = (0..entries.len()).collect::<Vec<_>>();
    let fits = mail::message_size_bound(&sizes) <= budget;
    let parts = if fits || !args.split {
        vec![whole]
    } else {
        mail::plan_parts(&sizes, budget).map_err(|e| Error::Document {
            item: plan.recipient.clone(),
            path: dir.to_path_buf(),
            message: format!("cannot split the attachments to fit {}: {e}", format_size(budget)),
        })?
    };
    let mut written = Vec::new();
    let mut all_fit = true;
    let count = parts.len();
    for (n, part) in parts.iter().enumerate() {
        let chosen: Vec<pack::ZipEntry> = part.iter().map(|&i| entries[i].clone()).collect();
        let zip = pack::write_zip(&chosen).map_err(|e| Error::Document {
            item: plan.recipient.clone(),
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let suffix = if count > 1 { format!("_part{}", n + 1) } else { String::new() };
        let zip_name = format!("{}{suffix}.zip", plan.file_stem);
        let eml = draft(manifest, plan, recipient, &zip_name, &zip, &chosen, (n + 1, count))?;
        if eml.len() as u64 > budget {
            all_fit = false;
        }
        written.push(write(&dir.join(&zip_name), &zip, None)?);
        let eml_name = if count > 1 { format!("mail_part{}.eml", n + 1) } else { "mail.eml".to_string() };
        written.push(write(&dir.join(eml_name), &eml, None)?);
    }
    remove_stale_parts(dir, &written);
    if !all_fit {
        warnings.push(budget_warning(entries, budget, args));
    }
    Ok((written, all_fit))
}

fn budget_warning(entries: &[pack::ZipEntry], budget: u64, args: &BuildArgs) -> String {
    let mut largest: Vec<&pack::ZipEntry> = entries.iter().collect();
    largest.sort_by_key(|e| std::cmp::Reverse(e.bytes.len()));
    let names: Vec<String> =
        largest.iter().take(3).map(|e| format!("{} ({})", e.name, format_size(e.bytes.len() as u64))).collect();
    let advice = if args.split { "" } else { "; run with --split to send it in parts that fit" };
    format!(
        "the email is over the budget of {} once attachments are base64-encoded; largest files: {}{advice}",
        format_size(budget),
        names.join(", ")
    )
}

/// A previous build may have written more parts than this one: remove ours that are stale so
/// nobody attaches an outdated part.
fn remove_stale_parts(dir: &Path, written: &[Written]) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours =
            (name.contains("_part") && name.ends_with(".zip")) || (name.starts_with("mail") && name.ends_with(".eml"));
        if ours && !written.iter().any(|w| w.path.file_name() == Some(entry.file_name().as_os_str())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn draft(
    manifest: &Manifest,
    plan: &BundlePlan,
    recipient: &crate::manifest::Recipient,
    zip_name: &str,
    zip: &[u8],
    chosen: &[pack::ZipEntry],
    (part, parts): (usize, usize),
) -> Result<Vec<u8>, Error> {
    let who = manifest.student_field(crate::plan::STUDENT_NAME_KEYS).unwrap_or_default();
    let id = manifest.student_field(crate::plan::STUDENT_ID_KEYS).unwrap_or_default();
    let subject = format!("[{}] {} {}", manifest.bundle.short_title, id, who).trim().to_string();
    let intro = format!(
        "{} 님께,\n\n{}({}) 학생의 「{}」를 보내드립니다.\n첨부한 zip 파일에 병합 PDF와 원본 파일이 들어 있습니다.",
        recipient.title, who, id, manifest.bundle.title
    );
    let files: Vec<(String, u64)> = chosen.iter().map(|e| (e.name.clone(), e.bytes.len() as u64)).collect();
    let body = mail::body_text(&intro, (zip_name, zip.len() as u64), &files, part, parts);
    let hash = hex::encode(sha2::Sha256::digest(zip));
    let spec = mail::MailSpec {
        from: manifest.student_field(&["email", "이메일"]).map(str::to_string),
        to: recipient.email.clone(),
        subject: mail::part_subject(&subject, part, parts),
        body,
        attachments: vec![(zip_name.to_string(), Arc::new(zip.to_vec()))],
        date: mail_date(plan),
        message_id: format!("{}.{part}@dossier.invalid", &hash[..32]),
    };
    mail::draft(&spec).map_err(|e| Error::Document {
        item: plan.recipient.clone(),
        path: zip_name.into(),
        message: e.to_string(),
    })
}

/// The draft's Date: SOURCE_DATE_EPOCH when set (reproducible-builds convention), else the
/// newest modification time of the bundle's inputs, so two builds of the same files give the
/// same bytes. Mail clients set the real date when the message is sent.
fn mail_date(plan: &BundlePlan) -> i64 {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.parse().ok()) {
        return epoch;
    }
    plan.items
        .iter()
        .flat_map(|i| &i.files)
        .filter_map(|f| std::fs::metadata(&f.path).and_then(|m| m.modified()).ok())
        .filter_map(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .max()
        .unwrap_or(0)
}
