//! `dossier check` on the example folder and on broken copies of it.

use crate::common::*;

fn run(case: &Case, args: &[&str]) -> (i32, String, String) {
    let before = case.input_hashes();
    let output = case.dossier(args).output().unwrap();
    assert_eq!(case.input_hashes(), before, "check must not change any input");
    (output.status.code().unwrap_or(-1), stdout(&output), stderr(&output))
}

fn json(case: &Case, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(case, &all);
    let value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\n{err}"));
    (code, value)
}

fn item<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap_or_else(|| panic!("no item {id}"))
}

#[test]
fn the_shipped_example_is_complete() {
    let output = dossier().current_dir(repo()).args(["check", "manifests/example.toml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}\n{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains("ready: every required item is present and valid"), "{}", stdout(&output));
}

#[test]
fn complete_folder_gives_the_documented_json() {
    let case = Case::example();
    let (code, report) = json(&case, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["ok"], true);
    let pay = item(&report, "payslips");
    assert_eq!(pay["status"], "ok");
    assert_eq!(pay["required"], true);
    assert_eq!(pay["title"], "급여명세서");
    let files = pay["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    // The NFD-named May stub is reported in NFC, in natural order.
    assert_eq!(
        paths,
        [
            "급여명세서/급여명세서_2023-03.pdf",
            "급여명세서/급여명세서_2023-04.pdf",
            "급여명세서/급여명세서_2023-05.pdf",
            "급여명세서/급여명세서_2023-06.pdf"
        ]
    );
    for f in files {
        assert_eq!(f["kind"], "pdf");
        assert_eq!(f["pages"], 1);
        assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
        assert!(f["bytes"].as_u64().unwrap() > 100);
    }
    let recipients: Vec<(&str, bool)> =
        report["recipients"].as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap(), r["ok"] == true)).collect();
    assert_eq!(recipients, [("professor", true), ("office", true), ("placement", true)]);
    let notes = item(&report, "notes");
    let kinds: Vec<&str> = notes["files"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["text", "text", "text"]);
}

#[test]
fn a_missing_month_is_named_and_blocks_only_its_recipient() {
    let case = Case::example();
    std::fs::remove_file(case.doc("급여명세서/급여명세서_2023-04.pdf")).unwrap();
    let (code, out, _) = run(&case, &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ missing 2023-04: add the 급여명세서 for 2023-04"), "{out}");
    assert!(out.contains("현장실습지원센터 (placement): not ready: payslips"), "{out}");
    let (code, report) = json(&case, &[]);
    assert_eq!(code, 1);
    assert_eq!(item(&report, "payslips")["status"], "missing");
    assert!(item(&report, "payslips")["problems"][0]["message"].as_str().unwrap().starts_with("missing 2023-04"));
    let placement = report["recipients"].as_array().unwrap().iter().find(|r| r["id"] == "placement").unwrap();
    assert_eq!(placement["missing"], serde_json::json!(["payslips"]));
    // The professor does not need pay stubs.
    let (code, _, _) = run(&case, &["check", "--recipient", "professor"]);
    assert_eq!(code, 0);
}

#[test]
fn an_html_page_saved_as_pdf_is_called_what_it_is() {
    let case = Case::example();
    let html = "<!DOCTYPE html><html><head><title>급여명세서</title></head><body>2023년 4월</body></html>";
    std::fs::write(case.doc("급여명세서/급여명세서_2023-04.pdf"), html).unwrap();
    let (code, out, _) = run(&case, &["check"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "급여명세서/급여명세서_2023-04.pdf is an HTML page, not a PDF: open it in a browser and print it to PDF"
        ),
        "{out}"
    );
    assert!(out.contains("invalid"), "{out}");
}

#[test]
fn empty_and_truncated_files_are_invalid() {
    let case = Case::example();
    std::fs::write(case.doc("수료증.pdf"), b"").unwrap();
    let portfolio = std::fs::read(case.doc("설계포트폴리오.pdf")).unwrap();
    std::fs::write(case.doc("설계포트폴리오.pdf"), &portfolio[..portfolio.len() / 2]).unwrap();
    let (code, report) = json(&case, &[]);
    assert_eq!(code, 1);
    let cert = item(&report, "certificate");
    assert_eq!(cert["status"], "invalid");
    assert!(cert["problems"][0]["message"].as_str().unwrap().starts_with("수료증.pdf is empty"), "{cert:#}");
    let portfolio = item(&report, "portfolio");
    assert_eq!(portfolio["status"], "invalid");
    assert!(
        portfolio["problems"][0]["message"].as_str().unwrap().starts_with("설계포트폴리오.pdf is damaged"),
        "{portfolio:#}"
    );
}

#[test]
fn encrypted_pay_stub_needs_the_password_variable() {
    let case = Case::example();
    encrypt_with_qpdf(&case.doc("급여명세서/급여명세서_2023-04.pdf"), "990101");
    let (code, out, _) = run(&case, &["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("급여명세서/급여명세서_2023-04.pdf is encrypted"), "{out}");
    assert!(out.contains("PAYSLIP_PASSWORD"), "{out}");
    let output = case.dossier(&["check"]).env("PAYSLIP_PASSWORD", "000000").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("wrong password"), "{out}");
    assert!(!out.contains("000000"), "the password must never be printed: {out}");
    let output = case.dossier(&["check", "--json"]).env("PAYSLIP_PASSWORD", "990101").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(!stdout(&output).contains("990101"));
}

#[test]
fn links_out_of_the_folder_are_refused() {
    let case = Case::example();
    let outside = case.dir.path().join("outside.pdf");
    std::fs::copy(case.doc("수료증.pdf"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, case.doc("수료증_사본.pdf")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", case.doc("수료증_passwd.pdf")).unwrap();
    let (code, out, _) = run(&case, &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("수료증_사본.pdf is a link to"), "{out}");
    assert!(out.contains("outside the documents folder"), "{out}");
    assert!(out.contains("수료증_passwd.pdf is a link to `/etc/passwd`"), "{out}");
}

#[test]
fn nfc_and_nfd_twins_are_never_picked_silently() {
    use unicode_normalization::UnicodeNormalization;
    let case = Case::example();
    let nfd: String = "수료증.pdf".nfd().collect();
    std::fs::copy(case.doc("급여명세서/급여명세서_2023-03.pdf"), case.doc(&nfd)).unwrap();
    let (code, out, _) = run(&case, &["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("수료증.pdf exists 2 times with different content"), "{out}");
}

#[test]
fn files_matched_by_two_items_are_a_warning() {
    let case = Case::example();
    case.edit_manifest("files = [\"수료증*\"]", "files = [\"수료증*\", \"ICT*\"]");
    let (code, report) = json(&case, &[]);
    assert_eq!(code, 0, "a warning does not block: {report:#}");
    let cert = item(&report, "certificate");
    assert_eq!(cert["status"], "warning");
    assert!(cert["problems"][0]["message"].as_str().unwrap().contains("is also matched by `confirmation`"), "{cert:#}");
}

#[test]
fn bad_manifests_exit_2_with_the_line() {
    let cases = [
        ("per_month = true", "per_mnoth = true", "dossier.toml:", "there is no key `per_mnoth` here"),
        ("id = \"portfolio\"", "id = \"form\"", "dossier.toml:", "item id `form` is used twice"),
        (
            "items = [\"payslips\", \"insurance\"",
            "items = [\"payslip\", \"insurance\"",
            "dossier.toml:",
            "did you mean `payslips`",
        ),
        ("end = 2023-06-30", "end = 2023-06-31", "dossier.toml:", "invalid date"),
        ("end = 2023-06-30", "end = \"2023.13.01\"", "dossier.toml:", "`end` is not a date"),
        ("max_size = \"10 MB\"", "max_size = \"10 MeB\"", "dossier.toml:", "not a size unit"),
        ("files = [\"수료증*\"]", "files = []", "dossier.toml:", "empty `files` list"),
    ];
    for (from, to, location, message) in cases {
        let case = Case::example();
        case.edit_manifest(from, to);
        let (code, _, err) = run(&case, &["check"]);
        assert_eq!(code, 2, "{to}: {err}");
        assert!(err.contains(location) && err.contains(message), "{to}: {err}");
        let line = err.split(location).nth(1).unwrap().split(':').next().unwrap();
        assert!(line.parse::<usize>().is_ok(), "no line number in: {err}");
        assert!(err.contains("hint:"), "{err}");
    }
}

#[test]
fn unknown_recipient_and_missing_manifest_exit_2() {
    let case = Case::example();
    let (code, _, err) = run(&case, &["check", "--recipient", "dean"]);
    assert_eq!(code, 2);
    assert!(err.contains("no recipient `dean`") && err.contains("`professor`"), "{err}");
    let (code, _, err) = run(&case, &["check", "nowhere.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("no manifest at `nowhere.toml`") && err.contains("dossier init"), "{err}");
}

#[test]
fn a_cohort_is_checked_in_one_run() {
    let ready = Case::example();
    let broken = Case::example();
    std::fs::remove_file(broken.doc("수료증.pdf")).unwrap();
    let output = dossier().args(["check", "--json"]).arg(ready.manifest()).arg(broken.dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let oks: Vec<bool> = report["bundles"].as_array().unwrap().iter().map(|b| b["ok"] == true).collect();
    assert_eq!(oks, [true, false]);
}

#[test]
fn init_writes_a_template_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier().current_dir(dir.path()).args(["init", "--list"]).output().unwrap();
    assert!(stdout(&out).contains("ict-internship"));
    let out = dossier().current_dir(dir.path()).args(["init", "mine"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("mine/dossier.toml").is_file());
    assert!(dir.path().join("mine/documents").is_dir());
    let before = std::fs::read(dir.path().join("mine/dossier.toml")).unwrap();
    let out = dossier().current_dir(dir.path()).args(["init", "mine"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"));
    assert_eq!(std::fs::read(dir.path().join("mine/dossier.toml")).unwrap(), before);
    // A fresh template reports what is missing, item by item.
    let out = dossier().current_dir(dir.path().join("mine")).args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("no file matches \"수료증*\""), "{}", stdout(&out));
}

#[test]
fn inspect_says_what_a_file_is() {
    let case = Case::example();
    let out = case
        .dossier(&["inspect", "student/프로젝트수행_입증자료/현장사진_01.jpg", "student/인턴쉽노트/2주차_메모.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("320×240") || text.contains("320x240"), "{text}");
    assert!(text.contains("orientation 6"), "{text}");
    assert!(text.contains("CP949"), "{text}");
    std::fs::write(case.doc("가짜.pdf"), "<html><body>x</body></html>").unwrap();
    let out = case.dossier(&["inspect", "student/가짜.pdf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("가짜.pdf is an HTML page, not a PDF"), "{}", stdout(&out));
}

/// Types `typed` at the terminal `dossier ARGS` runs on (a pseudo-terminal driven by
/// tests/tools/at_terminal.py), once the prompt is shown and echo is off.
fn at_terminal(case: &Case, args: &str, typed: &str) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("dossier");
    let driver = repo().join("tests/tools/at_terminal.py");
    let out = std::process::Command::new("python3")
        .arg(driver)
        .args(["password for the encrypted files", typed])
        .arg(bin)
        .args(args.split_whitespace())
        .current_dir(case.dir.path())
        .env_remove("PAYSLIP_PASSWORD")
        .env("NO_COLOR", "1")
        .env("DOSSIER_LANG", "en")
        .output()
        .expect("python3 runs (tests/run installs it)");
    (out.status.code().unwrap_or(-1), stdout(&out))
}

#[test]
fn a_person_at_the_terminal_is_asked_for_the_password_once() {
    let case = Case::example();
    encrypt_with_qpdf(&case.doc("급여명세서/급여명세서_2023-04.pdf"), "990101");
    let (code, out) = at_terminal(&case, "check --recipient placement", "990101");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("password for the encrypted files of `payslips`").count(), 1, "{out}");
    assert!(out.contains("2019123456 김민준: password for"), "the prompt names the student: {out}");
    let report = out.split_once("dossier check:").map(|(_, r)| r).unwrap_or_default();
    assert!(report.contains("ready: every required item"), "{out}");
    assert!(!out.contains("990101"), "the typed password must not be echoed or printed: {out}");
    let (code, out) = at_terminal(&case, "check --recipient placement", "000000");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("does not open with the given password (wrong password)"), "{out}");
    assert!(!out.contains("000000"), "{out}");
}

/// `dossier check dossier.toml` with the locale set as a user's terminal sets it (no
/// DOSSIER_LANG, which the other tests set to English).
fn check_with_lang(case: &Case, lang: &str) -> (i32, String, String) {
    let output = case
        .dossier(&["check", "dossier.toml"])
        .env_remove("DOSSIER_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .output()
        .unwrap();
    (output.status.code().unwrap_or(-1), stdout(&output), stderr(&output))
}

#[test]
fn every_manifest_error_is_shown_in_the_terminal_language() {
    let case = Case::example();
    case.edit_manifest("\"학과\" = ", "학과 = ").edit_manifest("start = 2023-03-02", "start = 2023.03.02");
    case.edit_manifest("max_size = \"10 MB\"", "max_size = 10");
    let (code, out, err) = check_with_lang(&case, "ko_KR.UTF-8");
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(
        err,
        "오류: dossier.toml:19:1: `학과` 키는 따옴표로 감싸야 합니다. 따옴표 없는 키에는 영문, 숫자, `-`, `_`만 쓸 수 있습니다
    |
 19 | 학과 = \"기계설계공학과\"
    | ^
도움말: \"학과\" = … 처럼 쓰세요
오류: dossier.toml:24:9: 날짜를 `2023.03.02`처럼 점으로 쓰면 TOML에서는 날짜가 아니라 잘못된 숫자로 읽힙니다
    |
 24 | start = 2023.03.02
    |         ^
도움말: start = 2023-03-02로 쓰거나, 따옴표로 감싸세요: start = \"2023.03.02\"
오류: dossier.toml:84:12: `max_size = 10`에 단위가 없어 10바이트로 읽힙니다
    |
 84 | max_size = 10
    |            ^
도움말: 단위를 붙여 쓰세요: max_size = \"10 MB\"
오류: dossier.toml에서 고칠 곳이 3군데 있습니다. 모두 고친 뒤 다시 실행하세요
"
    );
    let (code, _, err) = check_with_lang(&case, "C");
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: dossier.toml:19:1: the key `학과` needs quotes: without them TOML allows only ASCII letters, digits, `-` and `_`
    |
 19 | 학과 = \"기계설계공학과\"
    | ^
hint: write \"학과\" = …
error: dossier.toml:24:9: `2023.03.02` is not a date in TOML (it reads as a broken number)
    |
 24 | start = 2023.03.02
    |         ^
hint: write start = 2023-03-02, or put it in quotes: start = \"2023.03.02\"
error: dossier.toml:84:12: `max_size = 10` has no unit, so it would mean 10 bytes
    |
 84 | max_size = 10
    |            ^
hint: write the unit: max_size = \"10 MB\"
error: dossier.toml has 3 errors; fix them all, then run again
"
    );
}

#[test]
fn a_file_no_item_claims_is_a_warning_with_the_item_it_nearly_matches() {
    let case = Case::example();
    std::fs::rename(case.doc("인턴쉽노트/2주차_메모.txt"), case.doc("인턴십노트.txt")).unwrap();
    let (code, out, _) = run(&case, &["check"]);
    assert_eq!(code, 0, "a stray file does not block: {out}");
    let stray = out.lines().skip_while(|l| *l != "files that no item claims:").take(2).collect::<Vec<_>>();
    assert_eq!(
        stray,
        [
            "files that no item claims:",
            "  ! 인턴십노트.txt is not part of any item; did you mean 연수보고서 및 인턴쉽노트 (`인턴쉽노트`)? If so, rename it to match; if not, move it out of the documents folder"
        ],
        "{out}"
    );
    let (_, out, _) = check_with_lang(&case, "ko_KR.UTF-8");
    let stray = out.lines().skip_while(|l| *l != "어느 항목에도 속하지 않는 파일:").nth(1);
    assert_eq!(
        stray,
        Some(
            "  ! 인턴십노트.txt: 어느 항목에도 속하지 않습니다. 연수보고서 및 인턴쉽노트(`인턴쉽노트`) 서류인가요? 그렇다면 패턴에 맞게 이름을 바꾸고, 아니면 서류 폴더 밖으로 옮기세요"
        ),
        "{out}"
    );
    let (_, report) = json(&case, &[]);
    let unclaimed = report["unclaimed"].as_array().unwrap();
    assert_eq!(unclaimed.len(), 1, "{report:#}");
    assert_eq!(unclaimed[0]["code"], "file.unclaimed");
    assert_eq!(unclaimed[0]["file"], "인턴십노트.txt");
    assert_eq!(unclaimed[0]["suggestion"]["item"], "notes");
}

#[test]
fn an_item_with_no_match_names_its_near_misses() {
    let case = Case::example();
    std::fs::rename(case.doc("수료증.pdf"), case.doc("수료중.pdf")).unwrap();
    let (code, report) = json(&case, &[]);
    assert_eq!(code, 1);
    let cert = item(&report, "certificate");
    assert_eq!(cert["problems"][0]["code"], "item.missing");
    assert_eq!(cert["problems"][0]["near"], serde_json::json!(["수료중.pdf"]));
    assert_eq!(
        cert["problems"][0]["message"],
        "no file matches \"수료증*\"; near misses: 수료중.pdf: ask the company for the completion certificate with its seal and the internship period"
    );
}
