//! `dossier init`: a starter manifest and the folders it expects, from a shipped template.
//! Never overwrites an existing manifest.

use std::io::Write;
use std::path::Path;

use crate::cli::InitArgs;
use crate::error::Error;
use crate::{Outcome, files};

/// A template shipped inside the binary.
pub struct Template {
    /// Name for `--template`.
    pub name: &'static str,
    /// One line on what it is for.
    pub description: &'static str,
    /// The manifest text.
    pub text: &'static str,
}

/// Every shipped template.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "ict-internship",
        description: "ICT 학점연계 프로젝트 인턴십: 지도교수, 학과사무실, 현장실습지원센터 (15 credits, 4 months)",
        text: include_str!("../manifests/ict-internship.toml"),
    },
    Template {
        name: "minimal",
        description: "one recipient, a certificate and monthly pay stubs: a small start to edit",
        text: include_str!("../manifests/minimal.toml"),
    },
];

/// Runs `dossier init`.
pub fn run_init(args: &InitArgs, out: &mut dyn Write) -> Result<Outcome, Error> {
    if args.list {
        let text: String = TEMPLATES.iter().map(|t| format!("{:<16} {}\n", t.name, t.description)).collect();
        out.write_all(text.as_bytes()).map_err(|e| Error::io("write", "standard output", e))?;
        return Ok(Outcome::Ready);
    }
    let template = TEMPLATES.iter().find(|t| t.name == args.template).ok_or_else(|| Error::Usage {
        message: format!("there is no template `{}`", args.template),
        hint: Some(format!("templates are: {}", TEMPLATES.iter().map(|t| t.name).collect::<Vec<_>>().join(", "))),
    })?;
    let manifest_path = args.dir.join("dossier.toml");
    if manifest_path.exists() {
        return Err(Error::Usage {
            message: format!("`{}` already exists; init never overwrites a manifest", manifest_path.display()),
            hint: Some("edit it, or run init in another folder".into()),
        });
    }
    // Parse the template before writing anything, so the skeleton matches what it says.
    let manifest = crate::manifest::parse(
        template.text,
        &std::path::absolute(&manifest_path).map_err(|e| Error::io("resolve", &manifest_path, e))?,
    )?;
    files::write_new(&manifest_path, template.text.as_bytes())?;
    let folders = skeleton(&manifest);
    for folder in &folders {
        files::create_dir_all(folder)?;
    }
    let mut text = format!("wrote {}\n", manifest_path.display());
    for folder in &folders {
        text += &format!("created {}/\n", folder.display());
    }
    text += "next: put the documents in those folders, fill in [student] and [period], then run `dossier check`\n";
    out.write_all(text.as_bytes()).map_err(|e| Error::io("write", "standard output", e))?;
    Ok(Outcome::Ready)
}

/// The documents folder and the sub-folders the template's globs name ("급여명세서/**").
fn skeleton(manifest: &crate::manifest::Manifest) -> Vec<std::path::PathBuf> {
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
    folders.iter().map(|f| relative_to_cwd(f)).collect()
}

fn relative_to_cwd(path: &Path) -> std::path::PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_a_valid_manifest() {
        for t in TEMPLATES {
            let m = crate::manifest::parse(t.text, Path::new("/x/dossier.toml"))
                .unwrap_or_else(|e| panic!("{}: {e}", t.name));
            assert!(!m.items.is_empty() && !m.recipients.is_empty(), "{}", t.name);
        }
    }
}
