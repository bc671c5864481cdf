//! Reports: check verdicts, inspection facts and fatal errors as a terminal table or JSON.
//! The only place that decides layout and colour. Functions write to the writer they are given.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::Checked;
use crate::check::{Finding, ItemReport, Status};
use crate::error::Error;
use crate::inspect::{Content, FileFacts, Severity};
use crate::manifest::size::format_size;

/// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
pub fn use_color(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

struct Paint(bool);

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
    fn status(&self, status: Status) -> String {
        let (code, word) = match status {
            Status::Ok => ("32", "ok"),
            Status::Warning => ("33", "warning"),
            Status::Missing => ("31", "missing"),
            Status::Invalid => ("31;1", "invalid"),
        };
        self.paint(code, word)
    }
}

/// A closed pipe (`dossier check | head`) is not an error worth reporting.
fn io(result: std::io::Result<()>) -> Result<(), Error> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("write", "standard output", e)),
        _ => Ok(()),
    }
}

/// Pads `text` to `width` terminal columns (Hangul is two columns wide).
fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// Writes one JSON document and a newline.
pub fn write_json(out: &mut dyn Write, value: &Value) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    io(writeln!(out, "{text}"))
}

/// The check verdict as the documented JSON shape.
pub fn check_json(checked: &Checked) -> Value {
    let items: Vec<Value> = checked.report.items.iter().map(item_json).collect();
    json!({
        "manifest": checked.manifest.path,
        "ok": checked.report.ok,
        "items": items,
        "recipients": checked.report.recipients,
    })
}

fn item_json(item: &ItemReport) -> Value {
    let files: Vec<Value> = item
        .files
        .iter()
        .map(|f| {
            json!({
                "path": f.candidate.rel,
                "kind": f.facts.kind().map(|k| k.as_str()),
                "pages": f.facts.pages(),
                "bytes": f.facts.bytes,
                "sha256": f.facts.sha256,
                "month": f.month.map(|m| m.to_string()),
                "usable": f.usable,
            })
        })
        .collect();
    let problems: Vec<String> = item.findings.iter().map(Finding::sentence).collect();
    let warnings: Vec<String> =
        item.findings.iter().filter(|f| f.severity == Severity::Warning).map(Finding::sentence).collect();
    json!({
        "id": item.id,
        "title": item.title,
        "status": item.status,
        "required": item.required,
        "files": files,
        "problems": problems,
        "warnings": warnings,
    })
}

/// The check verdict as a table, with the findings under each item.
pub fn write_check(out: &mut dyn Write, checked: &Checked, color: bool) -> Result<(), Error> {
    let paint = Paint(color);
    let report = &checked.report;
    let mut text = format!("{}\n", paint.paint("1", &format!("dossier check: {}", checked.manifest.path.display())));
    let width = report.items.iter().map(|i| UnicodeWidthStr::width(label(i).as_str())).max().unwrap_or(4).max(4);
    text += &format!("  {}  {}  {:>5}  {:>5}\n", pad("ITEM", width), pad("STATUS", 8), "FILES", "PAGES");
    for item in &report.items {
        let pages: u32 = item.files.iter().filter_map(|f| f.facts.pages()).sum();
        let status = paint.status(item.status);
        let status_pad = " ".repeat(8usize.saturating_sub(status_word_len(item.status)));
        let optional = if item.required { "" } else { "  (optional)" };
        text += &format!(
            "  {}  {status}{status_pad}  {:>5}  {:>5}{optional}\n",
            pad(&label(item), width),
            item.files.len(),
            pages
        );
        for finding in &item.findings {
            let mark =
                if finding.severity == Severity::Error { paint.paint("31", "✗") } else { paint.paint("33", "!") };
            text += &format!("      {mark} {}\n", finding.sentence());
        }
    }
    text += &recipients_text(checked, &paint);
    io(out.write_all(text.as_bytes()))
}

fn status_word_len(status: Status) -> usize {
    match status {
        Status::Ok => 2,
        Status::Warning | Status::Missing | Status::Invalid => 7,
    }
}

fn label(item: &ItemReport) -> String {
    format!("{} ({})", item.title, item.id)
}

fn recipients_text(checked: &Checked, paint: &Paint) -> String {
    let mut text = String::new();
    if !checked.report.recipients.is_empty() {
        text += "recipients:\n";
    }
    for r in &checked.report.recipients {
        let verdict = if r.ok {
            paint.paint("32", "ready")
        } else {
            paint.paint("31", &format!("not ready: {}", r.missing.join(", ")))
        };
        text += &format!("  {} ({}): {verdict}\n", r.title, r.id);
    }
    let summary = if checked.report.ok {
        paint.paint("32;1", "ready: every required item is present and valid")
    } else {
        let count = |s: Status| checked.report.items.iter().filter(|i| i.required && i.status == s).count();
        paint.paint(
            "31;1",
            &format!("not ready: {} item(s) missing, {} invalid", count(Status::Missing), count(Status::Invalid)),
        )
    };
    text + &summary + "\n"
}

/// What `dossier inspect` prints for each file.
pub fn write_inspect(out: &mut dyn Write, facts: &[(PathBuf, FileFacts)]) -> Result<(), Error> {
    let mut text = String::new();
    for (path, f) in facts {
        text += &format!("{}\n", path.display());
        text += &format!("  kind:      {}\n", describe(&f.content));
        text += &format!("  bytes:     {} ({})\n", f.bytes, format_size(f.bytes));
        text += &format!("  sha256:    {}\n", f.sha256);
        for p in &f.problems {
            let word = if p.severity == Severity::Error { "rejected" } else { "warning" };
            let hint = p.hint.as_ref().map(|h| format!(": {h}")).unwrap_or_default();
            text += &format!("  {word}:  {} {}{hint}\n", file_name(path), p.message);
        }
    }
    io(out.write_all(text.as_bytes()))
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn describe(content: &Content) -> String {
    match content {
        Content::Pdf(p) => {
            let pages = p.pages.map_or("? pages".to_string(), |n| format!("{n} page(s)"));
            let enc = match &p.encryption {
                Some(e) if e.opened => format!(", encrypted ({}), opened", e.method),
                Some(e) => format!(", encrypted ({}), not opened", e.method),
                None => ", not encrypted".into(),
            };
            let repaired = if p.repaired { ", repaired" } else { "" };
            format!("PDF {}, {pages}{enc}{repaired}", p.version)
        }
        Content::Image(i) => {
            let orientation = i.orientation.map(|o| format!(", EXIF orientation {o}")).unwrap_or_default();
            let alpha = if i.has_alpha { ", alpha" } else { "" };
            format!(
                "image {:?} {}×{} px, {:?} {}-bit{alpha}{orientation}",
                i.format, i.width, i.height, i.color, i.bit_depth
            )
            .to_lowercase()
        }
        Content::Text(t) => {
            let md = if t.markdown { "Markdown" } else { "text" };
            format!("{md}, {}, {} line(s){}", t.encoding.label(), t.lines, if t.crlf { ", CRLF" } else { "" })
        }
        Content::Other(o) => o.what.clone(),
    }
}

/// `dossier inspect --json`.
pub fn inspect_json(facts: &[(PathBuf, FileFacts)]) -> Value {
    let files: Vec<Value> = facts
        .iter()
        .map(|(path, f)| {
            let mut v = serde_json::to_value(f).expect("facts serialise");
            v["path"] = json!(path);
            v["kind"] = json!(f.kind().map(|k| k.as_str()));
            v["pages"] = json!(f.pages());
            v
        })
        .collect();
    json!({ "ok": facts.iter().all(|(_, f)| !f.has_errors()), "files": files })
}

/// Prints a fatal error once: `error: …`, the manifest line with a caret, then `hint: …`.
pub fn write_error(err: &mut dyn Write, error: &Error) {
    let color = use_color(&std::io::stderr());
    let paint = Paint(color);
    let mut text = format!("{} {error}\n", paint.paint("31;1", "error:"));
    if let Some(loc) = error.location() {
        let gutter = loc.line.to_string();
        let caret_at: usize = loc
            .source_line
            .chars()
            .take(loc.column.saturating_sub(1))
            .map(|c| UnicodeWidthStr::width(c.to_string().as_str()))
            .sum();
        text += &format!(
            " {} |\n {gutter} | {}\n {} | {}^\n",
            " ".repeat(gutter.len()),
            loc.source_line,
            " ".repeat(gutter.len()),
            " ".repeat(caret_at)
        );
    }
    if let Some(hint) = error.hint() {
        text += &format!("{} {hint}\n", paint.paint("36;1", "hint:"));
    }
    let _ = err.write_all(text.as_bytes());
}

/// The build summary: per recipient, every file written with size, pages and SHA-256, and
/// every warning.
pub fn write_build(out: &mut dyn Write, results: &[crate::build::RecipientBuild]) -> Result<(), Error> {
    let mut text = String::new();
    for r in results {
        let state = match (r.built, r.draft) {
            (false, _) => format!("not built: missing {}", r.missing.join(", ")),
            (true, true) => format!("built as DRAFT (placeholders for {})", r.missing.join(", ")),
            (true, false) => "built".to_string(),
        };
        text += &format!("{} ({}): {state}\n", r.title, r.id);
        for f in &r.files {
            let pages = f.pages.map(|p| format!(", {p} pages")).unwrap_or_default();
            text += &format!("  {}  {}{pages}  sha256 {}\n", f.path.display(), format_size(f.bytes), f.sha256);
        }
        for w in &r.warnings {
            text += &format!("  ! {w}\n");
        }
    }
    io(out.write_all(text.as_bytes()))
}
