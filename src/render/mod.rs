//! Generated pages: cover, contents, placeholders, image pages, typeset notes and page stamps.
//!
//! Takes a [`BundleSpec`] and the fonts, returns a [`Rendered`]: a complete PDF of the generated
//! pages plus the [`Layout`] that tells assemble how to interleave them with the input PDFs.

use crate::error::Error;
use crate::plan::{BundleSpec, Rendered};

/// Lays out and draws every generated page of one bundle.
pub fn render(spec: &BundleSpec) -> Result<Rendered, Error> {
    let _ = spec;
    todo!("render helper")
}
