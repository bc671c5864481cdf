//! The bundle plan: what goes into one recipient's merged PDF, in which order, before any page
//! is drawn or merged. `render` lays the plan out into generated pages and a [`Layout`];
//! `assemble` follows the layout to merge those pages with the input PDFs.

use std::path::PathBuf;
use std::sync::Arc;

use crate::inspect::ImageFacts;

/// Everything render needs to lay out one recipient's bundle.
#[derive(Debug, Clone)]
pub struct BundleSpec {
    /// Bundle title ("산학인턴쉽 전공교과목 학점인정 제출 서류").
    pub title: String,
    /// Who receives it ("지도교수").
    pub recipient: String,
    /// `[student]` fields in order, shown on the cover.
    pub student: Vec<(String, String)>,
    /// Internship period in words ("2023-03-02 ~ 2023-06-30"), if known.
    pub period: Option<String>,
    /// Some items are missing: the cover says DRAFT and placeholders stand in.
    pub draft: bool,
    /// The items in the recipient's order.
    pub sections: Vec<Section>,
    /// Footer stamps on every page, or `None` when `stamp = false`.
    pub stamp: Option<StampSpec>,
}

/// What a page stamp says besides the item title and "N / total".
#[derive(Debug, Clone)]
pub struct StampSpec {
    /// Usually the student id ("20201234"); may be empty.
    pub label: String,
}

/// One item of the bundle.
#[derive(Debug, Clone)]
pub struct Section {
    /// Item id.
    pub id: String,
    /// Item title ("급여명세서").
    pub title: String,
    /// The item's files in check order; empty with `missing` set for a placeholder.
    pub files: Vec<SectionFile>,
    /// The item is missing or invalid (draft builds only): one placeholder page "누락: title".
    pub missing: Option<String>,
}

/// One file of a section.
#[derive(Debug, Clone)]
pub struct SectionFile {
    /// Display name (the file name, NFC), used in the contents and bookmarks.
    pub name: String,
    /// What to put on the pages.
    pub body: FileBody,
}

/// The content of a file, as render needs it.
#[derive(Debug, Clone)]
pub enum FileBody {
    /// An input PDF merged by assemble; render only reserves its pages.
    Pdf {
        /// Index into the list of input documents handed to assemble.
        input: usize,
        /// Its page count.
        pages: u32,
    },
    /// An image placed on its own page.
    Image {
        /// The file's bytes (JPEG is embedded as it is).
        bytes: Arc<Vec<u8>>,
        /// Header facts (format, size, orientation, colour).
        facts: ImageFacts,
    },
    /// Text or Markdown typeset on A4.
    Text {
        /// The decoded text (BOM stripped, line ends normalised to \n).
        text: String,
        /// Markdown, rather than plain text.
        markdown: bool,
        /// Folder of the file, for resolving Markdown image links.
        base_dir: PathBuf,
    },
}

/// Where one page of the merged PDF comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageSource {
    /// Page `index` (0-based) of the generated document render wrote.
    Generated {
        /// 0-based page index in the generated document.
        index: usize,
    },
    /// Page `page` (1-based) of input document `input`.
    Input {
        /// Index into the input documents.
        input: usize,
        /// 1-based page number in that document.
        page: u32,
    },
}

/// One page of the merged PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct FinalPage {
    /// Where it comes from.
    pub source: PageSource,
    /// Object number of the stamp Form XObject in the generated document (generation 0),
    /// drawn centred at the foot of the page; `None` without stamps.
    pub stamp: Option<u32>,
}

/// A clickable area on a contents page that jumps to a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    /// 0-based index, in the merged PDF, of the page carrying the link.
    pub on_page: usize,
    /// The area, in that page's default user space: [x0, y0, x1, y1].
    pub rect: [f32; 4],
    /// 0-based index, in the merged PDF, of the page to jump to.
    pub target: usize,
}

/// One bookmark of the merged PDF's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// The text shown.
    pub title: String,
    /// 0-based index of the page it opens.
    pub page: usize,
    /// Entries below it.
    pub children: Vec<OutlineEntry>,
    /// Put the outline that input document already had below this entry.
    pub input_outline: Option<usize>,
}

/// What render decided: the page sequence, contents links and bookmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Every page of the merged PDF, in order.
    pub pages: Vec<FinalPage>,
    /// Links on the contents pages.
    pub links: Vec<PageLink>,
    /// The outline: one entry per item, a child per file.
    pub outline: Vec<OutlineEntry>,
}

/// The generated document and how to merge it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// A complete PDF holding the generated pages and the stamp forms.
    pub pdf: Vec<u8>,
    /// The merge plan.
    pub layout: Layout,
    /// Warnings to show the user (font not embedded, glyphs missing, ...).
    pub warnings: Vec<String>,
}
