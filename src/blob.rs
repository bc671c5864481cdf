//! An input's bytes, read from disk when a stage needs them rather than held for the whole
//! build (issue 9: a folder of 300 MB of photos must build in the largest file + 256 MB).
//!
//! A [`Blob`] is a cheap handle (clone it freely) on a file that check hashed: build verifies
//! it once, streaming, when gathering, and every later [`Blob::load`] reads the file again.
//! Loads that overlap share one copy (the handle keeps a weak reference to the last bytes it
//! handed out), so a photo that fitting, render and the zip each ask for is in memory once
//! while any of them holds it, and not at all between them. A later load is trusted without
//! hashing again when the file's size and modification time are still the verified ones;
//! otherwise it is hashed again, and refused if it differs from what check saw.
//!
//! Bytes that exist only in memory (a decrypted pay stub, a test's image) are a blob too.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// Why a blob's bytes could not be had.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The file is no longer what check hashed.
    #[error("`{}` changed while dossier was running", path.display())]
    Changed {
        /// The item it belongs to.
        item: String,
        /// The file.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("cannot read `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// An input's bytes, in memory or read from its file when needed.
#[derive(Clone)]
pub struct Blob(Arc<Inner>);

struct Inner {
    source: Source,
    len: u64,
    key: [u8; 32],
    /// The last bytes handed out, while someone still holds them.
    loaded: Mutex<Weak<Vec<u8>>>,
}

enum Source {
    Memory(Arc<Vec<u8>>),
    /// Bytes dossier made (a compacted copy for the zip), kept in a [`Spill`] file.
    Spill {
        spill: Arc<Spill>,
        offset: u64,
    },
    File {
        path: PathBuf,
        /// The item it belongs to, for the error that names it.
        item: String,
        /// (size, modification time) when its hash was last found to be check's.
        verified: Mutex<Option<(u64, Option<SystemTime>)>>,
    },
}

/// An unnamed temporary file (gone when closed, even after a crash) that holds bytes a build
/// makes and needs again later: the zip's compacted copies of a folder of photos are made while
/// the mail is fitted and written only when the zip is, and held here rather than in memory.
pub struct Spill {
    /// The file, and where its next bytes go.
    file: Mutex<(std::fs::File, u64)>,
}

impl Spill {
    /// A spill over `file`, an empty temporary file (`files::spill_file`).
    pub fn new(file: std::fs::File) -> Arc<Spill> {
        Arc::new(Spill { file: Mutex::new((file, 0)) })
    }

    /// Appends `bytes` and gives them back as a blob that reads them from the file.
    pub fn put(self: &Arc<Self>, bytes: &[u8]) -> Result<Blob, BlobError> {
        use std::io::{Seek, SeekFrom, Write};
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let (file, end) = &mut *guard;
        let offset = *end;
        file.seek(SeekFrom::Start(offset)).and_then(|_| file.write_all(bytes)).map_err(spill_error)?;
        *end += bytes.len() as u64;
        let source = Source::Spill { spill: self.clone(), offset };
        Ok(Blob::new(source, bytes.len() as u64, Sha256::digest(bytes).into()))
    }

    fn read(&self, offset: u64, len: u64) -> Result<Vec<u8>, BlobError> {
        use std::io::{Seek, SeekFrom};
        let mut guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let file = &mut guard.0;
        let mut bytes =
            vec![0u8; usize::try_from(len).map_err(|_| spill_error(std::io::ErrorKind::OutOfMemory.into()))?];
        file.seek(SeekFrom::Start(offset)).and_then(|_| file.read_exact(&mut bytes)).map_err(spill_error)?;
        Ok(bytes)
    }
}

fn spill_error(source: std::io::Error) -> BlobError {
    BlobError::Read { path: PathBuf::from("(temporary file)"), source }
}

impl std::fmt::Debug for Blob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.source {
            Source::Memory(_) => write!(f, "Blob(memory, {} bytes)", self.0.len),
            Source::Spill { offset, .. } => write!(f, "Blob(spill at {offset}, {} bytes)", self.0.len),
            Source::File { path, .. } => write!(f, "Blob({}, {} bytes)", path.display(), self.0.len),
        }
    }
}

impl From<Arc<Vec<u8>>> for Blob {
    fn from(bytes: Arc<Vec<u8>>) -> Blob {
        Blob::memory(bytes)
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Blob {
        Blob::memory(Arc::new(bytes))
    }
}

/// A SHA-256 written as 64 hex digits, as bytes; `None` for anything else.
pub fn digest_from_hex(hex_digest: &str) -> Option<[u8; 32]> {
    let mut digest = [0u8; 32];
    hex::decode_to_slice(hex_digest, &mut digest).ok()?;
    Some(digest)
}

impl Blob {
    fn new(source: Source, len: u64, key: [u8; 32]) -> Blob {
        Blob(Arc::new(Inner { source, len, key, loaded: Mutex::new(Weak::new()) }))
    }

    /// Bytes already in memory.
    pub fn memory(bytes: Arc<Vec<u8>>) -> Blob {
        let key = Sha256::digest(bytes.as_slice()).into();
        let len = bytes.len() as u64;
        Blob::new(Source::Memory(bytes), len, key)
    }

    /// Bytes in memory whose SHA-256 (hex) is known already: not hashed again.
    pub fn hashed(bytes: Arc<Vec<u8>>, sha256: &str) -> Blob {
        match digest_from_hex(sha256) {
            Some(key) => {
                let len = bytes.len() as u64;
                Blob::new(Source::Memory(bytes), len, key)
            }
            None => Blob::memory(bytes),
        }
    }

    /// The file at `path` of item `item`, which check saw with this SHA-256 (hex) and size.
    /// Nothing is read until [`Blob::verify`] or [`Blob::load`].
    pub fn file(path: &Path, item: &str, sha256: &str, len: u64) -> Blob {
        // A malformed hash (never made by check) leaves a key no file matches: loads fail.
        let key = digest_from_hex(sha256).unwrap_or_default();
        let source = Source::File { path: path.to_path_buf(), item: item.to_string(), verified: Mutex::new(None) };
        Blob::new(source, len, key)
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.0.len
    }

    /// No bytes at all.
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }

    /// The SHA-256 of its bytes (known without reading them).
    pub fn key(&self) -> [u8; 32] {
        self.0.key
    }

    /// The SHA-256 of its bytes, lower-case hex.
    pub fn sha256(&self) -> String {
        hex::encode(self.0.key)
    }

    /// Its first `n` bytes (fewer when it is shorter), read without checking the whole: enough
    /// to tell a format by its magic number.
    pub fn head(&self, n: usize) -> Result<Vec<u8>, BlobError> {
        let path = match &self.0.source {
            Source::Memory(bytes) => return Ok(bytes[..n.min(bytes.len())].to_vec()),
            Source::Spill { spill, offset } => return spill.read(*offset, self.0.len.min(n as u64)),
            Source::File { path, .. } => path,
        };
        if let Some(bytes) = self.0.loaded.lock().unwrap_or_else(|p| p.into_inner()).upgrade() {
            return Ok(bytes[..n.min(bytes.len())].to_vec());
        }
        let file = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
        let mut head = Vec::with_capacity(n);
        file.take(n as u64).read_to_end(&mut head).map_err(|e| read_error(path, e))?;
        Ok(head)
    }

    /// Reads the file once, streaming, and checks that it is still what check hashed; later
    /// loads then trust an unchanged size and modification time.
    pub fn verify(&self) -> Result<(), BlobError> {
        let Source::File { path, verified, .. } = &self.0.source else { return Ok(()) };
        let before = self.stamp(path)?;
        // Verified before, and neither its size nor its modification time changed since.
        if *verified.lock().unwrap_or_else(|p| p.into_inner()) == Some(before) {
            return Ok(());
        }
        let mut file = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
        let mut hash = Sha256::new();
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => hash.update(&buffer[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(read_error(path, e)),
            }
        }
        let digest: [u8; 32] = hash.finalize().into();
        if digest != self.0.key || self.stamp(path)? != before {
            return Err(self.changed());
        }
        *verified.lock().unwrap_or_else(|p| p.into_inner()) = Some(before);
        Ok(())
    }

    /// Its bytes: the copy another holder still has, or read now (and checked).
    pub fn load(&self) -> Result<Arc<Vec<u8>>, BlobError> {
        if let Source::Memory(bytes) = &self.0.source {
            return Ok(bytes.clone());
        }
        let mut loaded = self.0.loaded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(bytes) = loaded.upgrade() {
            return Ok(bytes);
        }
        let bytes = Arc::new(match &self.0.source {
            Source::File { path, .. } => self.read_checked(path)?,
            // dossier's own temporary file: nobody else writes it.
            Source::Spill { spill, offset } => spill.read(*offset, self.0.len)?,
            Source::Memory(_) => unreachable!("returned above"),
        });
        *loaded = Arc::downgrade(&bytes);
        Ok(bytes)
    }

    /// Reads the file; its hash is checked unless its size and modification time are the ones
    /// seen when it was last verified.
    fn read_checked(&self, path: &Path) -> Result<Vec<u8>, BlobError> {
        let Source::File { verified, .. } = &self.0.source else { unreachable!("read_checked reads files") };
        let bytes = std::fs::read(path).map_err(|e| read_error(path, e))?;
        let after = self.stamp(path)?;
        let mut verified = verified.lock().unwrap_or_else(|p| p.into_inner());
        if *verified == Some(after) && bytes.len() as u64 == self.0.len {
            return Ok(bytes);
        }
        let digest: [u8; 32] = Sha256::digest(&bytes).into();
        if digest != self.0.key {
            return Err(self.changed());
        }
        *verified = Some(after);
        Ok(bytes)
    }

    fn stamp(&self, path: &Path) -> Result<(u64, Option<SystemTime>), BlobError> {
        let meta = std::fs::metadata(path).map_err(|e| read_error(path, e))?;
        Ok((meta.len(), meta.modified().ok()))
    }

    /// "changed while dossier was running", naming the item and the file.
    fn changed(&self) -> BlobError {
        match &self.0.source {
            Source::File { path, item, .. } => BlobError::Changed { item: item.clone(), path: path.clone() },
            Source::Memory(_) | Source::Spill { .. } => unreachable!("only files are checked"),
        }
    }
}

fn read_error(path: &Path, source: std::io::Error) -> BlobError {
    BlobError::Read { path: path.to_path_buf(), source }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests write the files the blobs read
mod tests {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    #[test]
    fn a_file_is_read_when_loaded_and_shared_while_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        std::fs::write(&path, b"first bytes").unwrap();
        let blob = Blob::file(&path, "evidence", &sha(b"first bytes"), 11);
        blob.verify().unwrap();
        let a = blob.load().unwrap();
        let b = blob.clone().load().unwrap();
        assert!(Arc::ptr_eq(&a, &b), "overlapping loads share one copy");
        assert_eq!(a.as_slice(), b"first bytes");
        drop((a, b));
        assert!(blob.0.loaded.lock().unwrap().upgrade().is_none(), "nothing is held between loads");
        assert_eq!(blob.load().unwrap().as_slice(), b"first bytes");
        assert_eq!(blob.key(), <[u8; 32]>::from(Sha256::digest(b"first bytes")));
    }

    #[test]
    fn a_file_changed_after_check_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        std::fs::write(&path, b"what check saw").unwrap();
        let blob = Blob::file(&path, "evidence", &sha(b"what check saw"), 14);
        blob.verify().unwrap();
        // Same size, other bytes, a later modification time.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, b"what is there!").unwrap();
        let error = blob.load().unwrap_err();
        assert!(
            matches!(&error, BlobError::Changed { item, path: p } if item == "evidence" && p == &path),
            "{error:?}"
        );
        assert!(blob.verify().is_err());
        // Build names it as a document that changed, with the item and the file, like check.
        match crate::error::Error::from(error) {
            crate::error::Error::Document { item, path: p, source: crate::error::DocumentError::Changed } => {
                assert_eq!((item.as_str(), p), ("evidence", path.clone()));
            }
            other => panic!("{other:?}"),
        }
        let missing = Blob::file(&dir.path().join("gone.jpg"), "evidence", &sha(b""), 0);
        assert!(matches!(missing.load(), Err(BlobError::Read { .. })));
    }

    #[test]
    fn spilled_bytes_read_back_from_the_temporary_file() {
        let spill = Spill::new(tempfile::tempfile().unwrap());
        let a = spill.put(b"first copy").unwrap();
        let b = spill.put(b"second, longer copy").unwrap();
        assert_eq!(b.load().unwrap().as_slice(), b"second, longer copy");
        assert_eq!(a.load().unwrap().as_slice(), b"first copy");
        assert_eq!(a.head(5).unwrap(), b"first");
        assert_eq!((a.len(), a.sha256()), (10, sha(b"first copy")));
        drop(spill);
        assert_eq!(b.load().unwrap().as_slice(), b"second, longer copy", "a blob keeps its spill open");
    }

    #[test]
    fn bytes_in_memory_are_their_own_blob() {
        let blob = Blob::from(b"decrypted".to_vec());
        assert_eq!(blob.len(), 9);
        assert_eq!(blob.sha256(), sha(b"decrypted"));
        assert_eq!(blob.load().unwrap().as_slice(), b"decrypted");
        assert!(blob.verify().is_ok());
    }
}
