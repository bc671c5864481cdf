//! The bundle's record (`dossier.json`): what a built bundle holds, written into every zip and
//! embedded in the merged PDF, so that whoever receives it can verify it without the student's
//! folder or manifest (`dossier verify`).
//!
//! The record is made by `plan` from the same decisions as the bundle (see
//! [`crate::plan::BundlePlan::record`]); build fills in only what exists after rendering: the
//! merged PDF's page count and, in the zip's copy, its SHA-256. The copy embedded in the PDF
//! cannot hold the hash of the PDF that contains it, so there `merged_pdf.sha256` is `null`;
//! a PDF that arrives alone is checked against its page count and its record's contents.
//! The README's "dossier.json: the bundle's record" documents the format; it is an interface,
//! so fields are only ever added, and [`FORMAT`] changes when a field changes meaning.

use serde::{Deserialize, Serialize};

/// The record's name in the zip and in the PDF's embedded files.
pub const RECORD_FILE: &str = "dossier.json";

/// The format version this dossier writes and reads.
pub const FORMAT: u32 = 1;

/// A bundle's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The record format ([`FORMAT`]).
    pub format: u32,
    /// The dossier version that built the bundle.
    pub dossier_version: String,
    /// The student.
    pub student: Student,
    /// Who the bundle is for.
    pub recipient: RecordRecipient,
    /// The internship period, when the manifest gives one.
    pub period: Option<RecordPeriod>,
    /// Built with `--draft`: placeholders stand in for required items.
    pub draft: bool,
    /// The recipient's items, in its order (optional items that were not ready are left out).
    pub items: Vec<RecordItem>,
    /// The merged PDF.
    pub merged_pdf: MergedPdf,
    /// Files dossier made smaller to fit a mail budget (none yet: reserved).
    pub compaction: Vec<Compaction>,
}

/// The student, as `[student]` gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    /// 학번, when a field gives it.
    pub id: Option<String>,
    /// 이름, when a field gives it.
    pub name: Option<String>,
    /// Every `[student]` field as `[key, value]`, in the manifest's order.
    pub fields: Vec<(String, String)>,
}

/// The recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordRecipient {
    /// Recipient id ("office").
    pub id: String,
    /// Recipient title ("학과사무실").
    pub title: String,
}

/// The internship period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordPeriod {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`.
    pub end: String,
    /// Every calendar month the period touches, `YYYY-MM`.
    pub months: Vec<String>,
}

/// One item of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordItem {
    /// Item id.
    pub id: String,
    /// Item title.
    pub title: String,
    /// The manifest required it.
    pub required: bool,
    /// Check's verdict: `ok`, `warning`, `missing` or `invalid`.
    pub status: String,
    /// One file per month of the period.
    pub per_month: bool,
    /// The files in the zip, in order.
    pub files: Vec<RecordFile>,
    /// Placeholder pages that stand in for what is missing (drafts).
    pub placeholders: Vec<String>,
}

/// One original file in the zip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordFile {
    /// The entry name in the zip.
    pub zip_path: String,
    /// SHA-256 of the file as the student had it (and as the zip holds it, unless `decrypted`).
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Pages it contributes to the merged PDF, where known.
    pub pages: Option<u32>,
    /// The month it is for (`YYYY-MM`), for per-month items.
    pub month: Option<String>,
    /// The original was encrypted: the zip holds a decrypted copy, whose hash only
    /// `SHA256SUMS.txt` lists.
    pub decrypted: bool,
}

/// The merged PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedPdf {
    /// Its file name (also its name in the zip).
    pub name: String,
    /// Its SHA-256; `null` in the copy embedded in the PDF itself.
    pub sha256: Option<String>,
    /// Its page count.
    pub pages: Option<u32>,
}

/// A file dossier compacted (reserved for the attachment-budget work).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compaction {
    /// The entry name in the zip.
    pub zip_path: String,
    /// SHA-256 of the original.
    pub original_sha256: String,
    /// Size of the original.
    pub original_bytes: u64,
}

/// Why bytes are not a record dossier can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// Not JSON of the record's shape.
    Malformed(String),
    /// A format from a newer dossier.
    NewerFormat(u32),
}

impl Record {
    /// The record as `dossier.json` holds it: pretty JSON and a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut text = serde_json::to_vec_pretty(self).expect("records serialise");
        text.push(b'\n');
        text
    }

    /// Reads a record, refusing one of a newer format.
    pub fn from_json(bytes: &[u8]) -> Result<Record, RecordError> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| RecordError::Malformed(e.to_string()))?;
        let format = value.get("format").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if format > u64::from(FORMAT) {
            return Err(RecordError::NewerFormat(u32::try_from(format).unwrap_or(u32::MAX)));
        }
        serde_json::from_value(value).map_err(|e| RecordError::Malformed(e.to_string()))
    }

    /// The copy embedded in the merged PDF: everything but the PDF's own hash.
    pub fn for_pdf(&self) -> Record {
        let mut record = self.clone();
        record.merged_pdf.sha256 = None;
        record
    }

    /// Every file entry of the record, with its item.
    pub fn files(&self) -> impl Iterator<Item = (&RecordItem, &RecordFile)> {
        self.items.iter().flat_map(|i| i.files.iter().map(move |f| (i, f)))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Record {
        Record {
            format: FORMAT,
            dossier_version: "0.1.0".into(),
            student: Student {
                id: Some("2019123456".into()),
                name: Some("김민준".into()),
                fields: vec![("학번".into(), "2019123456".into()), ("이름".into(), "김민준".into())],
            },
            recipient: RecordRecipient { id: "office".into(), title: "학과사무실".into() },
            period: Some(RecordPeriod {
                start: "2023-03-02".into(),
                end: "2023-04-30".into(),
                months: vec!["2023-03".into(), "2023-04".into()],
            }),
            draft: false,
            items: vec![RecordItem {
                id: "payslips".into(),
                title: "급여명세서".into(),
                required: true,
                status: "ok".into(),
                per_month: true,
                files: vec![RecordFile {
                    zip_path: "01_급여명세서/급여명세서_2023-03.pdf".into(),
                    sha256: "ab".repeat(32),
                    bytes: 10,
                    pages: Some(1),
                    month: Some("2023-03".into()),
                    decrypted: false,
                }],
                placeholders: vec![],
            }],
            merged_pdf: MergedPdf { name: "x.pdf".into(), sha256: Some("cd".repeat(32)), pages: Some(4) },
            compaction: vec![],
        }
    }

    #[test]
    fn records_round_trip_and_the_pdf_copy_has_no_hash_of_itself() {
        let record = sample();
        assert_eq!(Record::from_json(&record.to_json()), Ok(record.clone()));
        assert_eq!(record.for_pdf().merged_pdf.sha256, None);
        let text = String::from_utf8(record.to_json()).unwrap();
        assert!(text.contains("\"zip_path\": \"01_급여명세서/급여명세서_2023-03.pdf\""), "{text}");
    }

    #[test]
    fn newer_formats_and_other_json_are_refused() {
        assert_eq!(Record::from_json(br#"{"format": 99}"#), Err(RecordError::NewerFormat(99)));
        assert!(matches!(Record::from_json(b"{\"name\": 1}"), Err(RecordError::Malformed(_))));
        assert!(matches!(Record::from_json(b"not json"), Err(RecordError::Malformed(_))));
    }
}
