//! What can be wrong with one file, as data: [`Problem`] says what and carries the facts a
//! message needs; the text lives in the catalogues (`src/i18n/*.ftl`), never here.

use serde::Serialize;

use crate::i18n::Msg;

/// Formats dossier recognises but does not put in a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OtherKind {
    /// 0 bytes.
    Empty,
    /// Could not be read at all (permissions, a folder, too large).
    Unreadable,
    /// An HTML page (often a secure-mail pay stub saved as `.pdf`).
    Html,
    /// An HEIC/HEIF photo (iPhone).
    Heic,
    /// Word (.docx).
    Word,
    /// PowerPoint (.pptx).
    Powerpoint,
    /// Excel (.xlsx).
    Excel,
    /// OpenDocument (.odt, .odp, .ods).
    Opendocument,
    /// A zip archive of something else.
    Zip,
    /// Hangul word processor (.hwp).
    Hwp,
    /// Word/Excel/PowerPoint 97-2003 (.doc, .xls, .ppt).
    OldOffice,
    /// Unrecognised binary data.
    Binary,
    /// Text in an encoding dossier cannot read.
    UnknownEncoding,
}

impl OtherKind {
    /// An editable office document: the source a PDF is exported from, which students keep
    /// beside the PDF.
    pub fn is_source_document(self) -> bool {
        matches!(
            self,
            OtherKind::Word
                | OtherKind::Powerpoint
                | OtherKind::Excel
                | OtherKind::Opendocument
                | OtherKind::Hwp
                | OtherKind::OldOffice
        )
    }

    /// The catalogue id of its noun phrase ("a Word document (.docx)").
    pub fn noun(self) -> Msg {
        Msg::new(match self {
            OtherKind::Empty => "kind-empty",
            OtherKind::Unreadable => "kind-unreadable",
            OtherKind::Html => "kind-html",
            OtherKind::Heic => "kind-heic",
            OtherKind::Word => "kind-word",
            OtherKind::Powerpoint => "kind-powerpoint",
            OtherKind::Excel => "kind-excel",
            OtherKind::Opendocument => "kind-opendocument",
            OtherKind::Zip => "kind-zip",
            OtherKind::Hwp => "kind-hwp",
            OtherKind::OldOffice => "kind-old-office",
            OtherKind::Binary => "kind-binary",
            OtherKind::UnknownEncoding => "kind-unknown-encoding",
        })
    }
}

/// How a person can give the password of an encrypted PDF, for the hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "how", content = "name", rename_all = "kebab-case")]
pub enum PasswordAsk {
    /// Set this environment variable (the item's `password_env`).
    SetVar(String),
    /// The item has no `password_env`: add one (the name suggested from the item id).
    AddToManifest(String),
    /// `dossier inspect`: pass `--password-env VAR`.
    InspectOption,
}

/// Why a page tree is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TreeFault {
    /// Nested deeper than any real document.
    TooDeep,
    /// A node is its own ancestor.
    Loops,
    /// More pages than a u32 counts.
    TooManyPages,
}

/// One thing wrong with a file, or worth a look.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Problem {
    /// The file could not be opened or read; `reason` is the system's word for it.
    Unreadable {
        /// "Permission denied".
        reason: String,
    },
    /// A folder where a file was expected.
    Folder,
    /// Over the size dossier reads.
    TooLarge {
        /// Size in MB.
        megabytes: u64,
    },
    /// 0 bytes.
    Empty,
    /// Text under a PDF or image name.
    MisnamedText {
        /// The extension its name claims ("PDF").
        ext: String,
    },
    /// An HTML page.
    Html {
        /// Its name ends in .pdf.
        named_pdf: bool,
        /// A 보안메일 page asking for a password.
        secure_mail: bool,
    },
    /// A format dossier recognises but does not use.
    Foreign {
        /// Which.
        kind: OtherKind,
    },
    /// Binary data of no known format.
    UnknownBinary,
    /// Text in an unknown encoding.
    UnknownEncoding,
    /// Bytes before `%PDF-` (a mail gateway's header).
    JunkBeforeHeader {
        /// How many.
        bytes: u64,
    },
    /// No `%%EOF` near the end: the file was cut short.
    Truncated,
    /// The file was damaged and has been repaired (as far as it could be).
    Repaired {
        /// What was repaired.
        repairs: Vec<super::RepairKind>,
        /// What could not be recovered.
        unrecovered: Vec<super::Unrecovered>,
    },
    /// The PDF has no pages.
    NoPages,
    /// A compressed part inflates past the limit.
    Inflates {
        /// The limit in MB.
        limit_mb: u64,
    },
    /// The PDF cannot be parsed.
    Damaged,
    /// Pages the page tree names do not exist.
    PagesMissing,
    /// The page tree is refused.
    BrokenPageTree {
        /// Why.
        fault: TreeFault,
    },
    /// Encrypted, and no password was given.
    Encrypted {
        /// "AES-256".
        method: String,
        /// How to give one.
        ask: PasswordAsk,
    },
    /// Encrypted, and the given password is wrong.
    WrongPassword {
        /// The variable it came from; `None` when typed at the terminal.
        var: Option<String>,
    },
    /// The image's data is damaged.
    ImageDamaged {
        /// The decoder's words (English, technical).
        detail: String,
    },
    /// The image declares more pixels than dossier decodes.
    ImageTooLarge {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// Megapixels.
        megapixels: u64,
        /// The limit in megapixels.
        limit: u64,
    },
    /// The extension names another image format.
    ImageMisnamed {
        /// "JPEG".
        format: String,
        /// The extension it has.
        ext: String,
        /// The extension it should have.
        usual: String,
    },
}

impl Problem {
    /// The stable code of `--json` (`pdf.encrypted`).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Unreadable { .. } => "file.unreadable",
            Problem::Folder => "file.folder",
            Problem::TooLarge { .. } => "file.too_large",
            Problem::Empty => "file.empty",
            Problem::MisnamedText { .. } => "file.text_misnamed",
            Problem::Html { .. } => "file.html_not_pdf",
            Problem::Foreign { .. } => "file.foreign",
            Problem::UnknownBinary => "file.unknown_binary",
            Problem::UnknownEncoding => "text.unknown_encoding",
            Problem::JunkBeforeHeader { .. } => "pdf.junk_before_header",
            Problem::Truncated => "pdf.truncated",
            Problem::Repaired { unrecovered, .. } if !unrecovered.is_empty() => "pdf.repaired_partly",
            Problem::Repaired { .. } => "pdf.repaired",
            Problem::NoPages => "pdf.no_pages",
            Problem::Inflates { .. } => "pdf.inflates",
            Problem::Damaged => "pdf.damaged",
            Problem::PagesMissing => "pdf.pages_missing",
            Problem::BrokenPageTree { .. } => "pdf.page_tree",
            Problem::Encrypted { .. } => "pdf.encrypted",
            Problem::WrongPassword { .. } => "pdf.wrong_password",
            Problem::ImageDamaged { .. } => "image.damaged",
            Problem::ImageTooLarge { .. } => "image.too_large",
            Problem::ImageMisnamed { .. } => "image.misnamed",
        }
    }

    /// What is wrong, as a catalogue message.
    pub fn message(&self) -> Msg {
        match self {
            Problem::Unreadable { reason } => Msg::new("file-unreadable").arg("reason", reason),
            Problem::Folder => Msg::new("file-folder"),
            Problem::TooLarge { megabytes } => Msg::new("file-too_large").arg("megabytes", *megabytes),
            Problem::Empty => Msg::new("file-empty"),
            Problem::MisnamedText { ext } => Msg::new("file-text_misnamed").arg("ext", ext),
            Problem::Html { named_pdf, secure_mail } => Msg::new(match (named_pdf, secure_mail) {
                (true, true) => "file-html_not_pdf-secure",
                (true, false) => "file-html_not_pdf",
                (false, true) => "file-html-secure",
                (false, false) => "file-html",
            }),
            Problem::Foreign { kind } => Msg::new("file-foreign").with("kind", kind.noun()),
            Problem::UnknownBinary => Msg::new("file-unknown_binary"),
            Problem::UnknownEncoding => Msg::new("text-unknown_encoding"),
            Problem::JunkBeforeHeader { bytes } => Msg::new("pdf-junk_before_header").arg("bytes", *bytes),
            Problem::Truncated => Msg::new("pdf-truncated"),
            Problem::Repaired { repairs, unrecovered } if unrecovered.is_empty() => {
                Msg::new("pdf-repaired").list("what", repairs.iter().map(|r| r.message()).collect())
            }
            Problem::Repaired { repairs, unrecovered } => Msg::new("pdf-repaired_partly")
                .list("what", repairs.iter().map(|r| r.message()).collect())
                .arg("repaired", repairs.len())
                .list("lost", unrecovered.iter().map(|u| u.message()).collect()),
            Problem::NoPages => Msg::new("pdf-no_pages"),
            Problem::Inflates { limit_mb } => Msg::new("pdf-inflates").arg("limit", *limit_mb),
            Problem::Damaged => Msg::new("pdf-damaged"),
            Problem::PagesMissing => Msg::new("pdf-pages_missing"),
            Problem::BrokenPageTree { fault } => Msg::new(match fault {
                TreeFault::TooDeep => "pdf-page_tree-deep",
                TreeFault::Loops => "pdf-page_tree-loop",
                TreeFault::TooManyPages => "pdf-page_tree-count",
            }),
            Problem::Encrypted { method, .. } => Msg::new("pdf-encrypted").arg("method", method),
            Problem::WrongPassword { var: Some(var) } => Msg::new("pdf-wrong_password-var").arg("var", var),
            Problem::WrongPassword { var: None } => Msg::new("pdf-wrong_password"),
            Problem::ImageDamaged { detail } => Msg::new("image-damaged").arg("detail", detail),
            Problem::ImageTooLarge { width, height, megapixels, limit } => Msg::new("image-too_large")
                .arg("width", *width)
                .arg("height", *height)
                .arg("megapixels", *megapixels)
                .arg("limit", *limit),
            Problem::ImageMisnamed { format, ext, .. } => {
                Msg::new("image-misnamed").arg("format", format).arg("ext", ext)
            }
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<Msg> {
        Some(match self {
            Problem::Unreadable { .. } => Msg::new("file-unreadable-hint"),
            Problem::Folder => Msg::new("file-folder-hint"),
            Problem::TooLarge { .. } => Msg::new("file-too_large-hint"),
            Problem::Empty => Msg::new("file-empty-hint"),
            Problem::MisnamedText { .. } => Msg::new("file-text_misnamed-hint"),
            Problem::Html { secure_mail: true, .. } => Msg::new("file-html-secure-hint"),
            Problem::Html { .. } => Msg::new("file-html-hint"),
            Problem::Foreign { kind: OtherKind::Heic } => Msg::new("file-foreign-heic-hint"),
            Problem::Foreign { kind: OtherKind::Hwp } => Msg::new("file-foreign-hwp-hint"),
            Problem::Foreign { .. } => Msg::new("file-foreign-hint"),
            Problem::UnknownBinary => Msg::new("file-unknown_binary-hint"),
            Problem::UnknownEncoding => Msg::new("text-unknown_encoding-hint"),
            Problem::JunkBeforeHeader { .. } => Msg::new("pdf-junk_before_header-hint"),
            Problem::Truncated | Problem::NoPages | Problem::Damaged | Problem::PagesMissing => {
                Msg::new("file-download-again-hint")
            }
            Problem::Repaired { unrecovered, .. } if unrecovered.is_empty() => Msg::new("pdf-repaired-hint"),
            Problem::Repaired { .. } => Msg::new("pdf-repaired_partly-hint"),
            Problem::Inflates { .. } | Problem::BrokenPageTree { .. } => Msg::new("pdf-reprint-hint"),
            Problem::Encrypted { ask: PasswordAsk::SetVar(var), .. } => {
                Msg::new("pdf-encrypted-var-hint").arg("var", var)
            }
            Problem::Encrypted { ask: PasswordAsk::AddToManifest(var), .. } => {
                Msg::new("pdf-encrypted-manifest-hint").arg("var", var)
            }
            Problem::Encrypted { ask: PasswordAsk::InspectOption, .. } => Msg::new("pdf-encrypted-inspect-hint"),
            Problem::WrongPassword { var: Some(var) } => Msg::new("pdf-wrong_password-var-hint").arg("var", var),
            Problem::WrongPassword { var: None } => Msg::new("pdf-wrong_password-hint"),
            Problem::ImageDamaged { .. } => Msg::new("file-download-again-hint"),
            Problem::ImageTooLarge { .. } => Msg::new("image-too_large-hint"),
            Problem::ImageMisnamed { usual, .. } => Msg::new("image-misnamed-hint").arg("usual", usual),
        })
    }
}
