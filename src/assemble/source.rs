//! Reading one source document before its objects are moved: page dictionaries with inherited
//! attributes resolved, named destinations, outline items and form fields.
//!
//! In: a loaded [`Document`]. Out: plain data (dictionaries that still hold source references)
//! for the importer to renumber.

use std::collections::{BTreeMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Deepest outline nesting copied; deeper (or looping) outlines are cut there.
const MAX_OUTLINE_DEPTH: usize = 32;
/// Most name tree nodes visited per document, against loops and bombs.
const MAX_NAME_NODES: usize = 100_000;

/// Page attributes a page may inherit from its ancestors (PDF 32000-1, 7.7.3.4).
const INHERITED: [&[u8]; 4] = [b"MediaBox", b"CropBox", b"Resources", b"Rotate"];

/// Follows references until a direct object (bounded, against reference loops).
pub(super) fn resolve<'a>(doc: &'a Document, mut object: &'a Object) -> &'a Object {
    for _ in 0..32 {
        match object {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(next) => object = next,
                None => return &Object::Null,
            },
            _ => return object,
        }
    }
    &Object::Null
}

/// The dictionary `key` of `dict` points at, if it is one.
pub(super) fn dict_at<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    dict.get(key).ok().map(|o| resolve(doc, o)).and_then(|o| o.as_dict().ok())
}

/// The catalog, or an empty dictionary for a document without one.
pub(super) fn catalog(doc: &Document) -> &Dictionary {
    static EMPTY: std::sync::OnceLock<Dictionary> = std::sync::OnceLock::new();
    doc.catalog().unwrap_or_else(|_| EMPTY.get_or_init(Dictionary::new))
}

/// Page `id` as a standalone dictionary: inherited attributes copied onto it, links to the old
/// tree and to structures we drop (structure tree, article beads) removed.
pub(super) fn standalone_page(doc: &Document, id: ObjectId) -> Dictionary {
    let mut page = doc.get_dictionary(id).cloned().unwrap_or_default();
    let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok();
    let mut seen = HashSet::from([id]);
    while let Some(node_id) = parent.filter(|p| seen.insert(*p)) {
        let Ok(node) = doc.get_dictionary(node_id) else {
            break;
        };
        for key in INHERITED {
            if !page.has(key)
                && let Ok(value) = node.get(key)
            {
                page.set(key, value.clone());
            }
        }
        parent = node.get(b"Parent").and_then(Object::as_reference).ok();
    }
    if !page.has(b"MediaBox") {
        // The PDF default when nothing says otherwise: US Letter.
        page.set("MediaBox", vec![0.into(), 0.into(), 612.into(), 792.into()]);
    }
    for key in [&b"Parent"[..], b"StructParents", b"B", b"PieceInfo"] {
        page.remove(key);
    }
    page
}

/// Named destinations of the document: the `/Names /Dests` tree and the old `/Dests`
/// dictionary, each value reduced to a destination array (still with source references).
pub(super) fn named_dests(doc: &Document) -> BTreeMap<Vec<u8>, Object> {
    let mut dests = BTreeMap::new();
    let root = catalog(doc);
    if let Some(tree) = dict_at(doc, root, b"Names").and_then(|n| dict_at(doc, n, b"Dests")) {
        let mut budget = MAX_NAME_NODES;
        let mut seen = HashSet::new();
        walk_name_tree(doc, tree, &mut dests, &mut seen, &mut budget);
    }
    if let Some(old) = dict_at(doc, root, b"Dests") {
        for (name, value) in old {
            if let Some(dest) = dest_array(doc, value) {
                dests.entry(name.clone()).or_insert(dest);
            }
        }
    }
    dests
}

fn walk_name_tree(
    doc: &Document,
    node: &Dictionary,
    dests: &mut BTreeMap<Vec<u8>, Object>,
    seen: &mut HashSet<ObjectId>,
    budget: &mut usize,
) {
    if let Ok(pairs) = node.get(b"Names").map(|o| resolve(doc, o)).and_then(Object::as_array) {
        for pair in pairs.chunks_exact(2) {
            let key = resolve(doc, &pair[0]);
            if let (Ok(name), Some(dest)) = (key.as_str(), dest_array(doc, &pair[1])) {
                dests.entry(name.to_vec()).or_insert(dest);
            }
        }
    }
    let Ok(kids) = node.get(b"Kids").map(|o| resolve(doc, o)).and_then(Object::as_array) else {
        return;
    };
    for kid in kids {
        let Ok(id) = kid.as_reference() else { continue };
        if *budget == 0 || !seen.insert(id) {
            return;
        }
        *budget -= 1;
        if let Ok(child) = doc.get_dictionary(id) {
            walk_name_tree(doc, child, dests, seen, budget);
        }
    }
}

/// A destination value (array, or dictionary with `/D`) as a direct array.
fn dest_array(doc: &Document, value: &Object) -> Option<Object> {
    match resolve(doc, value) {
        array @ Object::Array(_) => Some(array.clone()),
        Object::Dictionary(dict) => match dict.get(b"D").map(|d| resolve(doc, d)) {
            Ok(array @ Object::Array(_)) => Some(array.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Rewrites every named-destination reference in the document (`/Dest` of links and outline
/// items, `/D` of GoTo actions) to a string, renamed where `renames` says so. Names become
/// strings because the output keeps one name tree and no `/Dests` dictionary.
pub(super) fn rename_dest_refs(doc: &mut Document, renames: &BTreeMap<Vec<u8>, Vec<u8>>) {
    for object in doc.objects.values_mut() {
        rename_in(object, renames);
    }
}

fn rename_in(object: &mut Object, renames: &BTreeMap<Vec<u8>, Vec<u8>>) {
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &mut stream.dict,
        Object::Array(items) => return items.iter_mut().for_each(|i| rename_in(i, renames)),
        _ => return,
    };
    let is_goto = matches!(dict.get(b"S").and_then(Object::as_name), Ok(b"GoTo"));
    for (key, value) in dict.iter_mut() {
        let named = key == b"Dest" || (is_goto && key == b"D");
        match value {
            Object::Name(name) | Object::String(name, _) if named => {
                let name = renames.get(name.as_slice()).unwrap_or(name).clone();
                *value = Object::string_literal(name);
            }
            Object::Dictionary(_) | Object::Array(_) => rename_in(value, renames),
            _ => {}
        }
    }
}

/// One outline item as read from a source: its own entries (title, colour, flags,
/// destination or action, still with source references) and its children.
#[derive(Debug, Clone)]
pub(super) struct OutlineNode {
    /// `/Title`, `/C`, `/F`, `/Dest`, `/A` only; the links are rebuilt.
    pub entries: Dictionary,
    /// Shown expanded.
    pub open: bool,
    /// Items below it.
    pub children: Vec<OutlineNode>,
}

/// The document's own outline, loops and excessive depth cut.
pub(super) fn outline(doc: &Document) -> Vec<OutlineNode> {
    let Some(root) = dict_at(doc, catalog(doc), b"Outlines") else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    outline_level(doc, root.get(b"First").ok(), &mut seen, 0)
}

fn outline_level(
    doc: &Document,
    first: Option<&Object>,
    seen: &mut HashSet<ObjectId>,
    depth: usize,
) -> Vec<OutlineNode> {
    let mut nodes = Vec::new();
    let mut next = first.and_then(|o| o.as_reference().ok());
    while let Some(id) = next.filter(|id| depth < MAX_OUTLINE_DEPTH && seen.insert(*id)) {
        let Ok(item) = doc.get_dictionary(id) else {
            break;
        };
        let entries: Dictionary = item
            .iter()
            .filter(|(k, _)| matches!(k.as_slice(), b"Title" | b"C" | b"F" | b"Dest" | b"A"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let open = item.get(b"Count").and_then(Object::as_i64).is_ok_and(|c| c > 0);
        let children = outline_level(doc, item.get(b"First").ok(), seen, depth + 1);
        nodes.push(OutlineNode { entries, open, children });
        next = item.get(b"Next").and_then(Object::as_reference).ok();
    }
    nodes
}

/// The interactive form of a document, as far as a merge keeps it.
#[derive(Debug, Default)]
pub(super) struct Form {
    /// Top-level fields (source references).
    pub fields: Vec<Object>,
    /// `/NeedAppearances true`.
    pub need_appearances: bool,
    /// Default resources.
    pub dr: Option<Object>,
    /// Default appearance.
    pub da: Option<Object>,
}

/// The document's `/AcroForm`, with top-level field names that collide with `taken` renamed
/// in the document ("name" -> "name_2"); the names used are added to `taken`.
pub(super) fn form(doc: &mut Document, taken: &mut HashSet<Vec<u8>>) -> Option<Form> {
    let acro = dict_at(doc, catalog(doc), b"AcroForm")?.clone();
    let fields = acro.get(b"Fields").map(|o| resolve(doc, o).clone()).ok();
    let fields = fields.and_then(|f| f.as_array().ok().cloned()).unwrap_or_default();
    prune_field_tree(doc, &fields);
    for field in &fields {
        let Ok(id) = field.as_reference() else {
            continue;
        };
        let Ok(dict) = doc.get_dictionary_mut(id) else {
            continue;
        };
        let Some(name) = dict.get(b"T").ok().and_then(|t| t.as_str().ok()).map(<[u8]>::to_vec) else {
            continue;
        };
        let unique = unique_name(&name, taken);
        if unique != name {
            dict.set("T", Object::string_literal(unique.clone()));
        }
        taken.insert(unique);
    }
    Some(Form {
        fields,
        need_appearances: acro.get(b"NeedAppearances").and_then(Object::as_bool).unwrap_or(false),
        dr: acro.get(b"DR").ok().cloned(),
        da: acro.get(b"DA").ok().cloned(),
    })
}

/// Makes the field tree a tree: a field listed a second time (in the same `/Kids` or anywhere
/// else below the form) is dropped there, as qpdf does. A field tree that lists each kid twice
/// at 25 levels is 2^25 fields to a viewer (qpdf's `shared-unnamed-field`): poppler hung on the
/// merged PDF.
fn prune_field_tree(doc: &mut Document, fields: &[Object]) {
    let mut seen: HashSet<ObjectId> = fields.iter().filter_map(|f| f.as_reference().ok()).collect();
    let mut queue: Vec<ObjectId> = seen.iter().copied().collect();
    while let Some(id) = queue.pop() {
        let Ok(node) = doc.get_dictionary_mut(id) else { continue };
        let Ok(Object::Array(kids)) = node.get_mut(b"Kids") else { continue };
        kids.retain(|kid| match kid.as_reference() {
            Ok(kid) if seen.insert(kid) => {
                queue.push(kid);
                true
            }
            Ok(_) => false,
            Err(_) => true,
        });
    }
}

/// `name`, or `name_2`, `name_3`, ... whichever is not taken. A UTF-16BE name (with BOM) gets
/// its suffix in UTF-16BE too.
fn unique_name(name: &[u8], taken: &HashSet<Vec<u8>>) -> Vec<u8> {
    let utf16 = name.starts_with(&[0xFE, 0xFF]);
    let mut candidate = name.to_vec();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = name.to_vec();
        let suffix = format!("_{n}");
        if utf16 {
            candidate.extend(suffix.encode_utf16().flat_map(u16::to_be_bytes));
        } else {
            candidate.extend(suffix.bytes());
        }
    }
    candidate
}
