//! The syntax mistakes people make in TOML, found before toml sees them, so that every one is
//! reported in one run (toml stops at the first). A line scan finds unquoted non-ASCII keys
//! (`이름 = "홍길동"`), dotted dates (`start = 2023.03.02`) and backslashes that are not escapes
//! (`"증빙\사진\*.jpg"`), and repairs them in a copy of the text; toml then parses the copy, and
//! every offset it reports is mapped back to the text the student wrote.

use crate::error::manifest::ManifestProblem;

/// The text with the known mistakes repaired, and how to map its offsets back.
pub(super) struct Repaired {
    /// The repaired text.
    pub text: String,
    /// Offsets in the original text where one byte (a quote) was inserted, ascending.
    inserts: Vec<usize>,
}

impl Repaired {
    /// The original offset of `offset` in the repaired text.
    pub fn original(&self, offset: usize) -> usize {
        let before = self.inserts.iter().enumerate().take_while(|(i, at)| **at + i < offset).count();
        offset - before
    }
}

/// A fix to the copy: a quote inserted before an original offset, or one byte replaced.
enum Edit {
    Quote(usize),
    Slash(usize),
}

/// The mistakes found (with their original offsets) and the repaired copy.
pub(super) fn prescan(text: &str) -> (Vec<(usize, ManifestProblem)>, Repaired) {
    let mut found = Vec::new();
    let mut edits = Vec::new();
    let mut offset = 0;
    let mut in_multiline = false;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let toggles = line.matches("\"\"\"").count() + line.matches("'''").count();
        if in_multiline || toggles > 0 {
            in_multiline ^= toggles % 2 == 1;
            continue;
        }
        scan_line(line, start, &mut found, &mut edits);
    }
    (found, apply(text, edits))
}

fn apply(text: &str, mut edits: Vec<Edit>) -> Repaired {
    edits.sort_by_key(|e| match e {
        Edit::Quote(at) | Edit::Slash(at) => *at,
    });
    let mut out = String::with_capacity(text.len() + edits.len());
    let mut inserts = Vec::new();
    let mut copied = 0;
    for edit in edits {
        match edit {
            Edit::Quote(at) => {
                out.push_str(&text[copied..at]);
                out.push('"');
                inserts.push(at);
                copied = at;
            }
            Edit::Slash(at) => {
                out.push_str(&text[copied..at]);
                out.push('/');
                copied = at + 1;
            }
        }
    }
    out.push_str(&text[copied..]);
    Repaired { text: out, inserts }
}

/// The shape of one line: its quoted strings and the first `=` and `#` outside them.
struct LineShape {
    /// (quote char, start, end) byte ranges, quotes included.
    strings: Vec<(char, usize, usize)>,
    equals: Option<usize>,
    comment: Option<usize>,
}

fn strings_of(line: &str) -> LineShape {
    let mut strings = Vec::new();
    let (mut equals, mut comment) = (None, None);
    let mut open: Option<(char, usize)> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match open {
            Some((q, s)) => {
                if q == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    strings.push((q, s, i + 1));
                    open = None;
                }
                escaped = false;
            }
            None if c == '"' || c == '\'' => open = Some((c, i)),
            None if c == '=' && equals.is_none() => equals = Some(i),
            None if c == '#' => {
                comment = Some(i);
                break;
            }
            None => {}
        }
    }
    LineShape { strings, equals, comment }
}

fn scan_line(line: &str, start: usize, found: &mut Vec<(usize, ManifestProblem)>, edits: &mut Vec<Edit>) {
    let body = line.trim_start();
    if body.starts_with('[') || body.starts_with('#') {
        return;
    }
    let LineShape { strings, equals, comment } = strings_of(line);
    if let Some(eq) = equals {
        let key = line[..eq].trim();
        let key_at = line.len() - body.len();
        if !key.is_ascii() && !key.contains(['"', '\'']) && !key.is_empty() {
            found.push((start + key_at, ManifestProblem::UnquotedKey { key: key.to_string() }));
            edits.push(Edit::Quote(start + key_at));
            edits.push(Edit::Quote(start + key_at + key.len()));
        }
        let value_end = comment.unwrap_or(line.len());
        if let Some((value_at, problem)) = dotted_date(key, &line[eq + 1..value_end]) {
            let at = start + eq + 1 + value_at;
            edits.push(Edit::Quote(at));
            if let ManifestProblem::DottedDate { value, .. } = &problem {
                edits.push(Edit::Quote(at + value.len()));
            }
            found.push((at, problem));
        }
    }
    for (_, from, to) in strings.into_iter().filter(|(q, _, _)| *q == '"') {
        bad_escapes(&line[from + 1..to - 1], start + from + 1, found, edits);
    }
}

/// `2023.03.02` (or `2023.3.2.`) where a value should be: toml reads a broken float.
fn dotted_date(key: &str, value: &str) -> Option<(usize, ManifestProblem)> {
    let token = value.trim();
    let at = value.len() - value.trim_start().len();
    let parts: Vec<&str> = token.trim_end_matches('.').split('.').collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    let iso = format!("{y}-{m:0>2}-{d:0>2}");
    let key = key.trim_matches(['"', '\'']).to_string();
    Some((at, ManifestProblem::DottedDate { key, value: token.to_string(), iso }))
}

/// Backslashes in a basic string that start no TOML escape (`\사`, `\*`): a Windows path.
fn bad_escapes(content: &str, at: usize, found: &mut Vec<(usize, ManifestProblem)>, edits: &mut Vec<Edit>) {
    let mut bad = Vec::new();
    let mut chars = content.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            continue;
        }
        let hex = |n: usize| content.get(i + 2..i + 2 + n).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        let ok = match chars.next() {
            Some((_, 'b' | 't' | 'n' | 'f' | 'r' | 'e' | '"' | '\\')) => true,
            Some((_, 'u')) => hex(4),
            Some((_, 'U')) => hex(8),
            Some((_, 'x')) => hex(2),
            _ => false,
        };
        if !ok {
            bad.push(i);
        }
    }
    let Some(first) = bad.first() else { return };
    found.push((
        at + first,
        ManifestProblem::Backslash { text: content.to_string(), fixed: content.replace('\\', "/") },
    ));
    edits.extend(bad.iter().map(|i| Edit::Slash(at + i)));
}

/// toml's error as a problem: unknown and missing keys get their own, with the keys that exist.
pub(super) fn from_toml(message: &str) -> ManifestProblem {
    let ticked: Vec<String> = message.split('`').skip(1).step_by(2).map(str::to_string).collect();
    if message.starts_with("unknown field") && !ticked.is_empty() {
        let key = ticked[0].clone();
        let known = ticked[1..].to_vec();
        let near = super::validate::closest(&key, known.iter().map(String::as_str)).map(str::to_string);
        ManifestProblem::UnknownKey { key, near, known }
    } else if message.starts_with("missing field") && !ticked.is_empty() {
        ManifestProblem::MissingKey { key: ticked[0].clone() }
    } else if message.starts_with("invalid type") || message.starts_with("unknown variant") {
        ManifestProblem::WrongType { detail: message.to_string() }
    } else {
        ManifestProblem::Syntax { detail: message.to_string() }
    }
}

/// Keys of each table, as `raw.rs` declares them (`deny_unknown_fields` there stops at the first
/// unknown key; this walk finds them all, so two typos take one run).
const TOP_KEYS: &[&str] = &["bundle", "student", "period", "items", "recipients"];
const BUNDLE_KEYS: &[&str] = &[
    "title",
    "short_title",
    "root",
    "output",
    "font",
    "stamp",
    "file_name",
    "allow_outside_root",
    "lang",
    "fit",
    "keep_originals",
];
const FONT_KEYS: &[&str] = &["path", "index"];
const PERIOD_KEYS: &[&str] = &["start", "end"];
const ITEM_KEYS: &[&str] = &[
    "id",
    "title",
    "files",
    "kinds",
    "required",
    "min",
    "max",
    "pages",
    "per_month",
    "password_env",
    "max_size",
    "hint",
];
const PAGES_KEYS: &[&str] = &["min", "max"];
const RECIPIENT_KEYS: &[&str] = &[
    "id",
    "title",
    "items",
    "max_attachment",
    "email",
    "file_name",
    "attach",
    "fit",
    "keep_originals",
    "subject",
    "greeting",
    "body",
];

/// Every key of `text` that no table of the manifest has, with its offset; empty when `text`
/// is not TOML (its syntax error is reported instead).
pub(super) fn unknown_keys(text: &str) -> Vec<(usize, ManifestProblem)> {
    use toml::de::{DeTable, DeValue};
    fn as_table<'a, 'i>(value: &'a toml::Spanned<DeValue<'i>>) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        }
    }
    fn tables<'a, 'i>(top: &'a DeTable<'i>, key: &str) -> Vec<&'a DeTable<'i>> {
        match top.get(key).map(|v| v.get_ref()) {
            Some(DeValue::Array(items)) => items.iter().filter_map(as_table).collect(),
            _ => Vec::new(),
        }
    }
    fn check(table: &DeTable<'_>, known: &[&str], found: &mut Vec<(usize, ManifestProblem)>) {
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                let near = super::validate::closest(name, known.iter().copied()).map(str::to_string);
                let known = known.iter().map(|k| k.to_string()).collect();
                found.push((key.span().start, ManifestProblem::UnknownKey { key: name.to_string(), near, known }));
            }
        }
    }
    let Ok(doc) = DeTable::parse(text) else { return Vec::new() };
    let top = doc.get_ref();
    let mut found = Vec::new();
    check(top, TOP_KEYS, &mut found);
    if let Some(bundle) = top.get("bundle").and_then(as_table) {
        check(bundle, BUNDLE_KEYS, &mut found);
        if let Some(font) = bundle.get("font").and_then(as_table) {
            check(font, FONT_KEYS, &mut found);
        }
    }
    if let Some(period) = top.get("period").and_then(as_table) {
        check(period, PERIOD_KEYS, &mut found);
    }
    for item in tables(top, "items") {
        check(item, ITEM_KEYS, &mut found);
        if let Some(pages) = item.get("pages").and_then(as_table) {
            check(pages, PAGES_KEYS, &mut found);
        }
    }
    for recipient in tables(top, "recipients") {
        check(recipient, RECIPIENT_KEYS, &mut found);
    }
    found
}
