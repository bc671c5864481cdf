//! The manifest exactly as serde reads it. Every key of the format is declared here, with
//! `deny_unknown_fields`, so a misspelt key fails with toml's own line and column. Values that
//! need checks serde cannot make (ids, dates, sizes, globs) keep their span for `validate`.

use serde::Deserialize;
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
    pub files: Spanned<Vec<Spanned<String>>>,
    pub kinds: Option<Spanned<Vec<Kind>>>,
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
    pub items: Spanned<Vec<Spanned<String>>>,
    pub max_attachment: Option<Spanned<RawSize>>,
    pub email: Option<String>,
    pub file_name: Option<Spanned<String>>,
}
