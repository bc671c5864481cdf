//! The only place that writes. Every output is written to a temporary file in the same folder
//! and renamed over the target, so an interrupted run leaves the previous output intact and
//! never a torn file.
#![allow(clippy::disallowed_methods)] // the one module that writes and removes files

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::IoAction;

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

/// One recipient's outputs, written into a hidden staging folder beside the recipient's
/// folder and swapped in whole by [`Batch::commit`]: the folder holds either the previous build
/// or this one, never a new PDF beside an old mail draft. Dropping a batch without committing
/// removes the staging folder.
pub struct Batch {
    dir: PathBuf,
    staging: tempfile::TempDir,
    /// The files staged, to sync before the swap.
    names: Vec<PathBuf>,
}

impl Batch {
    /// A batch for the folder `dir` (created on commit if it does not exist).
    pub fn new(dir: &Path) -> Result<Batch, Error> {
        let parent = dir.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        create_dir_all(parent)?;
        let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
        let staging = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .tempdir_in(parent)
            .map_err(|e| Error::io(IoAction::Write, parent, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755));
        }
        Ok(Batch { dir: dir.to_path_buf(), staging, names: Vec::new() })
    }

    /// A batch in the system's temporary folder, for `--dry-run`: outputs are made and measured
    /// as in a build, then removed with the batch, which is never committed.
    pub fn scratch() -> Result<Batch, Error> {
        let staging = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempdir()
            .map_err(|e| Error::io(IoAction::Write, std::env::temp_dir(), e))?;
        Ok(Batch { dir: staging.path().join("out"), staging, names: Vec::new() })
    }

    /// Writes `bytes` as the file of `path`'s name in the batch.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        let (target, mut file) = self.create(path)?;
        file.write_all(bytes).map_err(|e| Error::io(IoAction::Write, &target, e))?;
        Ok(())
    }

    /// Creates the file of `path`'s name in the batch, for an output written as it is made
    /// (a zip, entry by entry). It is synced to disk when the batch is committed.
    pub fn create(&mut self, path: &Path) -> Result<(PathBuf, std::fs::File), Error> {
        let name = path.file_name().unwrap_or(path.as_os_str());
        let target = self.staging.path().join(name);
        let file = std::fs::File::create(&target).map_err(|e| Error::io(IoAction::Write, &target, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644));
        }
        self.names.push(target.clone());
        Ok((target, file))
    }

    /// The bytes of a file staged in the batch (a zip, to attach it to its mail).
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Error> {
        read(&self.staging.path().join(path.file_name().unwrap_or(path.as_os_str())))
    }

    /// Syncs every staged file to disk, once, before the batch is swapped in: a file written
    /// early has mostly been flushed by then, so this costs less than a sync per write.
    fn sync_staged(&self) -> Result<(), Error> {
        for path in &self.names {
            let file = std::fs::File::open(path).map_err(|e| Error::io(IoAction::Write, path, e))?;
            file.sync_all().map_err(|e| Error::io(IoAction::Write, path, e))?;
        }
        Ok(())
    }

    /// Puts the staged folder in place of the recipient's folder in one step (an exchange of
    /// the two names where the system has one), then removes the previous build; `swapped` is
    /// called between the two.
    pub fn commit(self, swapped: &dyn Fn()) -> Result<(), Error> {
        self.sync_staged()?;
        let staging = self.staging.keep();
        sync_dir(&staging);
        let result =
            if self.dir.is_dir() { exchange(&staging, &self.dir) } else { std::fs::rename(&staging, &self.dir) };
        if let Err(e) = result {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Error::io(IoAction::Write, &self.dir, e));
        }
        swapped();
        if let Some(parent) = self.dir.parent() {
            sync_dir(parent);
        }
        // The staging name now holds the previous build (or nothing, after a plain rename).
        let _ = std::fs::remove_dir_all(&staging);
        Ok(())
    }
}

/// Swaps two paths atomically.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Where there is no atomic exchange: move the old folder aside, the new one in, and put the
/// old one where the caller removes it. A crash between the two renames leaves the previous
/// build under a hidden name, which the next build removes.
#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("old");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

/// Flushes a folder's entries to disk (renames are durable once the folder is synced).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
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
            // A staging folder of a killed build, or a file of a killed atomic write.
            let _ = std::fs::remove_dir_all(entry.path());
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

/// An unnamed temporary file in the system's temporary folder, for bytes a build makes and
/// reads back later (`blob::Spill`): the system removes it when it is closed, even when the
/// build is killed.
pub fn spill_file() -> Result<std::fs::File, Error> {
    tempfile::tempfile().map_err(|e| Error::io(IoAction::Write, std::env::temp_dir(), e))
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
    fn a_scratch_batch_stages_and_reads_back_then_leaves_nothing() {
        let mut batch = Batch::scratch().unwrap();
        let staging = batch.staging.path().to_path_buf();
        let (target, mut file) = batch.create(Path::new("out/professor/bundle.zip")).unwrap();
        file.write_all(b"zip bytes").unwrap();
        drop(file);
        batch.stage(Path::new("mail.eml"), b"draft").unwrap();
        assert_eq!(target, staging.join("bundle.zip"));
        assert_eq!(batch.read(Path::new("bundle.zip")).unwrap(), b"zip bytes");
        assert_eq!(batch.read(Path::new("x/mail.eml")).unwrap(), b"draft");
        assert!(staging.starts_with(std::env::temp_dir()));
        drop(batch);
        assert!(!staging.exists(), "a dry run's scratch folder is removed");
    }

    #[test]
    fn a_committed_batch_replaces_the_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("professor");
        let mut first = Batch::new(&folder).unwrap();
        first.stage(&folder.join("old.pdf"), b"old").unwrap();
        first.commit(&|| {}).unwrap();
        let mut second = Batch::new(&folder).unwrap();
        let (_, mut zip) = second.create(&folder.join("new.zip")).unwrap();
        zip.write_all(b"new").unwrap();
        drop(zip);
        second.commit(&|| {}).unwrap();
        let names: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("new.zip")]);
        assert_eq!(std::fs::read(folder.join("new.zip")).unwrap(), b"new");
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
