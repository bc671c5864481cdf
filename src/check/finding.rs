//! Findings as data: each [`FindingKind`] carries what its message needs, and says its stable
//! `--json` code, its message and its hint. The words are in the catalogues.

use serde::Serialize;

use crate::discover::RefusedWhy;
use crate::i18n::Msg;
use crate::inspect::{Kind, Problem, Severity};
use crate::manifest::Month;
use crate::size::format_size;

/// One problem: which file (if any), what is wrong, how serious.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The file's path relative to root, when the problem is about one file.
    pub file: Option<String>,
    /// What is wrong, with its data.
    pub kind: FindingKind,
}

/// What check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "finding", rename_all = "kebab-case")]
pub enum FindingKind {
    /// A problem inspection found in the file itself.
    File {
        /// What.
        problem: Problem,
    },
    /// Discovery refused the entry without opening it.
    Refused {
        /// Why.
        why: RefusedWhy,
    },
    /// The name is not valid Unicode.
    BadName,
    /// The content is a kind the item does not accept.
    WrongKind {
        /// What it is.
        kind: Kind,
        /// The item.
        item: String,
        /// What the item accepts.
        accepted: Vec<Kind>,
    },
    /// Over the item's `max_size`.
    TooBig {
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
        /// The item.
        item: String,
    },
    /// More pages than `pages.max`.
    TooManyPages {
        /// Its pages.
        pages: u32,
        /// The limit.
        max: u32,
        /// The item.
        item: String,
    },
    /// Fewer pages than `pages.min`.
    TooFewPages {
        /// Its pages.
        pages: u32,
        /// The minimum.
        min: u32,
        /// The item.
        item: String,
    },
    /// The same file twice, its name spelt in NFC and NFD.
    NameTwinsSame {
        /// How many copies.
        count: usize,
    },
    /// Two different files whose names look the same (NFC and NFD).
    NameTwinsDiffer {
        /// How many.
        count: usize,
    },
    /// Another item's globs match this file too.
    Shared {
        /// The other items.
        others: Vec<String>,
        /// This item.
        item: String,
    },
    /// Nothing matches the item's globs.
    NoMatch {
        /// The globs, as written.
        globs: String,
        /// The manifest's `hint` for the item.
        hint: Option<String>,
        /// Unclaimed files whose names are close to this item's globs or title.
        near: Vec<String>,
    },
    /// Fewer files than `min`.
    TooFewFiles {
        /// Files present.
        present: usize,
        /// The minimum.
        min: usize,
        /// The globs.
        globs: String,
    },
    /// More usable files than `max`.
    TooManyFiles {
        /// Usable files.
        usable: usize,
        /// The maximum.
        max: usize,
    },
    /// The month in the name lies outside the internship period.
    OutsidePeriod {
        /// The month.
        month: Month,
    },
    /// A per-month file without a month in its name.
    NoMonth {
        /// An example name ("급여명세서_2023-03.pdf").
        example: String,
    },
    /// Several files for one month.
    MonthTwice {
        /// The month.
        month: Month,
        /// The files.
        files: Vec<String>,
    },
    /// A month of the period has no file.
    MonthMissing {
        /// The month.
        month: Month,
        /// The item title.
        title: String,
        /// The manifest's `hint`.
        hint: Option<String>,
    },
    /// A Markdown note links to an image that is missing, outside root, or not an image.
    NoteImageMissing {
        /// The link.
        url: String,
        /// The file exists (but is not a usable image).
        exists: bool,
    },
    /// A file under root that no item claims.
    Unclaimed {
        /// The closest item, when one is plausible.
        suggestion: Option<Suggestion>,
    },
}

/// The item a stray file probably belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// Item id.
    pub item: String,
    /// Item title.
    pub title: String,
    /// The glob (or the first glob, when the title was closer) the name nearly matches.
    pub glob: String,
}

impl Finding {
    /// An error about `file`.
    pub fn error(file: Option<&str>, kind: FindingKind) -> Finding {
        Finding { severity: Severity::Error, file: file.map(str::to_string), kind }
    }

    /// A warning about `file`.
    pub fn warning(file: Option<&str>, kind: FindingKind) -> Finding {
        Finding { severity: Severity::Warning, file: file.map(str::to_string), kind }
    }

    /// Something required is absent (rather than present and wrong).
    pub fn is_missing(&self) -> bool {
        self.severity == Severity::Error
            && matches!(
                self.kind,
                FindingKind::NoMatch { .. } | FindingKind::TooFewFiles { .. } | FindingKind::MonthMissing { .. }
            )
    }

    /// The stable code of `--json` (`payslip.month_missing` style: area, then what).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The message without the file name.
    pub fn message(&self) -> Msg {
        self.kind.message()
    }

    /// What to do.
    pub fn hint(&self) -> Option<Msg> {
        self.kind.hint()
    }

    /// The whole finding as one message: file, what is wrong, what to do.
    pub fn sentence(&self) -> Msg {
        let what = match &self.file {
            Some(file) => Msg::new("sentence-file").arg("file", file).with("message", self.message()),
            None => self.message(),
        };
        match self.hint() {
            Some(hint) => Msg::new("sentence-hint").with("what", what).with("hint", hint),
            None => what,
        }
    }
}

fn kinds(list: &[Kind]) -> String {
    list.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}

impl FindingKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            FindingKind::File { problem } => problem.code(),
            FindingKind::Refused { why } => match why {
                RefusedWhy::Unreadable { .. } => "file.unreadable",
                RefusedWhy::NotRegular => "file.not_regular",
                RefusedWhy::DanglingLink { .. } => "file.dangling_link",
                RefusedWhy::LinkOutside { .. } => "file.link_outside",
            },
            FindingKind::BadName => "file.bad_name",
            FindingKind::WrongKind { .. } => "item.wrong_kind",
            FindingKind::TooBig { .. } => "item.too_big",
            FindingKind::TooManyPages { .. } => "item.too_many_pages",
            FindingKind::TooFewPages { .. } => "item.too_few_pages",
            FindingKind::NameTwinsSame { .. } => "file.name_twins_same",
            FindingKind::NameTwinsDiffer { .. } => "file.name_twins_differ",
            FindingKind::Shared { .. } => "item.shared_file",
            FindingKind::NoMatch { .. } => "item.missing",
            FindingKind::TooFewFiles { .. } => "item.too_few_files",
            FindingKind::TooManyFiles { .. } => "item.too_many_files",
            FindingKind::OutsidePeriod { .. } => "month.outside_period",
            FindingKind::NoMonth { .. } => "month.not_in_name",
            FindingKind::MonthTwice { .. } => "month.twice",
            FindingKind::MonthMissing { .. } => "month.missing",
            FindingKind::NoteImageMissing { .. } => "note.image_missing",
            FindingKind::Unclaimed { .. } => "file.unclaimed",
        }
    }

    /// What is wrong.
    pub fn message(&self) -> Msg {
        match self {
            FindingKind::File { problem } => problem.message(),
            FindingKind::Refused { why } => match why {
                RefusedWhy::Unreadable { reason } => Msg::new("file-unreadable").arg("reason", reason),
                RefusedWhy::NotRegular => Msg::new("file-not_regular"),
                RefusedWhy::DanglingLink { target } => Msg::new("file-dangling_link").arg("target", target),
                RefusedWhy::LinkOutside { target } => Msg::new("file-link_outside").arg("target", target),
            },
            FindingKind::BadName => Msg::new("file-bad_name"),
            FindingKind::WrongKind { kind, item, accepted } => Msg::new("item-wrong_kind")
                .arg("kind", kind.as_str())
                .arg("item", item)
                .arg("accepted", kinds(accepted)),
            FindingKind::TooBig { bytes, limit, item } => Msg::new("item-too_big")
                .arg("size", format_size(*bytes))
                .arg("limit", format_size(*limit))
                .arg("item", item),
            FindingKind::TooManyPages { pages, max, item } => {
                Msg::new("item-too_many_pages").arg("pages", *pages).arg("max", *max).arg("item", item)
            }
            FindingKind::TooFewPages { pages, min, item } => {
                Msg::new("item-too_few_pages").arg("pages", *pages).arg("min", *min).arg("item", item)
            }
            FindingKind::NameTwinsSame { count } => Msg::new("file-name_twins_same").arg("count", *count),
            FindingKind::NameTwinsDiffer { count } => Msg::new("file-name_twins_differ").arg("count", *count),
            FindingKind::Shared { others, .. } => {
                let names: Vec<String> = others.iter().map(|o| format!("`{o}`")).collect();
                Msg::new("item-shared_file").arg("others", names.join(", "))
            }
            FindingKind::NoMatch { globs, near, .. } if near.is_empty() => Msg::new("item-missing").arg("globs", globs),
            FindingKind::NoMatch { globs, near, .. } => {
                Msg::new("item-missing-near").arg("globs", globs).arg("near", near.join(", "))
            }
            FindingKind::TooFewFiles { present, min, .. } => {
                Msg::new("item-too_few_files").arg("present", *present).arg("min", *min)
            }
            FindingKind::TooManyFiles { usable, max } => {
                Msg::new("item-too_many_files").arg("count", *usable).arg("max", *max)
            }
            FindingKind::OutsidePeriod { month } => Msg::new("month-outside_period").with("month", month.label()),
            FindingKind::NoMonth { .. } => Msg::new("month-not_in_name"),
            FindingKind::MonthTwice { month, files } => Msg::new("month-twice")
                .arg("month", month.to_string())
                .arg("count", files.len())
                .arg("files", files.join(", ")),
            FindingKind::MonthMissing { month, title, .. } => {
                Msg::new("month-missing").with("month", month.label()).arg("title", title)
            }
            FindingKind::NoteImageMissing { url, exists: false } => Msg::new("note-image_missing").arg("url", url),
            FindingKind::NoteImageMissing { url, exists: true } => Msg::new("note-image_unusable").arg("url", url),
            FindingKind::Unclaimed { suggestion: Some(s) } => {
                Msg::new("file-unclaimed-suggest").arg("title", &s.title).arg("glob", &s.glob)
            }
            FindingKind::Unclaimed { suggestion: None } => Msg::new("file-unclaimed"),
        }
    }

    /// What to do.
    pub fn hint(&self) -> Option<Msg> {
        Some(match self {
            FindingKind::File { problem } => return problem.hint(),
            FindingKind::Refused { why } => Msg::new(match why {
                RefusedWhy::Unreadable { .. } => "folder-unreadable-hint",
                RefusedWhy::NotRegular => "file-not_regular-hint",
                RefusedWhy::DanglingLink { .. } => "file-dangling_link-hint",
                RefusedWhy::LinkOutside { .. } => "file-link_outside-hint",
            }),
            FindingKind::BadName => Msg::new("file-bad_name-hint"),
            FindingKind::WrongKind { kind, accepted, .. } => match (kind, accepted.contains(&Kind::Pdf)) {
                (Kind::Image | Kind::Text, true) => Msg::new("item-wrong_kind-export-hint"),
                _ => Msg::new("item-wrong_kind-hint").arg("kind", kind.as_str()),
            },
            FindingKind::TooBig { .. } => Msg::new("item-too_big-hint"),
            FindingKind::TooManyPages { .. } => Msg::new("item-too_many_pages-hint"),
            FindingKind::TooFewPages { .. } => Msg::new("item-too_few_pages-hint"),
            FindingKind::NameTwinsSame { .. } => Msg::new("file-name_twins_same-hint"),
            FindingKind::NameTwinsDiffer { .. } => Msg::new("file-name_twins_differ-hint"),
            FindingKind::Shared { item, .. } => Msg::new("item-shared_file-hint").arg("item", item),
            FindingKind::NoMatch { hint: Some(hint), .. } | FindingKind::MonthMissing { hint: Some(hint), .. } => {
                Msg::new("manifest-hint").arg("hint", hint)
            }
            FindingKind::NoMatch { globs, hint: None, .. } => Msg::new("item-missing-hint").arg("globs", globs),
            FindingKind::TooFewFiles { globs, .. } => Msg::new("item-too_few_files-hint").arg("globs", globs),
            FindingKind::TooManyFiles { .. } => Msg::new("item-too_many_files-hint"),
            FindingKind::OutsidePeriod { .. } => Msg::new("month-outside_period-hint"),
            FindingKind::NoMonth { example } => Msg::new("month-not_in_name-hint").arg("example", example),
            FindingKind::MonthTwice { .. } => Msg::new("month-twice-hint"),
            FindingKind::MonthMissing { month, title, hint: None } => Msg::new("month-missing-hint")
                .with("month", month.label())
                .arg("title", title)
                .arg("code", month.to_string()),
            FindingKind::NoteImageMissing { .. } => Msg::new("note-image_missing-hint"),
            // The suggestion's question already says what to do.
            FindingKind::Unclaimed { suggestion: Some(_) } => return None,
            FindingKind::Unclaimed { suggestion: None } => Msg::new("file-unclaimed-hint"),
        })
    }
}
