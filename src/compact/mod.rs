//! Compaction (issue 9): images made smaller so a bundle fits its recipient's mail limit.
//!
//! Pure functions over bytes; the plan decides which rung to use, build executes it.
//! - [`Compactor`]: an image that dossier places on a page (image items, images in notes),
//!   decoded once, with one candidate per [`Rung`] of the ladder, each encoded when asked and
//!   measured, so the plan searches the ladder on real encoded sizes.
//! - [`pdf::recompress`]: the JPEG images inside an input PDF whose density on the page
//!   exceeds a rung, recompressed in place (placement, colour space, `/Decode`, masks kept).
//! - [`zip_copy`]: a smaller copy of a JPEG/PNG original for the zip, and its description.
//!
//! Everything here is deterministic: integer resizing (fast_image_resize gives the same
//! pixels on every CPU), jpeg-encoder without its `simd` feature, fixed zlib level.

mod copy;
pub mod pdf;
mod photo;
mod raster;

pub use copy::{ZIP_LONG_SIDE, ZIP_QUALITY, ZipCopy, wants_copy, zip_copy, zip_copy_from};
pub use photo::{Candidate, Compactor, Resized, needs_change, pixel_size};
pub use raster::Raster;

/// One step of the ladder: a pixel density at the size the image is placed on the page, and
/// the JPEG quality used at that density.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Rung {
    /// Pixels per inch at the placed size.
    pub dpi: u16,
    /// JPEG quality (1-100).
    pub quality: u8,
    /// Screenshots and diagrams may be JPEG-encoded too; off, they stay lossless. The plan
    /// turns it on only when the lossless ladder does not fit ("a screenshot stays lossless
    /// unless only lossy fits").
    pub lossy_graphics: bool,
}

/// Pixel densities of the ladder, best first.
pub const LADDER_DPI: [u16; 5] = [300, 200, 150, 110, 75];
/// JPEG qualities tried at each density, best first.
pub const LADDER_QUALITY: [u8; 3] = [85, 75, 60];

/// The default ladder, best first: every density with every quality, graphics lossless;
/// then the same again with graphics allowed to become JPEG.
pub fn ladder() -> Vec<Rung> {
    [false, true]
        .into_iter()
        .flat_map(|lossy_graphics| {
            LADDER_DPI.into_iter().flat_map(move |dpi| {
                LADDER_QUALITY.into_iter().map(move |quality| Rung { dpi, quality, lossy_graphics })
            })
        })
        .collect()
}

/// Why an image cannot be compacted; the caller keeps the original.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompactError {
    /// The decoder refused the image.
    #[error("cannot decode the image: {0}")]
    Decode(String),
    /// The resizer refused the sizes.
    #[error("cannot resize the image: {0}")]
    Resize(String),
    /// The encoder refused the pixels.
    #[error("cannot encode the image: {0}")]
    Encode(String),
}

/// Byte sizes for people: "4.2 MB", "0.5 MB", "42 KB", "900 B" (decimal units, as mail
/// clients show them).
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..100_000 => format!("{} KB", (bytes + 500) / 1_000),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests;
