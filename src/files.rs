//! The only place that writes. Every output is written to a temporary file in the same folder
//! and renamed over the target, so an interrupted run leaves the previous output intact and
//! never a torn file.
#![allow(clippy::disallowed_methods)] // the one module that writes and removes files

use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let mut temp = temp_file(dir)?;
    temp.write_all(bytes).map_err(|e| Error::io(crate::error::IoAction::Write, temp.path(), e))?;
    temp.as_file().sync_all().map_err(|e| Error::io(crate::error::IoAction::Write, temp.path(), e))?;
    temp.persist(path).map_err(|e| Error::io(crate::error::IoAction::Write, path, e.error))?;
    Ok(())
}

/// Outputs written to temporary files and renamed into place together, so a folder holds
/// either the previous build or this one, never a new PDF beside an old mail draft. Dropping
/// a batch without [`Batch::commit`] removes its temporary files.
#[derive(Default)]
pub struct Batch {
    staged: Vec<(tempfile::NamedTempFile, std::path::PathBuf)>,
}

impl Batch {
    /// Writes `bytes` to a temporary file beside `path` (renamed by [`Batch::commit`]).
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        create_dir_all(dir)?;
        let mut temp = temp_file(dir)?;
        temp.write_all(bytes).map_err(|e| Error::io(crate::error::IoAction::Write, temp.path(), e))?;
        temp.as_file().sync_all().map_err(|e| Error::io(crate::error::IoAction::Write, temp.path(), e))?;
        self.staged.push((temp, path.to_path_buf()));
        Ok(())
    }

    /// Renames every staged file over its target. A failure part-way leaves each target
    /// either old or new, never torn.
    pub fn commit(self) -> Result<(), Error> {
        for (temp, path) in self.staged {
            temp.persist(&path).map_err(|e| Error::io(crate::error::IoAction::Write, &path, e.error))?;
        }
        Ok(())
    }
}

/// A previous build may have written more parts than this one: remove our zips and mail
/// drafts in `dir` that this build did not write, so nobody attaches an outdated part.
pub fn remove_stale_parts(dir: &Path, written: &[std::path::PathBuf]) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours =
            (name.contains("_part") && name.ends_with(".zip")) || (name.starts_with("mail") && name.ends_with(".eml"));
        if ours && !written.iter().any(|w| w.file_name() == Some(entry.file_name().as_os_str())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path` only if nothing is there yet (for `init`, which never overwrites).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let mut temp = temp_file(dir)?;
    temp.write_all(bytes).map_err(|e| Error::io(crate::error::IoAction::Write, temp.path(), e))?;
    temp.persist_noclobber(path).map_err(|e| Error::io(crate::error::IoAction::Write, path, e.error))?;
    Ok(())
}

/// Removes the temporary files that interrupted runs left in `dir` (a killed process cannot
/// delete its own). Each name carries its writer's process id, so a concurrent run's file is
/// kept while that process lives; where liveness cannot be told (no /proc), nothing is removed.
pub fn remove_stale_temporaries(dir: &Path) {
    let proc = Path::new("/proc/self");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(TEMP_PREFIX).filter(|_| name.ends_with(TEMP_SUFFIX)) else { continue };
        let writer = rest.split('-').next().and_then(|pid| pid.parse::<u32>().ok());
        let alive = match writer {
            Some(pid) if pid == std::process::id() => true,
            Some(pid) => !proc.exists() || Path::new("/proc").join(pid.to_string()).exists(),
            None => !proc.exists(),
        };
        if !alive {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

const TEMP_PREFIX: &str = ".dossier-";
const TEMP_SUFFIX: &str = ".partial";

/// A hidden temporary file beside the target. tempfile creates it 0600; outputs are documents
/// to share, so they get the usual 0644 (less the umask) like any file the user saves.
fn temp_file(dir: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir).map_err(|e| Error::io(crate::error::IoAction::Write, dir, e))
}

/// Creates a folder and its parents.
pub fn create_dir_all(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(crate::error::IoAction::CreateFolder, dir, e))
}

/// Reads a whole file, naming it on failure.
pub fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(crate::error::IoAction::Read, path, e))
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
    fn temporaries_of_dead_writers_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join(format!(".dossier-{}-abc.partial", std::process::id()));
        // No process has this id: the kernel's pid_max is at most 2^22.
        let dead = dir.path().join(".dossier-99999999-abc.partial");
        let other = dir.path().join("notes.partial");
        for path in [&mine, &dead, &other] {
            std::fs::write(path, b"x").unwrap();
        }
        remove_stale_temporaries(dir.path());
        assert!(mine.exists() && other.exists());
        assert_eq!(dead.exists(), !Path::new("/proc/self").exists());
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
