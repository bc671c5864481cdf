//! `dossier inspect`: what dossier sees in each file.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::Terminal;
use crate::error::Error;
use crate::i18n::{Catalog, Msg};
use crate::inspect::{Content, FileFacts, Severity};
use crate::size::format_size;

/// What `dossier inspect` prints for each file.
pub fn write_inspect(term: &mut Terminal<'_>, facts: &[(PathBuf, FileFacts)]) -> Result<(), Error> {
    let c = term.catalog();
    let mut text = String::new();
    for (path, f) in facts {
        text += &format!("{}\n", path.display());
        text += &format!("  {}  {}\n", c.word("inspect-kind"), describe(&f.content, c));
        text += &format!("  {}  {} ({})\n", c.word("inspect-bytes"), f.bytes, format_size(f.bytes));
        text += &format!("  {}  {}\n", c.word("inspect-sha256"), f.sha256);
        for p in &f.problems {
            let word = c.word(if p.severity == Severity::Error { "inspect-rejected" } else { "inspect-warning" });
            let what = Msg::new("sentence-file").arg("file", file_name(path)).with("message", p.problem.message());
            let line = match p.problem.hint() {
                Some(hint) => Msg::new("sentence-hint").with("what", what).with("hint", hint),
                None => what,
            };
            text += &format!("  {word}  {}\n", c.text(&line));
        }
    }
    term.print(&text)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn describe(content: &Content, c: &Catalog) -> String {
    match content {
        Content::Pdf(p) => {
            let encryption = match &p.encryption {
                Some(e) if e.opened => Msg::new("inspect-pdf-encrypted-opened").arg("method", &e.method),
                Some(e) => Msg::new("inspect-pdf-encrypted-locked").arg("method", &e.method),
                None => Msg::new("inspect-pdf-plain"),
            };
            let msg = Msg::new("inspect-pdf")
                .arg("version", &p.version)
                .arg("pages", p.pages.map_or(-1, i64::from))
                .with("encryption", encryption)
                .arg("repaired", if p.repaired { "yes" } else { "no" });
            c.text(&msg)
        }
        Content::Image(i) => {
            let format = format!("{:?}", i.format).to_uppercase();
            let color = format!("{:?}", i.color).to_lowercase();
            let msg = Msg::new("inspect-image")
                .arg("format", format)
                .arg("width", i.width)
                .arg("height", i.height)
                .arg("color", color)
                .arg("bits", i.bit_depth)
                .arg("alpha", if i.has_alpha { "yes" } else { "no" })
                .arg("orientation", i.orientation.map_or(0, i64::from));
            c.text(&msg)
        }
        Content::Text(t) => c.text(
            &Msg::new(if t.markdown { "inspect-markdown" } else { "inspect-text" })
                .arg("encoding", t.encoding.label())
                .arg("lines", t.lines)
                .arg("crlf", if t.crlf { "yes" } else { "no" }),
        ),
        Content::Other(o) => c.text(&o.what.noun()),
    }
}

/// `dossier inspect --json`.
pub fn inspect_json(facts: &[(PathBuf, FileFacts)], catalog: &Catalog) -> Value {
    let files: Vec<Value> = facts
        .iter()
        .map(|(path, f)| {
            let mut v = serde_json::to_value(f).expect("facts serialise");
            v["path"] = json!(path);
            v["kind"] = json!(f.kind().map(|k| k.as_str()));
            v["pages"] = json!(f.pages());
            let problems: Vec<Value> = f
                .problems
                .iter()
                .map(|p| {
                    let mut o = serde_json::to_value(p).expect("problems serialise");
                    o["code"] = json!(p.problem.code());
                    o["message"] = json!(catalog.text(&p.problem.message()));
                    o["hint"] = json!(p.problem.hint().map(|h| catalog.text(&h)));
                    o
                })
                .collect();
            v["problems"] = json!(problems);
            v
        })
        .collect();
    json!({ "ok": facts.iter().all(|(_, f)| !f.has_errors()), "files": files })
}
