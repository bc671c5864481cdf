//! Hardening: bad documents and manifests, builds killed half-way, inputs left untouched,
//! passwords kept secret, globs and links kept inside root. Every case runs the real binary.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::*;

/// One finished run.
struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(case: &Case, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = case.dossier(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    // A hang (a FIFO opened for reading, a walk in a loop) must fail the test, not stall it.
    let output = cmd.timeout(Duration::from_secs(120)).output().unwrap();
    let run = Run { code: output.status.code().unwrap_or(-1), out: stdout(&output), err: stderr(&output) };
    assert_no_panic(&run, &format!("dossier {args:?}"));
    run
}

fn assert_no_panic(run: &Run, what: &str) {
    for text in [&run.out, &run.err] {
        assert!(
            !text.contains("panicked") && !text.contains("RUST_BACKTRACE"),
            "{what} panicked (exit {}):\n{}\n{}",
            run.code,
            run.out,
            run.err
        );
    }
    // A crash by signal (stack overflow aborts) has no exit code.
    assert!(run.code >= 0, "{what} was killed by a signal:\n{}\n{}", run.out, run.err);
}

/// Every regular file below `dir` but interrupted writes' temporaries, relative, with its hash.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    let temporaries = temporaries(dir);
    hash_tree(dir)
        .into_iter()
        .filter(|(p, _)| !temporaries.contains(p))
        .map(|(p, hash)| (p.strip_prefix(dir).unwrap().to_path_buf(), hash))
        .collect()
}

/// Temporary files and staging folders an interrupted build leaves (with what they hold).
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().components().any(|c| {
                let name = c.as_os_str().to_string_lossy();
                name.ends_with(".partial") || name.starts_with(".dossier-")
            })
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// The recipients that need an item in manifests/example.toml.
fn needing(item: &str) -> &'static [&'static str] {
    match item {
        "payslips" | "insurance" | "confirmation" => &["placement"],
        "evidence" | "notes" | "portfolio" | "form" => &["professor", "office"],
        "certificate" => &["professor", "office", "placement"],
        other => panic!("no such item {other}"),
    }
}

/// The April pay stub's place: tests put their bad file there instead.
const STUB: &str = "급여명세서/급여명세서_2023-04.pdf";

/// Replaces the April pay stub with `bytes` named `급여명세서_2023-04{ext}`; returns its report path.
fn put_stub(case: &Case, ext: &str, bytes: &[u8]) -> String {
    std::fs::remove_file(case.doc(STUB)).unwrap();
    let rel = format!("급여명세서/급여명세서_2023-04{ext}");
    std::fs::write(case.doc(&rel), bytes).unwrap();
    rel
}

/// Replaces the April pay stub with a symbolic link to `target`.
fn link_stub(case: &Case, target: &Path) -> String {
    std::fs::remove_file(case.doc(STUB)).unwrap();
    std::os::unix::fs::symlink(target, case.doc(STUB)).unwrap();
    STUB.to_string()
}

fn corpus_file(rel: &str) -> Vec<u8> {
    std::fs::read(corpus().join(rel)).unwrap()
}

fn extension(rel: &str) -> String {
    Path::new(rel).extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default()
}

/// A one-page PDF whose page tree is broken: `looped` puts the root `Pages` node among its own
/// kids; otherwise the single page hangs below `depth` nested `Pages` nodes.
fn broken_page_tree(looped: bool, depth: usize) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let root_pages = doc.new_object_id();
    let content = doc.add_object(Stream::new(dictionary! {}, b"0 0 m 10 10 l S".to_vec()));
    let mut parent = root_pages;
    let mut chain = Vec::new();
    for _ in 0..depth {
        let id = doc.new_object_id();
        chain.push((id, parent));
        parent = id;
    }
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => parent,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content,
    });
    let mut child = page;
    for (id, up) in chain.into_iter().rev() {
        doc.objects.insert(
            id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Parent" => up, "Kids" => vec![child.into()], "Count" => 1 },
            ),
        );
        child = id;
    }
    let kids: Vec<Object> = if looped { vec![child.into(), root_pages.into()] } else { vec![child.into()] };
    doc.objects.insert(root_pages, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }));
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => root_pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF whose page dictionary holds an array nested `depth` deep (`[[[[…]]]]`), written by
/// hand: no writer produces it, a hostile file can.
fn deeply_nested_pdf(depth: usize) -> Vec<u8> {
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep {nested} >>"),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

/// A valid PNG header declaring `width`×`height` RGBA, with one tiny IDAT: the size is a lie
/// a decoder must not allocate for.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(data);
        let mut crc_input = kind.to_vec();
        crc_input.extend(data);
        out.extend(crc32(&crc_input).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// xorshift64*: reproducible randomness without a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 24) as u8).collect()
    }
}

/// What a case expects dossier to say about the file it planted.
enum Expect {
    /// Refused: the file's one line contains this, the item is invalid, its recipients unbuilt.
    Rejected(&'static str),
    /// Accepted (with this warning, if any) and built.
    Accepted(Option<&'static str>),
}

struct BadDocument {
    name: &'static str,
    item: &'static str,
    /// Plants the file; returns its path as reports show it (relative to root), if any.
    setup: Box<dyn Fn(&Case) -> String>,
    env: Vec<(&'static str, &'static str)>,
    expect: Expect,
}

fn own_cases() -> Vec<BadDocument> {
    let mut cases = vec![
        BadDocument {
            name: "zero bytes",
            item: "payslips",
            setup: Box::new(|c| put_stub(c, ".pdf", b"")),
            env: vec![],
            expect: Expect::Rejected("is empty (0 bytes): the download or copy failed: get the document again"),
        },
        BadDocument {
            name: "random bytes",
            item: "payslips",
            setup: Box::new(|c| put_stub(c, ".pdf", &Rng(0x5eed).bytes(64 * 1024))),
            env: vec![],
            expect: Expect::Rejected("is not a PDF, image or text"),
        },
        BadDocument {
            name: "wrong password",
            item: "payslips",
            setup: Box::new(|c| {
                encrypt_with_qpdf(&c.doc(STUB), "990101");
                STUB.to_string()
            }),
            env: vec![("PAYSLIP_PASSWORD", "wrong-pw-4242")],
            expect: Expect::Rejected("does not open with the password in PAYSLIP_PASSWORD (wrong password)"),
        },
        BadDocument {
            name: "image declaring 100000×100000 pixels",
            item: "payslips",
            setup: Box::new(|c| put_stub(c, ".png", &png_declaring(100_000, 100_000))),
            env: vec![],
            expect: Expect::Rejected("declares 100000×100000 pixels"),
        },
        BadDocument {
            name: "page tree loop",
            item: "payslips",
            setup: Box::new(|c| put_stub(c, ".pdf", &broken_page_tree(true, 0))),
            env: vec![],
            expect: Expect::Rejected("has a broken page tree (it loops): print it to a new PDF or export it again"),
        },
        BadDocument {
            name: "page tree nested 100000 deep",
            item: "payslips",
            setup: Box::new(|c| put_stub(c, ".pdf", &broken_page_tree(false, 100_000))),
            env: vec![],
            expect: Expect::Rejected("has a broken page tree"),
        },
        BadDocument {
            name: "array nested 100000 deep",
            item: "payslips",
            setup: Box::new(|c| put_stub(c, ".pdf", &deeply_nested_pdf(100_000))),
            env: vec![],
            expect: Expect::Rejected("is damaged"),
        },
        BadDocument {
            name: "name that is not UTF-8",
            item: "evidence",
            setup: Box::new(|c| {
                let name = OsStr::from_bytes(b"\xff\xfe.pdf");
                let path = c.doc("프로젝트수행_입증자료").join(name);
                std::fs::copy(c.doc("수료증.pdf"), path).unwrap();
                "프로젝트수행_입증자료/\u{fffd}\u{fffd}.pdf".to_string()
            }),
            env: vec![],
            expect: Expect::Rejected("has a name that is not valid Unicode"),
        },
        BadDocument {
            name: "link to a file outside root",
            item: "payslips",
            setup: Box::new(|c| {
                let outside = c.dir.path().join("elsewhere.pdf");
                std::fs::copy(c.doc(STUB), &outside).unwrap();
                link_stub(c, &outside)
            }),
            env: vec![],
            expect: Expect::Rejected("outside the documents folder: copy the document into the folder"),
        },
        BadDocument {
            name: "link to a named pipe inside root",
            item: "payslips",
            setup: Box::new(|c| {
                // Opening a FIFO for reading blocks until someone writes: it must be refused
                // before it is opened, or dossier hangs.
                tool("mkfifo", &[c.doc("pipe").to_str().unwrap()]);
                link_stub(c, &c.doc("pipe"))
            }),
            env: vec![],
            expect: Expect::Rejected("is not a regular file"),
        },
    ];
    // "Unreadable mid-run": as a normal user, a file chmod 000 before the run. Root reads
    // through any permission, so there the file is a named pipe instead, which reading would
    // block on forever: the same "cannot be used" path without a permission check to bypass.
    let root = tool("id", &["-u"]).trim() == "0";
    cases.push(BadDocument {
        name: if root { "named pipe where a document should be (root ignores chmod 000)" } else { "chmod 000" },
        item: "payslips",
        setup: Box::new(move |c| {
            if root {
                std::fs::remove_file(c.doc(STUB)).unwrap();
                tool("mkfifo", &[c.doc(STUB).to_str().unwrap()]);
            } else {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(c.doc(STUB), std::fs::Permissions::from_mode(0o000)).unwrap();
            }
            STUB.to_string()
        }),
        env: vec![],
        expect: Expect::Rejected(if root { "is not a regular file" } else { "cannot be read" }),
    });
    cases
}

/// Every file of the corpus's edge folder, planted as the April pay stub (or, where the point
/// is the name, under its own name) with what dossier must say about it.
fn corpus_cases() -> Vec<BadDocument> {
    fn file(name: &'static str, corpus_rel: &'static str, expect: Expect) -> BadDocument {
        BadDocument {
            name,
            item: "payslips",
            setup: Box::new(move |c| put_stub(c, &extension(corpus_rel), &corpus_file(corpus_rel))),
            env: vec![],
            expect,
        }
    }
    fn link(name: &'static str, corpus_rel: &'static str, expect: Expect) -> BadDocument {
        BadDocument {
            name,
            item: "payslips",
            setup: Box::new(move |c| {
                // Copied as a link with its own target, and the corpus's outside folder beside
                // the student folder so `../../outside/…` resolves as it does in the corpus.
                let corpus = corpus();
                copy_tree(&corpus.join("outside"), &c.dir.path().join("outside"));
                let target = std::fs::read_link(corpus.join(corpus_rel)).unwrap();
                std::fs::create_dir_all(c.doc("심볼릭링크")).unwrap();
                std::fs::remove_file(c.doc(STUB)).unwrap();
                std::os::unix::fs::symlink(target, c.doc("심볼릭링크/급여명세서_2023-04.pdf")).unwrap();
                "심볼릭링크/급여명세서_2023-04.pdf".to_string()
            }),
            env: vec![],
            expect,
        }
    }
    vec![
        file(
            "HTML secure mail saved as PDF",
            "edge/급여명세서_2023-07.pdf",
            Expect::Rejected("is an HTML page, not a PDF (a secure-mail page, 보안메일): open it in a browser"),
        ),
        file(
            "truncated",
            "edge/잘린파일_설계포트폴리오.pdf",
            Expect::Rejected("is damaged: it ends before the end of the PDF (truncated download?)"),
        ),
        file("empty", "edge/빈파일.pdf", Expect::Rejected("is empty (0 bytes)")),
        file(
            "PNG bomb",
            "edge/PNG폭탄_50000x50000.png",
            Expect::Rejected("declares 50000×50000 pixels (2500 megapixels), more than dossier will decode"),
        ),
        file(
            "PNG header-only bomb",
            "edge/PNG헤더_거대크기선언.png",
            Expect::Rejected("declares 1000000×1000000 pixels"),
        ),
        link(
            "link out of root",
            "edge/심볼릭링크/외부로_나가는_링크.pdf",
            Expect::Rejected("outside the documents folder: copy the document into the folder"),
        ),
        link("link to /etc/passwd", "edge/심볼릭링크/passwd_링크.pdf", Expect::Rejected("is a link to `/etc/passwd`")),
        link(
            "dangling link",
            "edge/심볼릭링크/깨진링크.pdf",
            Expect::Rejected("which does not exist (missing target)"),
        ),
        BadDocument {
            name: "directory link looping to its parent",
            item: "evidence",
            setup: Box::new(|c| {
                let target = std::fs::read_link(corpus().join("edge/심볼릭링크/상위폴더_순환링크")).unwrap();
                std::os::unix::fs::symlink(target, c.doc("프로젝트수행_입증자료/순환링크")).unwrap();
                String::new()
            }),
            env: vec![],
            expect: Expect::Accepted(None),
        },
        BadDocument {
            name: "NFC and NFD twins with different content",
            item: "certificate",
            setup: Box::new(|c| {
                copy_tree(&corpus().join("edge/파일명_정규화"), &c.doc("파일명_정규화"));
                "파일명_정규화/수료증.pdf".to_string()
            }),
            env: vec![],
            expect: Expect::Rejected("exists 2 times with different content"),
        },
        file(
            "junk before the header",
            "edge/머리쓰레기_수료증.pdf",
            Expect::Accepted(Some("bytes before the PDF header (a mail gateway's header?)")),
        ),
        file(
            "damaged xref",
            "edge/xref손상_자격이력내역서.pdf",
            Expect::Accepted(Some("has been repaired (its cross-reference table was rebuilt from its objects)")),
        ),
        file("owner password only", "edge/급여명세서_권한암호만.pdf", Expect::Accepted(None)),
        file("upper-case extension", "edge/수행확인서_대문자확장자.PDF", Expect::Accepted(None)),
        file("JPEG named .png", "edge/확장자불일치_실제는JPEG.png", Expect::Accepted(Some("JPEG"))),
    ]
}

/// Lines of a report that mention `rel`.
fn lines_naming<'a>(report: &'a str, rel: &str) -> Vec<&'a str> {
    report.lines().filter(|l| l.contains(rel)).map(str::trim).collect()
}

/// The report line of an item's row: "  수료증 (certificate)   invalid   1   1".
fn item_row<'a>(report: &'a str, item: &str) -> &'a str {
    let tag = format!("({item})");
    report.lines().find(|l| l.contains(&tag)).unwrap_or_else(|| panic!("no row for {item}:\n{report}"))
}

fn bad_document(case_def: &BadDocument) {
    let what = case_def.name;
    let case = Case::example();
    // A complete build first: a failed recipient must keep it, byte for byte.
    let first = run(&case, &["build"], &[]);
    assert_eq!(first.code, 0, "{what}: the example builds:\n{}\n{}", first.out, first.err);
    let out_dir = case.dir.path().join("out");
    let before = snapshot(&out_dir);
    let files_of = |json: &Run| {
        let report: serde_json::Value = serde_json::from_str(&json.out).unwrap();
        let item = report["items"].as_array().unwrap().iter().find(|i| i["id"] == case_def.item).unwrap().clone();
        item["files"].as_array().unwrap().len()
    };
    let files_before = files_of(&run(&case, &["check", "--json"], &[]));
    let rel = (case_def.setup)(&case);
    let env = &case_def.env;
    let check = run(&case, &["check"], env);
    let json = run(&case, &["check", "--json"], env);
    let build = run(&case, &["build"], env);
    let report: serde_json::Value =
        serde_json::from_str(&json.out).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", json.out));
    let item = report["items"].as_array().unwrap().iter().find(|i| i["id"] == case_def.item).unwrap();
    let after = snapshot(&out_dir);
    assert!(
        temporaries(case.dir.path()).is_empty(),
        "{what}: temporary files left: {:?}",
        temporaries(case.dir.path())
    );
    for secret in env.iter().map(|(_, v)| v) {
        for text in [&check.out, &check.err, &json.out, &json.err, &build.out, &build.err] {
            assert!(!text.contains(secret), "{what}: a password was printed:\n{text}");
        }
    }
    match case_def.expect {
        Expect::Rejected(message) => {
            assert_eq!(check.code, 1, "{what}: check exit code:\n{}\n{}", check.out, check.err);
            assert_eq!(json.code, 1, "{what}: check --json exit code");
            assert_eq!(item["status"], "invalid", "{what}: {item:#}");
            let naming: Vec<&str> = item["problems"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p["message"].as_str())
                .filter(|p| p.contains(&rel))
                .collect();
            assert_eq!(naming.len(), 1, "{what}: --json names {rel} once: {item:#}");
            assert!(naming[0].starts_with(&format!("{rel} ")) && naming[0].contains(message), "{what}: {}", naming[0]);
            assert_eq!(build.code, 1, "{what}: build exit code:\n{}\n{}", build.out, build.err);
            // build prints check's report to stderr when something is wrong.
            for (command, report) in [("check", &check.out), ("build", &build.err)] {
                let lines = lines_naming(report, &rel);
                assert_eq!(lines.len(), 1, "{what}: {command} must name {rel} once:\n{report}");
                let line = lines[0];
                assert!(line.starts_with(&format!("✗ {rel} ")), "{what}: {command}: {line}");
                assert!(line.contains(message), "{what}: {command}: expected `{message}` in: {line}");
                let (_, hint) = line.split_once(": ").unwrap_or_default();
                assert!(!hint.is_empty(), "{what}: {command}: no advice in: {line}");
                assert!(item_row(report, case_def.item).contains("invalid"), "{what}: {command}:\n{report}");
            }
            for recipient in needing(case_def.item) {
                let prefix = Path::new(recipient);
                let keep = |m: &BTreeMap<PathBuf, String>| {
                    m.iter()
                        .filter(|(p, _)| p.starts_with(prefix))
                        .map(|(p, b)| (p.clone(), b.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(keep(&after), keep(&before), "{what}: {recipient}'s previous bundle changed");
                assert!(build.out.contains(&format!("({recipient}): not built")), "{what}:\n{}", build.out);
            }
        }
        Expect::Accepted(warning) => {
            assert_eq!(check.code, 0, "{what}: check exit code:\n{}\n{}", check.out, check.err);
            assert_eq!(json.code, 0, "{what}: check --json exit code");
            let expected = if warning.is_some() { "warning" } else { "ok" };
            assert_eq!(item["status"], expected, "{what}: {item:#}");
            // A replaced file is still one file; a looping folder link adds none.
            assert_eq!(files_of(&json), files_before, "{what}: {item:#}");
            assert_eq!(build.code, 0, "{what}: build exit code:\n{}\n{}", build.out, build.err);
            if !rel.is_empty() {
                let lines = lines_naming(&check.out, &rel);
                match warning {
                    Some(w) => {
                        assert_eq!(lines.len(), 1, "{what}: one warning for {rel}:\n{}", check.out);
                        assert!(
                            lines[0].starts_with(&format!("! {rel} ")) && lines[0].contains(w),
                            "{what}: {}",
                            lines[0]
                        );
                    }
                    None => assert!(lines.is_empty(), "{what}: no finding expected:\n{}", check.out),
                }
            }
            for recipient in needing(case_def.item) {
                let files: Vec<_> = after.keys().filter(|p| p.starts_with(recipient)).collect();
                assert_eq!(files.len(), 3, "{what}: {recipient} gets a PDF, a zip and a mail: {files:?}");
            }
        }
    }
}

#[test]
fn bad_documents_are_refused_cleanly_and_odd_ones_accepted() {
    let mut cases = own_cases();
    cases.extend(corpus_cases());
    // Every case runs even when one fails, so one run shows everything that is wrong.
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bad_document(case))).is_err())
        .map(|case| case.name)
        .collect();
    assert!(failed.is_empty(), "failed cases (messages above): {failed:?}");
}

#[test]
fn manifests_reaching_outside_root_are_refused() {
    for glob in ["../outside/*.pdf", "/etc/*.pdf"] {
        let case = Case::example();
        case.edit_manifest("files = [\"수료증*\"]", &format!("files = [\"{glob}\"]"));
        for command in ["check", "build"] {
            let r = run(&case, &[command], &[]);
            assert_eq!(r.code, 2, "{glob}: {command}:\n{}\n{}", r.out, r.err);
            let first = r.err.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("error: ")
                    && first.contains("dossier.toml:")
                    && first.ends_with(&format!("item `certificate`: the glob `{glob}` reaches outside `root`")),
                "{glob}: {command}: {}",
                r.err
            );
            assert!(
                r.err.contains("hint: move the documents under root, or set allow_outside_root = true in [bundle]"),
                "{}",
                r.err
            );
            assert!(!case.dir.path().join("out").exists(), "{glob}: {command} wrote output");
        }
    }
}

#[test]
fn allow_outside_root_reaches_files_outside() {
    let case = Case::example();
    case.edit_manifest("output = \"out\"", "output = \"out\"\nallow_outside_root = true");
    let outside = case.dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::rename(case.doc("수료증.pdf"), outside.join("수료증.pdf")).unwrap();
    // A link to a file outside root is used as the file it points to.
    std::os::unix::fs::symlink(outside.join("수료증.pdf"), case.doc("수료증.pdf")).unwrap();
    let r = run(&case, &["check"], &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
    assert!(item_row(&r.out, "certificate").contains(" ok "), "{}", r.out);
    // So is a glob that names the outside folder, relative or absolute.
    std::fs::remove_file(case.doc("수료증.pdf")).unwrap();
    let absolute = format!("{}/*.pdf", outside.display());
    for glob in ["../outside/*.pdf", absolute.as_str()] {
        let text = std::fs::read_to_string(case.manifest()).unwrap();
        let line = text.lines().find(|l| l.contains("수료증*") || l.contains("outside/")).unwrap().to_string();
        std::fs::write(case.manifest(), text.replace(&line, &format!("files = [\"{glob}\"]"))).unwrap();
        let r = run(&case, &["check", "--json"], &[]);
        assert_eq!(r.code, 0, "{glob}:\n{}\n{}", r.out, r.err);
        let report: serde_json::Value = serde_json::from_str(&r.out).unwrap();
        let cert = report["items"].as_array().unwrap().iter().find(|i| i["id"] == "certificate").unwrap();
        let paths: Vec<&str> = cert["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
        let expected = glob.replace("*.pdf", "수료증.pdf");
        assert_eq!(paths, [expected.as_str()], "{glob}");
        let r = run(&case, &["build", "--recipient", "professor"], &[]);
        assert_eq!(r.code, 0, "{glob}:\n{}\n{}", r.out, r.err);
    }
}

/// Builds with one input state, records out/, and returns it.
fn reference_build(case: &Case) -> BTreeMap<PathBuf, String> {
    let r = run(case, &["build"], &[("SOURCE_DATE_EPOCH", "1700000000")]);
    assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
    snapshot(&case.dir.path().join("out"))
}

#[test]
fn a_killed_build_never_leaves_a_torn_output() {
    let case = Case::example();
    let cert = case.doc("수료증.pdf");
    let original = std::fs::read(&cert).unwrap();
    let other = std::fs::read(case.doc("ICT인턴십_수행확인서.pdf")).unwrap();
    // Two input states whose outputs differ in every file, so a torn file matches neither.
    let state_a = reference_build(&case);
    std::fs::write(&cert, &other).unwrap();
    let state_b = reference_build(&case);
    assert_eq!(state_a.keys().collect::<Vec<_>>(), state_b.keys().collect::<Vec<_>>());
    assert!(state_a.iter().all(|(p, bytes)| &state_b[p] != bytes), "every output depends on the certificate");
    let out_dir = case.dir.path().join("out");
    // Kill at every named point of every recipient's build (the DOSSIER_TEST_STOP_AT hook):
    // before anything, with the PDF staged, with everything staged, right after the folder
    // swap (the previous build not yet removed), and after, so each phase is hit.
    let points = ["start", "pdf-staged", "staged", "swapped", "committed"];
    let mut round = 0;
    for recipient in ["professor", "office", "placement"] {
        for point in points {
            round += 1;
            std::fs::write(&cert, if round % 2 == 0 { &original } else { &other }).unwrap();
            let stop_at = format!("{recipient}:{point}");
            kill_at(&case, &stop_at);
            // A killed write's temporary file is left out here; the final run must clear it.
            for (path, hash) in snapshot(&out_dir) {
                assert!(
                    state_a.get(&path) == Some(&hash) || state_b.get(&path) == Some(&hash),
                    "killed at {stop_at}: {} is torn",
                    path.display()
                );
            }
            let mixed: Vec<_> = ["professor", "office", "placement"]
                .iter()
                .filter(|r| {
                    let files: Vec<_> = snapshot(&out_dir.join(r)).into_iter().collect();
                    let from_a = files.iter().filter(|(p, h)| state_a.get(&Path::new(r).join(p)) == Some(h)).count();
                    from_a != 0 && from_a != files.len()
                })
                .collect();
            assert!(mixed.is_empty(), "killed at {stop_at}: {mixed:?} hold files of two builds");
        }
    }
    std::fs::write(&cert, &original).unwrap();
    assert_eq!(reference_build(&case), state_a);
    assert!(temporaries(case.dir.path()).is_empty(), "left behind: {:?}", temporaries(case.dir.path()));
}

/// Starts `dossier build` that stops at `point`, waits until it says so, and kills it.
fn kill_at(case: &Case, point: &str) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(case.dir.path())
        .arg("build")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("DOSSIER_LANG", "en")
        .env("DOSSIER_TEST_STOP_AT", point)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let reached = stderr.lines().map_while(Result::ok).any(|line| line == format!("dossier: stopped at {point}"));
    assert!(reached, "the build ended without reaching {point}");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Every path under `dir` except `out/`, with its hash (files) and modification time.
fn tree_state(dir: &Path) -> BTreeMap<PathBuf, (Option<String>, std::time::SystemTime)> {
    let hashes = hash_tree(dir);
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.path() != dir.join("out"))
        .map(Result::unwrap)
        // Creating out/ changes the case folder's own mtime; that is the one write allowed.
        .filter(|e| e.depth() > 0)
        .map(|e| {
            let modified = e.path().symlink_metadata().unwrap().modified().unwrap();
            (e.path().to_path_buf(), (hashes.get(e.path()).cloned(), modified))
        })
        .collect()
}

#[test]
fn build_changes_no_input_and_writes_only_the_output_folder() {
    let case = Case::example();
    let before = tree_state(case.dir.path());
    let r = run(&case, &["build"], &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
    assert_eq!(tree_state(case.dir.path()), before);
    assert!(case.dir.path().join("out/placement").is_dir());
}

#[test]
fn an_output_folder_inside_root_is_not_read_back() {
    let case = Case::example();
    case.edit_manifest("root = \"student\"", "root = \".\"");
    // A glob that would match the merged PDFs if discovery looked into out/.
    case.edit_manifest("files = [\"수료증*\"]", "files = [\"수료증*\", \"*학점인정서류*\"]");
    let files = |case: &Case| {
        let r = run(case, &["check", "--json"], &[]);
        assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
        let report: serde_json::Value = serde_json::from_str(&r.out).unwrap();
        report["items"].as_array().unwrap().iter().map(|i| (i["id"].clone(), i["files"].clone())).collect::<Vec<_>>()
    };
    let fresh = files(&case);
    for _ in 0..2 {
        let r = run(&case, &["build"], &[]);
        assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
        assert_eq!(files(&case), fresh, "the second build must see the same inputs as the first");
    }
}

#[test]
fn passwords_appear_in_no_output() {
    let password = "pw-Zq7-31337";
    let case = Case::example();
    encrypt_with_qpdf(&case.doc(STUB), password);
    let env = [("PAYSLIP_PASSWORD", password)];
    let mut texts = Vec::new();
    for args in [&["check"][..], &["check", "--json"], &["build", "--json"], &["build"]] {
        let r = run(&case, args, &env);
        assert_eq!(r.code, 0, "{args:?}:\n{}\n{}", r.out, r.err);
        texts.push((format!("{args:?}"), r.out.into_bytes()));
        texts.push((format!("{args:?} stderr"), r.err.into_bytes()));
    }
    let out_dir = case.dir.path().join("out/placement");
    for path in snapshot(&out_dir).into_keys() {
        let full = out_dir.join(&path);
        if path.extension() == Some(OsStr::new("pdf")) {
            // Streams are compressed: read the PDF uncompressed, with its /Info, too.
            let plain = full.with_extension("qdf");
            std::process::Command::new("qpdf")
                .args(["--qdf", "--object-streams=disable"])
                .arg(&full)
                .arg(&plain)
                .status()
                .unwrap();
            texts.push((format!("{} uncompressed", path.display()), std::fs::read(&plain).unwrap()));
            std::fs::remove_file(plain).unwrap();
            texts
                .push((format!("{} pdfinfo", path.display()), tool("pdfinfo", &[full.to_str().unwrap()]).into_bytes()));
        }
        if path.extension() == Some(OsStr::new("zip")) {
            let entries = std::process::Command::new("unzip").arg("-p").arg(&full).output().unwrap();
            texts.push((format!("{} entries", path.display()), entries.stdout));
        }
        texts.push((path.display().to_string(), std::fs::read(&full).unwrap()));
    }
    assert!(texts.len() > 10);
    for (what, bytes) in texts {
        assert!(!bytes.windows(password.len()).any(|w| w == password.as_bytes()), "the password is in {what}");
    }
}
