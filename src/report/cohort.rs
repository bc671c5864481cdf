//! The cohort table: one row per student (학번, 이름, each recipient ready or not and what is
//! missing), sorted by 학번, then the details of the students with problems. As terminal text,
//! as CSV that Excel opens with Hangul intact (UTF-8 with a BOM, CRLF), and as one
//! self-contained HTML page with a "only students with problems" filter.
//!
//! Takes plain data with every text already in the reader's language: `verify` and `check`
//! both fill a [`Cohort`].

use unicode_width::UnicodeWidthStr;

use super::{Paint, pad};
use crate::i18n::Catalog;

/// The table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cohort {
    /// The recipient columns: (id, title), in order.
    pub recipients: Vec<(String, String)>,
    /// The students.
    pub rows: Vec<Row>,
}

/// One student.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// 학번 (empty when unknown).
    pub id: String,
    /// 이름.
    pub name: String,
    /// One cell per recipient column; `None` when nothing for that recipient was looked at.
    pub cells: Vec<Option<Cell>>,
    /// What is wrong, by source (a file, a manifest): shown only for students with problems.
    pub details: Vec<(String, Vec<String>)>,
}

/// One recipient's state for one student.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Ready to hand over.
    pub ready: bool,
    /// What is missing or wrong, short ("missing: 수료증").
    pub notes: Vec<String>,
}

impl Row {
    /// Every cell there is ready and nothing else is wrong.
    pub fn ok(&self) -> bool {
        self.cells.iter().flatten().all(|c| c.ready) && self.details.iter().all(|(_, lines)| lines.is_empty())
    }
}

impl Cohort {
    /// Sorts the rows by 학번 (students without one last, by name).
    pub fn sort(&mut self) {
        self.rows.sort_by(|a, b| (a.id.is_empty(), &a.id, &a.name).cmp(&(b.id.is_empty(), &b.id, &b.name)));
    }

    /// Every row is ok.
    pub fn ok(&self) -> bool {
        self.rows.iter().all(Row::ok)
    }

    fn header(&self, c: &Catalog) -> Vec<String> {
        let mut header = vec![c.word("cohort-column-id"), c.word("cohort-column-name")];
        header.extend(self.recipients.iter().map(|(_, title)| title.clone()));
        header
    }

    fn cell_text(cell: &Option<Cell>, c: &Catalog) -> String {
        match cell {
            None => "-".to_string(),
            Some(cell) if cell.ready => c.word("cohort-ready"),
            Some(cell) if cell.notes.is_empty() => c.word("cohort-not_ready"),
            Some(cell) => format!("{}: {}", c.word("cohort-not_ready"), cell.notes.join(", ")),
        }
    }

    fn texts(&self, row: &Row, c: &Catalog) -> Vec<String> {
        let mut cells = vec![row.id.clone(), row.name.clone()];
        cells.extend(row.cells.iter().map(|cell| Cohort::cell_text(cell, c)));
        cells
    }
}

/// The table and the details, for a terminal.
pub fn cohort_text(cohort: &Cohort, c: &Catalog, paint: &Paint) -> String {
    let header = cohort.header(c);
    let rows: Vec<Vec<String>> = cohort.rows.iter().map(|r| cohort.texts(r, c)).collect();
    // Every column but the last is padded; the last may be long and is left to wrap.
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().chain([&header]).map(|r| UnicodeWidthStr::width(r[i].as_str())).max().unwrap_or(0))
        .collect();
    let line = |cells: &[String], colour: &dyn Fn(usize, String) -> String| {
        let last = cells.len() - 1;
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, t)| colour(i, if i == last { t.clone() } else { pad(t, widths[i]) }))
            .collect();
        format!("  {}\n", parts.join("  ").trim_end())
    };
    let mut text = line(&header, &|_, t| paint.paint("1", &t));
    for (row, cells) in cohort.rows.iter().zip(&rows) {
        text += &line(cells, &|i, t| match i.checked_sub(2).and_then(|k| row.cells.get(k)) {
            Some(Some(cell)) => paint.paint(if cell.ready { "32" } else { "31" }, &t),
            _ => t,
        });
    }
    let problems: Vec<&Row> = cohort.rows.iter().filter(|r| !r.ok()).collect();
    let summary =
        crate::i18n::Msg::new("cohort-summary").arg("students", cohort.rows.len()).arg("problems", problems.len());
    text += &format!("{}\n", paint.paint(if problems.is_empty() { "32;1" } else { "31;1" }, &c.text(&summary)));
    for row in problems {
        text += &format!("\n{}\n", paint.paint("1", format!("{} {}", row.id, row.name).trim()));
        for (source, lines) in &row.details {
            if lines.is_empty() {
                continue;
            }
            text += &format!("  {source}\n");
            for l in lines {
                text += &format!("    {} {l}\n", paint.paint("31", "✗"));
            }
        }
    }
    text
}

/// The table as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Hangul as
/// the ANSI code page), CRLF line ends, every field quoted where needed, and a last column with
/// every problem.
pub fn cohort_csv(cohort: &Cohort, c: &Catalog) -> Vec<u8> {
    let mut header = cohort.header(c);
    header.push(c.word("cohort-column-problems"));
    let mut text = String::from("\u{feff}");
    text += &csv_line(&header);
    for row in &cohort.rows {
        let mut cells = cohort.texts(row, c);
        cells.push(row.details.iter().flat_map(|(_, lines)| lines.iter().cloned()).collect::<Vec<_>>().join("; "));
        text += &csv_line(&cells);
    }
    text.into_bytes()
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
    quoted.join(",") + "\r\n"
}

/// RFC 4180 quoting; a field Excel would run as a formula (`=`, `+`, `-`, `@` first) gets a
/// leading apostrophe, so a file name cannot become a formula in the office's spreadsheet.
fn csv_field(text: &str) -> String {
    let text =
        if text.starts_with(['=', '+', '-', '@']) && text != "-" { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// One HTML page: the table, a filter for students with problems (also `#problems` in the
/// address), and each such student's details. No external assets, no network.
pub fn cohort_html(cohort: &Cohort, c: &Catalog, title: &str) -> String {
    let mut body = String::new();
    body += &format!(
        "<h1>{}</h1>\n<p class=\"summary\">{}</p>\n<p><label><input type=\"checkbox\" id=\"only-problems\"> {}</label> <span class=\"shown\">(<span id=\"shown\">{}</span>/{})</span></p>\n",
        esc(title),
        esc(&c.text(
            &crate::i18n::Msg::new("cohort-summary")
                .arg("students", cohort.rows.len())
                .arg("problems", cohort.rows.iter().filter(|r| !r.ok()).count())
        )),
        esc(&c.word("cohort-filter")),
        cohort.rows.len(),
        cohort.rows.len()
    );
    body += "<table id=\"cohort\">\n<thead><tr>";
    for h in cohort.header(c) {
        body += &format!("<th>{}</th>", esc(&h));
    }
    body += "</tr></thead>\n<tbody>\n";
    for (n, row) in cohort.rows.iter().enumerate() {
        let class = if row.ok() { "ok" } else { "problem" };
        body += &format!("<tr class=\"student {class}\" data-id=\"{}\">", esc(&row.id));
        body += &format!("<td>{}</td>", esc(&row.id));
        let name = if row.ok() { esc(&row.name) } else { format!("<a href=\"#s{n}\">{}</a>", esc(&row.name)) };
        body += &format!("<td>{name}</td>");
        for cell in &row.cells {
            let state = match cell {
                None => "none",
                Some(c) if c.ready => "ready",
                Some(_) => "not-ready",
            };
            body += &format!("<td class=\"{state}\">{}</td>", esc(&Cohort::cell_text(cell, c)));
        }
        body += "</tr>\n";
    }
    body += "</tbody>\n</table>\n";
    let problems: Vec<(usize, &Row)> = cohort.rows.iter().enumerate().filter(|(_, r)| !r.ok()).collect();
    if !problems.is_empty() {
        body += &format!("<h2>{}</h2>\n", esc(&c.word("cohort-details")));
    }
    for (n, row) in problems {
        body += &format!("<section class=\"details\" id=\"s{n}\"><h3>{} {}</h3>\n", esc(&row.id), esc(&row.name));
        for (source, lines) in row.details.iter().filter(|(_, l)| !l.is_empty()) {
            body += &format!("<p class=\"source\">{}</p><ul>", esc(source));
            for l in lines {
                body += &format!("<li>{}</li>", esc(l));
            }
            body += "</ul>\n";
        }
        body += "</section>\n";
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{body}<script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        lang = c.lang().code(),
        title = esc(title),
    )
}

const CSS: &str = "body { font-family: 'Malgun Gothic', 'Apple SD Gothic Neo', 'Noto Sans KR', NanumGothic, sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { background: #eee; }
td:nth-child(-n+2), th:nth-child(-n+2) { white-space: nowrap; }
td.ready { color: #17631d; }
td.not-ready { color: #a4161a; font-weight: bold; }
tr.problem td:first-child { border-left: 4px solid #a4161a; }
body.only-problems tr.ok { display: none; }
.details { margin: 1em 0; }
.source { color: #555; margin: 0.2em 0; }
";

const SCRIPT: &str = "var box = document.getElementById('only-problems');
function apply() {
  document.body.classList.toggle('only-problems', box.checked);
  var shown = 0;
  document.querySelectorAll('tr.student').forEach(function (tr) {
    if (getComputedStyle(tr).display !== 'none') { shown += 1; }
  });
  document.getElementById('shown').textContent = shown;
}
box.addEventListener('change', apply);
if (location.hash === '#problems') { box.checked = true; }
apply();
";

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn cohort() -> Cohort {
        let mut cohort = Cohort {
            recipients: vec![("office".into(), "학과사무실".into())],
            rows: vec![
                Row {
                    id: "2020".into(),
                    name: "이서연".into(),
                    cells: vec![Some(Cell { ready: false, notes: vec!["missing: 수료증".into()] })],
                    details: vec![("a.zip".into(), vec!["=cmd, \"quoted\"".into()])],
                },
                Row {
                    id: "2019".into(),
                    name: "김민준".into(),
                    cells: vec![Some(Cell { ready: true, notes: vec![] })],
                    details: vec![],
                },
            ],
        };
        cohort.sort();
        cohort
    }

    #[test]
    fn rows_sort_by_student_id_and_only_problem_students_get_details() {
        let text = cohort_text(&cohort(), Catalog::get(Lang::En), &Paint(false));
        let kim = text.find("김민준").unwrap();
        let lee = text.find("이서연").unwrap();
        assert!(kim < lee, "{text}");
        assert!(text.contains("\n2020 이서연\n"), "{text}");
        assert!(!text.contains("\n2019 김민준\n"), "{text}");
    }

    #[test]
    fn csv_has_a_bom_crlf_and_quotes_and_defuses_formulas() {
        let csv = String::from_utf8(cohort_csv(&cohort(), Catalog::get(Lang::Ko))).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert_eq!(csv.matches("\r\n").count(), 3);
        assert!(csv.contains("\"'=cmd, \"\"quoted\"\"\""), "{csv}");
    }

    #[test]
    fn html_is_self_contained_and_escapes() {
        let mut c = cohort();
        c.rows[0].name = "<b>".into();
        let html = cohort_html(&c, Catalog::get(Lang::Ko), "t");
        assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"));
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src="));
    }
}
