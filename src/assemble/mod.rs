//! Assembly: the generated pages and the input PDFs merged into one PDF, following the layout.
//!
//! In: the [`Rendered`] document and layout, the input documents (loaded and decrypted) and the
//! [`Metadata`]. Out: the bytes of one merged PDF with a new flat page tree, the inputs' named
//! destinations, outlines and form fields kept, contents links, bookmarks and page stamps.
//! Objects are renumbered and pruned; streams are copied as they are, never re-encoded. The
//! output is deterministic: the same inputs give the same bytes.
//!
//! All object-level lopdf code of dossier lives here, behind the one entry point [`assemble`].

mod attach;
mod build;
pub mod fields;
mod import;
pub mod proof;
#[cfg(test)]
mod proof_tests;
mod save;
mod source;
mod stamp;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

pub use attach::{Attachment, embedded_file};

use crate::spec::{Layout, PageSource, Rendered};
use import::Importer;
use source::OutlineNode;

pub use crate::spec::Metadata;

/// Why a merge failed, and which document was at fault.
#[derive(Debug, thiserror::Error)]
pub enum AssembleError {
    /// The generated document cannot be read or lacks a stamp form the layout names.
    #[error("generated pages: {0}")]
    Generated(String),
    /// An input document cannot be merged.
    #[error("input {input}: {message}")]
    Input {
        /// Index into the input documents.
        input: usize,
        /// What went wrong.
        message: String,
    },
    /// The layout does not fit the documents (a bug in render, not in the inputs).
    #[error("layout: {0}")]
    Layout(String),
    /// Serialising the merged PDF failed.
    #[error("cannot write the merged PDF: {0}")]
    Write(String),
}

impl AssembleError {
    /// The input document at fault, if one is.
    pub fn input(&self) -> Option<usize> {
        match self {
            AssembleError::Input { input, .. } => Some(*input),
            _ => None,
        }
    }
}

/// Merges the generated pages and the input documents (already decrypted) following the layout.
/// Pure: bytes and documents in, bytes out.
pub fn assemble(rendered: &Rendered, inputs: Vec<Document>, metadata: &Metadata) -> Result<Vec<u8>, AssembleError> {
    assemble_with(rendered, inputs, metadata, None).map(|(pdf, _)| pdf)
}

/// [`assemble`], with a file embedded in the merged PDF as its associated data (the bundle's
/// record); also gives the PDF's SHA-256, taken as it was finished.
pub fn assemble_with(
    rendered: &Rendered,
    inputs: Vec<Document>,
    metadata: &Metadata,
    attachment: Option<&Attachment<'_>>,
) -> Result<(Vec<u8>, [u8; 32]), AssembleError> {
    let generated =
        Document::load_mem(&rendered.pdf).map_err(|e| AssembleError::Generated(format!("cannot read the PDF: {e}")))?;
    let layout = &rendered.layout;
    let mut out = Document::with_version("1.7");
    // Final pages get the first numbers, in order, so the output reads naturally.
    let page_ids: Vec<ObjectId> = layout.pages.iter().map(|_| out.new_object_id()).collect();
    let mut merged = Merged::default();
    let mut sources = vec![(None, generated)];
    sources.extend(inputs.into_iter().enumerate().map(|(i, doc)| (Some(i), doc)));
    for (which, doc) in sources {
        let pages = pages_of(layout, which, &doc)?;
        merge_source(&mut out, doc, which, &pages, &page_ids, layout, &mut merged)?;
    }
    build::finish(&mut out, layout, &page_ids, merged, metadata, attachment)?;
    save::to_bytes(out)
}

/// What the sources contribute beyond their pages, gathered as they are merged.
#[derive(Debug, Default)]
struct Merged {
    /// Highest PDF version seen.
    version: String,
    /// Named destinations by (unique) name, pointing at output pages.
    dests: BTreeMap<Vec<u8>, Object>,
    /// Each input's own outline, converted, by input index.
    outlines: HashMap<usize, Vec<OutlineNode>>,
    /// Stamp form object number in the generated document -> output object.
    stamps: HashMap<u32, ObjectId>,
    /// Field appearance form object number in the generated document -> output object.
    field_forms: HashMap<u32, ObjectId>,
    /// Top-level form fields, in output numbers.
    fields: Vec<Object>,
    /// Top-level field names taken so far.
    field_names: HashSet<Vec<u8>>,
    /// Some input relies on the viewer to draw its field values.
    need_appearances: bool,
    /// Merged default resources of the forms, by category then name.
    dr: BTreeMap<Vec<u8>, Dictionary>,
    /// The first default appearance seen.
    da: Option<Object>,
}

/// (page object in the source, index in the output) for every output page from `which`.
fn pages_of(layout: &Layout, which: Option<usize>, doc: &Document) -> Result<Vec<(ObjectId, usize)>, AssembleError> {
    let source_pages: Vec<ObjectId> = doc.page_iter().collect();
    let mut pages = Vec::new();
    for (index, page) in layout.pages.iter().enumerate() {
        let wanted = match (page.source, which) {
            (PageSource::Generated { index }, None) => index,
            (PageSource::Input { input, page }, Some(w)) if input == w => {
                (page as usize).checked_sub(1).unwrap_or(usize::MAX)
            }
            _ => continue,
        };
        let Some(&id) = source_pages.get(wanted) else {
            let message = format!("page {} of {} does not exist", wanted.wrapping_add(1), source_pages.len());
            return Err(match which {
                Some(input) => AssembleError::Input { input, message },
                None => AssembleError::Layout(format!("generated {message}")),
            });
        };
        pages.push((id, index));
    }
    Ok(pages)
}

/// Moves one source's kept pages and everything they and its kept structures reference into
/// `out`, and records its destinations, outline, form and (generated document) stamps.
fn merge_source(
    out: &mut Document,
    mut doc: Document,
    which: Option<usize>,
    pages: &[(ObjectId, usize)],
    page_ids: &[ObjectId],
    layout: &Layout,
    merged: &mut Merged,
) -> Result<(), AssembleError> {
    if doc.version > merged.version {
        merged.version = doc.version.clone();
    }
    let dests = take_named_dests(&mut doc, which, &merged.dests);
    let wants_outline = which.is_some_and(|w| outline_wanted(&layout.outline, w));
    let outline = if wants_outline { source::outline(&doc) } else { Vec::new() };
    let drawn: HashSet<ObjectId> =
        layout.field_forms.iter().filter(|f| Some(f.input) == which).map(|f| f.widget).collect();
    let mut form = source::form(&mut doc, &mut merged.field_names);
    if let Some(form) = &mut form {
        // Once dossier drew every value, the viewer must not redraw them with a font that has
        // no Hangul.
        form.need_appearances &= !fields::all_widgets_drawn(&doc, &drawn);
    }
    let standalone: Vec<Dictionary> = pages.iter().map(|&(id, _)| source::standalone_page(&doc, id)).collect();
    let mut first = HashMap::new();
    for &(old, index) in pages {
        first.entry(old).or_insert(page_ids[index]);
    }
    let mut imp = Importer::new(&mut doc, out, first.clone());
    for (&(old, index), page) in pages.iter().zip(standalone) {
        let mut page = Object::Dictionary(page);
        imp.import(&mut page);
        if first[&old] != page_ids[index] {
            // The same page twice: the copy shares content but not the annotations, whose
            // `/P` can name only one page.
            if let Object::Dictionary(dict) = &mut page {
                dict.remove(b"Annots");
            }
        }
        imp.put(page_ids[index], page);
    }
    for (name, mut dest) in dests {
        imp.import(&mut dest);
        if dest.as_array().is_ok_and(|a| a.first().is_some_and(|p| !p.is_null())) {
            merged.dests.insert(name, dest);
        }
    }
    if let Some(w) = which {
        let nodes = import_outline(&mut imp, outline);
        merged.outlines.insert(w, nodes);
    } else {
        import_forms(&mut imp, layout.pages.iter().filter_map(|p| p.stamp), &mut merged.stamps, "stamp")?;
        let fields = layout.field_forms.iter().map(|f| f.form);
        import_forms(&mut imp, fields, &mut merged.field_forms, "field appearance")?;
    }
    let dr = form.map(|f| import_form(&mut imp, f, merged)).unwrap_or(Object::Null);
    let appearances: Vec<(ObjectId, ObjectId)> = layout
        .field_forms
        .iter()
        .filter(|f| Some(f.input) == which)
        .filter_map(|f| Some((imp.mapped(f.widget)?, *merged.field_forms.get(&f.form)?)))
        .collect();
    drop(imp);
    for (widget, form) in appearances {
        if let Ok(Object::Dictionary(dict)) = out.get_object_mut(widget) {
            dict.set("AP", lopdf::dictionary! { "N" => Object::Reference(form) });
        }
    }
    merge_dr(out, &dr, &mut merged.dr);
    Ok(())
}

/// Whether any outline entry asks for input `which`'s own outline.
fn outline_wanted(entries: &[crate::spec::OutlineEntry], which: usize) -> bool {
    entries.iter().any(|e| e.input_outline == Some(which) || outline_wanted(&e.children, which))
}

/// The source's named destinations, renamed where a name is already taken by an earlier
/// source, with the source's references to them rewritten to match.
fn take_named_dests(
    doc: &mut Document,
    which: Option<usize>,
    taken: &BTreeMap<Vec<u8>, Object>,
) -> BTreeMap<Vec<u8>, Object> {
    let dests = source::named_dests(doc);
    let prefix = match which {
        Some(i) => format!("in{}_", i + 1),
        None => "gen_".to_string(),
    };
    let mut renames = BTreeMap::new();
    for name in dests.keys().filter(|n| taken.contains_key(*n)) {
        let mut n = 1;
        let mut fresh = [prefix.as_bytes(), name].concat();
        while taken.contains_key(&fresh) || dests.contains_key(&fresh) {
            n += 1;
            fresh = [format!("{prefix}{n}_").as_bytes(), name].concat();
        }
        renames.insert(name.clone(), fresh);
    }
    source::rename_dest_refs(doc, &renames);
    dests.into_iter().map(|(name, dest)| (renames.get(&name).cloned().unwrap_or(name), dest)).collect()
}

/// Renumbers an outline's destinations and actions; a destination on a page not kept goes.
fn import_outline(imp: &mut Importer, nodes: Vec<OutlineNode>) -> Vec<OutlineNode> {
    nodes
        .into_iter()
        .map(|node| {
            let mut entries = Object::Dictionary(node.entries);
            imp.import(&mut entries);
            let mut entries = entries.as_dict().cloned().unwrap_or_default();
            let dangling =
                entries.get(b"Dest").and_then(Object::as_array).is_ok_and(|a| a.first().is_none_or(Object::is_null));
            if dangling {
                entries.remove(b"Dest");
            }
            let children = import_outline(imp, node.children);
            OutlineNode { entries, open: node.open, children }
        })
        .collect()
}

/// Imports Form XObjects of the generated document by object number into `into` (generated
/// number -> output id); `what` names them in the error for a number that is not a form.
fn import_forms(
    imp: &mut Importer,
    numbers: impl IntoIterator<Item = u32>,
    into: &mut HashMap<u32, ObjectId>,
    what: &str,
) -> Result<(), AssembleError> {
    for number in numbers {
        if into.contains_key(&number) {
            continue;
        }
        let is_form =
            imp.src().get_object((number, 0)).is_ok_and(|o| o.as_stream().is_ok_and(|s| s.dict.get(b"BBox").is_ok()));
        if !is_form {
            return Err(AssembleError::Generated(format!("{what} {number} 0 R is not a form XObject")));
        }
        let mut form = Object::Reference((number, 0));
        imp.import(&mut form);
        into.insert(number, form.as_reference().expect("an existing object imports"));
    }
    Ok(())
}

/// Imports a form's fields; returns its default resources (output numbers) for merging.
fn import_form(imp: &mut Importer, form: source::Form, merged: &mut Merged) -> Object {
    for mut field in form.fields {
        imp.import(&mut field);
        if !field.is_null() {
            merged.fields.push(field);
        }
    }
    merged.need_appearances |= form.need_appearances;
    if merged.da.is_none()
        && let Some(mut da) = form.da
    {
        imp.import(&mut da);
        merged.da = Some(da);
    }
    let mut dr = form.dr.unwrap_or(Object::Null);
    imp.import(&mut dr);
    dr
}

/// Adds the entries of default resources `dr` (in `out`) that are not yet in `merged`.
fn merge_dr(out: &Document, dr: &Object, merged: &mut BTreeMap<Vec<u8>, Dictionary>) {
    let Ok(dr) = source::resolve(out, dr).as_dict() else {
        return;
    };
    for (category, entries) in dr {
        let Ok(entries) = source::resolve(out, entries).as_dict() else {
            continue;
        };
        let target = merged.entry(category.clone()).or_default();
        for (name, value) in entries {
            if !target.has(name) {
                target.set(name.clone(), value.clone());
            }
        }
    }
}
