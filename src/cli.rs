//! The command line, as clap derive types only. Turning these into work is `cmd`'s job.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Checks and assembles the document bundle for internship credit (학점인정 제출 서류).
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Language of messages: ko or en (default: from LC_ALL, LC_MESSAGES, LANG or DOSSIER_LANG).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<crate::i18n::Lang>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Say what is missing or wrong before anything is emailed (exit 0 ready, 1 not ready, 2 usage).
    #[command(
        after_help = "Examples:\n  dossier check\n  dossier check manifests/example.toml --recipient professor\n  dossier check students/*/dossier.toml --json > cohort.json"
    )]
    Check(CheckArgs),

    /// Write, for each recipient, the merged PDF, the zip of originals and a mail draft.
    #[command(
        after_help = "Examples:\n  dossier build\n  dossier build manifests/example.toml --recipient placement\n  dossier build --draft   # build even with items missing, marked DRAFT"
    )]
    Build(BuildArgs),

    /// Write a starter dossier.toml and the folders it expects, from a shipped template.
    #[command(after_help = "Examples:\n  dossier init --list\n  dossier init my-internship --template ict-internship")]
    Init(InitArgs),

    /// Print what dossier sees in files: kind, pages, size, encryption, image size, encoding.
    #[command(
        after_help = "Examples:\n  dossier inspect 급여명세서_2023-04.pdf\n  dossier inspect --json photos/*.jpg"
    )]
    Inspect(InspectArgs),

    /// Verify what arrived: zips, merged PDFs, mails (.eml) or folders of them (exit 0 intact and
    /// complete, 1 not, 2 usage).
    #[command(
        after_help = "Examples:\n  dossier verify 2019123456_김민준_학점인정서류.zip\n  dossier verify 받은메일/ --template ict-internship --recipient office --html cohort.html\n  dossier verify mail.eml --json"
    )]
    Verify(VerifyArgs),
}

/// Arguments shared by check and build.
#[derive(Debug, Args, Clone)]
pub struct Selection {
    /// Only these recipients (repeatable); all by default.
    #[arg(long = "recipient", short = 'r', value_name = "ID")]
    pub recipients: Vec<String>,

    /// Write one JSON document to stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// `dossier check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Manifests to check, or folders holding a dossier.toml; several check a whole cohort.
    #[arg(value_name = "MANIFEST", default_value = "dossier.toml")]
    pub manifests: Vec<PathBuf>,

    /// Which recipients, and the output format.
    #[command(flatten)]
    pub selection: Selection,

    /// Also write the cohort table as CSV (UTF-8 with BOM, for Excel).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Also write the cohort table as one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// `dossier verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Received zips, merged PDFs, mails (.eml), or folders holding them.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Judge completeness by this shipped template's list (see `dossier init --list`) instead of
    /// each bundle's own record.
    #[arg(long, value_name = "NAME", group = "standard")]
    pub template: Option<String>,

    /// Judge completeness by this manifest's list.
    #[arg(long, value_name = "MANIFEST", group = "standard")]
    pub manifest: Option<PathBuf>,

    /// With --template or --manifest: judge every bundle by this recipient's list (default: each
    /// bundle's own recipient).
    #[arg(long, short = 'r', value_name = "ID", requires = "standard")]
    pub recipient: Option<String>,

    /// Write one JSON document to stdout instead of the table.
    #[arg(long)]
    pub json: bool,

    /// Also write the table as CSV (UTF-8 with BOM, for Excel).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Also write the table as one self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// `dossier build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The manifest, or a folder holding dossier.toml.
    #[arg(value_name = "MANIFEST", default_value = "dossier.toml")]
    pub manifest: PathBuf,

    /// Which recipients, and the output format.
    #[command(flatten)]
    pub selection: Selection,

    /// Build even when required items are missing: a placeholder page stands in for each, and
    /// the cover says DRAFT.
    #[arg(long)]
    pub draft: bool,

    /// Fail (exit 1) when a recipient's mail is over its `max_attachment` (only possible with
    /// `fit = "off"`: otherwise build makes it fit or fails that recipient).
    #[arg(long)]
    pub strict: bool,

    /// With `fit = "off"`, still split a mail over its limit into parts that each fit, one draft
    /// per part (`fit = "auto"`, the default, splits by itself when nothing else fits).
    #[arg(long)]
    pub split: bool,

    /// Print what would be built (parts, each message with its attachments and size, what is
    /// compacted to fit) and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Write only the merged PDFs: no zip, no mail draft.
    #[arg(long, conflicts_with_all = ["split", "strict"])]
    pub pdf_only: bool,
}

/// `dossier init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write into (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// The template to start from.
    #[arg(long, short = 't', value_name = "NAME", default_value = "ict-internship")]
    pub template: String,

    /// List the templates and exit.
    #[arg(long)]
    pub list: bool,
}

/// `dossier inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files to inspect.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Password for encrypted PDFs is read from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,

    /// Write JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_lang(value: &str) -> Result<crate::i18n::Lang, String> {
    crate::i18n::Lang::parse(value).ok_or_else(|| format!("`{value}` is not a language dossier speaks: use ko or en"))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_valid() {
        super::Cli::command().debug_assert();
    }
}
