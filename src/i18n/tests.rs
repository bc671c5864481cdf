use super::*;

fn sorted_ids(lang: Lang) -> Vec<String> {
    let mut ids = ids(source(lang));
    ids.sort();
    ids
}

/// Every `.rs` file under src/, as text.
fn sources() -> String {
    let mut text = String::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n/tests.rs") {
                text += &std::fs::read_to_string(&path).expect("source is UTF-8");
            }
        }
    }
    text
}

#[test]
fn catalogues_parse_and_have_the_same_ids() {
    for lang in [Lang::Ko, Lang::En] {
        let resource = FluentResource::try_new(source(lang).to_string());
        assert!(resource.is_ok(), "{}.ftl has a syntax error: {:?}", lang.code(), resource.err().map(|e| e.1));
        Catalog::get(lang);
    }
    let (ko, en) = (sorted_ids(Lang::Ko), sorted_ids(Lang::En));
    let only_ko: Vec<&String> = ko.iter().filter(|id| !en.contains(id)).collect();
    let only_en: Vec<&String> = en.iter().filter(|id| !ko.contains(id)).collect();
    assert!(only_ko.is_empty() && only_en.is_empty(), "only in ko.ftl: {only_ko:?}; only in en.ftl: {only_en:?}");
    let mut unique = ko.clone();
    unique.dedup();
    assert_eq!(unique.len(), ko.len(), "an id is defined twice");
}

#[test]
fn every_id_is_used_and_every_used_id_exists() {
    let code = sources();
    let unused: Vec<String> =
        sorted_ids(Lang::En).into_iter().filter(|id| !code.contains(&format!("\"{id}\""))).collect();
    assert!(unused.is_empty(), "ids in the catalogues that no code uses: {unused:?}");
    let catalog = Catalog::get(Lang::Ko);
    let mut missing = Vec::new();
    for call in ["Msg::new(\"", "word(\""] {
        for (at, _) in code.match_indices(call) {
            let rest = &code[at + call.len()..];
            let id = &rest[..rest.find('"').unwrap_or(0)];
            if !catalog.has(id) {
                missing.push(id.to_string());
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "ids used in code but missing from the catalogues: {missing:?}");
}

#[test]
fn messages_fill_arguments_and_nested_messages_without_isolation_marks() {
    let msg = Msg::new("sentence-file")
        .arg("file", "급여명세서_2023-04.pdf")
        .with("message", Msg::new("pdf-encrypted").arg("method", "AES-256"));
    assert_eq!(Catalog::get(Lang::Ko).text(&msg), "급여명세서_2023-04.pdf: 비밀번호로 잠겨 있습니다 (AES-256)");
    assert_eq!(Catalog::get(Lang::En).text(&msg), "급여명세서_2023-04.pdf is encrypted with a password (AES-256)");
    let month = Msg::new("month-label").arg("year", 2023).arg("month", 5u32);
    assert_eq!(Catalog::get(Lang::Ko).text(&month), "2023년 5월");
    assert_eq!(Catalog::get(Lang::En).text(&month), "2023-05");
}

#[test]
fn locale_names_choose_the_language() {
    assert_eq!(Lang::from_locale("ko_KR.UTF-8"), Lang::Ko);
    assert_eq!(Lang::from_locale("KO"), Lang::Ko);
    assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
    assert_eq!(Lang::from_locale("en_US"), Lang::En);
    assert_eq!(Lang::parse("한국어"), Some(Lang::Ko));
    assert_eq!(Lang::parse("fr"), None);
}
