//! Semantic checks on the parsed manifest: ids, references, dates, sizes, globs. Every
//! failure is collected (not only the first), points at the key it is about and carries a
//! [`ManifestProblem`] whose hint says how to fix it.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

use super::raw::{RawBundle, RawDate, RawFont, RawItem, RawList, RawManifest, RawRecipient, RawSize};
use super::syntax::Repaired;
use super::*;
use crate::error::manifest::{ManifestError, ManifestProblem as P, Section};
use crate::size::{SizeError, parse_size};

pub(super) struct Ctx<'a> {
    /// The text as written (for locations).
    pub text: &'a str,
    /// The manifest's path as the user gave it (shown in locations).
    pub shown: &'a Path,
    /// The text toml parsed (its spans are mapped back to `text`).
    pub repaired: &'a Repaired,
    /// The manifest's absolute path (relative paths in it are resolved against its folder).
    pub path: &'a Path,
    /// What was found so far.
    pub errors: RefCell<Vec<ManifestError>>,
}

impl Ctx<'_> {
    /// Records a problem at a span of the parsed text; `None` so callers can `?` past it.
    fn err<T>(&self, span: std::ops::Range<usize>, problem: P) -> Option<T> {
        self.err_at(self.repaired.original(span.start), problem);
        None
    }

    /// Records a problem at an offset of the original text.
    pub fn err_at(&self, offset: usize, problem: P) {
        let location = Location::from_offset(self.shown, self.text, offset);
        self.errors.borrow_mut().push(ManifestError { location, problem });
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

/// The manifest, or `None` when a problem was recorded in `ctx`.
pub(super) fn validate(raw: RawManifest, ctx: &Ctx) -> Option<Manifest> {
    let root_name = raw.bundle.as_ref().and_then(|b| b.root.as_ref()).and_then(|r| root_name(r.get_ref()));
    let bundle = validate_bundle(raw.bundle.unwrap_or_default(), ctx);
    let student = validate_student(raw.student, ctx);
    // Not shown on the cover: it names where this student's password is.
    let (student, student_password_env) = match student {
        Some(mut fields) => {
            let env = fields.iter().position(|(k, _)| k == "password_env").map(|at| fields.remove(at).1);
            (Some(fields), env)
        }
        None => (None, None),
    };
    // A [period] that is there but wrong has its own error; items are not blamed for it.
    let period_written = raw.period.is_some();
    let period = raw.period.and_then(|p| validate_period(p, ctx));
    let allow_outside = bundle.as_ref().is_some_and(|b| b.allow_outside_root);
    // Every item id written, valid or not, so a recipient naming a broken item is not blamed too.
    let mut written: Vec<String> = Vec::new();
    for item in &raw.items {
        if !written.contains(item.id.get_ref()) {
            written.push(item.id.get_ref().clone());
        }
    }
    let mut item_ids = HashSet::new();
    let has_items = !raw.items.is_empty();
    let rules = ItemRules { allow_outside, root_name: root_name.as_deref(), period_written };
    let items: Vec<Item> = raw.items.into_iter().filter_map(|i| validate_item(i, &rules, &mut item_ids, ctx)).collect();
    let mut recipient_ids = HashSet::new();
    let defaults = bundle.as_ref().map_or((Fit::Auto, false), |b| (b.fit, b.keep_originals));
    let recipients: Vec<Recipient> = raw
        .recipients
        .into_iter()
        .filter_map(|r| validate_recipient(r, &written, defaults, &mut recipient_ids, ctx))
        .collect();
    if !has_items {
        ctx.err_at(0, P::NoItems);
    }
    if !ctx.errors.borrow().is_empty() {
        return None;
    }
    Some(Manifest {
        path: ctx.path.to_path_buf(),
        bundle: bundle?,
        student: student?,
        student_password_env,
        period,
        items,
        recipients,
    })
}

/// The last folder name of `root` as written ("서류" for "./서류/"), when it is one.
fn root_name(root: &str) -> Option<String> {
    match Path::new(root.trim()).components().next_back()? {
        Component::Normal(name) => Some(name.to_str()?.nfc().collect()),
        _ => None,
    }
}

fn validate_bundle(raw: RawBundle, ctx: &Ctx) -> Option<Bundle> {
    let title = raw.title.unwrap_or_else(|| "제출 서류".to_string()).nfc().collect::<String>();
    let short_title =
        raw.short_title.map(|s| s.nfc().collect()).unwrap_or_else(|| title.split_whitespace().collect::<String>());
    let root = match &raw.root {
        Some(r) if r.get_ref().trim().is_empty() => ctx.err(r.span(), P::EmptyRoot),
        Some(r) => Some(ctx.resolve(r.get_ref())),
        None => Some(ctx.resolve(".")),
    };
    let output = match &raw.output {
        Some(o) if o.get_ref().trim().is_empty() => ctx.err(o.span(), P::EmptyOutput),
        Some(o) => Some(ctx.resolve(o.get_ref())),
        None => Some(ctx.resolve("out")),
    };
    if let (Some(root), Some(output)) = (&root, &output)
        && root.starts_with(output)
    {
        let span = raw.output.as_ref().map_or(0..0, Spanned::span);
        ctx.err::<()>(span, P::OutputContainsRoot);
    }
    let font = raw.font.map(|f| match f.into_inner() {
        RawFont::Path(p) if p == "system" => FontChoice::System,
        RawFont::Path(p) => FontChoice::File(FontSpec { path: ctx.resolve(&p), index: 0 }),
        RawFont::Face { path, index } => FontChoice::File(FontSpec { path: ctx.resolve(&path), index }),
    });
    let file_name = raw.file_name.map(|f| validate_file_name(f, ctx));
    let lang = validate_lang(raw.lang, ctx);
    let fit = validate_fit(raw.fit.as_ref(), Fit::Auto, ctx);
    Some(Bundle {
        title,
        short_title,
        root: root?,
        output: output?,
        font,
        stamp: raw.stamp.unwrap_or(true),
        file_name: file_name.map_or(Some(None), |f| f.map(Some))?,
        allow_outside_root: raw.allow_outside_root.unwrap_or(false),
        lang: lang?,
        fit: fit?,
        keep_originals: raw.keep_originals.unwrap_or(false),
    })
}

fn validate_fit(raw: Option<&Spanned<String>>, default: Fit, ctx: &Ctx) -> Option<Fit> {
    let Some(raw) = raw else { return Some(default) };
    match raw.get_ref().trim() {
        "auto" => Some(Fit::Auto),
        "off" => Some(Fit::Off),
        other => ctx.err(
            raw.span(),
            P::BadChoice { key: "fit".into(), value: other.into(), allowed: vec!["auto".into(), "off".into()] },
        ),
    }
}

fn validate_attach(raw: Option<Spanned<RawList<String>>>, ctx: &Ctx) -> Option<Attach> {
    let Some(raw) = raw else { return Some(Attach::default()) };
    let values = raw.get_ref().clone().into_values(raw.span());
    let mut attach = Attach { pdf: false, zip: false };
    let mut ok = true;
    for value in &values {
        match value.get_ref().trim() {
            "pdf" => attach.pdf = true,
            "zip" => attach.zip = true,
            other => {
                let allowed = vec!["pdf".into(), "zip".into()];
                let problem = P::BadChoice { key: "attach".into(), value: other.into(), allowed };
                ok &= ctx.err::<()>(value.span(), problem).is_some();
            }
        }
    }
    if ok && !attach.pdf && !attach.zip {
        return ctx.err(raw.span(), P::AttachNothing);
    }
    ok.then_some(attach)
}

fn validate_lang(lang: Option<Spanned<String>>, ctx: &Ctx) -> Option<crate::i18n::Lang> {
    let Some(lang) = lang else { return Some(crate::i18n::Lang::Ko) };
    match crate::i18n::Lang::parse(lang.get_ref()) {
        Some(l) => Some(l),
        None => ctx.err(lang.span(), P::BadLang { value: lang.get_ref().clone() }),
    }
}

fn validate_file_name(name: Spanned<String>, ctx: &Ctx) -> Option<String> {
    let value = name.get_ref().trim();
    if value.is_empty() || value.contains(['/', '\\']) {
        return ctx.err(name.span(), P::BadFileName { value: value.to_string() });
    }
    Some(value.trim_end_matches(".pdf").nfc().collect())
}

fn validate_student(table: toml::Table, ctx: &Ctx) -> Option<Vec<(String, String)>> {
    let mut fields = Vec::with_capacity(table.len());
    let mut ok = true;
    for (key, value) in table {
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Datetime(d) => d.to_string(),
            _ => {
                ctx.err_at(ctx.text.find(&key).unwrap_or(0), P::StudentValue { key });
                ok = false;
                continue;
            }
        };
        fields.push((key.nfc().collect(), text.nfc().collect()));
    }
    ok.then_some(fields)
}

fn validate_period(raw: Spanned<super::raw::RawPeriod>, ctx: &Ctx) -> Option<Period> {
    let raw = raw.into_inner();
    let span = raw.end.span();
    let start = validate_date(&raw.start, "start", ctx);
    let end = validate_date(&raw.end, "end", ctx);
    let (start, end) = (start?, end?);
    if end < start {
        return ctx.err(span, P::PeriodReversed { start: start.to_string(), end: end.to_string() });
    }
    Some(Period { start, end })
}

fn validate_date(raw: &Spanned<RawDate>, key: &str, ctx: &Ctx) -> Option<Date> {
    let parsed = match raw.get_ref() {
        RawDate::Toml(dt) => match (&dt.date, &dt.time) {
            (Some(d), None) => Some(Date { year: i32::from(d.year), month: u32::from(d.month), day: u32::from(d.day) }),
            _ => None,
        },
        RawDate::Text(s) => parse_date_text(s),
    };
    match parsed {
        Some(d) if is_valid_date(d) => Some(d),
        _ => ctx.err(raw.span(), P::BadDate { key: key.to_string() }),
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

fn validate_id(id: &Spanned<String>, section: Section, seen: &mut HashSet<String>, ctx: &Ctx) -> Option<String> {
    let value = id.get_ref();
    let ok = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return ctx.err(id.span(), P::BadId { section, id: value.clone() });
    }
    if !seen.insert(value.clone()) {
        return ctx.err(id.span(), P::DuplicateId { section, id: value.clone() });
    }
    Some(value.clone())
}

/// What the rest of the manifest says about items.
struct ItemRules<'a> {
    /// Globs may reach outside root.
    allow_outside: bool,
    /// The folder name `root` ends in, when written.
    root_name: Option<&'a str>,
    /// A [period] table is written (valid or not).
    period_written: bool,
}

fn validate_item(raw: RawItem, rules: &ItemRules, seen: &mut HashSet<String>, ctx: &Ctx) -> Option<Item> {
    let id = validate_id(&raw.id, Section::Item, seen, ctx);
    let name = id.clone().unwrap_or_else(|| raw.id.get_ref().clone());
    let files = validate_globs(&raw.files, &name, rules, ctx);
    let kinds = validate_kinds(raw.kinds, &name, ctx);
    let per_month = raw.per_month.as_ref().is_some_and(|p| *p.get_ref());
    if per_month && !rules.period_written {
        let span = raw.per_month.as_ref().map_or(0..0, Spanned::span);
        ctx.err::<()>(span, P::PerMonthWithoutPeriod { item: name.clone() });
    }
    let min = raw.min.as_ref().map_or(1, |m| *m.get_ref());
    let max = validate_max(raw.max.as_ref(), min, &name, ctx);
    let pages = validate_pages(raw.pages, &name, ctx);
    let password_env = raw.password_env.map(|v| validate_password_env(v, ctx));
    let max_size = raw.max_size.map(|s| validate_size(&s, "max_size", ctx));
    Some(Item {
        title: raw.title.map(|t| t.nfc().collect()).unwrap_or_else(|| name.clone()),
        id: id?,
        files: files?,
        kinds: kinds?,
        required: raw.required.unwrap_or(true),
        min,
        max: max?,
        pages: pages?,
        per_month,
        password_env: password_env.map_or(Some(None), |p| p.map(Some))?,
        max_size: max_size.map_or(Some(None), |s| s.map(Some))?,
        hint: raw.hint,
    })
}

fn validate_kinds(raw: Option<Spanned<RawList<Kind>>>, item: &str, ctx: &Ctx) -> Option<Vec<Kind>> {
    let Some(k) = raw else { return Some(vec![Kind::Pdf, Kind::Image, Kind::Text]) };
    let span = k.span();
    let mut kinds: Vec<Kind> = k.into_inner().into_values(span.clone()).into_iter().map(Spanned::into_inner).collect();
    if kinds.is_empty() {
        return ctx.err(span, P::NoKinds { item: item.to_string() });
    }
    kinds.dedup();
    Some(kinds)
}

fn validate_max(raw: Option<&Spanned<usize>>, min: usize, item: &str, ctx: &Ctx) -> Option<Option<usize>> {
    let Some(raw) = raw else { return Some(None) };
    let max = *raw.get_ref();
    if max == 0 {
        return ctx.err(raw.span(), P::MaxZero { item: item.to_string() });
    }
    if max < min {
        return ctx.err(raw.span(), P::MaxBelowMin { item: item.to_string(), max, min });
    }
    Some(Some(max))
}

fn validate_pages(raw: Option<Spanned<super::raw::RawPages>>, item: &str, ctx: &Ctx) -> Option<PageBounds> {
    let Some(p) = raw else { return Some(PageBounds::default()) };
    let span = p.span();
    let p = p.into_inner();
    if let (Some(min), Some(max)) = (p.min, p.max)
        && max < min
    {
        return ctx.err(span, P::PagesMaxBelowMin { item: item.to_string(), max, min });
    }
    Some(PageBounds { min: p.min, max: p.max })
}

fn validate_password_env(v: Spanned<String>, ctx: &Ctx) -> Option<String> {
    let name = v.get_ref();
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return ctx.err(v.span(), P::BadPasswordEnv { name: name.clone() });
    }
    Some(name.clone())
}

/// Does a glob leave root: absolute (`/x`, `C:x`, `\\server`) or through `..`?
pub fn reaches_outside(glob: &str) -> bool {
    glob.starts_with('/')
        || glob.starts_with('\\')
        || glob.split(['/', '\\']).any(|c| c == "..")
        || glob.get(1..2) == Some(":")
}

fn validate_globs(files: &Spanned<RawList<String>>, item: &str, rules: &ItemRules, ctx: &Ctx) -> Option<Vec<String>> {
    let globs = files.get_ref().clone().into_values(files.span());
    if globs.is_empty() {
        return ctx.err(files.span(), P::EmptyFiles { item: item.to_string() });
    }
    let checked: Vec<Option<String>> = globs.iter().map(|g| validate_glob(g, item, rules, ctx)).collect();
    checked.into_iter().collect()
}

fn validate_glob(glob: &Spanned<String>, item: &str, rules: &ItemRules, ctx: &Ctx) -> Option<String> {
    let value: String = glob.get_ref().trim().nfc().collect();
    let (item, span) = (item.to_string(), glob.span());
    if value.is_empty() {
        return ctx.err(span, P::EmptyGlob { item });
    }
    if value.contains('\\') && !reaches_outside(&value) {
        return ctx.err(span, P::Backslash { fixed: value.replace('\\', "/"), text: value });
    }
    if reaches_outside(&value) && !rules.allow_outside {
        return ctx.err(span, P::GlobOutside { item, glob: value });
    }
    // `./서류/…` is the way to name a folder that really has root's name.
    if let Some(root) = rules.root_name
        && let Some(rest) = value.strip_prefix(root).and_then(|r| r.strip_prefix('/'))
    {
        let (glob, root, fixed) = (value.clone(), root.to_string(), rest.to_string());
        return ctx.err(span, P::GlobRepeatsRoot { item, glob, root, fixed });
    }
    if let Err(e) = globset::GlobBuilder::new(&value).literal_separator(true).build() {
        return ctx.err(span, P::BadGlob { item, glob: value, detail: e.kind().to_string() });
    }
    Some(value)
}

fn validate_size(raw: &Spanned<RawSize>, key: &str, ctx: &Ctx) -> Option<u64> {
    let key = key.to_string();
    let problem = match raw.get_ref() {
        RawSize::Bytes(n) if *n > 0 => P::SizeWithoutUnit { key, number: n.to_string() },
        RawSize::Bytes(_) => P::SizeNotPositive { key },
        RawSize::Text(s) => match parse_size(s) {
            Ok(0) => P::SizeNotPositive { key },
            Ok(v) => return Some(v),
            Err(SizeError::NoNumber) => P::SizeNoNumber { key, text: s.clone() },
            Err(SizeError::NoUnit) => P::SizeWithoutUnit { key, number: s.trim().to_string() },
            Err(SizeError::UnknownUnit(unit)) => P::SizeUnit { key, unit },
            Err(SizeError::TooLarge) => P::SizeTooLarge { key, text: s.clone() },
        },
    };
    ctx.err(raw.span(), problem)
}

fn validate_recipient(
    raw: RawRecipient,
    items: &[String],
    (default_fit, default_keep): (Fit, bool),
    seen: &mut HashSet<String>,
    ctx: &Ctx,
) -> Option<Recipient> {
    let id = validate_id(&raw.id, Section::Recipient, seen, ctx);
    let name = id.clone().unwrap_or_else(|| raw.id.get_ref().clone());
    let chosen = validate_recipient_items(&raw.items, items, &name, ctx);
    let max_attachment = raw.max_attachment.map(|s| validate_size(&s, "max_attachment", ctx));
    let file_name = raw.file_name.map(|f| validate_file_name(f, ctx));
    let attach = validate_attach(raw.attach, ctx);
    let fit = validate_fit(raw.fit.as_ref(), default_fit, ctx);
    Some(Recipient {
        title: raw.title.map(|t| t.nfc().collect()).unwrap_or_else(|| name.clone()),
        id: id?,
        items: chosen?,
        max_attachment: max_attachment.unwrap_or(Some(DEFAULT_MAX_ATTACHMENT))?,
        email: raw.email,
        file_name: file_name.map_or(Some(None), |f| f.map(Some))?,
        attach: attach?,
        fit: fit?,
        keep_originals: raw.keep_originals.unwrap_or(default_keep),
        subject: raw.subject.map(|t| t.nfc().collect()),
        greeting: raw.greeting.map(|t| t.nfc().collect()),
        body: raw.body.map(|t| t.nfc().collect()),
    })
}

fn validate_recipient_items(
    raw: &Spanned<RawList<String>>,
    items: &[String],
    recipient: &str,
    ctx: &Ctx,
) -> Option<Vec<String>> {
    let names = raw.get_ref().clone().into_values(raw.span());
    if names.is_empty() {
        return ctx.err(raw.span(), P::RecipientNoItems { recipient: recipient.to_string() });
    }
    let mut chosen: Vec<String> = Vec::new();
    let mut ok = true;
    for item in &names {
        let name = item.get_ref().clone();
        let recipient = recipient.to_string();
        if !items.contains(&name) {
            let near = closest(&name, items.iter().map(String::as_str)).map(str::to_string);
            ok &= ctx.err::<()>(item.span(), P::UnknownItem { recipient, name, near, known: items.to_vec() }).is_some();
        } else if chosen.contains(&name) {
            ok &= ctx.err::<()>(item.span(), P::ItemTwice { recipient, name }).is_some();
        } else {
            chosen.push(name);
        }
    }
    ok.then_some(chosen)
}

/// The known name nearest to a misspelt one, if it is near enough to suggest.
pub(super) fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
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
