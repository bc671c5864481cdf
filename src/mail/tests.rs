use super::*;

#[test]
fn base64_size_matches_real_encoding() {
    for n in (0..400).chain([4095, 4096, 57 * 1000, 57 * 1000 + 1, 1_000_003]) {
        let encoded = encodify::base64::MIME.encode(vec![0xA5u8; n]);
        assert_eq!(base64_size(n as u64), encoded.len() as u64, "n = {n}");
        // Every line, the last included, is at most 76 characters and ends in CRLF.
        if n > 0 {
            assert!(encoded.ends_with("\r\n"));
            assert!(encoded.split("\r\n").all(|line| line.len() <= 76));
        }
    }
    assert_eq!(base64_size(0), 0);
    assert_eq!(base64_size(57), 78);
    assert_eq!(base64_size(58), 84);
}

fn files(sizes: &[u64]) -> Vec<(String, u64)> {
    sizes.iter().enumerate().map(|(i, &s)| (format!("{:02}_서류/파일{i}.pdf", i + 1), s)).collect()
}

#[test]
fn parts_fit_and_hold_every_file_once() {
    let budget = 25_000_000;
    let files = files(&[9_000_000, 1_000, 8_000_000, 7_500_000, 300_000, 6_000_000, 2_000_000, 5_000]);
    let parts = plan_parts(&files, budget).unwrap();
    assert_eq!(parts.len(), 2, "{parts:?}");
    let mut all: Vec<usize> = parts.concat();
    all.sort_unstable();
    assert_eq!(all, (0..files.len()).collect::<Vec<_>>());
    for part in &parts {
        assert!(part.windows(2).all(|w| w[0] < w[1]), "original order kept: {part:?}");
        let chosen: Vec<_> = part.iter().map(|&i| files[i].clone()).collect();
        assert!(message_size_bound(&chosen) <= budget);
    }
    assert_eq!(parts[0][0], 0, "the first message starts with the first file");
}

#[test]
fn everything_in_one_part_when_it_fits() {
    let files = files(&[1_000_000, 2_000_000, 3_000_000]);
    assert_eq!(plan_parts(&files, 25_000_000).unwrap(), vec![vec![0, 1, 2]]);
    assert_eq!(plan_parts(&[], 25_000_000).unwrap(), Vec::<Vec<usize>>::new());
}

#[test]
fn a_file_too_big_for_any_message_is_named() {
    let files = files(&[1_000_000, 19_000_000, 2_000_000]);
    let error = plan_parts(&files, 25_000_000).unwrap_err();
    let SplitError::TooBig { name, size, needed, budget } = &error;
    assert_eq!((name.as_str(), *size, *budget), ("02_서류/파일1.pdf", 19_000_000, 25_000_000));
    assert!(*needed > 25_000_000);
    assert!(error.to_string().contains("`02_서류/파일1.pdf` (19.0 MB) does not fit in one email"), "{error}");
}

#[test]
fn the_bound_is_about_four_thirds() {
    let bound = message_size_bound(&files(&[18_000_000]));
    assert!(bound > 18_000_000 * 4 / 3 && bound < 18_000_000 * 4 / 3 + 1_000_000, "{bound}");
}

#[test]
fn subjects_are_numbered_only_when_split() {
    assert_eq!(part_subject("실습 서류", 1, 1), "실습 서류");
    assert_eq!(part_subject("실습 서류", 2, 3), "실습 서류 (2/3)");
}

#[test]
fn body_lists_the_files_and_the_checksums() {
    let body = body_text(
        crate::i18n::Catalog::get(crate::i18n::Lang::Ko),
        "교수님께,",
        ("서류.zip", 2_500_000),
        &files(&[1_200_000, 830_000]),
        (1, 2),
    );
    assert!(body.starts_with("교수님께,\n\n"));
    assert!(body.contains("이 메일은 1번째"));
    assert!(body.contains("첨부 파일: 서류.zip (2.5 MB)"));
    assert!(body.contains("  - 01_서류/파일0.pdf (1.2 MB)\n  - 02_서류/파일1.pdf (830 KB)\n"));
    assert!(body.contains("SHA256SUMS.txt"));
}

fn spec() -> MailSpec {
    MailSpec {
        from: Some("홍길동 <hong@student.example.ac.kr>".into()),
        to: None,
        subject: "현장실습 학점인정 서류 (1/2)".into(),
        body: body_text(crate::i18n::Catalog::get(crate::i18n::Lang::Ko), "", ("서류.zip", 3), &[], (1, 1)),
        attachments: vec![("홍길동_현장실습_서류.zip".into(), Arc::new(b"PK\x05\x06".to_vec()))],
        date: 1_750_000_000,
        message_id: "dossier.1@student.example.ac.kr".into(),
    }
}

#[test]
fn draft_is_deterministic_and_has_the_headers() {
    let first = draft(&spec()).unwrap();
    assert_eq!(first, draft(&spec()).unwrap());
    let text = String::from_utf8(first).unwrap();
    let headers = &text[..text.find("\r\n\r\n").unwrap()];
    for expected in [
        "From: ",
        "Subject: =?",
        "Date: Sun, 15 Jun 2025 15:06:40 +0000",
        "Message-ID: <dossier.1@student.example.ac.kr>",
        "X-Unsent: 1",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed",
    ] {
        assert!(headers.contains(expected), "{expected} missing in\n{headers}");
    }
    assert!(!headers.contains("\r\nTo:"), "unknown To is left out");
    assert!(text.contains("filename*=UTF-8''"), "{text}");
    assert!(text.contains("name=\"=?UTF-8?B?"), "{text}");
    assert!(text.contains("boundary=\"dossier-"));
}

#[test]
fn bad_headers_are_refused() {
    let mut bad = spec();
    bad.to = Some("a@b.kr\r\nBcc: x@y.kr".into());
    assert!(matches!(draft(&bad), Err(MailError::Header { field: "To", .. })));
    let mut bad = spec();
    bad.message_id = "two words".into();
    assert!(matches!(draft(&bad), Err(MailError::Header { field: "Message-ID", .. })));
    let mut multi = spec();
    multi.subject = "줄\r\n바꿈".into();
    let text = String::from_utf8(draft(&multi).unwrap()).unwrap();
    assert!(!text.contains("\r\n바꿈"));
}
