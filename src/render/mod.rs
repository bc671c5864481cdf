//! Generated pages: cover, contents, placeholders, image pages, typeset notes and page stamps.
//!
//! Takes a [`BundleSpec`] and the [`FontSet`], returns a [`Rendered`]: a complete PDF of the
//! generated pages plus the [`Layout`] that tells assemble how to interleave them with the
//! input PDFs. Layout (measuring, breaking, pagination, the contents' fixed point) is pure and
//! lives in `text`, `layout`, `pages` and `markdown`; `writer` turns it into bytes.
//!
//! Output is deterministic: no dates, no random ids, object numbers in page order.

pub mod fonts;
pub mod image;
pub mod layout;
pub mod markdown;
pub mod pages;
pub mod text;
pub mod writer;

#[cfg(test)]
mod tests;

pub use fonts::{FontSet, SystemFonts};

use crate::blob::Blob;
use crate::error::Error;
use crate::inspect::ImageFacts;
use crate::spec::{
    BundleSpec, FieldForm, FileBody, FinalPage, Layout, LinkedImage, OutlineEntry, PageSource, Rendered, Section,
};
use image::PdfImage;
use layout::{Flow, PageDraw};
use pages::{CoverItem, Entry};
use text::Shaper;

/// What one file (or a placeholder) contributes, in order.
enum Part {
    /// Pages render draws.
    Drawn(Vec<PageDraw>),
    /// Pages of input document `input`, merged by assemble.
    Input { input: usize, pages: u32 },
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Drawn(p) => p.len(),
            Part::Input { pages, .. } => *pages as usize,
        }
    }
}

/// A section's parts: `(file name, part)`, the name `None` for a placeholder.
type SectionParts = Vec<(Option<String>, Part)>;

/// Lays out and draws every generated page of one bundle.
pub fn render(spec: &BundleSpec, fonts: &FontSet) -> Result<Rendered, Error> {
    let shaper = Shaper::new(fonts);
    let mut images = Images { list: Vec::new(), by_content: Default::default(), compacted: &spec.compacted };
    let sections: Vec<SectionParts> = spec
        .sections
        .iter()
        .map(|s| section_parts(&shaper, s, &spec.labels.placeholder_note, &mut images))
        .collect::<Result<_, _>>()?;
    let images = images.list;
    let (entries, body_len) = contents_entries(spec, &sections);
    let (contents, links) = pages::contents(&shaper, &entries, &spec.labels.contents);
    let base = 1 + contents.len();
    let total = base + body_len;
    let starts = section_starts(&sections, base);
    let file_starts = file_starts(&sections, &starts);
    let cover = pages::cover(&shaper, spec, &cover_items(spec, &starts));
    let (drawn, sources) = page_sequence(cover, contents, sections_into_parts(sections));
    let titles = page_titles(spec, &sources, &starts, base);
    let stamps = stamp_texts(spec, &titles);
    let doc = writer::Document { pages: &drawn, images: &images, stamps: &stamps, fields: &spec.fields };
    let (pdf, forms) =
        writer::write(&shaper, &doc).map_err(|message| Error::Font { path: font_path(fonts), message })?;
    let pages = sources
        .into_iter()
        .enumerate()
        .map(|(i, source)| FinalPage { source, stamp: forms.stamps.get(i).copied() })
        .collect();
    let outline = outline(spec, &starts, &file_starts, total);
    let links = links.into_iter().map(|mut l| {
        l.target = l.target.min(total.saturating_sub(1));
        l
    });
    let field_forms = spec
        .fields
        .iter()
        .zip(forms.fields)
        .map(|(f, form)| FieldForm { input: f.input, widget: f.widget, form })
        .collect();
    let layout = Layout { pages, links: links.collect(), outline, field_forms };
    Ok(Rendered { pdf, layout, warnings: missing_glyph_warnings(&shaper) })
}

fn font_path(fonts: &FontSet) -> std::path::PathBuf {
    fonts.held().first().map(|f| f.name.clone()).unwrap_or_default().into()
}

fn missing_glyph_warnings(shaper: &Shaper<'_>) -> Vec<crate::i18n::Msg> {
    shaper
        .missing()
        .into_iter()
        .map(|c| {
            crate::i18n::Msg::new("render-missing_glyph")
                .arg("char", c.to_string())
                .arg("code", format!("U+{:04X}", c as u32))
        })
        .collect()
}

/// Lays out one section: a placeholder, or per file its pages.
/// The images of a bundle, each stored once: a photo shown inside the report and again as
/// evidence is embedded a single time and drawn twice.
struct Images<'a> {
    list: Vec<PdfImage>,
    by_content: std::collections::HashMap<[u8; 32], usize>,
    /// Compacted versions, drawn instead of the originals.
    compacted: &'a std::collections::HashMap<[u8; 32], PdfImage>,
}

impl Images<'_> {
    /// The index of the image in `blob`, preparing it only the first time: its compacted
    /// version when there is one (the original is then never read), else the original, read
    /// now and dropped once prepared.
    fn intern(&mut self, blob: &Blob, facts: &ImageFacts) -> Result<usize, ImageError> {
        let key = blob.key();
        if let Some(&index) = self.by_content.get(&key) {
            return Ok(index);
        }
        match self.compacted.get(&key) {
            Some(image) => self.list.push(image.clone()),
            None => {
                let bytes = blob.load().map_err(|e| ImageError::Read(Box::new(e.into())))?;
                self.list.push(image::prepare(&bytes, facts).map_err(ImageError::Decode)?);
            }
        }
        self.by_content.insert(key, self.list.len() - 1);
        Ok(self.list.len() - 1)
    }
}

/// Why an image could not be drawn.
enum ImageError {
    /// Its file could not be read again, or changed since check.
    Read(Box<Error>),
    /// The decoder's words.
    Decode(String),
}

fn section_parts(
    shaper: &Shaper<'_>,
    section: &Section,
    note: &str,
    images: &mut Images<'_>,
) -> Result<SectionParts, Error> {
    let mut parts = Vec::new();
    for file in &section.files {
        let part = match &file.body {
            FileBody::Pdf { input, pages } => Part::Input { input: *input, pages: *pages },
            FileBody::Image { bytes, facts } => {
                let index = images.intern(bytes, facts).map_err(|e| match e {
                    ImageError::Read(e) => *e,
                    ImageError::Decode(message) => {
                        Error::Image { item: section.id.clone(), file: file.name.clone(), message }
                    }
                })?;
                Part::Drawn(vec![pages::image_page(shaper, index, &images.list[index], &file.name)])
            }
            FileBody::Text { text, markdown, images: linked } => {
                Part::Drawn(note_pages(shaper, text, *markdown, linked, images))
            }
            FileBody::Placeholder { heading } => Part::Drawn(vec![pages::placeholder(shaper, heading, note)]),
        };
        parts.push((Some(file.name.clone()), part));
    }
    Ok(parts)
}

/// Typesets a note; Markdown images that load are added to `images`.
fn note_pages(
    shaper: &Shaper<'_>,
    text: &str,
    markdown: bool,
    linked: &[LinkedImage],
    images: &mut Images<'_>,
) -> Vec<PageDraw> {
    let mut flow = Flow::new(shaper);
    if !markdown {
        markdown::set_plain(&mut flow, text);
        return flow.pages;
    }
    let blocks = markdown::parse(text);
    let mut loaded = Vec::new();
    for block in &blocks {
        if let markdown::Block::Image { url, .. } = block {
            let index = linked.iter().find(|l| &l.url == url).and_then(|l| images.intern(&l.bytes, &l.facts).ok());
            loaded.push(index);
        }
    }
    markdown::set_blocks(&mut flow, &blocks, &loaded, &images.list);
    flow.pages
}

/// Contents entries (item, then its files) and the number of body pages.
fn contents_entries(spec: &BundleSpec, sections: &[SectionParts]) -> (Vec<Entry>, usize) {
    let mut entries = Vec::new();
    let mut at = 0;
    for (section, parts) in spec.sections.iter().zip(sections) {
        entries.push(Entry { title: section.title.clone(), level: 0, body_page: at });
        for (name, part) in parts {
            if let Some(name) = name {
                entries.push(Entry { title: name.clone(), level: 1, body_page: at });
            }
            at += part.len();
        }
    }
    (entries, at)
}

/// Per section: its first final page index and its page count.
fn section_starts(sections: &[SectionParts], base: usize) -> Vec<(usize, usize)> {
    let mut at = base;
    sections
        .iter()
        .map(|parts| {
            let len: usize = parts.iter().map(|(_, p)| p.len()).sum();
            at += len;
            (at - len, len)
        })
        .collect()
}

fn cover_items(spec: &BundleSpec, starts: &[(usize, usize)]) -> Vec<CoverItem> {
    spec.sections
        .iter()
        .zip(starts)
        .map(|(s, &(start, len))| CoverItem {
            title: s.title.clone(),
            range: (len > 0).then_some((start + 1, start + len)),
        })
        .collect()
}

fn sections_into_parts(sections: Vec<SectionParts>) -> Vec<Part> {
    sections.into_iter().flatten().map(|(_, p)| p).collect()
}

/// The generated pages in order and the source of every final page.
fn page_sequence(cover: PageDraw, contents: Vec<PageDraw>, parts: Vec<Part>) -> (Vec<PageDraw>, Vec<PageSource>) {
    let mut drawn = vec![cover];
    drawn.extend(contents);
    let mut sources: Vec<PageSource> = (0..drawn.len()).map(|index| PageSource::Generated { index }).collect();
    for part in parts {
        match part {
            Part::Drawn(pages) => {
                for page in pages {
                    sources.push(PageSource::Generated { index: drawn.len() });
                    drawn.push(page);
                }
            }
            Part::Input { input, pages } => sources.extend((1..=pages).map(|page| PageSource::Input { input, page })),
        }
    }
    (drawn, sources)
}

/// The title each final page's stamp names: "표지", "목차" or the item's title.
fn page_titles(spec: &BundleSpec, sources: &[PageSource], starts: &[(usize, usize)], base: usize) -> Vec<String> {
    (0..sources.len())
        .map(|i| match i {
            0 => spec.labels.cover.clone(),
            i if i < base => spec.labels.contents.clone(),
            i => starts
                .iter()
                .position(|&(s, len)| i >= s && i < s + len)
                .map(|n| spec.sections[n].title.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// "{label} · {title} · {N} / {total}", the label left out when empty.
fn stamp_texts(spec: &BundleSpec, titles: &[String]) -> Vec<String> {
    let Some(stamp) = &spec.stamp else {
        return Vec::new();
    };
    let total = titles.len();
    titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let label = stamp.label.trim();
            let tail = format!("{title} · {} / {total}", i + 1);
            if label.is_empty() { tail } else { format!("{label} · {tail}") }
        })
        .collect()
}

/// "표지", "목차", then one entry per item with a child per file (`file_starts[n][j]` is the
/// first page of file j of section n).
fn outline(
    spec: &BundleSpec,
    starts: &[(usize, usize)],
    file_starts: &[Vec<usize>],
    total: usize,
) -> Vec<OutlineEntry> {
    let last = total.saturating_sub(1);
    let entry = |title: &str, page: usize| OutlineEntry {
        title: title.to_string(),
        page: page.min(last),
        children: Vec::new(),
        input_outline: None,
    };
    let mut out = vec![entry(&spec.labels.cover, 0), entry(&spec.labels.contents, 1)];
    for (n, section) in spec.sections.iter().enumerate() {
        let mut item = entry(&section.title, starts[n].0);
        for (file, &at) in section.files.iter().zip(&file_starts[n]) {
            let mut child = entry(&file.name, at);
            if let FileBody::Pdf { input, .. } = &file.body {
                child.input_outline = Some(*input);
            }
            item.children.push(child);
        }
        out.push(item);
    }
    out
}

/// First final page of every part of every section.
fn file_starts(sections: &[SectionParts], starts: &[(usize, usize)]) -> Vec<Vec<usize>> {
    sections
        .iter()
        .zip(starts)
        .map(|(parts, &(mut at, _))| {
            parts
                .iter()
                .map(|(_, p)| {
                    at += p.len();
                    at - p.len()
                })
                .collect()
        })
        .collect()
}
