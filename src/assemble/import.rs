//! Copying objects of one source document into the output document.
//!
//! In: a source [`Document`] (consumed object by object) and the output document. Out: the same
//! objects under new numbers in the output, but only those reachable from what the caller asks
//! for (pages, destinations, fields, stamp forms): everything else of the source is pruned.
//! Streams move as they are, still compressed, so merging never inflates content or images.

use std::collections::HashMap;

use lopdf::{Document, Object, ObjectId};

/// Renumbers one source document's objects into the output as they are reached.
pub(super) struct Importer<'a> {
    src: &'a mut Document,
    out: &'a mut Document,
    /// Old number -> new number, for everything already imported or reserved (pages).
    map: HashMap<ObjectId, ObjectId>,
    /// Objects given a number but not yet copied.
    pending: Vec<(ObjectId, ObjectId)>,
}

impl<'a> Importer<'a> {
    /// `pages` maps the source's kept pages to their numbers in the output; the caller writes
    /// the page dictionaries itself (after resolving inherited attributes).
    pub fn new(src: &'a mut Document, out: &'a mut Document, pages: HashMap<ObjectId, ObjectId>) -> Self {
        Importer { src, out, map: pages, pending: Vec::new() }
    }

    /// The source document, for reads before its objects are taken.
    pub fn src(&self) -> &Document {
        self.src
    }

    /// The output number of source object `id`, importing it (and later what it references).
    /// A reference to a page that is not kept, to a page tree node or to the catalog becomes
    /// `null`: following it would drag the whole old document along. So does one to an object
    /// or cross-reference stream (see [`is_structural`]).
    pub fn reference(&mut self, id: ObjectId) -> Object {
        if let Some(&new) = self.map.get(&id) {
            return Object::Reference(new);
        }
        match self.src.objects.get(&id) {
            None => Object::Null,
            Some(object) if is_structural(object) => Object::Null,
            Some(_) => {
                let new = self.out.new_object_id();
                self.map.insert(id, new);
                self.pending.push((id, new));
                Object::Reference(new)
            }
        }
    }

    /// Rewrites every reference inside `object` to output numbers, then copies all objects
    /// reached so far. Iterative over indirect objects, so long chains cannot overflow the stack.
    pub fn import(&mut self, object: &mut Object) {
        self.rewrite(object);
        while let Some((old, new)) = self.pending.pop() {
            let mut taken = self.src.objects.remove(&old).unwrap_or(Object::Null);
            self.rewrite(&mut taken);
            self.out.objects.insert(new, taken);
        }
    }

    /// The output number given to source object `id`, if it was imported.
    pub fn mapped(&self, id: ObjectId) -> Option<ObjectId> {
        self.map.get(&id).copied()
    }

    /// Stores an already rewritten object under an output number reserved by the caller.
    pub fn put(&mut self, id: ObjectId, object: Object) {
        self.out.objects.insert(id, object);
    }

    /// Rewrites references in a direct object (nesting depth is bounded by the parser).
    fn rewrite(&mut self, object: &mut Object) {
        match object {
            Object::Reference(id) => *object = self.reference(*id),
            Object::Array(items) => items.iter_mut().for_each(|item| self.rewrite(item)),
            Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, v)| self.rewrite(v)),
            Object::Stream(stream) => stream.dict.iter_mut().for_each(|(_, v)| self.rewrite(v)),
            _ => {}
        }
    }
}

/// Page, page tree node or catalog, which are rebuilt, and the object streams, cross-reference
/// streams and linearization dictionary lopdf never writes (it makes its own): objects never
/// copied by reference. A page whose `/Contents` is an object stream (found by the `repair` fuzz
/// target) would otherwise point at an object the saved file does not have.
pub(super) fn is_structural(object: &Object) -> bool {
    if matches!(object.type_name(), Ok(b"ObjStm" | b"XRef" | b"Linearized")) {
        return true;
    }
    let Object::Dictionary(dict) = object else {
        return false;
    };
    matches!(dict.get(b"Type").and_then(Object::as_name), Ok(b"Page" | b"Pages" | b"Catalog"))
}
