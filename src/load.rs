//! The shared sequence of `check` and `build`: manifest → discover → inspect → check.
//!
//! Reads the manifest and the files (through discover and inspect), asks for passwords through
//! the [`Config`]'s prompt, and returns a [`Checked`]: the manifest, the verdict and what build
//! needs to open the same files again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::{self, CheckReport, ItemInput, NoteImage};
use crate::config::Config;
use crate::discover::{self, Candidate, ItemMatches};
use crate::error::Error;
use crate::i18n::{Catalog, Msg};
use crate::inspect::{self, Content, FileFacts, PasswordAsk, PasswordSource};
use crate::manifest::{self, Item, Manifest};

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
pub fn check_manifest(path: &Path, recipient_ids: &[String], config: &Config) -> Result<Checked, Error> {
    let manifest = manifest::load(&manifest_path(path))?;
    let chosen = manifest.select_recipients(recipient_ids)?;
    let tree = discover::walk(&manifest)?;
    let matches = discover::match_items(&manifest, &tree);
    let items = check::items_to_check(&manifest, &chosen);
    let passwords: BTreeMap<String, PasswordSource> =
        items.iter().map(|item| (item.id.clone(), password_source(&manifest, item, config))).collect();
    let mut inputs = inspect_items(&items, &matches, &passwords);
    let passwords = ask_missing_passwords(&manifest, &items, &mut inputs, passwords, &matches, config);
    mark_shared(&mut inputs);
    for input in inputs.values_mut() {
        input.note_images = note_images(&manifest, &input.files);
    }
    let mut report = check::check(&manifest, &inputs, &chosen);
    check::unclaimed::attach(&mut report, check::unclaimed::find(&manifest, &tree.files, &matches));
    let recipients = chosen.iter().map(|r| r.id.clone()).collect();
    Ok(Checked { manifest, report, recipients, passwords })
}

/// The password for an item's encrypted files, read through the config. The student's own
/// comes first, so that in a cohort one `PAYSLIP_PASSWORD` does not stand for everyone:
/// `[student] password_env`, then this student's line in the `DOSSIER_PASSWORDS` file, then
/// the item's `password_env`. The hint for a locked file names the item's variable, or
/// suggests one named after the item.
fn password_source(manifest: &Manifest, item: &Item, config: &Config) -> PasswordSource {
    let ask = match &item.password_env {
        Some(var) => PasswordAsk::SetVar(var.clone()),
        None => PasswordAsk::AddToManifest(format!("{}_PASSWORD", item.id.to_ascii_uppercase().replace('-', "_"))),
    };
    let student_var = manifest.student_password_env.as_deref();
    if let Some((var, password)) = student_var.and_then(|v| Some((v, config.secret(v)?))) {
        return PasswordSource { env_var: Some(var.to_string()), password: Some(password), ask };
    }
    let student_id = manifest.student_field(crate::plan::STUDENT_ID_KEYS);
    if let Some(password) = student_id.and_then(|id| config.password_of_student(id)) {
        return PasswordSource { env_var: Some("DOSSIER_PASSWORDS".to_string()), password: Some(password), ask };
    }
    let password = item.password_env.as_deref().and_then(|var| config.secret(var));
    PasswordSource { env_var: item.password_env.clone(), password, ask }
}

fn inspect_items(
    items: &[&Item],
    matches: &BTreeMap<String, ItemMatches>,
    passwords: &BTreeMap<String, PasswordSource>,
) -> BTreeMap<String, ItemInput> {
    items
        .par_iter()
        .map(|item| {
            let found = &matches[&item.id];
            let source = &passwords[&item.id];
            let files = found.files.par_iter().map(|c| (c.clone(), inspect::inspect(&c.path, source))).collect();
            (item.id.clone(), ItemInput { files, refused: found.refused.clone(), ..ItemInput::default() })
        })
        .collect()
}

fn needs_password(facts: &FileFacts) -> bool {
    matches!(&facts.content, Content::Pdf(pdf) if pdf.encryption.as_ref().is_some_and(|e| e.needs_password && !e.opened))
}

/// When an item's encrypted PDF did not open and no password was given through the
/// environment, a person at the terminal is asked once per item.
fn ask_missing_passwords(
    manifest: &Manifest,
    items: &[&Item],
    inputs: &mut BTreeMap<String, ItemInput>,
    mut passwords: BTreeMap<String, PasswordSource>,
    matches: &BTreeMap<String, ItemMatches>,
    config: &Config,
) -> BTreeMap<String, PasswordSource> {
    let Some(prompt) = &config.prompt else { return passwords };
    for item in items {
        let source = passwords.get_mut(&item.id).expect("every item has a source");
        let locked = inputs[&item.id].files.iter().any(|(_, f)| needs_password(f));
        if source.password.is_some() || !locked {
            continue;
        }
        // In a cohort the person typing must know whose file it is.
        let student = [crate::plan::STUDENT_ID_KEYS, crate::plan::STUDENT_NAME_KEYS]
            .iter()
            .filter_map(|keys| manifest.student_field(keys))
            .collect::<Vec<_>>()
            .join(" ");
        let question =
            Msg::new("prompt-password").arg("item", &item.id).arg("title", &item.title).arg("student", student);
        let Some(typed) = prompt(&Catalog::get(config.lang).text(&question)) else { continue };
        source.password = Some(typed);
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

/// The images Markdown notes link to, found and inspected like every other input, so build
/// hashes them and render receives their bytes. Links to the web, and files outside root
/// (unless the manifest allows it), are not followed.
fn note_images(manifest: &Manifest, files: &[(Candidate, FileFacts)]) -> BTreeMap<String, Vec<NoteImage>> {
    let mut found = BTreeMap::new();
    for (candidate, facts) in files {
        let Content::Text(text) = &facts.content else { continue };
        let dir = candidate.path.parent().unwrap_or(Path::new("."));
        let images: Vec<NoteImage> = text
            .image_links
            .iter()
            .filter_map(|url| {
                let url = url.clone();
                let relative = crate::render::markdown::local_path(&url)?;
                let path = discover::resolve_linked(manifest, dir, &relative);
                let facts = path.as_ref().map(|p| inspect::inspect(p, &PasswordSource::default()));
                Some(NoteImage { url, path, facts })
            })
            .collect();
        if !images.is_empty() {
            found.insert(candidate.rel.clone(), images);
        }
    }
    found
}
