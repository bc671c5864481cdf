//! The plan on structs: no disk, no fonts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::check::ItemInput;
use crate::discover::Candidate;
use crate::inspect::{FileFacts, OtherFacts, OtherKind, PdfFacts, Problem};
use crate::manifest::{Attach, Fit};

const MANIFEST: &str = r#"
[bundle]
title = "학점인정 제출 서류"
short_title = "학점인정서류"

[student]
"학번" = "20201234"
"이름" = "홍길동"
email = "hong@example.ac.kr"

[period]
start = 2023-03-02
end = 2023-06-30

[[items]]
id = "certificate"
title = "수료증"
files = ["수료증*"]

[[items]]
id = "payslips"
title = "급여명세서"
files = ["급여명세서*"]
per_month = true

[[items]]
id = "photos"
title = "사진"
files = ["*.jpg"]
required = false

[[recipients]]
id = "placement"
title = "현장실습지원센터"
items = ["certificate", "payslips", "photos"]
email = "center@example.ac.kr"
"#;

fn manifest() -> Manifest {
    crate::manifest::parse(MANIFEST, Path::new("/s/dossier.toml")).unwrap()
}

fn pdf(n: u32) -> FileFacts {
    FileFacts {
        bytes: 1000 + u64::from(n),
        sha256: format!("{n:064}"),
        content: Content::Pdf(PdfFacts { version: "1.7".into(), pages: Some(1), ..Default::default() }),
        problems: vec![],
    }
}

fn html() -> FileFacts {
    FileFacts {
        bytes: 10,
        sha256: "h".repeat(64),
        content: Content::Other(OtherFacts { what: OtherKind::Html }),
        problems: vec![crate::inspect::FileProblem::error(Problem::Html { named_pdf: true, secure_mail: false })],
    }
}

fn candidate(rel: &str, modified: i64) -> Candidate {
    Candidate {
        path: PathBuf::from("/s").join(rel),
        rel: rel.into(),
        was_nfd: false,
        bad_name: false,
        via_link: false,
        modified: Some(modified),
    }
}

/// The check report of `files` (item id, relative path, facts), in the order given.
fn report(files: Vec<(&str, &str, FileFacts)>) -> CheckReport {
    let m = manifest();
    let mut inputs: BTreeMap<String, ItemInput> = BTreeMap::new();
    for (i, (item, rel, facts)) in files.into_iter().enumerate() {
        inputs.entry(item.to_string()).or_default().files.push((candidate(rel, 1_700_000_000 + i as i64), facts));
    }
    let chosen: Vec<&Recipient> = m.recipients.iter().collect();
    crate::check::check(&m, &inputs, &chosen)
}

/// Pay stubs in file-name order, which is not month order.
fn stubs_in_name_order() -> Vec<(&'static str, &'static str, FileFacts)> {
    vec![
        ("certificate", "수료증.pdf", pdf(0)),
        ("payslips", "급여명세서/5월 급여명세서.pdf", pdf(5)),
        ("payslips", "급여명세서/급여명세서 2023년 3월.pdf", pdf(3)),
        ("payslips", "급여명세서/급여명세서 6월.pdf", pdf(6)),
        ("payslips", "급여명세서/급여명세서_2023.04.pdf", pdf(4)),
    ]
}

fn bundle(report: &CheckReport, options: PlanOptions) -> BundlePlan {
    let plan = plan_build(&manifest(), report, &["placement".to_string()], &options);
    match plan.recipients.into_iter().next() {
        Some(RecipientPlan::Build(b)) => *b,
        other => panic!("expected a bundle, got {other:?}"),
    }
}

fn labels(item: &PlannedItem) -> Vec<String> {
    item.entries
        .iter()
        .map(|e| match e {
            PlannedEntry::File(f) => f.label.clone(),
            PlannedEntry::Placeholder { heading } => format!("[{heading}]"),
        })
        .collect()
}

#[test]
fn pay_stubs_are_planned_in_month_order_with_month_labels() {
    let plan = bundle(&report(stubs_in_name_order()), PlanOptions::default());
    let payslips = &plan.items[1];
    assert_eq!(
        labels(payslips),
        [
            "2023년 3월 · 급여명세서 2023년 3월.pdf",
            "2023년 4월 · 급여명세서_2023.04.pdf",
            "2023년 5월 · 5월 급여명세서.pdf",
            "2023년 6월 · 급여명세서 6월.pdf"
        ]
    );
    let zip: Vec<&str> = payslips.files().map(|f| f.zip_name.as_str()).collect();
    assert_eq!(zip[0], "02_급여명세서/급여명세서 2023년 3월.pdf");
    assert_eq!(zip[3], "02_급여명세서/급여명세서 6월.pdf");
    assert!(!plan.draft && plan.missing.is_empty());
}

#[test]
fn a_draft_keeps_every_present_stub_and_adds_a_placeholder_for_the_missing_month_only() {
    let mut files = stubs_in_name_order();
    files.retain(|(_, rel, _)| !rel.contains("5월"));
    let report = report(files);
    let not_built = plan_build(&manifest(), &report, &["placement".to_string()], &PlanOptions::default());
    let RecipientPlan::NotBuilt { blocking, .. } = &not_built.recipients[0] else { panic!("built without --draft") };
    assert_eq!(blocking.iter().map(|b| b.item.as_str()).collect::<Vec<_>>(), ["payslips"]);
    assert_eq!(blocking[0].reason.as_ref().map(|m| m.id), Some("sentence-hint"));

    let plan = bundle(&report, PlanOptions { draft: true, ..PlanOptions::default() });
    assert!(plan.draft);
    assert_eq!(plan.missing, ["payslips"]);
    assert_eq!(
        labels(&plan.items[1]),
        [
            "2023년 3월 · 급여명세서 2023년 3월.pdf",
            "2023년 4월 · 급여명세서_2023.04.pdf",
            "[제출 예정: 2023년 5월 급여명세서]",
            "2023년 6월 · 급여명세서 6월.pdf"
        ]
    );
    assert!(plan.cover.draft);
    assert!(plan.delivery.as_ref().unwrap().mail.subject.starts_with("[초안]"));
}

#[test]
fn an_unusable_stub_gets_its_placeholder_in_its_month_and_is_named_once() {
    let mut files = stubs_in_name_order();
    files.retain(|(_, rel, _)| !rel.contains("2023.04"));
    files.push(("payslips", "급여명세서/급여명세서_2023-04.pdf", html()));
    let report = report(files);
    let payslips = report.item("payslips").unwrap();
    let codes: Vec<&str> = payslips.findings.iter().map(|f| f.code()).collect();
    assert_eq!(codes, ["file.html_not_pdf"], "the April stub is reported once, on its file");
    let plan = bundle(&report, PlanOptions { draft: true, ..PlanOptions::default() });
    assert_eq!(labels(&plan.items[1])[1], "[제출 예정: 2023년 4월 급여명세서]");
    assert_eq!(plan.items[1].files().count(), 3);
}

#[test]
fn a_missing_item_gets_one_placeholder_and_an_optional_one_is_left_out() {
    let files: Vec<_> = stubs_in_name_order().into_iter().filter(|(item, _, _)| *item != "certificate").collect();
    let plan = bundle(&report(files), PlanOptions { draft: true, ..PlanOptions::default() });
    assert_eq!(plan.items.len(), 2, "photos (optional, absent) are left out");
    assert_eq!(labels(&plan.items[0]), ["[제출 예정: 수료증]"]);
}

#[test]
fn names_texts_and_metadata_come_from_the_plan() {
    let plan = bundle(&report(stubs_in_name_order()), PlanOptions::default());
    assert_eq!(plan.pdf_name, "20201234_홍길동_학점인정서류.pdf");
    assert_eq!(plan.dir, PathBuf::from("/s/out/placement"));
    assert_eq!(plan.cover.recipient, "제출처: 현장실습지원센터");
    assert!(plan.cover.rows.iter().all(|(k, _)| k != "email"), "the address is not on the cover");
    assert_eq!(plan.cover.rows.last().unwrap(), &("실습 기간".to_string(), "2023-03-02 ~ 2023-06-30".to_string()));
    assert_eq!(plan.stamp.as_ref().unwrap().label, "20201234");
    assert_eq!(plan.metadata.author, "홍길동");
    let mail = &plan.delivery.as_ref().unwrap().mail;
    assert_eq!(mail.subject, "[학점인정서류] 20201234 홍길동");
    assert_eq!(mail.to.as_deref(), Some("center@example.ac.kr"));
    assert_eq!(mail.greeting, "현장실습지원센터 담당자님께");
    assert!(mail.intro.starts_with("안녕하세요. 20201234 홍길동입니다."), "{}", mail.intro);
    assert_eq!(mail.closing, "감사합니다.\n홍길동 드림");
    let delivery = plan.delivery.as_ref().unwrap();
    assert_eq!((delivery.budget, delivery.attach, delivery.fit), (10_000_000, Attach::default(), Fit::Auto));
    // The newest input's time, so two builds of the same files agree.
    assert_eq!(mail.date, 1_700_000_004);
    let pinned =
        bundle(&report(stubs_in_name_order()), PlanOptions { source_date_epoch: Some(7), ..Default::default() });
    assert_eq!(pinned.delivery.unwrap().mail.date, 7);
    let pdf_only = bundle(&report(stubs_in_name_order()), PlanOptions { pdf_only: true, ..Default::default() });
    assert!(pdf_only.delivery.is_none());
}

fn recipient_plan(recipient_toml: &str, options: PlanOptions) -> BundlePlan {
    let files = stubs_in_name_order();
    let files =
        if options.draft { files.into_iter().filter(|(item, _, _)| *item != "certificate").collect() } else { files };
    let text = MANIFEST.replace(
        "[[recipients]]\nid = \"placement\"\ntitle = \"현장실습지원센터\"",
        &format!("[[recipients]]\nid = \"placement\"\n{recipient_toml}"),
    );
    let manifest = crate::manifest::parse(&text, Path::new("/s/dossier.toml")).unwrap();
    let plan = plan_build(&manifest, &report(files), &["placement".to_string()], &options);
    match plan.recipients.into_iter().next() {
        Some(RecipientPlan::Build(b)) => *b,
        other => panic!("expected a bundle, got {other:?}"),
    }
}

#[test]
fn greetings_follow_the_recipient_and_overrides_fill_in_fields() {
    let mail = |toml: &str| recipient_plan(toml, PlanOptions::default()).delivery.unwrap().mail;
    assert_eq!(mail("title = \"지도교수\"").greeting, "교수님께");
    assert_eq!(mail("title = \"학과사무실\"").greeting, "학과 사무실 담당자님께");
    let custom = mail(
        "title = \"센터\"\nsubject = \"{학번} {이름} 서류\"\ngreeting = \"{recipient_title} 선생님께\"\nbody = \"{이름}의 {bundle_title}입니다.\"\nattach = [\"pdf\"]\nfit = \"off\"\nkeep_originals = true\nmax_attachment = \"25 MB\"",
    );
    assert_eq!(custom.subject, "20201234 홍길동 서류");
    assert_eq!(custom.greeting, "센터 선생님께");
    assert_eq!(custom.intro, "홍길동의 학점인정 제출 서류입니다.");
    let d = recipient_plan(
        "title = \"센터\"\nattach = [\"zip\"]\nfit = \"off\"\nkeep_originals = true",
        PlanOptions::default(),
    )
    .delivery
    .unwrap();
    assert_eq!((d.attach, d.fit, d.keep_originals), (Attach { pdf: false, zip: true }, Fit::Off, true));
    // A draft says so in an overridden subject and body too.
    let draft = recipient_plan(
        "title = \"센터\"\nsubject = \"{학번} 서류\"\nbody = \"보냅니다.\"",
        PlanOptions { draft: true, ..PlanOptions::default() },
    )
    .delivery
    .unwrap()
    .mail;
    assert_eq!(draft.subject, "[초안] 20201234 서류");
    assert!(draft.intro.starts_with("보냅니다.\n\n") && draft.intro.contains("초안"), "{}", draft.intro);
}
