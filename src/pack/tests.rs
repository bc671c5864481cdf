use super::*;

fn read(zip: &[u8]) -> zip::ZipArchive<std::io::Cursor<&[u8]>> {
    zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap()
}

fn entry(name: &str, bytes: Vec<u8>) -> ZipEntry {
    ZipEntry { name: name.to_string(), bytes: bytes.into() }
}

/// Bytes that deflate cannot shrink, like a JPEG's entropy-coded data.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn windows_device_names_get_a_prefix() {
    for name in ["CON", "con", "PRN", "aux", "NUL.txt", "COM1", "com9.pdf", "LPT1", "lpt3.tar.gz", "CON .pdf"] {
        let cleaned = clean_component(name);
        assert!(cleaned.starts_with('_'), "{name} -> {cleaned}");
    }
    for name in ["CONSOLE", "COM10", "COM0", "LPT", "nullable.txt", "조회.pdf", "é1"] {
        assert_eq!(clean_component(name), name);
    }
}

#[test]
fn nfd_becomes_nfc() {
    let nfd: String = "수료증.pdf".nfd().collect();
    assert_ne!(nfd, "수료증.pdf");
    assert_eq!(clean_component(&nfd), "수료증.pdf");
}

#[test]
fn separators_and_forbidden_characters_become_underscores() {
    assert_eq!(clean_component("a/b\\c"), "a_b_c");
    assert_eq!(clean_component(r#"x:*?"<>|y"#), "x_______y");
    assert_eq!(clean_component("tab\there\n"), "tab_here_");
    assert_eq!(clean_component(".."), "_");
    assert_eq!(clean_component(" .hidden. "), "hidden");
    assert_eq!(clean_component(""), "_");
    assert_eq!(clean_component("..."), "_");
}

#[test]
fn long_names_are_cut_keeping_the_extension() {
    let ascii = format!("{}.pdf", "a".repeat(200));
    let cleaned = clean_component(&ascii);
    assert_eq!(cleaned.chars().count(), MAX_COMPONENT_CHARS);
    assert!(cleaned.ends_with("a.pdf"));

    let korean = format!("{}.pdf", "가".repeat(200));
    let cleaned = clean_component(&korean);
    assert!(cleaned.len() <= MAX_COMPONENT_BYTES, "{}", cleaned.len());
    assert!(cleaned.ends_with("가.pdf"));

    // An "extension" too long to be one is cut like the rest.
    let dotted = format!("{}.{}", "a".repeat(50), "x".repeat(200));
    assert_eq!(clean_component(&dotted), format!("{}.{}", "a".repeat(50), "x".repeat(49)));
    // A trailing space exposed by the cut is trimmed too.
    let cut = clean_component(&format!("{}      {}", "a".repeat(98), "b".repeat(20)));
    assert!(!cut.ends_with(' '), "{cut:?}");
}

#[test]
fn entry_names_number_the_item() {
    assert_eq!(entry_name(1, "수료증", "수료증.pdf"), "01_수료증/수료증.pdf");
    assert_eq!(entry_name(12, "급여/명세서", "3월: 급여.pdf"), "12_급여_명세서/3월_ 급여.pdf");
    assert_eq!(entry_name(100, "x", "CON.pdf"), "100_x/_CON.pdf");
}

#[test]
fn paths_cannot_escape_the_zip() {
    assert_eq!(clean_path("/etc/passwd"), "etc/passwd");
    assert_eq!(clean_path("../../a/./b"), "a/b");
    assert_eq!(clean_path("C:\\x\\y.pdf"), "C_/x/y.pdf");
    assert_eq!(clean_path("//"), "_");
}

#[test]
fn duplicates_are_numbered_case_insensitively() {
    let names = unique_names(
        ["a/x.pdf", "a/X.PDF", "a/x.pdf", "b/x.pdf", "sha256sums.txt", "noext", "NOEXT"].map(String::from).into_iter(),
    );
    assert_eq!(names, ["a/x.pdf", "a/X (2).PDF", "a/x (3).pdf", "b/x.pdf", "sha256sums (2).txt", "noext", "NOEXT (2)"]);
}

#[test]
fn zip_is_reproducible_and_lists_checksums_last() {
    let pdf = b"%PDF-1.4\n".repeat(5000);
    let entries = vec![entry("01_수료증/수료증.pdf", pdf.clone()), entry("02_사진/photo.jpg", noise(50_000))];
    let first = write_zip(&entries).unwrap();
    assert_eq!(first, write_zip(&entries).unwrap());

    let mut archive = read(&first);
    let names: Vec<String> =
        (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned()).collect();
    assert_eq!(names, ["01_수료증/수료증.pdf", "02_사진/photo.jpg", CHECKSUM_FILE]);
    let mut sums = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(CHECKSUM_FILE).unwrap(), &mut sums).unwrap();
    let expected = format!("{}  01_수료증/수료증.pdf\n", hex::encode(Sha256::digest(&pdf)));
    assert!(sums.starts_with(&expected), "{sums}");
    assert_eq!(sums.lines().count(), 2);
}

#[test]
fn deflates_only_what_shrinks() {
    let entries = vec![entry("a.pdf", b"0 0 m 10 10 l S\n".repeat(4000)), entry("b.jpg", noise(40_000))];
    let zip = write_zip(&entries).unwrap();
    let mut archive = read(&zip);
    assert_eq!(archive.by_index(0).unwrap().compression(), CompressionMethod::Deflated);
    assert_eq!(archive.by_index(1).unwrap().compression(), CompressionMethod::Stored);
    let file = archive.by_index(1).unwrap();
    assert_eq!(file.unix_mode().map(|m| m & 0o777), Some(0o644));
    assert_eq!(file.last_modified().map(|t| (t.year(), t.month(), t.day())), Some((1980, 1, 1)));
}

#[test]
fn empty_entry_list_gives_a_zip_with_only_the_checksums() {
    let zip = write_zip(&[]).unwrap();
    let mut archive = read(&zip);
    assert_eq!(archive.len(), 1);
    assert_eq!(archive.by_index(0).unwrap().size(), 0);
}

#[test]
#[allow(clippy::disallowed_methods)] // the test writes the photo the entry reads
fn a_photo_is_stored_from_its_file_and_refused_if_it_changed() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("현장사진.jpg");
    let mut photo = b"\xFF\xD8\xFF\xE0".to_vec();
    photo.extend(noise(100_000));
    std::fs::write(&path, &photo).unwrap();
    let sha = hex::encode(sha2::Sha256::digest(&photo));
    let blob = Blob::file(&path, "evidence", &sha, photo.len() as u64);
    blob.verify().unwrap();
    let entries = vec![ZipEntry { name: "01_입증자료/현장사진.jpg".to_string(), bytes: blob }];
    // Packed without reading it: a JPEG is stored, its size and hash known from check.
    let packed = pack_entries(&entries).unwrap();
    assert_eq!((packed[0].stored_size(), packed[0].sha256.as_str()), (photo.len() as u64, sha.as_str()));
    let zip = write_packed(packed, &Sums::default()).unwrap();
    let mut archive = read(&zip);
    let mut stored = archive.by_name("01_입증자료/현장사진.jpg").unwrap();
    assert_eq!(stored.compression(), CompressionMethod::Stored);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut stored, &mut bytes).unwrap();
    assert_eq!(bytes, photo);
    drop(stored);
    // Changed between packing and writing (a later modification time, the same size): the zip is
    // not written, and the error names the item and the file.
    let packed = pack_entries(&entries).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut other = photo.clone();
    other[10] ^= 0xFF;
    std::fs::write(&path, &other).unwrap();
    match write_packed(packed, &Sums::default()) {
        Err(PackError::Source(BlobError::Changed { item, path: p })) => {
            assert_eq!((item.as_str(), p), ("evidence", path))
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a changed photo was packed"),
    }
}
