//! The zip and the mail draft, read back with independent tools: Info-ZIP `unzip`, 7-Zip
//! (`7z`, from p7zip-full), `sha256sum`, and Python's `zipfile` and `email` packages.

use std::path::Path;
use std::sync::Arc;

use dossier::mail::{self, MailSpec};
use dossier::pack::{self, ZipEntry};
use unicode_normalization::UnicodeNormalization;

use crate::common::tool;

/// Bytes deflate cannot shrink, like the entropy-coded data of a JPEG. (Hex checksums do shrink:
/// 16 symbols in 8-bit bytes, so `SHA256SUMS.txt` ends up deflated.)
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect()
}

/// A PDF-like blob: uncompressed content streams shrink well.
fn pdf_like(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut i = 0;
    while bytes.len() < len {
        bytes.extend_from_slice(
            format!("{i} 0 obj << /Length 44 >> stream\nBT /F1 12 Tf 72 {i} Td (Page) Tj ET\nendstream endobj\n")
                .as_bytes(),
        );
        i += 1;
    }
    bytes
}

fn nfd(text: &str) -> String {
    text.nfd().collect()
}

/// The names as given (NFD, as macOS produces them) and as the zip must show them (NFC).
const NAMES: [&str; 3] = ["01_수료증/수료증.pdf", "02_사진/증명사진.jpg", "03_급여명세서/3월 급여.pdf"];

fn entries() -> Vec<ZipEntry> {
    let blobs = [pdf_like(300_000), noise(200_000), pdf_like(50_000)];
    NAMES.iter().zip(blobs).map(|(name, bytes)| ZipEntry { name: nfd(name), bytes: bytes.into() }).collect()
}

fn python(script: &str, args: &[&str]) -> String {
    let mut all = vec!["-c", script];
    all.extend_from_slice(args);
    tool("python3", &all)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn zip_reads_back_in_every_tool() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = pack::write_zip(&entries()).unwrap();
    assert_eq!(bytes, pack::write_zip(&entries()).unwrap(), "two runs give the same bytes");
    let zip = write(dir.path(), "서류.zip", &bytes);

    tool("unzip", &["-t", &zip]);
    let listing = tool("unzip", &["-l", &zip]);
    for name in NAMES.iter().chain(&[pack::CHECKSUM_FILE]) {
        assert!(listing.contains(name), "`{name}` not in\n{listing}");
    }
    let test = tool("7z", &["t", &zip]);
    assert!(test.contains("Everything is Ok"), "{test}");

    let script = r#"
import sys, zipfile
for info in zipfile.ZipFile(sys.argv[1]).infolist():
    method = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}[info.compress_type]
    print(info.filename, info.flag_bits & 0x800 != 0, method, oct(info.external_attr >> 16), info.date_time, sep="|")
"#;
    let rows: Vec<String> = python(script, &[&zip]).lines().map(String::from).collect();
    let expected = [
        format!("{}|True|deflated|0o100644|(1980, 1, 1, 0, 0, 0)", NAMES[0]),
        format!("{}|True|stored|0o100644|(1980, 1, 1, 0, 0, 0)", NAMES[1]),
        format!("{}|True|deflated|0o100644|(1980, 1, 1, 0, 0, 0)", NAMES[2]),
        "SHA256SUMS.txt|False|deflated|0o100644|(1980, 1, 1, 0, 0, 0)".to_string(),
    ];
    assert_eq!(rows, expected);

    let out = dir.path().join("out");
    tool("unzip", &["-q", &zip, "-d", out.to_str().unwrap()]);
    let check =
        std::process::Command::new("sha256sum").args(["-c", pack::CHECKSUM_FILE]).current_dir(&out).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    assert_eq!(String::from_utf8_lossy(&check.stdout).matches(": OK").count(), 3);
}

/// Reads an .eml with Python's `email` package: the subject, then per attachment its decoded
/// file name and the SHA-256 of its decoded bytes.
const READ_EML: &str = r#"
import sys, email, email.policy, hashlib
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
assert msg.get_content_type() == "multipart/mixed", msg.get_content_type()
assert msg["X-Unsent"] == "1"
print(msg["Subject"])
print(msg["From"], msg["To"], msg["Date"], msg["Message-ID"], sep="|")
print(msg.get_body(("plain",)).get_content().splitlines()[0])
for part in msg.iter_attachments():
    print(part.get_filename(), part.get_param("name"), hashlib.sha256(part.get_content()).hexdigest(), sep="|")
"#;

#[test]
fn drafts_parse_and_every_part_fits_its_budget() {
    let dir = tempfile::tempdir().unwrap();
    let entries = entries();
    let files: Vec<(String, u64)> = entries.iter().map(|e| (e.name.nfc().collect(), e.bytes.len())).collect();
    // Sizing the parts is plan::fit's (tested there and end to end in build.rs); here two
    // parts are written and read back.
    let parts = [vec![0, 1], vec![2]];
    let budget = 5_000_000;

    for (n, part) in parts.iter().enumerate() {
        let chosen: Vec<ZipEntry> = part.iter().map(|&i| entries[i].clone()).collect();
        let zip = pack::write_zip(&chosen).unwrap();
        let listed: Vec<(String, u64)> = part.iter().map(|&i| files[i].clone()).collect();
        let zip_name = format!("홍길동_현장실습_서류_{}.zip", n + 1);
        let spec = MailSpec {
            from: Some("홍길동 <hong@student.example.ac.kr>".into()),
            to: Some("지도교수 <prof@example.ac.kr>".into()),
            subject: mail::part_subject("현장실습 학점인정 서류 제출", n + 1, parts.len()),
            body: mail::body_text(
                dossier::i18n::Catalog::get(dossier::i18n::Lang::Ko),
                &mail::Body {
                    greeting: "교수님, 안녕하십니까.",
                    intro: "",
                    closing: "홍길동 드림",
                    attached: &[mail::Attached { name: zip_name.clone(), bytes: zip.len() as u64, pdf: false }],
                    files: &listed,
                    compacted: &[],
                    part: (n + 1, parts.len()),
                },
            ),
            attachments: vec![(zip_name.clone(), mail::Data::Bytes(Arc::new(zip.clone())))],
            digests: Vec::new(),
            date: 1_750_000_000,
            message_id: format!("dossier.{n}@student.example.ac.kr"),
        };
        let eml = mail::draft(&spec).unwrap();
        assert!(eml.len() as u64 <= budget, "part {n}: {} > {budget}", eml.len());
        assert_eq!(eml, mail::draft(&spec).unwrap());
        // As build writes it: the zip read from its file as the draft is encoded.
        let mut streamed = spec.clone();
        streamed.attachments[0].1 = mail::Data::Streamed(zip.len() as u64);
        streamed.digests = vec![dossier::blob::digest_from_hex(&sha2_hex(&zip)).unwrap()];
        let mut from_file = Vec::new();
        let zip_file = write(dir.path(), &format!("{n}.zip"), &zip);
        let reader: Box<dyn std::io::Read> = Box::new(std::fs::File::open(&zip_file).unwrap());
        mail::draft_to(&streamed, &mut from_file, vec![reader]).unwrap();
        assert!(from_file == eml, "part {n}: the draft streamed from the zip's file differs");

        let path = write(dir.path(), &format!("{n}.eml"), &eml);
        let out = python(READ_EML, &[&path]);
        let lines: Vec<&str> = out.lines().collect();
        let sha = sha2_hex(&zip);
        assert_eq!(
            lines,
            [
                format!("현장실습 학점인정 서류 제출 ({}/2)", n + 1).as_str(),
                format!(
                    "홍길동 <hong@student.example.ac.kr>|지도교수 <prof@example.ac.kr>|\
                     Sun, 15 Jun 2025 15:06:40 +0000|<dossier.{n}@student.example.ac.kr>"
                )
                .as_str(),
                "교수님, 안녕하십니까.",
                format!("{zip_name}|{zip_name}|{sha}").as_str(),
            ]
        );
    }
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
