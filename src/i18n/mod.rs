//! Messages in Korean and English: one Project Fluent catalogue per language
//! (`ko.ftl`, `en.ftl`), compiled into the binary.
//!
//! Code never assembles user-facing sentences. A finding, an error or a page label becomes a
//! [`Msg`] (a catalogue id and its arguments), and the one [`Catalog`] of the chosen
//! [`Lang`] turns it into text. The ids are the stable `code`s of `--json` with `.` written as
//! `-` (Fluent ids cannot hold dots): `pdf.encrypted` is the message `pdf-encrypted`, and its
//! hint, when it has one, is `pdf-encrypted-hint`.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language dossier speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 한국어: the default for what recipients receive.
    #[default]
    Ko,
    /// English.
    En,
}

impl Lang {
    /// `ko` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// The language a locale name (`ko_KR.UTF-8`, `en-US`, `C`) asks for: Korean for `ko…`,
    /// English for anything else.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ko")) { Lang::Ko } else { Lang::En }
    }

    /// `ko`/`en` (also `korean`, `english`, `한국어`), `None` for anything else.
    pub fn parse(name: &str) -> Option<Lang> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ko" | "kr" | "korean" | "한국어" => Some(Lang::Ko),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A value handed to a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text (a file name, a month, a variable name).
    Str(String),
    /// A number (counts select plural forms in English).
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Str(s.clone())
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
num_arg!(u8, u16, u32, u64, usize, i32, i64);

/// A message to show: a catalogue id and its named arguments. An argument that is itself a
/// message (a hint inside a sentence) is rendered first, in the same language.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    /// The catalogue id (`pdf-encrypted`).
    pub id: &'static str,
    /// Named arguments, in the order given.
    pub args: Vec<(&'static str, MsgArg)>,
}

/// An argument of a [`Msg`]: a plain value, or a nested message.
#[derive(Debug, Clone, PartialEq)]
pub enum MsgArg {
    /// A value.
    Value(Arg),
    /// A message rendered in the same language, then inserted.
    Msg(Msg),
    /// Messages rendered in the same language and joined with "; ".
    List(Vec<Msg>),
}

impl Msg {
    /// A message without arguments.
    pub fn new(id: &'static str) -> Msg {
        Msg { id, args: Vec::new() }
    }

    /// Adds a named argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((name, MsgArg::Value(value.into())));
        self
    }

    /// Adds a named argument that is another message.
    pub fn with(mut self, name: &'static str, value: Msg) -> Msg {
        self.args.push((name, MsgArg::Msg(value)));
        self
    }

    /// Adds a named argument that is a list of messages.
    pub fn list(mut self, name: &'static str, items: Vec<Msg>) -> Msg {
        self.args.push((name, MsgArg::List(items)));
        self
    }

    /// The value of a plain argument, for JSON data.
    pub fn value(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find_map(|(n, a)| match a {
            MsgArg::Value(v) if *n == name => Some(v),
            _ => None,
        })
    }
}

/// One language's messages.
pub struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Catalog({})", self.lang.code())
    }
}

/// The Fluent source of a language.
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => include_str!("ko.ftl"),
        Lang::En => include_str!("en.ftl"),
    }
}

impl Catalog {
    /// The catalogue of `lang`, parsed once per process.
    pub fn get(lang: Lang) -> &'static Catalog {
        static KO: OnceLock<Catalog> = OnceLock::new();
        static EN: OnceLock<Catalog> = OnceLock::new();
        let cell = match lang {
            Lang::Ko => &KO,
            Lang::En => &EN,
        };
        cell.get_or_init(|| Catalog::parse(lang))
    }

    fn parse(lang: Lang) -> Catalog {
        // The catalogues are compiled in and tested; a syntax error is a bug caught by
        // `catalogues_parse`, so failing loudly here is right.
        let resource = FluentResource::try_new(source(lang).to_string()).expect("catalogue parses");
        let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("valid language id");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Unicode isolation marks (U+2068/2069) around arguments would show up in terminals,
        // file names and mail; our texts are not mixed-direction.
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).expect("no duplicate ids");
        Catalog { lang, bundle }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Does the catalogue hold `id`?
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The text of `msg`. An id missing from the catalogue shows as the id itself (the
    /// `catalogues_cover_every_id` test keeps that from happening).
    pub fn text(&self, msg: &Msg) -> String {
        let Some(pattern) = self.bundle.get_message(msg.id).and_then(|m| m.value()) else {
            return msg.id.to_string();
        };
        let mut args = FluentArgs::new();
        for (name, arg) in &msg.args {
            let value = match arg {
                MsgArg::Value(Arg::Str(s)) => FluentValue::from(s.clone()),
                MsgArg::Value(Arg::Num(n)) => FluentValue::from(*n),
                MsgArg::Msg(inner) => FluentValue::from(self.text(inner)),
                MsgArg::List(items) => {
                    FluentValue::from(items.iter().map(|m| self.text(m)).collect::<Vec<_>>().join("; "))
                }
            };
            args.set(*name, value);
        }
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, Some(&args), &mut errors).into_owned()
    }

    /// Shorthand for a message without arguments.
    pub fn word(&self, id: &'static str) -> String {
        self.text(&Msg::new(id))
    }
}

/// Every message id of a catalogue source, in order (for the tests and `--list`).
pub fn ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests;
