//! The manifest exactly as serde reads it. Every key of the format is declared here, with
//! `deny_unknown_fields`, so a misspelt key fails with toml's own line and column. Values that
//! need checks serde cannot make (ids, dates, sizes, globs) keep their span for `validate`.

use serde::Deserialize;
use serde::de::{Deserializer, IntoDeserializer, SeqAccess, Visitor};
use toml::Spanned;

use crate::inspect::Kind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawManifest {
    pub bundle: Option<RawBundle>,
    #[serde(default)]
    pub student: toml::Table,
    pub period: Option<Spanned<RawPeriod>>,
    #[serde(default)]
    pub items: Vec<RawItem>,
    #[serde(default)]
    pub recipients: Vec<RawRecipient>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBundle {
    pub title: Option<String>,
    pub short_title: Option<String>,
    pub root: Option<Spanned<String>>,
    pub output: Option<Spanned<String>>,
    pub font: Option<Spanned<RawFont>>,
    pub stamp: Option<bool>,
    pub file_name: Option<Spanned<String>>,
    pub allow_outside_root: Option<bool>,
    pub lang: Option<Spanned<String>>,
    pub fit: Option<Spanned<String>>,
    pub keep_originals: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawFont {
    Path(String),
    Face {
        path: String,
        #[serde(default)]
        index: u32,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPeriod {
    pub start: Spanned<RawDate>,
    pub end: Spanned<RawDate>,
}

/// A TOML date (`2023-03-02`) or, as people write them, a string ("2023.03.02").
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawDate {
    Toml(toml::value::Datetime),
    Text(String),
}

/// A size as a number of bytes or a string with a unit ("10 MB").
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawSize {
    Bytes(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPages {
    pub min: Option<u32>,
    pub max: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub files: Spanned<RawList<String>>,
    pub kinds: Option<Spanned<RawList<Kind>>>,
    pub required: Option<bool>,
    pub min: Option<Spanned<usize>>,
    pub max: Option<Spanned<usize>>,
    pub pages: Option<Spanned<RawPages>>,
    pub per_month: Option<Spanned<bool>>,
    pub password_env: Option<Spanned<String>>,
    pub max_size: Option<Spanned<RawSize>>,
    pub hint: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecipient {
    pub id: Spanned<String>,
    pub title: Option<String>,
    pub items: Spanned<RawList<String>>,
    pub max_attachment: Option<Spanned<RawSize>>,
    pub email: Option<String>,
    pub file_name: Option<Spanned<String>>,
    pub attach: Option<Spanned<RawList<String>>>,
    pub fit: Option<Spanned<String>>,
    pub keep_originals: Option<bool>,
    pub subject: Option<String>,
    pub greeting: Option<String>,
    pub body: Option<String>,
}

/// A list, or one value standing for a list of one: `files = "수료증.pdf"` means what
/// `files = ["수료증.pdf"]` means, and there is no reason to refuse it.
#[derive(Debug, Clone)]
pub(super) enum RawList<T> {
    One(T),
    Many(Vec<Spanned<T>>),
}

impl<T> RawList<T> {
    /// The values, each with its span (a lone value has the span of the whole key's value).
    pub fn into_values(self, span: std::ops::Range<usize>) -> Vec<Spanned<T>> {
        match self {
            RawList::One(value) => vec![Spanned::new(span, value)],
            RawList::Many(values) => values,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for RawList<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = RawList<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawList<T>, E> {
                T::deserialize(v.into_deserializer()).map(RawList::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawList<T>, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<Spanned<T>>()? {
                    values.push(value);
                }
                Ok(RawList::Many(values))
            }
        }
        deserializer.deserialize_any(ListVisitor(std::marker::PhantomData))
    }
}
