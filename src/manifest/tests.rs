use super::*;
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

fn invalid(text: &str) -> (usize, usize, String, String) {
    match parse_str(text) {
        Err(e @ (Error::ManifestInvalid { .. } | Error::ManifestSyntax { .. })) => {
            let loc = e.location().unwrap().clone();
            (
                loc.line,
                loc.column,
                e.to_string(),
                e.hint().map(|h| crate::i18n::Catalog::get(crate::i18n::Lang::En).text(&h)).unwrap_or_default(),
            )
        }
        other => panic!("expected a manifest error, got {other:?}"),
    }
}

#[test]
fn parses_the_documented_example_with_defaults() {
    let m = parse_str(MINIMAL).unwrap();
    assert_eq!(m.bundle.root, Path::new("/home/s/documents"));
    assert_eq!(m.bundle.output, Path::new("/home/s/out"));
    assert!(m.bundle.stamp);
    assert_eq!(m.student, vec![("이름".into(), "홍길동".into()), ("학번".into(), "20201234".into())]);
    assert_eq!(m.period.unwrap().months().len(), 4);
    let pay = m.item("payslips").unwrap();
    assert_eq!(pay.kinds, vec![Kind::Pdf, Kind::Image]);
    assert_eq!(pay.max_size, Some(10_000_000));
    assert_eq!(pay.pages.max, Some(3));
    assert!(pay.per_month && pay.required);
    let cert = m.item("certificate").unwrap();
    assert_eq!(cert.kinds.len(), 3);
    assert_eq!((cert.min, cert.max), (1, None));
    assert_eq!(m.recipients[0].max_attachment, 20_000_000);
    assert_eq!(m.recipients[0].items, vec!["certificate", "payslips"]);
}

#[test]
fn unknown_key_names_line_and_column() {
    let text = MINIMAL.replace("per_month = true", "per_mnoth = true");
    let (line, column, message, hint) = invalid(&text);
    assert_eq!((line, column), (19, 1));
    assert!(message.contains("unknown field `per_mnoth`"), "{message}");
    assert!(hint.contains("spelling"));
}

#[test]
fn duplicate_item_id_points_at_the_second() {
    let text = MINIMAL.replace("id = \"certificate\"", "id = \"payslips\"");
    let (line, column, message, _) = invalid(&text);
    assert_eq!((line, column), (25, 6));
    assert!(message.contains("item id `payslips` is used twice"), "{message}");
}

#[test]
fn recipient_naming_unknown_item_suggests_the_near_one() {
    let text = MINIMAL.replace("items = [\"certificate\", \"payslips\"]", "items = [\"certificate\", \"payslip\"]");
    let (line, _, message, hint) = invalid(&text);
    assert_eq!(line, 32);
    assert!(message.contains("unknown item `payslip`"), "{message}");
    assert!(hint.contains("did you mean `payslips`"), "{hint}");
}

#[test]
fn bad_date_and_reversed_period() {
    let (line, _, message, _) = invalid(&MINIMAL.replace("end = 2023-06-30", "end = \"2023-13-30\""));
    assert_eq!(line, 12);
    assert!(message.contains("`end` is not a date"), "{message}");
    let (_, _, message, _) = invalid(&MINIMAL.replace("end = 2023-06-30", "end = 2023-01-30"));
    assert!(message.contains("ends (2023-01-30) before it starts (2023-03-02)"), "{message}");
    let dotted = parse_str(&MINIMAL.replace("start = 2023-03-02", "start = \"2023. 3. 2.\"")).unwrap();
    assert_eq!(dotted.period.unwrap().start, Date { year: 2023, month: 3, day: 2 });
}

#[test]
fn bad_size_and_empty_globs() {
    let (line, _, message, _) = invalid(&MINIMAL.replace("\"10 MB\"", "\"10 MiBs\""));
    assert_eq!(line, 21);
    assert!(message.contains("not a size unit"), "{message}");
    let (line, _, message, _) = invalid(&MINIMAL.replace("files = [\"수료증*\"]", "files = []"));
    assert_eq!(line, 27);
    assert!(message.contains("empty `files` list"), "{message}");
}

#[test]
fn globs_may_not_leave_root_unless_allowed() {
    let text = MINIMAL.replace("files = [\"수료증*\"]", "files = [\"../other/수료증*\"]");
    let (_, _, message, hint) = invalid(&text);
    assert!(message.contains("reaches outside `root`"), "{message}");
    assert!(hint.contains("allow_outside_root"));
    let allowed = text.replace("root = \"documents\"", "root = \"documents\"\nallow_outside_root = true");
    assert!(parse_str(&allowed).is_ok());
}

#[test]
fn per_month_needs_a_period() {
    let text = MINIMAL.replace("[period]\nstart = 2023-03-02\nend = 2023-06-30\n", "");
    let (_, _, message, _) = invalid(&text);
    assert!(message.contains("per_month but the manifest has no [period]"), "{message}");
}

#[test]
fn unquoted_hangul_key_gets_a_quoting_hint() {
    let text = MINIMAL.replace("\"이름\" = \"홍길동\"", "이름 = \"홍길동\"");
    // TOML 1.1 parsers accept some non-ASCII bare keys; either way the result must be usable.
    match parse_str(&text) {
        Ok(m) => assert_eq!(m.student[0].0, "이름"),
        Err(e) => assert!(
            e.hint()
                .map(|h| crate::i18n::Catalog::get(crate::i18n::Lang::En).text(&h))
                .unwrap_or_default()
                .contains("quotes"),
            "{e}"
        ),
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
