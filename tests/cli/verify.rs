//! `dossier verify`: bundles built from the example, then changed, cut, wrapped in mail, or
//! replaced by hostile zips; the cohort CSV read back with Python and the HTML page in
//! headless Chromium.

use std::path::{Path, PathBuf};

use crate::common::{Case, stdout, tool};

/// The example built (or a variant), and its recipients' output folders.
fn built(case: &Case, extra: &[&str]) -> PathBuf {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = case.dossier(&args).output().unwrap();
    assert!(out.status.success() || extra.contains(&"--draft"), "build failed: {}", crate::common::stderr(&out));
    case.dir.path().join("out")
}

/// The one file with `ext` in `dir`.
fn one(dir: &Path, ext: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

fn verify(case: &Case, args: &[&str]) -> (i32, String) {
    let mut all = vec!["verify"];
    all.extend_from_slice(args);
    let out = case.dossier(&all).output().unwrap();
    let text = stdout(&out) + &crate::common::stderr(&out);
    (out.status.code().unwrap_or(-1), text)
}

/// Rewrites a zip with Python's zipfile: `change` maps an entry name to new bytes (hex) or to
/// `None` to drop it.
fn rewrite_zip(zip: &Path, script: &str) {
    let program = format!(
        "import zipfile, sys\nsrc = sys.argv[1]\nentries = []\nwith zipfile.ZipFile(src) as z:\n    for i in z.infolist():\n        entries.append((i.filename, z.read(i.filename)))\n{script}\nwith zipfile.ZipFile(src, 'w', zipfile.ZIP_DEFLATED) as z:\n    for n, b in entries:\n        z.writestr(n, b)\n"
    );
    tool("python3", &["-c", &program, zip.to_str().unwrap()]);
}

#[test]
fn an_intact_bundle_verifies_as_zip_pdf_and_mail() {
    let case = Case::example();
    let out = built(&case, &[]);
    let office = out.join("office");
    let zip = one(&office, "zip");
    let (code, text) = verify(&case, &[zip.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("2019123456 김민준") && text.contains("intact"), "{text}");
    // The record is in the zip and listed in SHA256SUMS.txt, so `sha256sum -c` covers it.
    let sums = tool("unzip", &["-p", zip.to_str().unwrap(), "SHA256SUMS.txt"]);
    assert!(sums.contains("  dossier.json\n"), "{sums}");

    // The merged PDF alone: its record is an attachment that independent tools list.
    let pdf = one(&office, "pdf");
    let listed = tool("qpdf", &["--list-attachments", pdf.to_str().unwrap()]);
    assert!(listed.contains("dossier.json"), "{listed}");
    let detached = tool("pdfdetach", &["-list", pdf.to_str().unwrap()]);
    assert!(detached.contains("dossier.json"), "{detached}");
    let json = tool("qpdf", &["--show-attachment=dossier.json", pdf.to_str().unwrap()]);
    let record: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(record["student"]["id"], "2019123456");
    assert_eq!(record["recipient"]["id"], "office");
    assert!(record["merged_pdf"]["sha256"].is_null(), "the PDF cannot hold its own hash");
    let pages: u64 = tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().parse().unwrap()))
        .unwrap();
    assert_eq!(record["merged_pdf"]["pages"].as_u64(), Some(pages));
    let (code, text) = verify(&case, &[pdf.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");

    // The mail draft, as received: its attachment is taken out and verified.
    let eml = office.join("mail.eml");
    let (code, text) = verify(&case, &[eml.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["ok"], true);
    assert!(value["bundles"][0]["sources"][0].as_str().unwrap().contains("mail.eml › "), "{value}");
    assert_eq!(value["bundles"][0]["student"]["name"], "김민준");

    // The placement bundle's pay stubs cover every month of the period.
    let (code, text) = verify(&case, &[one(&out.join("placement"), "zip").to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let months = &value["bundles"][0]["months"][0];
    assert_eq!(months["covered"], serde_json::json!(["2023-03", "2023-04", "2023-05", "2023-06"]));
}

#[test]
fn a_changed_or_removed_entry_is_named() {
    let case = Case::example();
    let out = built(&case, &[]);
    let zip = one(&out.join("office"), "zip");
    let changed = case.dir.path().join("changed.zip");
    std::fs::copy(&zip, &changed).unwrap();
    rewrite_zip(
        &changed,
        "entries = [(n, b + b'%tampered\\n' if n.endswith('/수료증.pdf') else b) for n, b in entries]",
    );
    let (code, text) = verify(&case, &[changed.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("`06_수료증/수료증.pdf` has changed"), "{text}");

    let removed = case.dir.path().join("removed.zip");
    std::fs::copy(&zip, &removed).unwrap();
    rewrite_zip(&removed, "entries = [(n, b) for n, b in entries if not n.endswith('/수료증.pdf')]");
    let (code, text) = verify(&case, &[removed.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("`06_수료증/수료증.pdf` of 수료증 is missing"), "{text}");
    assert!(text.contains("수료증 (`certificate`) is missing"), "{text}");
}

#[test]
fn the_office_template_finds_what_the_students_own_list_left_out() {
    let case = Case::example();
    // The student dropped the signed form from the office's list: complete by its own record.
    case.edit_manifest("items = [\"form\", \"form_signed\", \"portfolio\"", "items = [\"form\", \"portfolio\"");
    let out = built(&case, &["--recipient", "office"]);
    let zip = one(&out.join("office"), "zip");
    let (code, text) = verify(&case, &[zip.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = verify(&case, &[zip.to_str().unwrap(), "--template", "ict-internship", "--recipient", "office"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("학점인정서 (지도교수 서명본) (`form_signed`) is missing"), "{text}");
    assert!(!text.contains("judged by the list of"), "{text}");
    // The same through --manifest, each bundle by its own recipient there.
    let template = case.dir.path().join("office.toml");
    std::fs::write(&template, include_str!("../../manifests/ict-internship.toml")).unwrap();
    let (code, text) = verify(&case, &[zip.to_str().unwrap(), "--manifest", template.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("`form_signed`"), "{text}");
    // Unusable arguments: exit 2.
    let (code, text) = verify(&case, &[zip.to_str().unwrap(), "--template", "nope"]);
    assert_eq!(code, 2, "{text}");
    let (code, _) = verify(&case, &[zip.to_str().unwrap(), "--template", "ict-internship", "--recipient", "dean"]);
    assert_eq!(code, 2);
    let (code, text) = verify(&case, &["no-such.zip"]);
    assert_eq!(code, 2, "{text}");
}

#[test]
fn non_dossier_files_say_what_they_are() {
    let case = Case::example();
    let (code, text) =
        verify(&case, &[case.doc("수료증.pdf").to_str().unwrap(), case.doc("연수보고서.md").to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("a PDF without an embedded dossier record"), "{text}");
    assert!(text.contains("is not a dossier bundle: a text file"), "{text}");
}

/// Python that writes a zip at argv[1] whose entries are given by `body` (a zipfile `z`).
fn python_zip(path: &Path, body: &str) {
    let program =
        format!("import zipfile, sys\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n{body}\n");
    tool("python3", &["-c", &program, path.to_str().unwrap()]);
}

#[test]
fn hostile_zips_are_refused_and_nothing_is_written() {
    let case = Case::example();
    let out = built(&case, &["--recipient", "professor"]);
    let record = tool("unzip", &["-p", one(&out.join("professor"), "zip").to_str().unwrap(), "dossier.json"]);
    let record_file = case.dir.path().join("record.json");
    std::fs::write(&record_file, &record).unwrap();
    let inbox = case.dir.path().join("inbox/deep");
    std::fs::create_dir_all(&inbox).unwrap();
    let rec = format!("    z.writestr('dossier.json', open('{}').read())\n", record_file.display());
    python_zip(&inbox.join("traversal.zip"), &format!("{rec}    z.writestr('../../evil.txt', 'x')"));
    python_zip(&inbox.join("absolute.zip"), &format!("{rec}    z.writestr('/tmp/evil-dossier-test.txt', 'x')"));
    python_zip(&inbox.join("bomb.zip"), &format!("{rec}    z.writestr('01_x/bomb.pdf', b'\\0' * (64 << 20))"));
    python_zip(
        &inbox.join("symlink.zip"),
        &format!(
            "{rec}    i = zipfile.ZipInfo('01_x/link.pdf')\n    i.create_system = 3\n    i.external_attr = 0o120777 << 16\n    z.writestr(i, '/etc/passwd')"
        ),
    );
    python_zip(
        &inbox.join("duplicate.zip"),
        &format!(
            "{rec}    import warnings\n    warnings.simplefilter('ignore')\n    z.writestr('a.pdf', 'x')\n    z.writestr('A.pdf', 'y')"
        ),
    );
    let before = crate::common::hash_tree(case.dir.path());
    let (code, text) = verify(&case, &[inbox.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let reasons: Vec<(String, String)> = value["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let p = &b["problems"][0];
            assert_eq!(p["code"], "verify.unsafe_zip", "{b}");
            (
                b["sources"][0].as_str().unwrap().rsplit('/').next().unwrap().to_string(),
                p["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = |file: &str, reason: &str| {
        assert!(reasons.contains(&(file.to_string(), reason.to_string())), "{file}: {reasons:?}");
    };
    expect("traversal.zip", "traversal");
    expect("absolute.zip", "absolute");
    expect("bomb.zip", "bomb");
    expect("symlink.zip", "symlink");
    expect("duplicate.zip", "duplicate");
    // Nothing was extracted anywhere: the case folder is as it was, nothing climbed out.
    assert_eq!(crate::common::hash_tree(case.dir.path()), before);
    assert!(!case.dir.path().join("evil.txt").exists() && !inbox.join("../../evil.txt").exists());
    assert!(!Path::new("/tmp/evil-dossier-test.txt").exists());
    let (_, text) = verify(&case, &[inbox.join("traversal.zip").to_str().unwrap()]);
    assert!(
        text.contains("refused, nothing of it was used: entry `../../evil.txt` climbs out of its folder"),
        "{text}"
    );
}

/// Two students: the example, and one whose certificate is missing (built as a draft).
fn cohort() -> (Case, Case) {
    let a = Case::example();
    built(&a, &[]);
    let b = Case::example();
    b.edit_manifest("\"2019123456\"", "\"2018000001\"").edit_manifest("\"김민준\"", "\"이서연\"");
    std::fs::remove_file(b.doc("수료증.pdf")).unwrap();
    built(&b, &["--draft"]);
    (a, b)
}

#[test]
fn the_cohort_table_sorts_by_student_id_and_reads_back_as_csv() {
    let (a, b) = cohort();
    let csv = a.dir.path().join("cohort.csv");
    let out_a = a.dir.path().join("out");
    let out_b = b.dir.path().join("out");
    let (code, text) = verify(&a, &[out_a.to_str().unwrap(), out_b.to_str().unwrap(), "--csv", csv.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    let lee = text.find("2018000001  이서연").expect(&text);
    let kim = text.find("2019123456  김민준").expect(&text);
    assert!(lee < kim, "{text}");
    // Details only for the student with problems.
    assert!(text.contains("\n2018000001 이서연\n") && !text.contains("\n2019123456 김민준\n"), "{text}");
    assert!(text.contains("DRAFT"), "{text}");

    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV for Excel starts with a BOM");
    let rows = tool(
        "python3",
        &[
            "-c",
            "import csv, json, sys\nraw = open(sys.argv[1], 'rb').read()\nassert b'\\r\\n' in raw and b'\\n' not in raw.replace(b'\\r\\n', b'')\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    print(json.dumps(list(csv.reader(f))))",
            csv.to_str().unwrap(),
        ],
    );
    let rows: Vec<Vec<String>> = serde_json::from_str(&rows).unwrap();
    assert_eq!(rows.len(), 3, "a header and one row per student: {rows:?}");
    assert_eq!(&rows[0][..2], ["학번 (ID)", "이름 (name)"]);
    assert_eq!(&rows[1][..2], ["2018000001", "이서연"]);
    assert_eq!(&rows[2][..2], ["2019123456", "김민준"]);
    assert!(rows[1][2..].iter().any(|c| c.contains("not ready")), "{rows:?}");
    assert!(rows[2][2..5].iter().all(|c| c == "ready"), "{rows:?}");

    // check over the students' folders gives the same table.
    let out = a
        .dossier(&[
            "check",
            a.manifest().to_str().unwrap(),
            b.manifest().to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.find("2018000001").unwrap() < text.find("2019123456").unwrap(), "{text}");
    assert!(text.contains("missing 수료증"), "{text}");
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(csv_text.matches("\r\n").count(), 3, "{csv_text}");
    let json = a
        .dossier(&["check", a.manifest().to_str().unwrap(), b.manifest().to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["bundles"][1]["student_id"], "2018000001");
    assert_eq!(value["bundles"][1]["student_name"], "이서연");
}

#[test]
fn the_cohort_page_works_in_a_real_browser() {
    let (a, b) = cohort();
    let html = a.dir.path().join("cohort.html");
    let out_a = a.dir.path().join("out");
    let out_b = b.dir.path().join("out");
    let out = a
        .dossier(&[
            "--lang",
            "ko",
            "verify",
            out_a.to_str().unwrap(),
            out_b.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("문제 있는 학생만"));
    assert!(!page.contains("http") && !page.contains("src="), "self-contained: no external assets");
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
        .expect("headless Chromium is needed (tests/run installs the `chromium` package)");
    let url = format!("file://{}", html.display());
    let dom = |fragment: &str| {
        tool(chromium, &["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", &format!("{url}{fragment}")])
    };
    // All students shown; with the filter (#problems checks it) only the one with problems.
    let all = dom("");
    assert_eq!(all.matches("<tr class=\"student").count(), 2, "{all}");
    assert!(all.contains("<span id=\"shown\">2</span>"), "{all}");
    let filtered = dom("#problems");
    assert!(filtered.contains("class=\"only-problems\""), "{filtered}");
    assert!(filtered.contains("<span id=\"shown\">1</span>"), "the filter hides the ready student: {filtered}");
    let shot = a.dir.path().join("cohort.png");
    tool(
        chromium,
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,700",
            &url,
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 5_000, "a screenshot was taken");
    if let Some(keep) = std::env::var_os("DOSSIER_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

#[test]
fn each_student_of_a_cohort_opens_with_their_own_password() {
    let a = Case::example();
    let b = Case::example();
    b.edit_manifest("\"2019123456\"", "\"2018000001\"");
    crate::common::encrypt_with_qpdf(&a.doc("급여명세서/급여명세서_2023-04.pdf"), "990101");
    crate::common::encrypt_with_qpdf(&b.doc("급여명세서/급여명세서_2023-04.pdf"), "980202");
    let manifests = [a.manifest(), b.manifest()];
    let args = |extra: &[&str]| {
        let mut v: Vec<String> = vec!["check".into(), "--recipient".into(), "placement".into()];
        v.extend(manifests.iter().map(|m| m.display().to_string()));
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    // One PAYSLIP_PASSWORD cannot open both.
    let out = a.dossier(&[]).args(args(&[])).env("PAYSLIP_PASSWORD", "990101").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // A passwords file by 학번 can, and no password is printed.
    let file = a.dir.path().join("passwords.txt");
    std::fs::write(&file, "# 학번=비밀번호\n2019123456=990101\n2018000001=980202\n").unwrap();
    let out = a.dossier(&[]).args(args(&["--json"])).env("DOSSIER_PASSWORDS", &file).output().unwrap();
    let text = stdout(&out) + &crate::common::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("990101") && !text.contains("980202"), "{text}");
    // `[student] password_env` names each student's own variable.
    b.edit_manifest("\"학번\" = \"2018000001\"", "\"학번\" = \"2018000001\"\npassword_env = \"LEE_PASSWORD\"");
    let out = a
        .dossier(&[])
        .args(args(&[]))
        .env("PAYSLIP_PASSWORD", "990101")
        .env("LEE_PASSWORD", "980202")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // password_env is not a field shown to anyone.
    let out = b.dossier(&["check", "--json"]).output().unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(value["student"].get("password_env").is_none(), "{value}");
}
