//! The output's own structures, once every source is merged: page tree, stamps, contents
//! links, outline, form, name tree, catalog and document information.
//!
//! In: the output document holding the merged pages, the layout and what the sources
//! contributed. Out: the same document, complete and ready to save.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};

use super::source::OutlineNode;
use super::{AssembleError, Merged, Metadata, stamp};
use crate::spec::{Layout, OutlineEntry};

/// Completes `out`: everything but serialisation.
pub(super) fn finish(
    out: &mut Document,
    layout: &Layout,
    page_ids: &[ObjectId],
    mut merged: Merged,
    metadata: &Metadata,
    attachment: Option<&super::Attachment<'_>>,
) -> Result<(), AssembleError> {
    check_indices(layout, page_ids.len())?;
    // The highest input version, at least 1.7 (what the output itself uses).
    if merged.version > out.version {
        out.version = merged.version.clone();
    }
    let pages_id = page_tree(out, page_ids);
    stamp_pages(out, layout, page_ids, &merged);
    for link in &layout.links {
        let annot = dictionary_link(link.rect, page_ids[link.target], page_ids[link.on_page]);
        let annot_id = out.add_object(annot);
        add_annotation(out, page_ids[link.on_page], annot_id);
    }
    let mut catalog = dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Lang" => text_string("ko-KR"),
    };
    let nodes = layout_outline(&layout.outline, page_ids, &mut merged);
    if let Some(outlines) = write_outline_root(out, nodes) {
        catalog.set("Outlines", outlines);
        catalog.set("PageMode", "UseOutlines");
    }
    if !merged.dests.is_empty() {
        let names: Vec<Object> = std::mem::take(&mut merged.dests)
            .into_iter()
            .flat_map(|(name, dest)| [Object::String(name, StringFormat::Literal), dest])
            .collect();
        let dests = out.add_object(dictionary! { "Names" => names });
        catalog.set("Names", dictionary! { "Dests" => dests });
    }
    if !merged.fields.is_empty() {
        let form = acro_form(merged);
        catalog.set("AcroForm", out.add_object(form));
    }
    if let Some(file) = attachment {
        super::attach::attach(out, &mut catalog, file);
    }
    let catalog_id = out.add_object(catalog);
    let info_id = out.add_object(info(metadata));
    out.trailer = dictionary! { "Root" => catalog_id, "Info" => info_id };
    // Resources replaced by per-page copies for stamps may have become unreferenced.
    out.prune_objects();
    Ok(())
}

/// Page indices in links and bookmarks must name output pages.
fn check_indices(layout: &Layout, count: usize) -> Result<(), AssembleError> {
    let bad_link = layout.links.iter().find(|l| l.on_page >= count || l.target >= count);
    if let Some(link) = bad_link {
        return Err(AssembleError::Layout(format!("link {link:?} names a page beyond {count}")));
    }
    fn bad(entries: &[OutlineEntry], count: usize) -> Option<&OutlineEntry> {
        entries.iter().find_map(|e| if e.page >= count { Some(e) } else { bad(&e.children, count) })
    }
    match bad(&layout.outline, count) {
        Some(entry) => {
            Err(AssembleError::Layout(format!("bookmark `{}` names page {} of {count}", entry.title, entry.page + 1)))
        }
        None => Ok(()),
    }
}

/// One flat `/Pages` node over every output page.
fn page_tree(out: &mut Document, page_ids: &[ObjectId]) -> ObjectId {
    let pages_id = out.new_object_id();
    for &id in page_ids {
        if let Ok(page) = out.get_dictionary_mut(id) {
            page.set("Parent", pages_id);
        }
    }
    let kids: Vec<Object> = page_ids.iter().map(|&id| id.into()).collect();
    let count = kids.len() as i64;
    let pages = dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count };
    out.objects.insert(pages_id, Object::Dictionary(pages));
    pages_id
}

/// Draws the stamp form on every page that has one.
fn stamp_pages(out: &mut Document, layout: &Layout, page_ids: &[ObjectId], merged: &Merged) {
    let mut open = None;
    let mut closers = std::collections::HashMap::new();
    let mut placed = std::collections::HashSet::new();
    for (page, &page_id) in layout.pages.iter().zip(page_ids) {
        let Some(&form) = page.stamp.and_then(|n| merged.stamps.get(&n)) else {
            continue;
        };
        // The placement is written into the form, so a form shared by two pages is copied.
        let form = if placed.insert(form) {
            form
        } else {
            let copy = out.get_object(form).cloned().unwrap_or(Object::Null);
            out.add_object(copy)
        };
        // One shared "q" stream opens the save around every stamped page's own content.
        let open_id = *open.get_or_insert_with(|| out.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec())));
        stamp::apply(out, page_id, form, open_id, &mut closers);
    }
}

/// A borderless link annotation jumping to `target`.
fn dictionary_link(rect: [f32; 4], target: ObjectId, on_page: ObjectId) -> Dictionary {
    dictionary! {
        "Type" => "Annot",
        "Subtype" => "Link",
        "Rect" => rect.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>(),
        "Border" => vec![0.into(), 0.into(), 0.into()],
        "Dest" => xyz(target),
        "P" => on_page,
    }
}

/// `[page /XYZ null null null]`: open the page, keep the zoom.
fn xyz(page: ObjectId) -> Object {
    Object::Array(vec![page.into(), "XYZ".into(), Object::Null, Object::Null, Object::Null])
}

/// Appends an annotation to a page's `/Annots`, copying a shared array first.
fn add_annotation(out: &mut Document, page_id: ObjectId, annot: ObjectId) {
    let existing = match out.get_dictionary(page_id).and_then(|p| p.get(b"Annots")) {
        Ok(annots) => super::source::resolve(out, annots).as_array().cloned().unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let mut annots = existing;
    annots.push(annot.into());
    if let Ok(page) = out.get_dictionary_mut(page_id) {
        page.set("Annots", annots);
    }
}

/// The layout's bookmarks as outline nodes, each input's own outline hung below its entry.
fn layout_outline(entries: &[OutlineEntry], page_ids: &[ObjectId], merged: &mut Merged) -> Vec<OutlineNode> {
    entries
        .iter()
        .map(|entry| {
            let mut children = layout_outline(&entry.children, page_ids, merged);
            if let Some(input) = entry.input_outline {
                children.extend(merged.outlines.remove(&input).unwrap_or_default());
            }
            let entries = dictionary! {
                "Title" => text_string(&entry.title),
                "Dest" => xyz(page_ids[entry.page]),
            };
            OutlineNode { entries, open: true, children }
        })
        .collect()
}

/// Writes the outline; `None` when there are no bookmarks.
fn write_outline_root(out: &mut Document, nodes: Vec<OutlineNode>) -> Option<ObjectId> {
    if nodes.is_empty() {
        return None;
    }
    let root = out.new_object_id();
    let (first, last, count) = write_level(out, nodes, root)?;
    let dict = dictionary! { "Type" => "Outlines", "First" => first, "Last" => last, "Count" => count };
    out.objects.insert(root, Object::Dictionary(dict));
    Some(root)
}

/// Writes sibling items below `parent`: (first, last, items visible when `parent` is open).
fn write_level(out: &mut Document, nodes: Vec<OutlineNode>, parent: ObjectId) -> Option<(ObjectId, ObjectId, i64)> {
    let ids: Vec<ObjectId> = nodes.iter().map(|_| out.new_object_id()).collect();
    let mut visible = 0;
    for (k, node) in nodes.into_iter().enumerate() {
        let mut item = node.entries;
        item.set("Parent", parent);
        if k > 0 {
            item.set("Prev", ids[k - 1]);
        }
        if let Some(&next) = ids.get(k + 1) {
            item.set("Next", next);
        }
        if let Some((first, last, count)) = write_level(out, node.children, ids[k]) {
            item.set("First", first);
            item.set("Last", last);
            item.set("Count", if node.open { count } else { -count });
            visible += if node.open { count } else { 0 };
        }
        visible += 1;
        out.objects.insert(ids[k], Object::Dictionary(item));
    }
    Some((*ids.first()?, *ids.last()?, visible))
}

/// The merged `/AcroForm`.
fn acro_form(mut merged: Merged) -> Dictionary {
    let da = merged.da.take().unwrap_or_else(|| {
        // No input said how to draw field text: Helvetica, auto size, which must then exist.
        let fonts = merged.dr.entry(b"Font".to_vec()).or_default();
        if !fonts.has(b"Helv") {
            let helv = dictionary! {
                "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
            };
            fonts.set("Helv", helv);
        }
        Object::string_literal("/Helv 0 Tf 0 g")
    });
    let mut dr = Dictionary::new();
    for (category, entries) in merged.dr {
        dr.set(category, entries);
    }
    let mut form = dictionary! { "Fields" => merged.fields, "DA" => da };
    if !dr.is_empty() {
        form.set("DR", dr);
    }
    if merged.need_appearances {
        form.set("NeedAppearances", true);
    }
    form
}

/// `/Info` without dates, so that two builds are byte-identical.
fn info(metadata: &Metadata) -> Dictionary {
    let mut info = dictionary! {
        "Title" => text_string(&metadata.title),
        "Author" => text_string(&metadata.author),
        "Subject" => text_string(&metadata.subject),
        "Creator" => text_string("dossier"),
        "Producer" => text_string(&format!("dossier {}", env!("CARGO_PKG_VERSION"))),
    };
    if let Some(keywords) = &metadata.keywords {
        info.set("Keywords", text_string(keywords));
    }
    info
}

/// A PDF text string: ASCII as is, anything else UTF-16BE with a byte order mark.
pub(super) fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let bytes = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes.collect(), StringFormat::Hexadecimal)
}
