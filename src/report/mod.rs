//! Reports: check verdicts, inspection facts, build summaries and fatal errors, as a terminal
//! table or JSON. The only place that decides layout and colour; every word comes from the
//! catalogue of the terminal's language. Takes plain data (the check report, facts, summaries)
//! and knows nothing of how they were made.

mod build;
mod check;
pub mod cohort;
mod inspect;
mod verify;

pub use build::{
    DryRunMail, RecipientSummary, SummaryState, Written, build_json, mail_lines, write_build, write_dry_run,
};
pub use check::{check_json, finding_json, write_check};
pub use inspect::{inspect_json, write_inspect};
pub use verify::{verify_json, write_verify};

use std::io::Write;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::error::{Error, IoAction, Location};
use crate::i18n::{Catalog, Lang, Msg};

/// Where a command writes: standard output and error, in one language, with or without colour.
pub struct Terminal<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    catalog: &'static Catalog,
    color_out: bool,
    color_err: bool,
}

impl<'a> Terminal<'a> {
    /// A terminal writing to `out` and `err`.
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write, lang: Lang, color: (bool, bool)) -> Self {
        Terminal { out, err, catalog: Catalog::get(lang), color_out: color.0, color_err: color.1 }
    }

    /// The catalogue of the terminal's language.
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    /// A message's text.
    pub fn text(&self, msg: &Msg) -> String {
        self.catalog.text(msg)
    }

    /// Writes to standard output. A closed pipe (`dossier check | head`) is not an error.
    pub fn print(&mut self, text: &str) -> Result<(), Error> {
        quiet_pipe(self.out.write_all(text.as_bytes()))
    }

    /// Writes to standard error.
    pub fn eprint(&mut self, text: &str) -> Result<(), Error> {
        quiet_pipe(self.err.write_all(text.as_bytes()))
    }

    /// Writes one JSON document and a newline to standard output.
    pub fn json(&mut self, value: &Value) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(value).expect("JSON values serialise");
        self.print(&(text + "\n"))
    }

    fn paint(&self, to_err: bool) -> Paint {
        Paint(if to_err { self.color_err } else { self.color_out })
    }

    /// Prints a fatal error once: `error: …`, the manifest line with a caret, then `hint: …`.
    pub fn error(&mut self, error: &Error) {
        let text = error_text(error, self.catalog, &self.paint(true));
        let _ = self.err.write_all(text.as_bytes());
    }
}

fn quiet_pipe(result: std::io::Result<()>) -> Result<(), Error> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io(IoAction::Print, "stdout", e)),
        _ => Ok(()),
    }
}

/// ANSI colour, or none (`Paint(false)`).
pub struct Paint(pub bool);

impl Paint {
    /// `text` in the colour of ANSI SGR `code`, or as it is.
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

/// Pads `text` to `width` terminal columns (Hangul is two columns wide).
pub(crate) fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// The whole text of a fatal error: message, source line with caret, hint. Several manifest
/// errors are each shown so, then counted.
pub fn error_text(error: &Error, catalog: &Catalog, paint: &Paint) -> String {
    let errors = error.manifest_errors();
    if errors.len() > 1 {
        let mut text: String = errors
            .iter()
            .map(|e| block(&e.message(), Some(&e.location), Some(&e.problem.hint()), catalog, paint))
            .collect();
        text += &block(&error.message(), None, None, catalog, paint);
        return text;
    }
    block(&error.message(), error.location(), error.hint().as_ref(), catalog, paint)
}

/// `error: …`, the source line with a caret under the column, `hint: …`.
fn block(message: &Msg, location: Option<&Location>, hint: Option<&Msg>, catalog: &Catalog, paint: &Paint) -> String {
    let mut text = format!("{} {}\n", paint.paint("31;1", &catalog.word("label-error")), catalog.text(message));
    if let Some(loc) = location.filter(|l| !l.source_line.is_empty()) {
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
    if let Some(hint) = hint {
        text += &format!("{} {}\n", paint.paint("36;1", &catalog.word("label-hint")), catalog.text(hint));
    }
    text
}

/// A fatal error as JSON: its code and message.
pub fn error_json(error: &Error, catalog: &Catalog) -> Value {
    let mut value = serde_json::json!({
        "code": error.code(),
        "message": catalog.text(&error.message()),
        "hint": error.hint().map(|h| catalog.text(&h)),
    });
    let errors: Vec<Value> = error
        .manifest_errors()
        .iter()
        .map(|e| {
            serde_json::json!({
                "code": e.problem.code(),
                "line": e.location.line,
                "column": e.location.column,
                "message": catalog.text(&e.problem.message()),
                "hint": catalog.text(&e.problem.hint()),
            })
        })
        .collect();
    if !errors.is_empty() {
        value["errors"] = Value::Array(errors);
    }
    value
}
