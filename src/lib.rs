//! dossier checks and assembles the document bundle a student hands in for internship credit.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! manifest ─▶ discover ─▶ inspect ─▶ check ─▶ report            (dossier check)
//!                                      └────▶ plan ─▶ render ─▶ assemble ─▶ pack ─▶ files
//!                                                                            (dossier build)
//! ```
//!
//! Stages that decide (validate, check, plan, layout) are pure; reading happens in discover and
//! inspect, writing only in `files` (atomically). The library never prints to the terminal by
//! itself: `run` writes reports to the writers it is given and returns an [`Outcome`] or an
//! [`Error`], which `main` prints once.

pub mod assemble;
pub mod check;
pub mod cli;
pub mod compact; // Hook (issue 9, compact helper): the compaction engine.
pub mod discover;
pub mod error;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod init;
pub mod inspect;
pub mod mail;
pub mod manifest;
pub mod pack;
pub mod plan;
pub mod render;
pub mod report;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use error::Error;

use check::{CheckReport, ItemInput};
use cli::{CheckArgs, Cli, Command, InspectArgs};
use inspect::{Content, FileFacts, PasswordSource, Secret};
use manifest::{Item, Manifest};

/// How a run ended, when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for is ready (exit 0).
    Ready,
    /// Something required is missing or invalid; the report says what (exit 1).
    NotReady,
}

impl Outcome {
    /// 0 or 1.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Ready => 0,
            Outcome::NotReady => 1,
        }
    }

    fn from_ok(ok: bool) -> Outcome {
        if ok { Outcome::Ready } else { Outcome::NotReady }
    }
}

/// Runs one command line, writing reports to `out` (stdout) and notes to `err` (stderr).
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    match cli.command {
        Command::Check(args) => run_check(&args, out, err),
        Command::Build(args) => build::run_build(&args, out, err),
        Command::Init(args) => init::run_init(&args, out),
        Command::Inspect(args) => run_inspect(&args, out),
    }
}

pub mod build;

/// A manifest and what check found for it.
#[derive(Debug)]
pub struct Checked {
    /// The manifest.
    pub manifest: Manifest,
    /// The verdict.
    pub report: CheckReport,
    /// The chosen recipients' ids, in manifest order.
    pub recipients: Vec<String>,
    /// The passwords used per item (for build to open the same files).
    pub passwords: BTreeMap<String, PasswordSource>,
}

/// The manifest path a command-line argument names: a file, or a folder holding dossier.toml.
pub fn manifest_path(arg: &Path) -> PathBuf {
    if arg.is_dir() { arg.join("dossier.toml") } else { arg.to_path_buf() }
}

/// Loads, discovers, inspects and checks one manifest.
pub fn check_manifest(path: &Path, recipient_ids: &[String]) -> Result<Checked, Error> {
    let manifest = manifest::load(&manifest_path(path))?;
    let chosen = manifest.select_recipients(recipient_ids)?;
    let tree = discover::walk(&manifest)?;
    let matches = discover::match_items(&manifest, &tree);
    let items = check::items_to_check(&manifest, &chosen);
    let passwords: BTreeMap<String, PasswordSource> =
        items.iter().map(|item| (item.id.clone(), password_source(item))).collect();
    let mut inputs = inspect_items(&items, &matches, &passwords);
    let passwords = ask_missing_passwords(&items, &mut inputs, passwords, &matches);
    mark_shared(&mut inputs);
    let report = check::check(&manifest, &inputs, &chosen);
    let recipients = chosen.iter().map(|r| r.id.clone()).collect();
    Ok(Checked { manifest, report, recipients, passwords })
}

fn password_source(item: &Item) -> PasswordSource {
    let password =
        item.password_env.as_ref().and_then(|var| std::env::var(var).ok()).filter(|v| !v.is_empty()).map(Secret::new);
    PasswordSource { env_var: item.password_env.clone(), password }
}

fn inspect_items(
    items: &[&Item],
    matches: &BTreeMap<String, discover::ItemMatches>,
    passwords: &BTreeMap<String, PasswordSource>,
) -> BTreeMap<String, ItemInput> {
    items
        .par_iter()
        .map(|item| {
            let found = &matches[&item.id];
            let source = &passwords[&item.id];
            let files = found.files.par_iter().map(|c| (c.clone(), inspect::inspect(&c.path, source))).collect();
            (item.id.clone(), ItemInput { files, refused: found.refused.clone(), shared: BTreeMap::new() })
        })
        .collect()
}

fn needs_password(facts: &FileFacts) -> bool {
    matches!(&facts.content, Content::Pdf(pdf) if pdf.encryption.as_ref().is_some_and(|e| e.needs_password && !e.opened))
}

/// When an item's encrypted PDF did not open and no password was given through the
/// environment, a person at the terminal is asked once per item, with hidden input.
fn ask_missing_passwords(
    items: &[&Item],
    inputs: &mut BTreeMap<String, ItemInput>,
    mut passwords: BTreeMap<String, PasswordSource>,
    matches: &BTreeMap<String, discover::ItemMatches>,
) -> BTreeMap<String, PasswordSource> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return passwords;
    }
    for item in items {
        let source = passwords.get_mut(&item.id).expect("every item has a source");
        let locked = inputs[&item.id].files.iter().any(|(_, f)| needs_password(f));
        if source.password.is_some() || !locked {
            continue;
        }
        let prompt = format!("password for the encrypted files of `{}` ({}): ", item.id, item.title);
        let Ok(typed) = rpassword::prompt_password(prompt) else { continue };
        if typed.is_empty() {
            continue;
        }
        source.password = Some(Secret::new(typed));
        // The password was typed, not read from the variable: messages must not blame it.
        source.env_var = None;
        let files = matches[&item.id].files.iter().map(|c| (c.clone(), inspect::inspect(&c.path, source))).collect();
        inputs.get_mut(&item.id).expect("inspected").files = files;
    }
    passwords
}

/// Records, for each item, which of its files other items matched too.
fn mark_shared(inputs: &mut BTreeMap<String, ItemInput>) {
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, input) in inputs.iter() {
        for (c, _) in &input.files {
            owners.entry(c.rel.clone()).or_default().push(id.clone());
        }
    }
    for (id, input) in inputs.iter_mut() {
        for (c, _) in &input.files {
            let others: Vec<String> = owners[&c.rel].iter().filter(|o| *o != id).cloned().collect();
            if !others.is_empty() {
                input.shared.insert(c.rel.clone(), others);
            }
        }
    }
}

fn run_check(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    let color = !args.selection.json && report::use_color(&std::io::stdout());
    if args.manifests.len() == 1 {
        let checked = check_manifest(&args.manifests[0], &args.selection.recipients)?;
        if args.selection.json {
            report::write_json(out, &report::check_json(&checked))?;
        } else {
            report::write_check(out, &checked, color)?;
        }
        return Ok(Outcome::from_ok(checked.report.ok));
    }
    // A cohort: one manifest per student. A broken manifest is reported and the rest go on.
    let mut all_ok = true;
    let mut bundles = Vec::new();
    for path in &args.manifests {
        match check_manifest(path, &args.selection.recipients) {
            Ok(checked) => {
                all_ok &= checked.report.ok;
                if args.selection.json {
                    bundles.push(report::check_json(&checked));
                } else {
                    report::write_check(out, &checked, color)?;
                    writeln!(out).ok();
                }
            }
            Err(e) => {
                all_ok = false;
                report::write_error(err, &e);
                if args.selection.json {
                    bundles.push(serde_json::json!({"manifest": path, "ok": false, "error": e.to_string()}));
                }
            }
        }
    }
    if args.selection.json {
        report::write_json(out, &serde_json::json!({"ok": all_ok, "bundles": bundles}))?;
    }
    Ok(Outcome::from_ok(all_ok))
}

fn run_inspect(args: &InspectArgs, out: &mut dyn Write) -> Result<Outcome, Error> {
    let password = args.password_env.as_ref().and_then(|v| std::env::var(v).ok()).map(Secret::new);
    let source = PasswordSource { env_var: args.password_env.clone(), password };
    let facts: Vec<(PathBuf, FileFacts)> =
        args.files.par_iter().map(|p| (p.clone(), inspect::inspect(p, &source))).collect();
    let ok = facts.iter().all(|(_, f)| !f.has_errors());
    if args.json {
        report::write_json(out, &report::inspect_json(&facts))?;
    } else {
        report::write_inspect(out, &facts)?;
    }
    Ok(Outcome::from_ok(ok))
}
