//! `dossier init`: a starter manifest and the folders it expects, from a shipped template.
//! Never overwrites an existing manifest.

use std::path::{Path, PathBuf};

use crate::Outcome;
use crate::cli::InitArgs;
use crate::config::Config;
use crate::error::{Error, IoAction, UsageError};
use crate::files;
use crate::i18n::Msg;
use crate::manifest::templates::TEMPLATES;
use crate::report::Terminal;

/// Runs `dossier init`.
pub fn run(args: &InitArgs, config: &Config, term: &mut Terminal<'_>) -> Result<Outcome, Error> {
    if args.list {
        let text: String = TEMPLATES.iter().map(|t| format!("{:<16} {}\n", t.name, t.description)).collect();
        term.print(&text)?;
        return Ok(Outcome::Ready);
    }
    let template = crate::manifest::templates::find(&args.template).ok_or_else(|| {
        Error::Usage(UsageError::UnknownTemplate {
            name: args.template.clone(),
            known: TEMPLATES.iter().map(|t| t.name.to_string()).collect(),
        })
    })?;
    let manifest_path = args.dir.join("dossier.toml");
    if manifest_path.exists() {
        return Err(Error::Usage(UsageError::ManifestExists { path: manifest_path }));
    }
    // Parse the template before writing anything, so the skeleton matches what it says.
    let absolute = std::path::absolute(&manifest_path).map_err(|e| Error::io(IoAction::Read, &manifest_path, e))?;
    let manifest = crate::manifest::parse(template.text, &absolute)?;
    files::write_new(&manifest_path, template.text.as_bytes())?;
    let folders = skeleton(&manifest, config.cwd.as_deref());
    for folder in &folders {
        files::create_dir_all(folder)?;
    }
    let mut lines = vec![Msg::new("init-wrote").arg("path", manifest_path.display().to_string())];
    lines.extend(folders.iter().map(|f| Msg::new("init-created").arg("path", f.display().to_string())));
    lines.push(Msg::new("init-next"));
    let text: String = lines.iter().map(|m| term.text(m) + "\n").collect();
    term.print(&text)?;
    Ok(Outcome::Ready)
}

/// The documents folder and the sub-folders the template's globs name ("급여명세서/**").
fn skeleton(manifest: &crate::manifest::Manifest, cwd: Option<&Path>) -> Vec<PathBuf> {
    let mut folders = vec![manifest.bundle.root.clone()];
    for item in &manifest.items {
        for glob in &item.files {
            if let Some((dir, _)) = glob.split_once('/')
                && !dir.contains(['*', '?', '[', '{'])
            {
                let path = manifest.bundle.root.join(dir);
                if !folders.contains(&path) {
                    folders.push(path);
                }
            }
        }
    }
    folders.iter().map(|f| relative_to(f, cwd)).collect()
}

/// `path` shown relative to the working folder when it is below it.
fn relative_to(path: &Path, cwd: Option<&Path>) -> PathBuf {
    cwd.and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf)).unwrap_or_else(|| path.to_path_buf())
}
