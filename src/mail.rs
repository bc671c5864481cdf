//! Mail: the body of each message and its ready-to-send draft (.eml). How the files are spread
//! over messages is decided in `plan::fit`.
//!
//! In: a [`Body`] (for the text) or a [`MailSpec`] (for the draft). Out: the text, or the bytes
//! of an RFC 5322 message. Nothing here opens files: a draft is written into the writer the
//! caller gives, and an attachment too big to hold (a zip) is read from the reader it gives.
//! Nothing depends on the clock or on chance: the date, the Message-ID and the MIME
//! boundary all come from the caller or from the content, so two builds give the same draft.

use std::io::{self, Read, Write};
use std::sync::Arc;

use mail_builder::MessageBuilder;
use mail_builder::headers::HeaderType;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};
use sha2::{Digest, Sha256};

use crate::i18n::{Catalog, Msg};
use crate::pack::CHECKSUM_FILE;
use crate::size::format_size;

/// Longest percent-encoded file name written as one `filename*=` parameter: with the header
/// name and the folding space the line stays under RFC 5322's 998 characters.
const MAX_ONE_LINE_PARAMETER: usize = 900;

pub use crate::plan::fit::base64_size;

/// Bytes a file's line in the body may take: "  - name (12.3 MB)\n", and once more for the
/// compaction note a photo may get, once encoded.
pub fn body_line_bound(name: &str) -> u64 {
    // Quoted-printable, the costlier of the two encodings for Korean, writes 9 characters for a
    // 3-byte syllable.
    4 * (name.len() as u64 + 48)
}

/// The subject of part `part` of `parts` (1-based): "(1/2)" is added only when there are several.
pub fn part_subject(subject: &str, part: usize, parts: usize) -> String {
    if parts > 1 { format!("{subject} ({part}/{parts})") } else { subject.to_string() }
}

/// One attachment of a message, for the body's list.
#[derive(Debug, Clone)]
pub struct Attached {
    /// Its file name.
    pub name: String,
    /// Its size.
    pub bytes: u64,
    /// The merged PDF (else the zip of originals).
    pub pdf: bool,
}

/// The body of one message, in the catalogue's language and in the plan's words.
#[derive(Debug, Clone)]
pub struct Body<'a> {
    /// "교수님께".
    pub greeting: &'a str,
    /// The text after the greeting.
    pub intro: &'a str,
    /// "홍길동 드림".
    pub closing: &'a str,
    /// The attachments of this message.
    pub attached: &'a [Attached],
    /// The files in this message's zip (name in the zip, size).
    pub files: &'a [(String, u64)],
    /// Lines saying which photos of the zip are compacted copies.
    pub compacted: &'a [String],
    /// (part, parts), 1-based.
    pub part: (usize, usize),
}

/// The body: greeting, introduction, which message of how many, the attachments (the merged
/// PDF first), the files in the zip, the compacted photos, the checksum note and the closing.
pub fn body_text(catalog: &Catalog, body: &Body<'_>) -> String {
    let mut out = String::new();
    let mut paragraph = |text: &str| {
        if !text.trim().is_empty() {
            out.push_str(text.trim_end());
            out.push_str("\n\n");
        }
    };
    paragraph(body.greeting);
    paragraph(body.intro);
    let (part, parts) = body.part;
    if parts > 1 {
        paragraph(&catalog.text(&Msg::new("mail-parts").arg("part", part).arg("parts", parts)));
    }
    let mut list = catalog.word("mail-attachments");
    for a in body.attached {
        let id = if a.pdf { "mail-attached-pdf" } else { "mail-attached-zip" };
        let line = catalog.text(&Msg::new(id).arg("name", a.name.as_str()).arg("size", format_size(a.bytes)));
        list.push_str(&format!("\n  - {line}"));
    }
    paragraph(&list);
    if !body.files.is_empty() {
        let mut list = catalog.word("mail-contents");
        for (name, size) in body.files {
            list.push_str(&format!("\n  - {name} ({})", format_size(*size)));
        }
        paragraph(&list);
        if !body.compacted.is_empty() {
            let mut list = catalog.word("mail-compacted");
            for line in body.compacted {
                list.push_str(&format!("\n  - {line}"));
            }
            paragraph(&list);
        }
        paragraph(&catalog.text(&Msg::new("mail-checksums").arg("file", CHECKSUM_FILE)));
    }
    paragraph(body.closing);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// What goes into one draft.
#[derive(Debug, Clone)]
pub struct MailSpec {
    /// Sender, "a@b.kr" or "홍길동 <a@b.kr>"; left out of the draft when unknown (the mail
    /// client fills in the account it sends from).
    pub from: Option<String>,
    /// Recipient, same forms; left out when unknown, so the draft opens with an empty To field.
    pub to: Option<String>,
    /// Subject, with "(1/2)" already added by [`part_subject`] when split.
    pub subject: String,
    /// Plain-text body, for instance from [`body_text`].
    pub body: String,
    /// (file name, data) of each attachment, in order.
    pub attachments: Vec<(String, Data)>,
    /// The SHA-256 of each attachment, in order, when the caller has them already (build
    /// hashed the PDF and the zip as it made them); empty, they are computed here (a streamed
    /// attachment, not read twice, is then known by its size).
    pub digests: Vec<[u8; 32]>,
    /// The Date header, in Unix seconds (written as UTC).
    pub date: i64,
    /// The Message-ID, with or without the angle brackets: "dossier.3f2a@hong.example".
    pub message_id: String,
}

/// An attachment's data.
#[derive(Debug, Clone)]
pub enum Data {
    /// In memory (the merged PDF).
    Bytes(Arc<Vec<u8>>),
    /// This many bytes, read from a reader the caller gives [`draft_to`] (a zip, from the file
    /// just written): encoded as they are read, so the zip is never whole in memory, nor read
    /// into it first.
    Streamed(u64),
}

impl Data {
    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Data::Bytes(bytes) => bytes.len() as u64,
            Data::Streamed(len) => *len,
        }
    }

    /// Empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a draft could not be written.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address or Message-ID that would break the header.
    #[error("`{value}` is not a valid {field} for the mail draft")]
    Header {
        /// "From", "To" or "Message-ID".
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// Writing the draft, or reading a streamed attachment, failed.
    #[error("cannot write the mail draft: {0}")]
    Write(std::io::Error),
}

/// The draft: an RFC 5322 message with a UTF-8 text/plain body and the attachments in base64,
/// in multipart/mixed, with `X-Unsent: 1` so Outlook opens it for editing and sending.
///
/// The subject is RFC 2047-encoded; attachment names are given twice, as RFC 2231
/// `filename*=UTF-8''…` in Content-Disposition (the standard, read by Thunderbird, Apple Mail
/// and current Outlook) and as an RFC 2047 `name="=?UTF-8?B?…?="` in Content-Type (what older
/// Outlook and webmail read). The boundary is derived from a hash of the content.
pub fn draft(spec: &MailSpec) -> Result<Vec<u8>, MailError> {
    let mut out = Vec::new();
    draft_to(spec, &mut out, Vec::new())?;
    Ok(out)
}

/// [`draft`] written into `out` as it is encoded (a staged file), so a message is never whole
/// in memory. `streams` gives the data of each [`Data::Streamed`] attachment, in order; each
/// must give exactly its length.
pub fn draft_to<'a>(spec: &MailSpec, out: impl Write, streams: Vec<Box<dyn Read + 'a>>) -> Result<(), MailError> {
    let mut message = MessageBuilder::new();
    if let Some(from) = &spec.from {
        message = message.from(address("From", from)?);
    }
    if let Some(to) = &spec.to {
        message = message.to(address("To", to)?);
    }
    let mut parts = vec![MimePart::new("text/plain", spec.body.as_str())];
    parts.extend(spec.attachments.iter().map(|(name, data)| attachment(name, data)));
    let body = MimePart::new(ContentType::new("multipart/mixed").attribute("boundary", boundary(spec)), parts);
    let lengths = spec.attachments.iter().filter_map(|(_, data)| match data {
        Data::Streamed(len) => Some(*len),
        Data::Bytes(_) => None,
    });
    let streams: Vec<(u64, Box<dyn Read + 'a>)> = lengths.zip(streams).collect();
    let mut sink = Sink { out, buffer: Vec::with_capacity(SINK_BUFFER), streams: streams.into_iter(), error: None };
    message
        .subject(crate::pack::one_line(&spec.subject))
        .date(Date::new(spec.date))
        .message_id(message_id(&spec.message_id)?)
        .header("X-Unsent", Raw::new("1"))
        .body(body)
        .serialize(&mut sink);
    sink.finish().map_err(MailError::Write)
}

/// Bytes [`Sink`] gathers before writing them out, and encodes from a stream at a time.
const SINK_BUFFER: usize = 1 << 20;

/// Input bytes of a streamed attachment encoded at a time: whole lines of 57 bytes (76 base64
/// characters), as mail-builder encodes in memory, so the lines come out the same.
const STREAM_CHUNK: usize = 57 * 12 * 1024;

/// The body mail-builder is given for a streamed attachment, found again by its address when
/// mail-builder writes it (a raw body is written in one piece), and replaced by the data.
static PLACEHOLDER: [u8; 27] = *b"\0dossier: streamed content\0";

/// Where mail-builder writes the draft: `out`, through a buffer, with each streamed attachment's
/// data read and encoded in place of its placeholder. The first error stops the writing and is
/// returned by [`Sink::finish`] (mail-builder's writer cannot fail).
struct Sink<'a, W: Write> {
    out: W,
    buffer: Vec<u8>,
    streams: std::vec::IntoIter<(u64, Box<dyn Read + 'a>)>,
    error: Option<io::Error>,
}

impl<W: Write> Sink<'_, W> {
    fn spill(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(&self.buffer)
        {
            self.error = Some(e);
        }
        self.buffer.clear();
    }

    fn spill_when_full(&mut self) {
        if self.buffer.len() >= SINK_BUFFER {
            self.spill();
        }
    }

    /// The next stream's data in base64, in lines as mail-builder writes them.
    fn encode_stream(&mut self) {
        let Some((len, mut reader)) = self.streams.next() else {
            self.error.get_or_insert(io::Error::other("a streamed attachment was given no reader"));
            return;
        };
        let mut chunk = vec![0; STREAM_CHUNK];
        let mut total = 0u64;
        while self.error.is_none() {
            let filled = match fill(&mut reader, &mut chunk) {
                Ok(filled) => filled,
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            };
            total += filled as u64;
            encodify::base64::MIME.encode_append(&chunk[..filled], &mut self.buffer);
            self.spill_when_full();
            if filled < chunk.len() {
                break;
            }
        }
        if total != len && self.error.is_none() {
            self.error = Some(io::Error::other(format!("an attachment of {len} bytes gave {total}")));
        }
    }

    fn finish(mut self) -> io::Result<()> {
        self.spill();
        match self.error {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

/// Reads into `chunk` until it is full or the reader ends; how much was read.
fn fill(reader: &mut dyn Read, chunk: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < chunk.len() {
        match reader.read(&mut chunk[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

impl<W: Write> mail_builder::Writer for Sink<'_, W> {
    fn write(&mut self, bytes: &[u8]) {
        if std::ptr::eq(bytes, PLACEHOLDER.as_slice()) {
            self.spill();
            self.encode_stream();
            return;
        }
        self.buffer.extend_from_slice(bytes);
        self.spill_when_full();
    }

    fn write_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8]) -> usize) {
        let start = self.buffer.len();
        self.buffer.resize(start + len, 0);
        let written = fill(&mut self.buffer[start..]).min(len);
        self.buffer.truncate(start + written);
        self.spill_when_full();
    }

    fn append_with<T>(&mut self, _len: usize, append: impl FnOnce(&mut Vec<u8>) -> T) -> T {
        let result = append(&mut self.buffer);
        self.spill_when_full();
        result
    }

    fn append_limit(&self) -> usize {
        SINK_BUFFER
    }
}

/// "a@b.kr" or "Name <a@b.kr>"; refuses anything that could end the header line.
fn address<'a>(field: &'static str, value: &'a str) -> Result<Address<'a>, MailError> {
    let bad = || MailError::Header { field, value: value.to_string() };
    let value = value.trim();
    let (name, email) = match value.strip_suffix('>').and_then(|v| v.rsplit_once('<')) {
        Some((name, email)) => (name.trim().trim_matches('"').trim(), email.trim()),
        None => ("", value),
    };
    let valid_email =
        email.contains('@') && !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"".contains(c));
    if !valid_email || name.chars().any(char::is_control) {
        return Err(bad());
    }
    Ok(if name.is_empty() { Address::from(email) } else { Address::from((name, email)) })
}

fn message_id(value: &str) -> Result<MessageId<'_>, MailError> {
    let id = value.trim().trim_start_matches('<').trim_end_matches('>');
    if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control() || "<>".contains(c)) {
        return Err(MailError::Header { field: "Message-ID", value: value.to_string() });
    }
    Ok(MessageId::new(id))
}

fn attachment<'a>(name: &'a str, data: &'a Data) -> MimePart<'a> {
    let content_type = format!("{}; name=\"{}\"", media_type(name), encoded_words(name));
    let mut headers: Vec<(std::borrow::Cow<'a, str>, HeaderType<'a>)> =
        vec![("Content-Type".into(), Raw::new(content_type).into()), ("Content-Disposition".into(), disposition(name))];
    let contents = match data {
        Data::Bytes(bytes) => BodyPart::Binary(bytes.as_slice().into()),
        Data::Streamed(_) => {
            // The header mail-builder writes before base64 of its own; with it, the body is
            // written as it is, and the sink puts the encoded stream there.
            headers.push(("Content-Transfer-Encoding".into(), Raw::new("base64").into()));
            BodyPart::Binary(PLACEHOLDER.as_slice().into())
        }
    };
    MimePart { headers, contents }
}

/// `attachment; filename*=UTF-8''…` in one piece. mail-builder splits values longer than a line
/// into RFC 2231 sections (`filename*0*=`, `filename*1*=`), which Outlook has been known to show
/// as "ATT00001"; one long line (legal up to 998 characters) avoids that. Only names whose
/// encoding would pass that limit get sections, and ASCII names a plain quoted `filename=`.
fn disposition(name: &str) -> HeaderType<'_> {
    let encoded = encodify::hex::PERCENT.encode(name);
    if name.is_ascii() || encoded.len() > MAX_ONE_LINE_PARAMETER {
        return ContentType::new("attachment").attribute("filename", name).into();
    }
    Raw::new(format!("attachment; filename*=UTF-8''{encoded}")).into()
}

fn media_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "zip" => "application/zip",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// `name` as RFC 2047 "B" words of at most 75 characters, separated by spaces so the header
/// can be folded between them; ASCII names that need no quoting stay as they are.
fn encoded_words(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ') && name.len() <= 60 {
        return name.to_string();
    }
    let mut column = 0;
    let mut out = String::new();
    let one_line = encodify::Fold::new(usize::MAX, b" ", 0);
    encodify::rfc2047::B.encode_words("UTF-8", name, &mut column, one_line, &mut out);
    out
}

/// "dossier-" and 32 hex digits of a hash over everything in the message. Base64 and the
/// body's encodings never produce "-" runs like this, and the hash makes it unlikely that a
/// line of text contains it.
fn boundary(spec: &MailSpec) -> String {
    let mut hash = Sha256::new();
    for text in [&spec.subject, &spec.body, &spec.message_id] {
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text.as_bytes());
    }
    let known = spec.digests.len() == spec.attachments.len();
    for (i, (name, data)) in spec.attachments.iter().enumerate() {
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        match (known, data) {
            (true, _) => hash.update(spec.digests[i]),
            (false, Data::Bytes(bytes)) => hash.update(Sha256::digest(bytes.as_slice())),
            // Not read twice: its size stands for it (build always gives the hashes).
            (false, Data::Streamed(len)) => hash.update(len.to_le_bytes()),
        }
    }
    format!("dossier-{}", &hex::encode(hash.finalize())[..32])
}

#[cfg(test)]
mod tests;
