//! `dossier check`: the verdict as a table with findings under each item, or as JSON.

use serde_json::{Map, Value, json};
use unicode_width::UnicodeWidthStr;

use super::{Paint, Terminal, pad};
use crate::check::{Finding, ItemReport, Status};
use crate::error::Error;
use crate::i18n::{Catalog, Msg};
use crate::inspect::Severity;
use crate::load::Checked;

/// The check verdict as the documented JSON shape; findings are objects with a stable `code`.
pub fn check_json(checked: &Checked, catalog: &Catalog) -> Value {
    let items: Vec<Value> = checked.report.items.iter().map(|i| item_json(i, catalog)).collect();
    json!({
        "manifest": checked.manifest.path,
        "ok": checked.report.ok,
        "student": student_json(&checked.manifest.student),
        "student_id": checked.manifest.student_field(crate::plan::STUDENT_ID_KEYS),
        "student_name": checked.manifest.student_field(crate::plan::STUDENT_NAME_KEYS),
        "items": items,
        "unclaimed": checked.report.unclaimed.iter().map(|f| finding_json(f, catalog)).collect::<Vec<_>>(),
        "recipients": checked.report.recipients,
    })
}

fn student_json(fields: &[(String, String)]) -> Value {
    Value::Object(fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

/// One finding: `code`, `severity`, `file`, `message`, `hint`, then its data.
pub fn finding_json(finding: &Finding, catalog: &Catalog) -> Value {
    let mut object = Map::new();
    object.insert("code".into(), json!(finding.code()));
    object.insert("severity".into(), json!(finding.severity));
    object.insert("file".into(), json!(finding.file));
    object.insert("message".into(), json!(catalog.text(&finding.sentence())));
    object.insert("hint".into(), json!(finding.hint().map(|h| catalog.text(&h))));
    if let Ok(Value::Object(data)) = serde_json::to_value(&finding.kind) {
        for (key, value) in data {
            if key != "finding" && !object.contains_key(&key) {
                object.insert(key, value);
            }
        }
    }
    Value::Object(object)
}

fn item_json(item: &ItemReport, catalog: &Catalog) -> Value {
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
    let problems: Vec<Value> = item.findings.iter().map(|f| finding_json(f, catalog)).collect();
    let warnings: Vec<Value> =
        item.findings.iter().filter(|f| f.severity == Severity::Warning).map(|f| finding_json(f, catalog)).collect();
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

fn status_word(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Ok => ("32", "status-ok"),
        Status::Warning => ("33", "status-warning"),
        Status::Missing => ("31", "status-missing"),
        Status::Invalid => ("31;1", "status-invalid"),
    }
}

/// The check verdict as a table, with the findings under each item.
pub fn write_check(term: &mut Terminal<'_>, checked: &Checked, to_err: bool) -> Result<(), Error> {
    let paint = term.paint(to_err);
    let c = term.catalog();
    let report = &checked.report;
    let heading = c.text(&Msg::new("check-heading").arg("path", checked.manifest.path.display().to_string()));
    let mut text = format!("{}\n", paint.paint("1", &heading));
    let label = |i: &ItemReport| format!("{} ({})", i.title, i.id);
    let width = report.items.iter().map(|i| UnicodeWidthStr::width(label(i).as_str())).max().unwrap_or(4).max(4);
    let words: Vec<String> =
        ["status-ok", "status-warning", "status-missing", "status-invalid"].map(|w| c.word(w)).into();
    let status_width = words.iter().map(|w| UnicodeWidthStr::width(w.as_str())).max().unwrap_or(8).max(6);
    text += &format!(
        "  {}  {}  {}  {}\n",
        pad(&c.word("column-item"), width),
        pad(&c.word("column-status"), status_width),
        right(&c.word("column-files"), 5),
        right(&c.word("column-pages"), 5)
    );
    for item in &report.items {
        let pages: u32 = item.files.iter().filter_map(|f| f.facts.pages()).sum();
        let (code, word) = status_word(item.status);
        let word = c.word(word);
        let status = paint.paint(code, &pad(&word, status_width));
        let optional = if item.required { String::new() } else { format!("  ({})", c.word("label-optional")) };
        text += &format!("  {}  {status}  {:>5}  {:>5}{optional}\n", pad(&label(item), width), item.files.len(), pages);
        for finding in &item.findings {
            let mark =
                if finding.severity == Severity::Error { paint.paint("31", "✗") } else { paint.paint("33", "!") };
            text += &format!("      {mark} {}\n", c.text(&finding.sentence()));
        }
    }
    if !report.unclaimed.is_empty() {
        text += &format!("{}\n", c.word("check-unclaimed"));
        for finding in &report.unclaimed {
            text += &format!("  {} {}\n", paint.paint("33", "!"), c.text(&finding.sentence()));
        }
    }
    text += &recipients_text(checked, c, &paint);
    if to_err { term.eprint(&text) } else { term.print(&text) }
}

/// Right-aligns `text` in `width` terminal columns.
fn right(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(UnicodeWidthStr::width(text))))
}

fn recipients_text(checked: &Checked, c: &Catalog, paint: &Paint) -> String {
    let mut text = String::new();
    if !checked.report.recipients.is_empty() {
        text += &format!("{}\n", c.word("check-recipients"));
    }
    for r in &checked.report.recipients {
        let verdict = if r.ok {
            paint.paint("32", &c.word("check-ready"))
        } else {
            paint.paint("31", &c.text(&Msg::new("check-not_ready").arg("items", r.missing.join(", "))))
        };
        text += &format!("  {} ({}): {verdict}\n", r.title, r.id);
    }
    let summary = if checked.report.ok {
        paint.paint("32;1", &c.word("check-summary-ready"))
    } else {
        let count = |s: Status| checked.report.items.iter().filter(|i| i.required && i.status == s).count();
        let msg = Msg::new("check-summary-not_ready")
            .arg("missing", count(Status::Missing))
            .arg("invalid", count(Status::Invalid));
        paint.paint("31;1", &c.text(&msg))
    };
    text + &summary + "\n"
}
