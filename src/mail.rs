//! Mail: the size budget of a message, the split of the files into messages that fit, and the
//! ready-to-send draft (.eml) for each.
//!
//! In: file names and sizes (for the split), or a [`MailSpec`] (for the draft). Out: the parts
//! as lists of indices, or the bytes of an RFC 5322 message. Nothing here reads or writes files,
//! and nothing depends on the clock or on chance: the date, the Message-ID and the MIME
//! boundary all come from the caller or from the content, so two builds give the same draft.

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

/// Base64 line length in MIME bodies (RFC 2045 section 6.8), without the CRLF.
const BASE64_LINE: u64 = 76;

/// Bytes a part's message may spend besides the encoded zip and the per-file lines of the body:
/// headers (about 1 KB even with long Korean subjects and file names), the MIME boundaries and
/// part headers, and the fixed sentences of the body with the caller's introduction (up to
/// about 8 KB of text once encoded). 16 KB is 0.06% of a 25 MB budget.
pub const MESSAGE_OVERHEAD: u64 = 16_000;

/// Longest percent-encoded file name written as one `filename*=` parameter: with the header
/// name and the folding space the line stays under RFC 5322's 998 characters.
const MAX_ONE_LINE_PARAMETER: usize = 900;

/// Zip bytes per entry besides its data and name: local header (30) and central directory
/// record (46), ZIP64 extra fields in both (20 + 28) in case the entry is large, and a data
/// descriptor (24) that our writer does not use today.
const ZIP_PER_ENTRY: u64 = 148;

/// Zip bytes per archive: end of central directory (22), its ZIP64 record and locator (56 + 20),
/// and the headers of the `SHA256SUMS.txt` entry.
const ZIP_FIXED: u64 = 98 + ZIP_PER_ENTRY + 2 * CHECKSUM_FILE.len() as u64;

/// Size of `n` bytes once base64-encoded in a MIME body: 4 characters per 3 bytes (the last
/// group padded), in lines of 76 characters each ending in CRLF, the last one included.
pub fn base64_size(n: u64) -> u64 {
    let chars = n.div_ceil(3) * 4;
    chars + chars.div_ceil(BASE64_LINE) * 2
}

/// An upper bound on the size of the message that carries `files` (name in the zip, size) in
/// one zip: the zip as if nothing compressed (deflate is only kept where it shrinks), with its
/// headers and checksum list, base64-encoded, plus the body's line per file and
/// [`MESSAGE_OVERHEAD`].
pub fn message_size_bound(files: &[(String, u64)]) -> u64 {
    let zip: u64 = ZIP_FIXED + files.iter().map(|(name, size)| zip_entry_bound(name, *size)).sum::<u64>();
    base64_size(zip) + MESSAGE_OVERHEAD + files.iter().map(|(name, _)| body_line_bound(name)).sum::<u64>()
}

/// The entry's data, two copies of its name (local and central), its headers and its line in
/// `SHA256SUMS.txt` ("<64 hex>  <name>\n").
fn zip_entry_bound(name: &str, size: u64) -> u64 {
    let name = name.len() as u64;
    size + ZIP_PER_ENTRY + 2 * name + 64 + 2 + name + 1
}

/// "  - name (12.3 MB)\n" in the body, base64-encoded when the text is Korean: at most twice
/// its UTF-8 length once line breaks are counted.
fn body_line_bound(name: &str) -> u64 {
    2 * (name.len() as u64 + 32)
}

/// Why the files cannot be split into messages that fit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// One file is too big for a message of its own.
    #[error(
        "`{name}` ({}) does not fit in one email: with encoding it needs {}, the limit is {}",
        format_size(*size),
        format_size(*needed),
        format_size(*budget)
    )]
    TooBig {
        /// The file.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// The size of a message carrying it alone.
        needed: u64,
        /// The budget.
        budget: u64,
    },
}

/// Splits `files` (name in the zip, size) into the fewest messages it can, each of which fits
/// `budget` bytes by [`message_size_bound`]. First-fit decreasing: the biggest files are placed
/// first, each in the first part with room. Each part lists its files in their original order,
/// and parts are ordered by their first file, so the first message starts with the first file.
/// No files gives no parts.
pub fn plan_parts(files: &[(String, u64)], budget: u64) -> Result<Vec<Vec<usize>>, SplitError> {
    let mut by_size: Vec<usize> = (0..files.len()).collect();
    // Stable: equal sizes keep their order, so the plan does not depend on the sort.
    by_size.sort_by_key(|&i| std::cmp::Reverse(files[i].1));

    let mut parts: Vec<Vec<usize>> = Vec::new();
    for i in by_size {
        let fits = |part: &Vec<usize>| {
            let chosen: Vec<(String, u64)> = part.iter().chain([&i]).map(|&j| files[j].clone()).collect();
            message_size_bound(&chosen) <= budget
        };
        match parts.iter_mut().find(|part| fits(part)) {
            Some(part) => part.push(i),
            None if fits(&Vec::new()) => parts.push(vec![i]),
            None => return Err(too_big(&files[i], budget)),
        }
    }
    for part in &mut parts {
        part.sort_unstable();
    }
    parts.sort_by_key(|part| part[0]);
    Ok(parts)
}

fn too_big((name, size): &(String, u64), budget: u64) -> SplitError {
    let needed = message_size_bound(&[(name.clone(), *size)]);
    SplitError::TooBig { name: name.clone(), size: *size, needed, budget }
}

/// The subject of part `part` of `parts` (1-based): "(1/2)" is added only when there are several.
pub fn part_subject(subject: &str, part: usize, parts: usize) -> String {
    if parts > 1 { format!("{subject} ({part}/{parts})") } else { subject.to_string() }
}

/// The body of a part, in the catalogue's language: the plan's introduction, the attached zip
/// with its size, each file in it with its size, and a note that the zip carries
/// `SHA256SUMS.txt`.
pub fn body_text(
    catalog: &Catalog,
    intro: &str,
    zip: (&str, u64),
    files: &[(String, u64)],
    (part, parts): (usize, usize),
) -> String {
    let mut body = String::new();
    if !intro.trim().is_empty() {
        body.push_str(intro.trim_end());
        body.push_str("\n\n");
    }
    if parts > 1 {
        body.push_str(&catalog.text(&Msg::new("mail-parts").arg("part", part).arg("parts", parts)));
        body.push_str("\n\n");
    }
    let attached = Msg::new("mail-attached").arg("name", zip.0).arg("size", format_size(zip.1));
    body.push_str(&catalog.text(&attached));
    body.push('\n');
    body.push_str(&catalog.word("mail-contents"));
    body.push('\n');
    for (name, size) in files {
        body.push_str(&format!("  - {name} ({})\n", format_size(*size)));
    }
    body.push('\n');
    body.push_str(&catalog.text(&Msg::new("mail-checksums").arg("file", CHECKSUM_FILE)));
    body.push('\n');
    body
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
    /// (file name, bytes) of each attachment, in order.
    pub attachments: Vec<(String, Arc<Vec<u8>>)>,
    /// The Date header, in Unix seconds (written as UTC).
    pub date: i64,
    /// The Message-ID, with or without the angle brackets: "dossier.3f2a@hong.example".
    pub message_id: String,
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
    /// Writing into memory failed.
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
    let mut message = MessageBuilder::new();
    if let Some(from) = &spec.from {
        message = message.from(address("From", from)?);
    }
    if let Some(to) = &spec.to {
        message = message.to(address("To", to)?);
    }
    let mut parts = vec![MimePart::new("text/plain", spec.body.as_str())];
    parts.extend(spec.attachments.iter().map(|(name, bytes)| attachment(name, bytes)));
    let body = MimePart::new(ContentType::new("multipart/mixed").attribute("boundary", boundary(spec)), parts);
    message
        .subject(one_line(&spec.subject))
        .date(Date::new(spec.date))
        .message_id(message_id(&spec.message_id)?)
        .header("X-Unsent", Raw::new("1"))
        .body(body)
        .write_to_vec()
        .map_err(MailError::Write)
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

/// A subject is one line; a pasted line break would otherwise end up inside an encoded word.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

fn attachment<'a>(name: &'a str, bytes: &'a [u8]) -> MimePart<'a> {
    let content_type = format!("{}; name=\"{}\"", media_type(name), encoded_words(name));
    MimePart {
        headers: vec![
            ("Content-Type".into(), Raw::new(content_type).into()),
            ("Content-Disposition".into(), disposition(name)),
        ],
        contents: BodyPart::Binary(bytes.into()),
    }
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
    for (name, bytes) in &spec.attachments {
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update(Sha256::digest(bytes.as_slice()));
    }
    format!("dossier-{}", &hex::encode(hash.finalize())[..32])
}

#[cfg(test)]
mod tests;
