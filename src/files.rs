//! The only place that writes. Every output is written to a temporary file in the same folder
//! and renamed over the target, so an interrupted run leaves the previous output intact and
//! never a torn file.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let mut temp = temp_file(dir)?;
    temp.write_all(bytes).map_err(|e| Error::io("write", temp.path(), e))?;
    temp.as_file().sync_all().map_err(|e| Error::io("write", temp.path(), e))?;
    temp.persist(path).map_err(|e| Error::io("write", path, e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` only if nothing is there yet (for `init`, which never overwrites).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let mut temp = temp_file(dir)?;
    temp.write_all(bytes).map_err(|e| Error::io("write", temp.path(), e))?;
    temp.persist_noclobber(path).map_err(|e| Error::io("write", path, e.error))?;
    Ok(())
}

/// A hidden temporary file beside the target. tempfile creates it 0600; outputs are documents
/// to share, so they get the usual 0644 (less the umask) like any file the user saves.
fn temp_file(dir: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dossier-").suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir).map_err(|e| Error::io("create a temporary file in", dir, e))
}

/// Creates a folder and its parents.
pub fn create_dir_all(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))
}

/// Reads a whole file, naming it on failure.
pub fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io("read", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/out.pdf");
        write_atomic(&target, b"first").unwrap();
        write_atomic(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join("sub")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.pdf")]);
    }

    #[test]
    fn write_new_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dossier.toml");
        write_new(&target, b"a").unwrap();
        assert!(write_new(&target, b"b").is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"a");
    }
}
