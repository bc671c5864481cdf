//! What render and assemble receive: a [`BundleSpec`] (the plan's decisions for one merged
//! PDF, with the inputs' bytes), and what they hand back ([`Layout`], [`Rendered`]).

use crate::blob::Blob;
use crate::inspect::ImageFacts;

/// Everything render needs to lay out one recipient's bundle.
#[derive(Debug, Clone)]
pub struct BundleSpec {
    /// What the cover says.
    pub cover: CoverText,
    /// The fixed words of generated pages, in the bundle's language.
    pub labels: PageLabels,
    /// The items in the recipient's order.
    pub sections: Vec<Section>,
    /// Footer stamps on every page, or `None` when `stamp = false`.
    pub stamp: Option<StampSpec>,
    /// Filled-in form fields of the input PDFs whose values have no appearance of their own
    /// (their PDF asks the viewer to draw them, which fails for Hangul in most viewers).
    pub fields: Vec<FieldText>,
    /// Images already prepared, by the SHA-256 of the original's bytes: compacted to fit the
    /// mail limit (see `crate::compact`), or prepared as they are while the mail was measured.
    /// Drawn instead of preparing the original wherever it is placed.
    pub compacted: std::collections::HashMap<[u8; 32], crate::render::image::PdfImage>,
}

/// Document information written into the merged PDF's `/Info`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Metadata {
    /// `/Title`, usually the bundle title.
    pub title: String,
    /// `/Author`, the student.
    pub author: String,
    /// `/Subject`, e.g. the recipient.
    pub subject: String,
    /// `/Keywords`, if any.
    pub keywords: Option<String>,
}

/// The cover's text, decided by the plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoverText {
    /// Bundle title ("산학인턴쉽 전공교과목 학점인정 제출 서류").
    pub title: String,
    /// "제출처: 지도교수".
    pub recipient: String,
    /// `[student]` fields in order, then the period, shown as a table.
    pub rows: Vec<(String, String)>,
    /// A draft: the cover carries a banner.
    pub draft: bool,
}

/// The fixed words of generated pages, from the catalogue of `[bundle] lang`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageLabels {
    /// The heading of the cover's list of documents ("제출 서류").
    pub documents: String,
    /// The draft banner ("초안 — 빠진 서류 있음").
    pub draft_banner: String,
    /// "… 외 ⟨n⟩건 (목차 참조)", [`PageLabels::COUNT`] standing for the number.
    pub more_items: String,
    /// The contents page's title ("목차"), also its stamp and bookmark.
    pub contents: String,
    /// The cover's stamp and bookmark ("표지").
    pub cover: String,
    /// The note on placeholder pages.
    pub placeholder_note: String,
}

impl PageLabels {
    /// Where the count goes in [`PageLabels::more_items`].
    pub const COUNT: &'static str = "⟨n⟩";
}

/// A text field's value to draw as the appearance of one widget.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldText {
    /// Input document the widget belongs to.
    pub input: usize,
    /// The widget annotation's object id in that input document.
    pub widget: (u32, u16),
    /// The value.
    pub text: String,
    /// Widget width in points.
    pub width: f32,
    /// Widget height in points.
    pub height: f32,
    /// Font size from the field's /DA; 0 means fit the height.
    pub size: f32,
    /// 0 left, 1 centred, 2 right (/Q).
    pub align: u8,
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
    /// The item's files and placeholders, in the plan's order.
    pub files: Vec<SectionFile>,
}

/// One file of a section, or a placeholder for one that is missing.
#[derive(Debug, Clone)]
pub struct SectionFile {
    /// Label in the contents and bookmarks ("2023년 3월 · 급여명세서_2023-03.pdf").
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
        /// The file's bytes, read when drawn (JPEG is embedded as it is).
        bytes: Blob,
        /// Header facts (format, size, orientation, colour).
        facts: ImageFacts,
    },
    /// Text or Markdown typeset on A4.
    Text {
        /// The decoded text (BOM stripped, line ends normalised to \n).
        text: String,
        /// Markdown, rather than plain text.
        markdown: bool,
        /// The images the note links to, by link as written.
        images: Vec<LinkedImage>,
    },
    /// A page standing in for a document not handed in yet (draft builds).
    Placeholder {
        /// "제출 예정: 2023년 5월 급여명세서".
        heading: String,
    },
}

/// An image a Markdown note links to, read and checked by build.
#[derive(Debug, Clone)]
pub struct LinkedImage {
    /// The link as written.
    pub url: String,
    /// The image's bytes, read when drawn.
    pub bytes: Blob,
    /// Its header facts.
    pub facts: ImageFacts,
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
    /// Appearances drawn for [`BundleSpec::fields`].
    pub field_forms: Vec<FieldForm>,
}

/// Where a field's drawn appearance goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldForm {
    /// Input document of the widget.
    pub input: usize,
    /// The widget's object id in that input document.
    pub widget: (u32, u16),
    /// Object number (generation 0) of the appearance Form XObject in the generated document.
    pub form: u32,
}

/// The generated document and how to merge it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// A complete PDF holding the generated pages and the stamp forms.
    pub pdf: Vec<u8>,
    /// The merge plan.
    pub layout: Layout,
    /// Warnings to show the user (glyphs missing, ...).
    pub warnings: Vec<crate::i18n::Msg>,
}
