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

#[test]
fn subjects_are_numbered_only_when_split() {
    assert_eq!(part_subject("실습 서류", 1, 1), "실습 서류");
    assert_eq!(part_subject("실습 서류", 2, 3), "실습 서류 (2/3)");
}

fn body_of(attached: &[Attached], files: &[(String, u64)], compacted: &[String], part: (usize, usize)) -> String {
    let body = Body {
        greeting: "교수님께",
        intro: "안녕하세요.",
        closing: "감사합니다.\n홍길동 드림",
        attached,
        files,
        compacted,
        part,
    };
    body_text(crate::i18n::Catalog::get(crate::i18n::Lang::Ko), &body)
}

#[test]
fn body_greets_lists_the_pdf_first_then_the_zip_and_its_files_and_closes() {
    let attached = [
        Attached { name: "20201234_홍길동.pdf".into(), bytes: 3_200_000, pdf: true },
        Attached { name: "20201234_홍길동.zip".into(), bytes: 2_500_000, pdf: false },
    ];
    let files = [("01_서류/파일0.pdf".to_string(), 1_200_000), ("02_서류/파일1.pdf".to_string(), 830_000)];
    let body = body_of(&attached, &files, &["사진.jpg: 4000×3000 → 2000×1500, 4.2 MB → 0.5 MB".into()], (1, 2));
    assert!(body.starts_with("교수님께\n\n안녕하세요.\n\n"), "{body}");
    assert!(body.contains("이 메일은 1번째"));
    let pdf = body.find("20201234_홍길동.pdf (3.2 MB)").expect("the PDF is listed");
    let zip = body.find("20201234_홍길동.zip (2.5 MB)").expect("the zip is listed");
    assert!(pdf < zip);
    assert!(body.contains("  - 01_서류/파일0.pdf (1.2 MB)\n  - 02_서류/파일1.pdf (830 KB)\n"));
    assert!(body.contains("  - 사진.jpg: 4000×3000 → 2000×1500"));
    assert!(body.contains("SHA256SUMS.txt"));
    assert!(body.ends_with("감사합니다.\n홍길동 드림\n"), "{body}");
    // A PDF-only mail has no zip paragraph and no checksum note.
    let body = body_of(&attached[..1], &[], &[], (1, 1));
    assert!(!body.contains("SHA256SUMS") && !body.contains("압축 파일에 들어"), "{body}");
}

fn spec() -> MailSpec {
    MailSpec {
        from: Some("홍길동 <hong@student.example.ac.kr>".into()),
        to: None,
        subject: "현장실습 학점인정 서류 (1/2)".into(),
        body: body_of(&[Attached { name: "서류.zip".into(), bytes: 3, pdf: false }], &[], &[], (1, 1)),
        attachments: vec![("홍길동_현장실습_서류.zip".into(), Data::Bytes(Arc::new(b"PK\x05\x06".to_vec())))],
        digests: Vec::new(),
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

/// Gives its bytes a few at a time, as a pipe or a slow disk may.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.0.len()).min(70_001);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn a_streamed_attachment_gives_the_draft_it_gives_from_memory() {
    for len in [0, 1, 56, 57, 58, STREAM_CHUNK - 1, STREAM_CHUNK, 2 * STREAM_CHUNK + 5] {
        let zip: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
        let pdf = Data::Bytes(Arc::new(b"%PDF-1.7 stand-in".to_vec()));
        let mut in_memory = spec();
        in_memory.attachments =
            vec![("서류.pdf".into(), pdf.clone()), ("서류.zip".into(), Data::Bytes(Arc::new(zip.clone())))];
        in_memory.digests = vec![[1; 32], [2; 32]];
        let mut streamed = in_memory.clone();
        streamed.attachments[1].1 = Data::Streamed(len as u64);
        let mut out = Vec::new();
        draft_to(&streamed, &mut out, vec![Box::new(Trickle(&zip))]).unwrap();
        assert!(out == draft(&in_memory).unwrap(), "{len} bytes: the drafts differ");
    }
}

#[test]
fn a_stream_shorter_or_longer_than_said_or_missing_is_an_error() {
    let mut streamed = spec();
    streamed.attachments = vec![("서류.zip".into(), Data::Streamed(10))];
    for given in [&b"123456789"[..], b"12345678901"] {
        let result = draft_to(&streamed, Vec::new(), vec![Box::new(given)]);
        assert!(matches!(result, Err(MailError::Write(_))), "{} bytes for 10", given.len());
    }
    assert!(matches!(draft_to(&streamed, Vec::new(), Vec::new()), Err(MailError::Write(_))));
    assert!(draft_to(&streamed, Vec::new(), vec![Box::new(&b"1234567890"[..])]).is_ok());
}
