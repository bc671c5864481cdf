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
    /// Filled-in form fields of the input PDFs whose values have no appearance of their own
    /// (their PDF asks the viewer to draw them, which fails for Hangul in most viewers).
    pub fields: Vec<FieldText>,
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
    /// Warnings to show the user (font not embedded, glyphs missing, ...).
    pub warnings: Vec<String>,
}

/// One file chosen for a bundle, before its bytes are read.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Path relative to root (NFC), for messages.
    pub rel: String,
    /// The file name (NFC), for the contents, bookmarks and the zip.
    pub name: String,
    /// The checksum check saw; build re-reads the file and refuses it if it changed.
    pub sha256: String,
    /// What check found it to be.
    pub kind: crate::inspect::Kind,
    /// An encrypted PDF (even one that opens without a password): the bundle carries it decrypted.
    pub encrypted: bool,
    /// For an image, the header facts check read (build re-reads the bytes only if their
    /// checksum still matches, so the facts still hold).
    pub image: Option<ImageFacts>,
}

/// One item of a recipient's bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedItem {
    /// Item id.
    pub id: String,
    /// Item title.
    pub title: String,
    /// Position in the recipient's order, from 1 (zip folders are numbered with it).
    pub position: usize,
    /// The usable files in check order.
    pub files: Vec<PlannedFile>,
    /// Why a placeholder stands in (draft builds), or `None`.
    pub missing: Option<String>,
}

/// What goes to one recipient.
#[derive(Debug, Clone, PartialEq)]
pub struct BundlePlan {
    /// Recipient id (output folder name).
    pub recipient: String,
    /// Recipient title.
    pub recipient_title: String,
    /// Items in the recipient's order.
    pub items: Vec<PlannedItem>,
    /// The file name of the merged PDF, without `.pdf`.
    pub file_stem: String,
    /// Some required item is missing and placeholders stand in for it.
    pub draft: bool,
}

/// Decides one recipient's bundle from the check verdict. Pure. Returns `None` when a required
/// item is unusable and `draft` is off: nothing is built for that recipient.
pub fn plan_bundle(
    manifest: &crate::manifest::Manifest,
    report: &crate::check::CheckReport,
    recipient: &crate::manifest::Recipient,
    draft: bool,
) -> Option<BundlePlan> {
    let mut items = Vec::new();
    let mut is_draft = false;
    for (position, id) in recipient.items.iter().enumerate() {
        let Some(item) = report.item(id) else { continue };
        let files: Vec<PlannedFile> = item
            .files
            .iter()
            .filter(|f| f.usable)
            .filter_map(|f| {
                Some(PlannedFile {
                    path: f.candidate.path.clone(),
                    rel: f.candidate.rel.clone(),
                    name: f.candidate.rel.rsplit('/').next().unwrap_or(&f.candidate.rel).to_string(),
                    sha256: f.facts.sha256.clone(),
                    kind: f.facts.kind()?,
                    encrypted: matches!(&f.facts.content, crate::inspect::Content::Pdf(p) if p.encryption.is_some()),
                    image: match &f.facts.content {
                        crate::inspect::Content::Image(image) => Some(image.clone()),
                        _ => None,
                    },
                })
            })
            .collect();
        let usable = item.status.is_usable();
        let missing = match (usable, item.required) {
            (true, _) => None,
            (false, true) if !draft => return None,
            (false, true) => {
                is_draft = true;
                Some(item.findings.iter().map(crate::check::Finding::sentence).collect::<Vec<_>>().join("\n"))
            }
            // An optional item that is not ready is left out rather than sent half-done.
            (false, false) => continue,
        };
        let files = if missing.is_some() { Vec::new() } else { files };
        items.push(PlannedItem { id: id.clone(), title: item.title.clone(), position: position + 1, files, missing });
    }
    Some(BundlePlan {
        recipient: recipient.id.clone(),
        recipient_title: recipient.title.clone(),
        items,
        file_stem: file_stem(manifest, recipient),
        draft: is_draft,
    })
}

/// The merged PDF's name: the recipient's `file_name`, else the bundle's, else
/// "{학번}_{이름}_{short title}"; `{field}` is replaced by a `[student]` field.
pub fn file_stem(manifest: &crate::manifest::Manifest, recipient: &crate::manifest::Recipient) -> String {
    let template = recipient.file_name.clone().or_else(|| manifest.bundle.file_name.clone());
    let name = match template {
        Some(t) => fill_template(&t, manifest, recipient),
        None => {
            let id = manifest.student_field(STUDENT_ID_KEYS);
            let who = manifest.student_field(STUDENT_NAME_KEYS);
            [id, who, Some(manifest.bundle.short_title.as_str())].into_iter().flatten().collect::<Vec<_>>().join("_")
        }
    };
    let name = crate::pack::clean_component(&name);
    if name.is_empty() { recipient.id.clone() } else { name }
}

/// `[student]` keys that hold the student id, in the order they are tried.
pub const STUDENT_ID_KEYS: &[&str] = &["학번", "student_id", "id"];
/// `[student]` keys that hold the student's name.
pub const STUDENT_NAME_KEYS: &[&str] = &["이름", "성명", "name"];

fn fill_template(
    template: &str,
    manifest: &crate::manifest::Manifest,
    recipient: &crate::manifest::Recipient,
) -> String {
    let mut out = template.to_string();
    for (key, value) in &manifest.student {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out.replace("{recipient}", &recipient.id)
        .replace("{recipient_title}", &recipient.title)
        .replace("{title}", &manifest.bundle.short_title)
}
