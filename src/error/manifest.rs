//! Manifest errors as data. Each [`ManifestProblem`] carries what its message and hint need
//! and names its stable `--json` code; the words are in the catalogues (`manifest-…`), where
//! the message and its hint share the problem's arguments.

use crate::error::Location;
use crate::i18n::{Arg, Msg};

/// One thing wrong in the manifest, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestError {
    /// file:line:column and the source line.
    pub location: Location,
    /// What is wrong.
    pub problem: ManifestProblem,
}

impl ManifestError {
    /// `dossier.toml:14:9: <message>`.
    pub fn message(&self) -> Msg {
        Msg::new("manifest-error").arg("location", self.location.to_string()).with("message", self.problem.message())
    }
}

/// Which table an id belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `[[items]]`.
    Item,
    /// `[[recipients]]`.
    Recipient,
}

impl Section {
    fn word(self) -> &'static str {
        match self {
            Section::Item => "item",
            Section::Recipient => "recipient",
        }
    }
}

/// What is wrong in the manifest.
#[allow(missing_docs)] // The fields are named for what they hold; each variant says the rest.
#[derive(Debug, Clone, PartialEq)]
pub enum ManifestProblem {
    /// The file is not UTF-8.
    NotUtf8,
    /// A non-ASCII key without quotes (`이름 = "홍길동"`), which TOML 1.0 refuses.
    UnquotedKey { key: String },
    /// `start = 2023.03.02`: toml reads a broken number.
    DottedDate { key: String, value: String, iso: String },
    /// A backslash in a string (a Windows path): an invalid escape, or a glob with `\`.
    Backslash { text: String, fixed: String },
    /// Any other TOML syntax error, in toml's words.
    Syntax { detail: String },
    /// A key the format does not have.
    UnknownKey { key: String, near: Option<String>, known: Vec<String> },
    /// A required key is missing.
    MissingKey { key: String },
    /// A value of the wrong type, in toml's words.
    WrongType { detail: String },
    /// `root = ""`.
    EmptyRoot,
    /// `output = ""`.
    EmptyOutput,
    /// The output folder holds root.
    OutputContainsRoot,
    /// `lang` is not ko or en.
    BadLang { value: String },
    /// `file_name` names folders.
    BadFileName { value: String },
    /// A `[student]` field that is a table or a list.
    StudentValue { key: String },
    /// `[period]` ends before it starts.
    PeriodReversed { start: String, end: String },
    /// `[period]` start or end is not a date.
    BadDate { key: String },
    /// An id with characters other than ASCII letters, digits, `-`, `_`.
    BadId { section: Section, id: String },
    /// An id used twice.
    DuplicateId { section: Section, id: String },
    /// `kinds = []`.
    NoKinds { item: String },
    /// `per_month` without `[period]`.
    PerMonthWithoutPeriod { item: String },
    /// `max` below `min`.
    MaxBelowMin { item: String, max: usize, min: usize },
    /// `max = 0`.
    MaxZero { item: String },
    /// `pages.max` below `pages.min`.
    PagesMaxBelowMin { item: String, max: u32, min: u32 },
    /// `password_env` is not a variable name.
    BadPasswordEnv { name: String },
    /// A size that does not start with a number.
    SizeNoNumber { key: String, text: String },
    /// A size with an unknown unit.
    SizeUnit { key: String, unit: String },
    /// A size too large to count.
    SizeTooLarge { key: String, text: String },
    /// A size of zero or less.
    SizeNotPositive { key: String },
    /// `max_size = 10`: a number without a unit.
    SizeWithoutUnit { key: String, number: String },
    /// `files = []`.
    EmptyFiles { item: String },
    /// `files = [""]`.
    EmptyGlob { item: String },
    /// A glob leaves root and the manifest does not allow it.
    GlobOutside { item: String, glob: String },
    /// A glob globset refuses, in globset's words.
    BadGlob { item: String, glob: String, detail: String },
    /// `root = "서류"` with `files = ["서류/수료증.pdf"]`: globs are already inside root.
    GlobRepeatsRoot { item: String, glob: String, root: String, fixed: String },
    /// `items = []` for a recipient.
    RecipientNoItems { recipient: String },
    /// A recipient names an item that does not exist.
    UnknownItem { recipient: String, name: String, near: Option<String>, known: Vec<String> },
    /// A recipient lists an item twice.
    ItemTwice { recipient: String, name: String },
    /// No `[[items]]` at all.
    NoItems,
    /// A key whose value is one of a few words (`fit`, `attach`).
    BadChoice { key: String, value: String, allowed: Vec<String> },
    /// `attach = []`.
    AttachNothing,
}

fn quoted(list: &[String]) -> String {
    list.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

impl ManifestProblem {
    /// The stable code, the message id and the hint id.
    fn ids(&self) -> (&'static str, &'static str, &'static str) {
        use ManifestProblem as P;
        match self {
            P::NotUtf8 => ("manifest.not_utf8", "manifest-not_utf8", "manifest-not_utf8-hint"),
            P::UnquotedKey { .. } => ("manifest.unquoted_key", "manifest-unquoted_key", "manifest-unquoted_key-hint"),
            P::DottedDate { .. } => ("manifest.dotted_date", "manifest-dotted_date", "manifest-dotted_date-hint"),
            P::Backslash { .. } => ("manifest.backslash", "manifest-backslash", "manifest-backslash-hint"),
            P::Syntax { .. } => ("manifest.syntax", "manifest-syntax", "manifest-syntax-hint"),
            P::UnknownKey { near: Some(_), .. } => {
                ("manifest.unknown_key", "manifest-unknown_key", "manifest-unknown_key-near-hint")
            }
            P::UnknownKey { .. } => ("manifest.unknown_key", "manifest-unknown_key", "manifest-unknown_key-hint"),
            P::MissingKey { .. } => ("manifest.missing_key", "manifest-missing_key", "manifest-missing_key-hint"),
            P::WrongType { .. } => ("manifest.wrong_type", "manifest-wrong_type", "manifest-wrong_type-hint"),
            P::EmptyRoot => ("manifest.empty_root", "manifest-empty_root", "manifest-empty_root-hint"),
            P::EmptyOutput => ("manifest.empty_output", "manifest-empty_output", "manifest-empty_output-hint"),
            P::OutputContainsRoot => {
                ("manifest.output_contains_root", "manifest-output_contains_root", "manifest-output_contains_root-hint")
            }
            P::BadLang { .. } => ("manifest.bad_lang", "manifest-bad_lang", "manifest-bad_lang-hint"),
            P::BadFileName { .. } => {
                ("manifest.bad_file_name", "manifest-bad_file_name", "manifest-bad_file_name-hint")
            }
            P::StudentValue { .. } => {
                ("manifest.student_value", "manifest-student_value", "manifest-student_value-hint")
            }
            P::PeriodReversed { .. } => {
                ("manifest.period_reversed", "manifest-period_reversed", "manifest-period_reversed-hint")
            }
            P::BadDate { .. } => ("manifest.bad_date", "manifest-bad_date", "manifest-bad_date-hint"),
            _ => self.item_ids(),
        }
    }

    /// [`ids`](Self::ids) of the problems in `[[items]]` and `[[recipients]]`.
    fn item_ids(&self) -> (&'static str, &'static str, &'static str) {
        use ManifestProblem as P;
        match self {
            P::BadId { .. } => ("manifest.bad_id", "manifest-bad_id", "manifest-bad_id-hint"),
            P::DuplicateId { .. } => ("manifest.duplicate_id", "manifest-duplicate_id", "manifest-duplicate_id-hint"),
            P::NoKinds { .. } => ("manifest.no_kinds", "manifest-no_kinds", "manifest-no_kinds-hint"),
            P::PerMonthWithoutPeriod { .. } => (
                "manifest.per_month_without_period",
                "manifest-per_month_without_period",
                "manifest-per_month_without_period-hint",
            ),
            P::MaxBelowMin { .. } => {
                ("manifest.max_below_min", "manifest-max_below_min", "manifest-max_below_min-hint")
            }
            P::MaxZero { .. } => ("manifest.max_zero", "manifest-max_zero", "manifest-max_zero-hint"),
            P::PagesMaxBelowMin { .. } => {
                ("manifest.pages_max_below_min", "manifest-pages_max_below_min", "manifest-pages_max_below_min-hint")
            }
            P::BadPasswordEnv { .. } => {
                ("manifest.bad_password_env", "manifest-bad_password_env", "manifest-bad_password_env-hint")
            }
            P::SizeNoNumber { .. } => {
                ("manifest.size_not_a_number", "manifest-size_not_a_number", "manifest-size-hint")
            }
            P::SizeUnit { .. } => ("manifest.size_unit", "manifest-size_unit", "manifest-size-hint"),
            P::SizeTooLarge { .. } => ("manifest.size_too_large", "manifest-size_too_large", "manifest-size-hint"),
            P::SizeNotPositive { .. } => {
                ("manifest.size_not_positive", "manifest-size_not_positive", "manifest-size-hint")
            }
            P::SizeWithoutUnit { .. } => {
                ("manifest.size_without_unit", "manifest-size_without_unit", "manifest-size_without_unit-hint")
            }
            P::EmptyFiles { .. } => ("manifest.empty_files", "manifest-empty_files", "manifest-empty_files-hint"),
            P::EmptyGlob { .. } => ("manifest.empty_glob", "manifest-empty_glob", "manifest-empty_glob-hint"),
            P::GlobOutside { .. } => ("manifest.glob_outside", "manifest-glob_outside", "manifest-glob_outside-hint"),
            P::BadGlob { .. } => ("manifest.bad_glob", "manifest-bad_glob", "manifest-bad_glob-hint"),
            P::GlobRepeatsRoot { .. } => {
                ("manifest.glob_repeats_root", "manifest-glob_repeats_root", "manifest-glob_repeats_root-hint")
            }
            P::RecipientNoItems { .. } => {
                ("manifest.recipient_no_items", "manifest-recipient_no_items", "manifest-recipient_no_items-hint")
            }
            P::UnknownItem { near: Some(_), .. } => {
                ("manifest.unknown_item", "manifest-unknown_item", "manifest-unknown_item-near-hint")
            }
            P::UnknownItem { .. } => ("manifest.unknown_item", "manifest-unknown_item", "manifest-unknown_item-hint"),
            P::ItemTwice { .. } => ("manifest.item_twice", "manifest-item_twice", "manifest-item_twice-hint"),
            P::NoItems => ("manifest.no_items", "manifest-no_items", "manifest-no_items-hint"),
            P::BadChoice { .. } => ("manifest.bad_choice", "manifest-bad_choice", "manifest-bad_choice-hint"),
            P::AttachNothing => ("manifest.attach_nothing", "manifest-attach_nothing", "manifest-attach_nothing-hint"),
            _ => unreachable!("ids() answers for the other problems"),
        }
    }

    /// The arguments the message and its hint share.
    fn args(&self) -> Vec<(&'static str, Arg)> {
        use ManifestProblem as P;
        let s = |v: &str| Arg::from(v);
        match self {
            P::NotUtf8 | P::EmptyRoot | P::EmptyOutput | P::OutputContainsRoot | P::NoItems | P::AttachNothing => {
                vec![]
            }
            P::UnquotedKey { key } | P::MissingKey { key } | P::StudentValue { key } | P::BadDate { key } => {
                vec![("key", s(key))]
            }
            P::SizeNotPositive { key } => vec![("key", s(key))],
            P::DottedDate { key, value, iso } => vec![("key", s(key)), ("value", s(value)), ("iso", s(iso))],
            P::Backslash { text, fixed } => vec![("text", s(text)), ("fixed", s(fixed))],
            P::Syntax { detail } | P::WrongType { detail } => vec![("detail", s(detail))],
            P::UnknownKey { key, near, known } => {
                vec![("key", s(key)), ("near", s(near.as_deref().unwrap_or(""))), ("known", quoted(known).into())]
            }
            P::BadLang { value } | P::BadFileName { value } => vec![("value", s(value))],
            P::PeriodReversed { start, end } => vec![("start", s(start)), ("end", s(end))],
            P::BadId { section, id } | P::DuplicateId { section, id } => {
                vec![("section", s(section.word())), ("id", s(id))]
            }
            P::NoKinds { item } | P::PerMonthWithoutPeriod { item } | P::MaxZero { item } => vec![("item", s(item))],
            P::EmptyFiles { item } | P::EmptyGlob { item } => vec![("item", s(item))],
            P::MaxBelowMin { item, max, min } => {
                vec![("item", s(item)), ("max", (*max).into()), ("min", (*min).into())]
            }
            P::PagesMaxBelowMin { item, max, min } => {
                vec![("item", s(item)), ("max", (*max).into()), ("min", (*min).into())]
            }
            P::BadPasswordEnv { name } => vec![("name", s(name))],
            P::SizeNoNumber { key, text } | P::SizeTooLarge { key, text } => vec![("key", s(key)), ("text", s(text))],
            P::SizeUnit { key, unit } => vec![("key", s(key)), ("unit", s(unit))],
            P::SizeWithoutUnit { key, number } => vec![("key", s(key)), ("number", s(number))],
            P::GlobOutside { item, glob } => vec![("item", s(item)), ("glob", s(glob))],
            P::BadGlob { item, glob, detail } => vec![("item", s(item)), ("glob", s(glob)), ("detail", s(detail))],
            P::GlobRepeatsRoot { item, glob, root, fixed } => {
                vec![("item", s(item)), ("glob", s(glob)), ("root", s(root)), ("fixed", s(fixed))]
            }
            P::RecipientNoItems { recipient } => vec![("recipient", s(recipient))],
            P::UnknownItem { recipient, name, near, known } => vec![
                ("recipient", s(recipient)),
                ("name", s(name)),
                ("near", s(near.as_deref().unwrap_or(""))),
                ("known", quoted(known).into()),
            ],
            P::ItemTwice { recipient, name } => vec![("recipient", s(recipient)), ("name", s(name))],
            P::BadChoice { key, value, allowed } => {
                vec![("key", s(key)), ("value", s(value)), ("allowed", quoted(allowed).into())]
            }
        }
    }

    /// The stable code of `--json` (`manifest.unquoted_key`).
    pub fn code(&self) -> &'static str {
        self.ids().0
    }

    fn msg(&self, id: &'static str) -> Msg {
        self.args().into_iter().fold(Msg::new(id), |m, (name, value)| m.arg(name, value))
    }

    /// What is wrong.
    pub fn message(&self) -> Msg {
        self.msg(self.ids().1)
    }

    /// What to do.
    pub fn hint(&self) -> Msg {
        self.msg(self.ids().2)
    }
}
