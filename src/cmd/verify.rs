//! `dossier verify`: received zips, PDFs and mails, judged bundle by bundle. Nothing received
//! is modified or extracted: files are read into memory (see [`crate::verify::open`]).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::Outcome;
use crate::cli::VerifyArgs;
use crate::config::Config;
use crate::error::{Error, UsageError};
use crate::manifest::templates::TEMPLATES;
use crate::report::cohort::{Cell, Cohort, Row};
use crate::report::{self, Terminal};
use crate::verify::open::{Limits, open_path};
use crate::verify::{self, Received, RecipientStandard, Standard, Verdict};

/// Runs `dossier verify`.
pub fn run(args: &VerifyArgs, config: &Config, term: &mut Terminal<'_>) -> Result<Outcome, Error> {
    let standard = standard(args)?;
    let files = collect(&args.paths, config.cwd.as_deref())?;
    let limits = Limits::default();
    let received: Vec<Received> =
        files.par_iter().flat_map_iter(|(path, shown)| open_path(path, shown, &limits)).collect();
    let verdicts = verify::verify(received, &standard);
    let ok = !verdicts.is_empty() && verdicts.iter().all(Verdict::ok);
    let cohort = cohort(&verdicts, term.catalog());
    write_tables(&cohort, args.csv.as_deref(), args.html.as_deref(), term)?;
    if args.json {
        term.json(&report::verify_json(ok, &verdicts, term.catalog()))?;
    } else {
        report::write_verify(term, &verdicts, &cohort)?;
    }
    Ok(Outcome::from_ok(ok))
}

/// Writes the CSV and HTML tables, when asked for.
pub(crate) fn write_tables(
    cohort: &Cohort,
    csv: Option<&Path>,
    html: Option<&Path>,
    term: &Terminal<'_>,
) -> Result<(), Error> {
    let c = term.catalog();
    if let Some(path) = csv {
        crate::files::write_atomic(path, &report::cohort::cohort_csv(cohort, c))?;
    }
    if let Some(path) = html {
        let page = report::cohort::cohort_html(cohort, c, &c.word("cohort-title"));
        crate::files::write_atomic(path, page.as_bytes())?;
    }
    Ok(())
}

/// The list completeness is judged by.
fn standard(args: &VerifyArgs) -> Result<Standard, Error> {
    let manifest = match (&args.template, &args.manifest) {
        (Some(name), _) => {
            let template = crate::manifest::templates::find(name).ok_or_else(|| {
                Error::Usage(UsageError::UnknownTemplate {
                    name: name.clone(),
                    known: TEMPLATES.iter().map(|t| t.name.to_string()).collect(),
                })
            })?;
            crate::manifest::parse(template.text, &PathBuf::from(format!("{name}.toml")))?
        }
        (None, Some(path)) => crate::manifest::load(&crate::load::manifest_path(path))?,
        (None, None) => return Ok(Standard::Record),
    };
    match &args.recipient {
        Some(id) => {
            let recipient = manifest.select_recipients(std::slice::from_ref(id))?[0];
            Ok(Standard::Recipient(RecipientStandard::from_manifest(&manifest, recipient)))
        }
        None => Ok(Standard::Manifest(
            manifest.recipients.iter().map(|r| RecipientStandard::from_manifest(&manifest, r)).collect(),
        )),
    }
}

/// The files to open: each named file, and the zips, PDFs and mails in each named folder
/// (links are not followed), with the path to show.
fn collect(paths: &[PathBuf], cwd: Option<&Path>) -> Result<Vec<(PathBuf, String)>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|_| Error::Usage(UsageError::PathMissing { path: path.clone() }))?;
        if !meta.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| ["zip", "pdf", "eml"].contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        found.sort_by(|a, b| alphanumeric_sort::compare_path(a, b));
        files.extend(found);
    }
    Ok(files
        .into_iter()
        .map(|p| {
            let shown = cwd.and_then(|c| p.strip_prefix(c).ok()).unwrap_or(&p).display().to_string();
            (p, shown)
        })
        .collect())
}

/// One row per student, one column per recipient seen.
fn cohort(verdicts: &[Verdict], c: &crate::i18n::Catalog) -> Cohort {
    let mut cohort = Cohort::default();
    for v in verdicts {
        let Some(record) = &v.record else { continue };
        let column = (record.recipient.id.clone(), record.recipient.title.clone());
        if !cohort.recipients.iter().any(|(id, _)| *id == column.0) {
            cohort.recipients.push(column);
        }
    }
    for v in verdicts {
        let (id, name) = v.student();
        let details: Vec<String> = v.problems.iter().map(|p| c.text(&p.message())).collect();
        let source = v.sources.join(", ");
        let Some(record) = &v.record else {
            // Not a bundle: a row of its own, named by the file.
            cohort.rows.push(Row {
                id: String::new(),
                name: source.clone(),
                cells: vec![None; cohort.recipients.len()],
                details: vec![(source, details)],
            });
            continue;
        };
        let at = match cohort.rows.iter().position(|r| !r.id.is_empty() && r.id == id && r.name == name) {
            Some(at) => at,
            None => {
                cohort.rows.push(Row { id, name, cells: vec![None; cohort.recipients.len()], details: Vec::new() });
                cohort.rows.len() - 1
            }
        };
        let row = &mut cohort.rows[at];
        let column = cohort.recipients.iter().position(|(rid, _)| *rid == record.recipient.id).expect("collected");
        let mut notes: Vec<String> = v.problems.iter().map(|p| c.text(&p.short())).collect();
        notes.dedup();
        let cell = row.cells[column].get_or_insert(Cell { ready: true, notes: Vec::new() });
        cell.ready &= v.ok();
        cell.notes.extend(notes);
        row.details.push((source, details));
    }
    cohort.sort();
    cohort
}
