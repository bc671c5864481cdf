//! Semantic checks on the parsed manifest: ids, references, dates, sizes, globs. Each failure
//! points at the key it is about (file:line:column) and says how to fix it.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

use super::raw::{RawBundle, RawDate, RawFont, RawItem, RawManifest, RawRecipient, RawSize};
use super::size::parse_size;
use super::*;

struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Ctx<'_> {
    fn err<T>(
        &self,
        span: std::ops::Range<usize>,
        message: String,
        hint: impl Into<Option<String>>,
    ) -> Result<T, Error> {
        Err(Error::ManifestInvalid {
            location: Location::from_offset(self.path, self.text, span.start),
            message,
            hint: hint.into(),
        })
    }

    /// Paths in the manifest are relative to the manifest's folder.
    fn resolve(&self, relative: &str) -> PathBuf {
        let base = self.path.parent().unwrap_or(Path::new("."));
        normalize_lexically(&base.join(relative))
    }
}

/// Removes `.` and resolves `..` without touching the disk (the output folder may not exist yet).
fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

pub(super) fn validate(raw: RawManifest, text: &str, path: &Path) -> Result<Manifest, Error> {
    let ctx = Ctx { text, path };
    let bundle = validate_bundle(raw.bundle.unwrap_or_default(), &ctx)?;
    let mut student = validate_student(raw.student, &ctx)?;
    // Not shown on the cover: it names where this student's password is.
    let student_password_env = student.iter().position(|(k, _)| k == "password_env").map(|at| student.remove(at).1);
    let period = match raw.period {
        Some(p) => Some(validate_period(p, &ctx)?),
        None => None,
    };
    let mut items = Vec::with_capacity(raw.items.len());
    let mut item_ids = HashSet::new();
    for raw_item in raw.items {
        let item = validate_item(raw_item, period.as_ref(), &bundle, &mut item_ids, &ctx)?;
        items.push(item);
    }
    let mut recipients = Vec::with_capacity(raw.recipients.len());
    let mut recipient_ids = HashSet::new();
    for raw_recipient in raw.recipients {
        recipients.push(validate_recipient(raw_recipient, &items, &mut recipient_ids, &ctx)?);
    }
    if items.is_empty() {
        return ctx.err(
            0..0,
            "the manifest lists no [[items]]".into(),
            "add an [[items]] table for each document; `dossier init` writes a complete example".to_string(),
        );
    }
    Ok(Manifest { path: path.to_path_buf(), bundle, student, student_password_env, period, items, recipients })
}

fn validate_bundle(raw: RawBundle, ctx: &Ctx) -> Result<Bundle, Error> {
    let title = raw.title.unwrap_or_else(|| "제출 서류".to_string()).nfc().collect::<String>();
    let short_title =
        raw.short_title.map(|s| s.nfc().collect()).unwrap_or_else(|| title.split_whitespace().collect::<String>());
    let root = match &raw.root {
        Some(r) if r.get_ref().trim().is_empty() => {
            return ctx.err(
                r.span(),
                "`root` is empty".into(),
                "leave `root` out to use the manifest's folder".to_string(),
            );
        }
        Some(r) => ctx.resolve(r.get_ref()),
        None => ctx.resolve("."),
    };
    let output = match &raw.output {
        Some(o) if o.get_ref().trim().is_empty() => {
            return ctx.err(o.span(), "`output` is empty".into(), "leave `output` out to write to `out`".to_string());
        }
        Some(o) => ctx.resolve(o.get_ref()),
        None => ctx.resolve("out"),
    };
    if root.starts_with(&output) {
        let span = raw.output.as_ref().map_or(0..0, Spanned::span);
        return ctx.err(
            span,
            "`output` contains `root`, so build would write over the documents".into(),
            "point `output` at a folder of its own, e.g. \"out\"".to_string(),
        );
    }
    let font = raw.font.map(|f| match f.into_inner() {
        RawFont::Path(p) => FontSpec { path: ctx.resolve(&p), index: 0 },
        RawFont::Face { path, index } => FontSpec { path: ctx.resolve(&path), index },
    });
    let file_name = match raw.file_name {
        Some(f) => Some(validate_file_name(f, ctx)?),
        None => None,
    };
    Ok(Bundle {
        title,
        short_title,
        root,
        output,
        font,
        stamp: raw.stamp.unwrap_or(true),
        file_name,
        allow_outside_root: raw.allow_outside_root.unwrap_or(false),
        lang: validate_lang(raw.lang, ctx)?,
    })
}

fn validate_lang(lang: Option<Spanned<String>>, ctx: &Ctx) -> Result<crate::i18n::Lang, Error> {
    let Some(lang) = lang else { return Ok(crate::i18n::Lang::Ko) };
    match crate::i18n::Lang::parse(lang.get_ref()) {
        Some(l) => Ok(l),
        None => ctx.err(
            lang.span(),
            format!("`lang = \"{}\"` is not a language dossier writes", lang.get_ref()),
            "write lang = \"ko\" (한국어) or lang = \"en\" (English)".to_string(),
        ),
    }
}

fn validate_file_name(name: Spanned<String>, ctx: &Ctx) -> Result<String, Error> {
    let value = name.get_ref().trim();
    if value.is_empty() || value.contains(['/', '\\']) {
        return ctx.err(
            name.span(),
            format!("`file_name = \"{value}\"` is not a file name"),
            "give a name without folders, e.g. \"{학번}_{이름}_학점인정서류\"".to_string(),
        );
    }
    Ok(value.trim_end_matches(".pdf").nfc().collect())
}

fn validate_student(table: toml::Table, ctx: &Ctx) -> Result<Vec<(String, String)>, Error> {
    let mut fields = Vec::with_capacity(table.len());
    for (key, value) in table {
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Datetime(d) => d.to_string(),
            _ => {
                let offset = ctx.text.find(&key).unwrap_or(0);
                return ctx.err(
                    offset..offset,
                    format!("[student] `{key}` must be a single value"),
                    "write it as text: \"학과\" = \"컴퓨터공학과\"".to_string(),
                );
            }
        };
        fields.push((key.nfc().collect(), text.nfc().collect()));
    }
    Ok(fields)
}

fn validate_period(raw: Spanned<super::raw::RawPeriod>, ctx: &Ctx) -> Result<Period, Error> {
    let span = raw.span();
    let raw = raw.into_inner();
    let start = validate_date(&raw.start, "start", ctx)?;
    let end = validate_date(&raw.end, "end", ctx)?;
    if end < start {
        return ctx.err(
            span,
            format!("[period] ends ({end}) before it starts ({start})"),
            "swap `start` and `end`".to_string(),
        );
    }
    Ok(Period { start, end })
}

fn validate_date(raw: &Spanned<RawDate>, key: &str, ctx: &Ctx) -> Result<Date, Error> {
    let hint = format!("write a date as {key} = 2023-03-02");
    let parsed = match raw.get_ref() {
        RawDate::Toml(dt) => match (&dt.date, &dt.time) {
            (Some(d), None) => Some(Date { year: i32::from(d.year), month: u32::from(d.month), day: u32::from(d.day) }),
            _ => None,
        },
        RawDate::Text(s) => parse_date_text(s),
    };
    match parsed {
        Some(d) if is_valid_date(d) => Ok(d),
        _ => ctx.err(raw.span(), format!("[period] `{key}` is not a date"), hint),
    }
}

/// "2023-03-02", "2023.03.02", "2023/3/2", "2023. 3. 2." (the Korean way).
fn parse_date_text(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s.split(['-', '.', '/']).map(str::trim).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m, d] => Some(Date { year: y.parse().ok()?, month: m.parse().ok()?, day: d.parse().ok()? }),
        _ => None,
    }
}

fn is_valid_date(d: Date) -> bool {
    let leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    let days = match d.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&d.year) && (1..=days).contains(&d.day)
}

fn validate_id(id: &Spanned<String>, what: &str, seen: &mut HashSet<String>, ctx: &Ctx) -> Result<String, Error> {
    let value = id.get_ref();
    let ok = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return ctx.err(
            id.span(),
            format!("{what} id `{value}` may use only ASCII letters, digits, `-` and `_`"),
            "ids name folders and JSON keys; put the Korean name in `title`".to_string(),
        );
    }
    if !seen.insert(value.clone()) {
        return ctx.err(
            id.span(),
            format!("{what} id `{value}` is used twice"),
            format!("give each {what} its own id"),
        );
    }
    Ok(value.clone())
}

fn validate_item(
    raw: RawItem,
    period: Option<&Period>,
    bundle: &Bundle,
    seen: &mut HashSet<String>,
    ctx: &Ctx,
) -> Result<Item, Error> {
    let id = validate_id(&raw.id, "item", seen, ctx)?;
    let files = validate_globs(&raw.files, &id, bundle.allow_outside_root, ctx)?;
    let kinds = match raw.kinds {
        Some(k) if k.get_ref().is_empty() => {
            return ctx.err(
                k.span(),
                format!("item `{id}` accepts no kinds"),
                "list at least one of \"pdf\", \"image\", \"text\"".to_string(),
            );
        }
        Some(k) => {
            let mut kinds = k.into_inner();
            kinds.dedup();
            kinds
        }
        None => vec![Kind::Pdf, Kind::Image, Kind::Text],
    };
    let per_month = raw.per_month.as_ref().is_some_and(|p| *p.get_ref());
    if per_month && period.is_none() {
        let span = raw.per_month.as_ref().map_or(0..0, Spanned::span);
        return ctx.err(
            span,
            format!("item `{id}` is per_month but the manifest has no [period]"),
            "add [period] with start = 2023-03-02 and end = 2023-06-30".to_string(),
        );
    }
    let min = raw.min.as_ref().map_or(1, |m| *m.get_ref());
    let max = raw.max.as_ref().map(|m| *m.get_ref());
    if let (Some(max), Some(span)) = (max, raw.max.as_ref().map(Spanned::span)) {
        if max < min {
            return ctx.err(
                span,
                format!("item `{id}` has max = {max}, fewer than min = {min}"),
                "make max at least min".to_string(),
            );
        }
        if max == 0 {
            return ctx.err(span, format!("item `{id}` has max = 0"), "leave `max` out for no upper bound".to_string());
        }
    }
    let pages = match raw.pages {
        Some(p) => {
            let span = p.span();
            let p = p.into_inner();
            if let (Some(lo), Some(hi)) = (p.min, p.max)
                && hi < lo
            {
                return ctx.err(
                    span,
                    format!("item `{id}` has pages.max = {hi}, fewer than pages.min = {lo}"),
                    "make pages.max at least pages.min".to_string(),
                );
            }
            PageBounds { min: p.min, max: p.max }
        }
        None => PageBounds::default(),
    };
    let password_env = match raw.password_env {
        Some(v) => {
            let name = v.get_ref();
            if name.is_empty()
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                || name.starts_with(|c: char| c.is_ascii_digit())
            {
                return ctx.err(v.span(), format!("`password_env = \"{name}\"` is not an environment variable name"), "name a variable, e.g. password_env = \"PAYSLIP_PASSWORD\"; never write the password itself in the manifest".to_string());
            }
            Some(name.clone())
        }
        None => None,
    };
    let max_size = match raw.max_size {
        Some(s) => Some(validate_size(&s, "max_size", ctx)?),
        None => None,
    };
    Ok(Item {
        title: raw.title.map(|t| t.nfc().collect()).unwrap_or_else(|| id.clone()),
        id,
        files,
        kinds,
        required: raw.required.unwrap_or(true),
        min,
        max,
        pages,
        per_month,
        password_env,
        max_size,
        hint: raw.hint,
    })
}

/// Does a glob leave root: absolute (`/x`, `C:x`, `\\server`) or through `..`?
pub fn reaches_outside(glob: &str) -> bool {
    glob.starts_with('/')
        || glob.starts_with('\\')
        || glob.split(['/', '\\']).any(|c| c == "..")
        || glob.get(1..2) == Some(":")
}

fn validate_globs(
    files: &Spanned<Vec<Spanned<String>>>,
    id: &str,
    allow_outside_root: bool,
    ctx: &Ctx,
) -> Result<Vec<String>, Error> {
    if files.get_ref().is_empty() {
        return ctx.err(
            files.span(),
            format!("item `{id}` has an empty `files` list"),
            "list at least one glob, e.g. files = [\"수료증*\"]".to_string(),
        );
    }
    let mut globs = Vec::new();
    for glob in files.get_ref() {
        let value: String = glob.get_ref().trim().nfc().collect();
        if value.is_empty() {
            return ctx.err(
                glob.span(),
                format!("item `{id}` has an empty glob"),
                "remove the empty string from `files`".to_string(),
            );
        }
        if reaches_outside(&value) && !allow_outside_root {
            return ctx.err(
                glob.span(),
                format!("item `{id}`: the glob `{value}` reaches outside `root`"),
                "move the documents under root, or set allow_outside_root = true in [bundle]".to_string(),
            );
        }
        if let Err(e) = globset::GlobBuilder::new(&value).literal_separator(true).build() {
            return ctx.err(
                glob.span(),
                format!("item `{id}`: `{value}` is not a valid glob: {}", e.kind()),
                "use * for any characters, ? for one, ** for any folders".to_string(),
            );
        }
        globs.push(value);
    }
    Ok(globs)
}

fn validate_size(raw: &Spanned<RawSize>, key: &str, ctx: &Ctx) -> Result<u64, Error> {
    let parsed = match raw.get_ref() {
        RawSize::Bytes(n) if *n > 0 => Ok(*n as u64),
        RawSize::Bytes(n) => Err(format!("{n} is not a positive size")),
        RawSize::Text(s) => parse_size(s),
    };
    match parsed {
        Ok(0) => ctx.err(raw.span(), format!("`{key}` is zero"), format!("write a size such as {key} = \"10 MB\"")),
        Ok(v) => Ok(v),
        Err(why) => ctx.err(raw.span(), format!("`{key}`: {why}"), format!("write a size such as {key} = \"10 MB\"")),
    }
}

fn validate_recipient(
    raw: RawRecipient,
    items: &[Item],
    seen: &mut HashSet<String>,
    ctx: &Ctx,
) -> Result<Recipient, Error> {
    let id = validate_id(&raw.id, "recipient", seen, ctx)?;
    if raw.items.get_ref().is_empty() {
        return ctx.err(
            raw.items.span(),
            format!("recipient `{id}` receives no items"),
            "list the item ids this recipient needs".to_string(),
        );
    }
    let mut chosen: Vec<String> = Vec::new();
    for item in raw.items.get_ref() {
        let name = item.get_ref();
        if !items.iter().any(|i| &i.id == name) {
            let known = items.iter().map(|i| format!("`{}`", i.id)).collect::<Vec<_>>().join(", ");
            let hint = match closest(name, items.iter().map(|i| i.id.as_str())) {
                Some(near) => format!("did you mean `{near}`? items are: {known}"),
                None => format!("items are: {known}"),
            };
            return ctx.err(item.span(), format!("recipient `{id}` names the unknown item `{name}`"), hint);
        }
        if chosen.contains(name) {
            return ctx.err(
                item.span(),
                format!("recipient `{id}` lists item `{name}` twice"),
                "list each item once".to_string(),
            );
        }
        chosen.push(name.clone());
    }
    let max_attachment = match raw.max_attachment {
        Some(s) => validate_size(&s, "max_attachment", ctx)?,
        None => DEFAULT_MAX_ATTACHMENT,
    };
    let file_name = match raw.file_name {
        Some(f) => Some(validate_file_name(f, ctx)?),
        None => None,
    };
    Ok(Recipient {
        title: raw.title.map(|t| t.nfc().collect()).unwrap_or_else(|| id.clone()),
        id,
        items: chosen,
        max_attachment,
        email: raw.email,
        file_name,
    })
}

/// The known name nearest to a misspelt one, if it is near enough to suggest.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
