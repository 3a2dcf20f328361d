//! Atomic file writes: a file is whole or absent, never half written.

use std::io::Write as _;
use std::path::Path;

/// Writes `bytes` to `path` through a hidden temporary file in the same directory, synced and
/// then renamed over `path`. On any failure (or if the process is stopped before the rename)
/// `path` is untouched; the temporary file is removed when its handle is dropped.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_whole_files_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.json");
        super::write(&path, b"[1]").expect("first write");
        super::write(&path, b"[1, 2]").expect("second write");
        assert_eq!(std::fs::read(&path).expect("read"), b"[1, 2]");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()
            .expect("entries");
        assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
    }
}
