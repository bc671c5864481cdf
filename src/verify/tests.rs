use super::*;
use crate::record::tests::sample;

fn zip_of(record: &Record, files: &[(&str, &str)], sums: &[(&str, &str)]) -> Received {
    let mut entries: BTreeMap<String, (String, u64)> =
        files.iter().map(|(n, h)| (n.to_string(), (h.to_string(), 1))).collect();
    entries.insert(RECORD_FILE.into(), ("00".repeat(32), 1));
    for (n, h) in sums {
        entries.insert(format!("{SUMS_PREFIX}{n}"), (h.to_string(), 0));
    }
    Received { source: "b.zip".into(), content: ReceivedContent::Zip { record: record.clone(), entries } }
}

fn intact_zip(record: &Record) -> Received {
    let file = &record.items[0].files[0];
    let pdf = record.merged_pdf.sha256.clone().unwrap();
    zip_of(
        record,
        &[(&file.zip_path, &file.sha256), (&record.merged_pdf.name, &pdf)],
        &[(&file.zip_path, &file.sha256), (&record.merged_pdf.name, &pdf)],
    )
}

#[test]
fn an_intact_zip_is_ok_and_a_missing_month_is_named() {
    let mut record = sample();
    let verdicts = verify(vec![intact_zip(&record)], &Standard::Record);
    // The period has two months and the sample one file: April is missing.
    assert_eq!(
        verdicts[0].problems,
        vec![Problem::MonthMissing { title: "급여명세서".into(), month: "2023-04".into() }]
    );
    assert!(verdicts[0].intact() && !verdicts[0].ok());
    assert_eq!(verdicts[0].months[0].covered, vec!["2023-03".to_string()]);
    record.period.as_mut().unwrap().months.pop();
    let verdicts = verify(vec![intact_zip(&record)], &Standard::Record);
    assert!(verdicts[0].ok(), "{:?}", verdicts[0].problems);
    assert_eq!(verdicts[0].student(), ("2019123456".to_string(), "김민준".to_string()));
}

#[test]
fn changed_missing_and_extra_files_are_named() {
    let mut record = sample();
    record.period = None;
    let file = record.items[0].files[0].clone();
    let pdf = record.merged_pdf.sha256.clone().unwrap();
    let changed = zip_of(
        &record,
        &[(&file.zip_path, &"ff".repeat(32)), (&record.merged_pdf.name, &pdf), ("virus.exe", "11")],
        &[(&file.zip_path, &file.sha256), (&record.merged_pdf.name, &pdf)],
    );
    let problems = &verify(vec![changed], &Standard::Record)[0].problems;
    assert!(problems.contains(&Problem::Changed { file: file.zip_path.clone() }), "{problems:?}");
    assert!(problems.contains(&Problem::Extra { file: "virus.exe".into() }), "{problems:?}");
    // The changed file does not count: the item is missing.
    assert!(problems.contains(&Problem::ItemMissing { item: "payslips".into(), title: "급여명세서".into() }));
    let removed = zip_of(&record, &[(&record.merged_pdf.name, &pdf)], &[(&record.merged_pdf.name, &pdf)]);
    let problems = &verify(vec![removed], &Standard::Record)[0].problems;
    assert!(problems.contains(&Problem::FileMissing { file: file.zip_path.clone(), item: Some("급여명세서".into()) }));
}

#[test]
fn a_template_judges_by_its_own_list_and_a_pdf_alone_by_its_pages() {
    let mut record = sample();
    record.period = None;
    let office = RecipientStandard {
        id: "office".into(),
        items: vec![
            ("payslips".into(), "급여명세서".into(), true, false),
            ("form".into(), "학점인정서".into(), true, false),
        ],
    };
    let problems = &verify(vec![intact_zip(&record)], &Standard::Recipient(office))[0].problems;
    assert_eq!(problems, &vec![Problem::ItemMissing { item: "form".into(), title: "학점인정서".into() }]);
    let pdf = |pages| Received {
        source: "x.pdf".into(),
        content: ReceivedContent::Pdf { record: record.for_pdf(), pages, sha256: "00".into() },
    };
    assert!(verify(vec![pdf(4)], &Standard::Record)[0].ok());
    assert_eq!(verify(vec![pdf(3)], &Standard::Record)[0].problems, vec![Problem::Pages { expected: 4, found: 3 }]);
    // Beside its zip, the PDF is checked against the zip's record, which has its hash.
    let both = verify(vec![intact_zip(&record), pdf(4)], &Standard::Record);
    assert_eq!(both.len(), 1);
    assert_eq!(both[0].problems, vec![Problem::Changed { file: "x.pdf".into() }]);
}
