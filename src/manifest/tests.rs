use super::*;
use crate::i18n::{Catalog, Lang};
use unicode_normalization::UnicodeNormalization;

const MINIMAL: &str = r#"
[bundle]
title = "산학인턴쉽 전공교과목 학점인정 제출 서류"
root = "documents"

[student]
"이름" = "홍길동"
"학번" = 20201234

[period]
start = 2023-03-02
end = 2023-06-30

[[items]]
id = "payslips"
title = "급여명세서"
files = ["급여명세서*", "payslip*"]
kinds = ["pdf", "image"]
per_month = true
password_env = "PAYSLIP_PASSWORD"
max_size = "10 MB"
pages = { max = 3 }

[[items]]
id = "certificate"
title = "수료증"
files = ["수료증*"]

[[recipients]]
id = "professor"
title = "지도교수"
items = ["certificate", "payslips"]
max_attachment = "20 MB"
"#;

fn parse_str(text: &str) -> Result<Manifest, Error> {
    parse(text, Path::new("/home/s/dossier.toml"))
}

/// The whole error text the terminal shows for `text`, in `lang`, without colour.
fn error_text(text: &str, lang: Lang) -> String {
    match parse(text, Path::new("d.toml")) {
        Err(e) => crate::report::error_text(&e, Catalog::get(lang), &crate::report::Paint(false)),
        Ok(_) => panic!("expected manifest errors for:\n{text}"),
    }
}

/// The codes of every problem `text` has, in order.
fn codes(text: &str) -> Vec<&'static str> {
    match parse_str(text) {
        Err(e) => e.manifest_errors().iter().map(|e| e.problem.code()).collect(),
        Ok(_) => Vec::new(),
    }
}

#[test]
fn unknown_key_suggests_the_near_one() {
    let text = MINIMAL.replace("per_month = true", "per_mnoth = true");
    assert_eq!(
        error_text(&text, Lang::En),
        "error: d.toml:19:1: there is no key `per_mnoth` here
    |
 19 | per_mnoth = true
    | ^
hint: did you mean `per_month`? The keys here are: `id`, `title`, `files`, `kinds`, `required`, `min`, `max`, `pages`, `per_month`, `password_env`, `max_size`, `hint`
"
    );
}

#[test]
fn every_unknown_key_is_named_in_one_run() {
    let text = MINIMAL.replace("per_month = true", "per_mnoth = true").replacen("title = ", "titel = ", 1);
    assert_eq!(codes(&text), ["manifest.unknown_key", "manifest.unknown_key"]);
    let shown = error_text(&text, Lang::En);
    assert!(
        shown.contains("there is no key `titel` here") && shown.contains("there is no key `per_mnoth` here"),
        "{shown}"
    );
}

#[test]
fn duplicate_item_id_points_at_the_second() {
    let text = MINIMAL.replace("id = \"certificate\"", "id = \"payslips\"");
    assert_eq!(
        error_text(&text, Lang::Ko),
        "오류: d.toml:25:6: 항목 id를 두 번 썼습니다: `payslips`
    |
 25 | id = \"payslips\"
    |      ^
도움말: 항목마다 다른 id를 쓰세요
오류: d.toml:32:10: 받는 곳 `professor`의 `items`에 쓴 `certificate` 항목이 없습니다
    |
 32 | items = [\"certificate\", \"payslips\"]
    |          ^
도움말: 있는 항목: `payslips`
오류: d.toml에서 고칠 곳이 2군데 있습니다. 모두 고친 뒤 다시 실행하세요
"
    );
}

#[test]
fn recipient_naming_unknown_item_suggests_the_near_one() {
    let text = MINIMAL.replace("items = [\"certificate\", \"payslips\"]", "items = [\"certificate\", \"payslip\"]");
    assert_eq!(
        error_text(&text, Lang::Ko),
        "오류: d.toml:32:25: 받는 곳 `professor`의 `items`에 쓴 `payslip` 항목이 없습니다
    |
 32 | items = [\"certificate\", \"payslip\"]
    |                         ^
도움말: 혹시 `payslips` 항목인가요? 있는 항목: `payslips`, `certificate`
"
    );
}

#[test]
fn bad_date_and_reversed_period() {
    assert_eq!(codes(&MINIMAL.replace("end = 2023-06-30", "end = \"2023-13-30\"")), ["manifest.bad_date"]);
    assert_eq!(
        error_text(&MINIMAL.replace("end = 2023-06-30", "end = 2023-01-30"), Lang::En),
        "error: d.toml:12:7: [period] ends (2023-01-30) before it starts (2023-03-02)
    |
 12 | end = 2023-01-30
    |       ^
hint: swap `start` and `end`
"
    );
    let dotted = parse_str(&MINIMAL.replace("start = 2023-03-02", "start = \"2023. 3. 2.\"")).unwrap();
    assert_eq!(dotted.period.unwrap().start, Date { year: 2023, month: 3, day: 2 });
}

#[test]
fn an_unquoted_dotted_date_says_how_to_write_it() {
    let text = MINIMAL.replace("start = 2023-03-02", "start = 2023.03.02");
    assert_eq!(
        error_text(&text, Lang::En),
        "error: d.toml:11:9: `2023.03.02` is not a date in TOML (it reads as a broken number)
    |
 11 | start = 2023.03.02
    |         ^
hint: write start = 2023-03-02, or put it in quotes: start = \"2023.03.02\"
"
    );
    assert_eq!(
        error_text(&text, Lang::Ko),
        "오류: d.toml:11:9: 날짜를 `2023.03.02`처럼 점으로 쓰면 TOML에서는 날짜가 아니라 잘못된 숫자로 읽힙니다
    |
 11 | start = 2023.03.02
    |         ^
도움말: start = 2023-03-02로 쓰거나, 따옴표로 감싸세요: start = \"2023.03.02\"
"
    );
}

#[test]
fn four_unquoted_korean_keys_are_four_errors_in_one_run() {
    let text = MINIMAL.replace(
        "\"이름\" = \"홍길동\"\n\"학번\" = 20201234",
        "이름 = \"홍길동\"\n학번 = 20201234\n학과 = \"컴퓨터공학과\"\n기업 = \"(주)한빛\"",
    );
    assert_eq!(codes(&text), ["manifest.unquoted_key"; 4]);
    let ko = error_text(&text, Lang::Ko);
    assert_eq!(
        ko.lines().take(5).collect::<Vec<_>>().join("\n"),
        "오류: d.toml:7:1: `이름` 키는 따옴표로 감싸야 합니다. 따옴표 없는 키에는 영문, 숫자, `-`, `_`만 쓸 수 있습니다
   |
 7 | 이름 = \"홍길동\"
   | ^
도움말: \"이름\" = … 처럼 쓰세요"
    );
    assert_eq!(ko.lines().last(), Some("오류: d.toml에서 고칠 곳이 4군데 있습니다. 모두 고친 뒤 다시 실행하세요"));
    let en = error_text(&text, Lang::En);
    assert_eq!(
        en.lines().skip(15).collect::<Vec<_>>().join("\n"),
        "error: d.toml:10:1: the key `기업` needs quotes: without them TOML allows only ASCII letters, digits, `-` and `_`
    |
 10 | 기업 = \"(주)한빛\"
    | ^
hint: write \"기업\" = …
error: d.toml has 4 errors; fix them all, then run again"
    );
}

#[test]
fn syntax_and_value_errors_are_reported_together() {
    let text = MINIMAL.replace("\"이름\" =", "이름 =").replace("\"10 MB\"", "10");
    let text = text.replace("items = [\"certificate\", \"payslips\"]", "items = [\"certificat\"]");
    assert_eq!(codes(&text), ["manifest.unquoted_key", "manifest.size_without_unit", "manifest.unknown_item"]);
}

#[test]
fn a_backslash_in_a_glob_says_write_a_slash() {
    for glob in [r#""증빙\사진\*.jpg""#, r#""증빙\\사진\\*.jpg""#] {
        let text = MINIMAL.replace("files = [\"수료증*\"]", &format!("files = [{glob}]"));
        assert_eq!(codes(&text), ["manifest.backslash"], "{glob}");
    }
    let text = MINIMAL.replace("files = [\"수료증*\"]", r#"files = ["증빙\사진\*.jpg"]"#);
    assert_eq!(
        error_text(&text, Lang::Ko),
        r#"오류: d.toml:27:13: `증빙\사진\*.jpg`에서 폴더를 역슬래시(\)로 구분했습니다
    |
 27 | files = ["증빙\사진\*.jpg"]
    |               ^
도움말: Windows에서도 폴더는 /로 구분해 쓰세요: "증빙/사진/*.jpg"
"#
    );
}

#[test]
fn a_single_glob_is_a_list_of_one() {
    let m = parse_str(&MINIMAL.replace("files = [\"수료증*\"]", "files = \"수료증.pdf\"")).unwrap();
    assert_eq!(m.item("certificate").unwrap().files, ["수료증.pdf"]);
    let m = parse_str(&MINIMAL.replace("items = [\"certificate\", \"payslips\"]", "items = \"certificate\"")).unwrap();
    assert_eq!(m.recipients[0].items, ["certificate"]);
}

#[test]
fn a_size_without_a_unit_is_refused() {
    let text = MINIMAL.replace("\"10 MB\"", "10");
    assert_eq!(
        error_text(&text, Lang::En),
        "error: d.toml:21:12: `max_size = 10` has no unit, so it would mean 10 bytes
    |
 21 | max_size = 10
    |            ^
hint: write the unit: max_size = \"10 MB\"
"
    );
    assert_eq!(
        error_text(&text, Lang::Ko),
        "오류: d.toml:21:12: `max_size = 10`에 단위가 없어 10바이트로 읽힙니다
    |
 21 | max_size = 10
    |            ^
도움말: 단위를 붙여 쓰세요: max_size = \"10 MB\"
"
    );
    assert_eq!(codes(&MINIMAL.replace("\"10 MB\"", "\"10 MiBs\"")), ["manifest.size_unit"]);
    assert_eq!(codes(&MINIMAL.replace("files = [\"수료증*\"]", "files = []")), ["manifest.empty_files"]);
}

#[test]
fn a_glob_that_repeats_the_root_folder_says_drop_it() {
    let text = MINIMAL.replace("files = [\"수료증*\"]", "files = [\"documents/수료증.pdf\"]");
    assert_eq!(
        error_text(&text, Lang::Ko),
        "오류: d.toml:27:10: 항목 `certificate`의 패턴 `documents/수료증.pdf`에 root 폴더 이름(`documents`)이 또 들어 있습니다
    |
 27 | files = [\"documents/수료증.pdf\"]
    |          ^
도움말: 패턴은 root 폴더 안에서 찾으므로 앞의 폴더를 빼고 \"수료증.pdf\"로 쓰세요
"
    );
    assert_eq!(
        error_text(&text, Lang::En),
        "error: d.toml:27:10: item `certificate`: `documents/수료증.pdf` starts with `documents/`, the folder `root` already names
    |
 27 | files = [\"documents/수료증.pdf\"]
    |          ^
hint: globs are looked up inside root: write \"수료증.pdf\"
"
    );
    // `./documents/…` names a folder that really is called like root.
    assert!(parse_str(&MINIMAL.replace("files = [\"수료증*\"]", "files = [\"./documents/수료증.pdf\"]")).is_ok());
}

#[test]
fn globs_may_not_leave_root_unless_allowed() {
    let text = MINIMAL.replace("files = [\"수료증*\"]", "files = [\"../other/수료증*\"]");
    assert_eq!(codes(&text), ["manifest.glob_outside"]);
    let allowed = text.replace("root = \"documents\"", "root = \"documents\"\nallow_outside_root = true");
    assert!(parse_str(&allowed).is_ok());
}

#[test]
fn per_month_needs_a_period() {
    let text = MINIMAL.replace("[period]\nstart = 2023-03-02\nend = 2023-06-30\n", "");
    assert_eq!(codes(&text), ["manifest.per_month_without_period"]);
}

#[test]
fn every_problem_has_its_words_in_both_catalogues() {
    use crate::error::manifest::{ManifestProblem as P, Section};
    let s = || "x".to_string();
    let all = [
        P::NotUtf8,
        P::UnquotedKey { key: s() },
        P::DottedDate { key: s(), value: s(), iso: s() },
        P::Backslash { text: s(), fixed: s() },
        P::Syntax { detail: s() },
        P::UnknownKey { key: s(), near: None, known: vec![] },
        P::UnknownKey { key: s(), near: Some(s()), known: vec![] },
        P::MissingKey { key: s() },
        P::WrongType { detail: s() },
        P::EmptyRoot,
        P::EmptyOutput,
        P::OutputContainsRoot,
        P::BadLang { value: s() },
        P::BadFileName { value: s() },
        P::StudentValue { key: s() },
        P::PeriodReversed { start: s(), end: s() },
        P::BadDate { key: s() },
        P::BadId { section: Section::Item, id: s() },
        P::DuplicateId { section: Section::Recipient, id: s() },
        P::NoKinds { item: s() },
        P::PerMonthWithoutPeriod { item: s() },
        P::MaxBelowMin { item: s(), max: 1, min: 2 },
        P::MaxZero { item: s() },
        P::PagesMaxBelowMin { item: s(), max: 1, min: 2 },
        P::BadPasswordEnv { name: s() },
        P::SizeNoNumber { key: s(), text: s() },
        P::SizeUnit { key: s(), unit: s() },
        P::SizeTooLarge { key: s(), text: s() },
        P::SizeNotPositive { key: s() },
        P::SizeWithoutUnit { key: s(), number: s() },
        P::EmptyFiles { item: s() },
        P::EmptyGlob { item: s() },
        P::GlobOutside { item: s(), glob: s() },
        P::BadGlob { item: s(), glob: s(), detail: s() },
        P::GlobRepeatsRoot { item: s(), glob: s(), root: s(), fixed: s() },
        P::RecipientNoItems { recipient: s() },
        P::UnknownItem { recipient: s(), name: s(), near: None, known: vec![] },
        P::UnknownItem { recipient: s(), name: s(), near: Some(s()), known: vec![] },
        P::ItemTwice { recipient: s(), name: s() },
        P::NoItems,
    ];
    for problem in all {
        for lang in [Lang::Ko, Lang::En] {
            let c = Catalog::get(lang);
            for msg in [problem.message(), problem.hint()] {
                assert!(c.has(msg.id), "{} lacks {}", lang.code(), msg.id);
                assert!(!c.text(&msg).contains('{'), "{}: {}", msg.id, c.text(&msg));
            }
        }
        assert_eq!(problem.code().replace('.', "-"), problem.message().id);
    }
}

#[test]
fn nfd_titles_and_globs_are_normalised() {
    let nfd: String = "수료증*".nfd().collect();
    let text = MINIMAL.replace("files = [\"수료증*\"]", &format!("files = [\"{nfd}\"]"));
    let m = parse_str(&text).unwrap();
    assert_eq!(m.item("certificate").unwrap().files, vec!["수료증*".to_string()]);
}

#[test]
fn months_cross_the_year() {
    let p = Period { start: Date { year: 2023, month: 11, day: 20 }, end: Date { year: 2024, month: 2, day: 1 } };
    let months: Vec<String> = p.months().iter().map(ToString::to_string).collect();
    assert_eq!(months, ["2023-11", "2023-12", "2024-01", "2024-02"]);
}

#[test]
fn font_is_bundled_by_default_system_by_name_or_a_file() {
    assert_eq!(parse_str(MINIMAL).unwrap().bundle.font, None);
    let with = |font: &str| {
        let text = MINIMAL.replace("root = \"documents\"", &format!("root = \"documents\"\nfont = {font}"));
        parse_str(&text).unwrap().bundle.font
    };
    assert_eq!(with("\"system\""), Some(FontChoice::System));
    let file = |path: &str, index| Some(FontChoice::File(FontSpec { path: PathBuf::from(path), index }));
    assert_eq!(with("\"./system\""), file("/home/s/./system", 0));
    assert_eq!(with("\"fonts/Nanum.ttf\""), file("/home/s/fonts/Nanum.ttf", 0));
    assert_eq!(with("{ path = \"/f/NotoSansCJK.ttc\", index = 1 }"), file("/f/NotoSansCJK.ttc", 1));
}
