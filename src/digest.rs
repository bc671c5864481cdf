//! SHA-256 of an output as it is written, taken on a second thread.
//!
//! Every output's hash is in the build summary and its zip's `SHA256SUMS.txt`. Taken on the
//! thread that writes, hashing a 300 MB zip and its 400 MB mail draft cost as much as writing
//! them (SHA-256 runs at about 1 GB/s here, even with the CPU's SHA instructions); on a second
//! core it costs nothing while the first encodes and writes (issue 9: "the zip and mail steps
//! together within 1.5x the time of copying the same bytes").

use std::io::{self, Seek, SeekFrom, Write};
use std::sync::mpsc;
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

/// Bytes handed to the hashing thread at a time; also what reaches the inner writer per call.
const CHUNK: usize = 1 << 20;

/// Chunks in flight to the hashing thread at most, so a slow hash holds at most this many
/// megabytes, and the writer waits.
const IN_FLIGHT: usize = 4;

/// A buffered writer that hashes and counts the bytes written through it, the hash on its own
/// thread. Seeking is passed through (a zip writer asks where it is, and may go back to patch
/// a header); a write anywhere but at the end of what was hashed makes the hash unknown, and
/// [`finish`](HashingWriter::finish) says so rather than give a wrong one.
pub struct HashingWriter<W: Write> {
    inner: W,
    buffer: Vec<u8>,
    hasher: Hasher,
    /// Chunks the hashing thread is done with, to fill again.
    spare: mpsc::Receiver<Vec<u8>>,
    /// Bytes handed to the hasher: the length of the sequential stream so far.
    hashed: u64,
    /// Where the inner writer is, when not at `hashed` (after a seek).
    position: Option<u64>,
    /// Some byte was written out of sequence: the hash does not describe the file.
    out_of_sequence: bool,
}

/// What [`HashingWriter::finish`] gives back.
pub struct Finished<W> {
    /// The inner writer, flushed.
    pub inner: W,
    /// The SHA-256 of the bytes written, in order; `None` when some were written out of
    /// sequence (the caller hashes the file instead).
    pub sha256: Option<[u8; 32]>,
    /// The length of the sequential stream written.
    pub bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Hashes what is written into `inner`; fails only when no thread can be started.
    pub fn new(inner: W) -> io::Result<HashingWriter<W>> {
        let (to_hash, chunks) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT);
        let (give_back, spare) = mpsc::sync_channel::<Vec<u8>>(IN_FLIGHT + 1);
        let thread = std::thread::Builder::new().name("sha256".into()).spawn(move || {
            let mut hash = Sha256::new();
            for mut chunk in chunks {
                hash.update(&chunk);
                chunk.clear();
                // The writer may be gone (an error); a spare chunk is only an allocation saved.
                let _ = give_back.try_send(chunk);
            }
            hash
        })?;
        Ok(HashingWriter {
            inner,
            buffer: Vec::with_capacity(CHUNK),
            hasher: Hasher { to_hash: Some(to_hash), thread: Some(thread) },
            spare,
            hashed: 0,
            position: None,
            out_of_sequence: false,
        })
    }

    /// Writes out what is buffered, and hands it to the hasher.
    fn drain(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        self.inner.write_all(&self.buffer)?;
        let written = self.buffer.len() as u64;
        let next = self.spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let chunk = std::mem::replace(&mut self.buffer, next);
        match self.position {
            // Written back over earlier bytes (a patched header): the stream hashed is not
            // the file any more.
            Some(at) if at != self.hashed => {
                self.out_of_sequence = true;
                self.position = Some(at + written);
            }
            _ => {
                self.position = None;
                self.hashed += written;
                if let Some(to_hash) = &self.hasher.to_hash {
                    to_hash.send(chunk).map_err(|_| io::Error::other("the hashing thread stopped"))?;
                }
            }
        }
        Ok(())
    }

    /// Writes out the rest, flushes, and gives the inner writer with the hash and length.
    pub fn finish(mut self) -> io::Result<Finished<W>> {
        self.drain()?;
        self.inner.flush()?;
        let hash = self.hasher.finish().ok_or_else(|| io::Error::other("the hashing thread panicked"))?;
        let sha256 = (!self.out_of_sequence).then(|| hash.finalize().into());
        let HashingWriter { inner, hashed, .. } = self;
        Ok(Finished { inner, sha256, bytes: hashed })
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.buffer.len();
        let taken = buf.len().min(room);
        self.buffer.extend_from_slice(&buf[..taken]);
        if self.buffer.len() == CHUNK {
            self.drain()?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain()?;
        self.inner.flush()
    }
}

impl<W: Write + Seek> Seek for HashingWriter<W> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.drain()?;
        let at = self.inner.seek(to)?;
        self.position = Some(at);
        Ok(at)
    }
}

/// The hashing thread and the way to it. Dropped unfinished (a write failed on the way), it
/// closes the way and waits for the thread, which then ends.
struct Hasher {
    to_hash: Option<mpsc::SyncSender<Vec<u8>>>,
    thread: Option<JoinHandle<Sha256>>,
}

impl Hasher {
    /// The hash of everything sent; `None` if the thread panicked.
    fn finish(&mut self) -> Option<Sha256> {
        self.to_hash = None;
        self.thread.take()?.join().ok()
    }
}

impl Drop for Hasher {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| ((i * 31) ^ (i / 977)) as u8).collect()
    }

    #[test]
    fn hashes_and_counts_what_is_written_in_pieces_of_any_size() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 12_345] {
            let data = pattern(len);
            let mut writer = HashingWriter::new(Vec::new()).unwrap();
            let mut rest = data.as_slice();
            for piece in [7, 76, CHUNK + 5, usize::MAX].into_iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (head, tail) = rest.split_at(piece.min(rest.len()));
                writer.write_all(head).unwrap();
                rest = tail;
            }
            let done = writer.finish().unwrap();
            assert_eq!(done.inner, data, "{len}");
            assert_eq!(done.bytes, len as u64);
            assert_eq!(done.sha256, Some(Sha256::digest(&data).into()), "{len}");
        }
    }

    #[test]
    fn asking_where_it_is_keeps_the_hash_and_patching_back_loses_it() {
        let data = pattern(2 * CHUNK + 99);
        let mut writer = HashingWriter::new(Cursor::new(Vec::new())).unwrap();
        writer.write_all(&data[..CHUNK + 3]).unwrap();
        assert_eq!(writer.stream_position().unwrap(), CHUNK as u64 + 3);
        writer.write_all(&data[CHUNK + 3..]).unwrap();
        assert_eq!(writer.seek(SeekFrom::End(0)).unwrap(), data.len() as u64);
        let done = writer.finish().unwrap();
        assert_eq!(done.inner.into_inner(), data);
        assert_eq!(done.sha256, Some(Sha256::digest(&data).into()));

        let mut writer = HashingWriter::new(Cursor::new(Vec::new())).unwrap();
        writer.write_all(&data).unwrap();
        writer.seek(SeekFrom::Start(10)).unwrap();
        writer.write_all(b"patch").unwrap();
        writer.seek(SeekFrom::End(0)).unwrap();
        let done = writer.finish().unwrap();
        assert_eq!(&done.inner.into_inner()[10..15], b"patch");
        assert_eq!(done.sha256, None, "bytes written back over the stream");
    }

    #[test]
    fn a_writer_dropped_unfinished_stops_its_thread() {
        let mut writer = HashingWriter::new(Vec::new()).unwrap();
        writer.write_all(&pattern(5 * CHUNK)).unwrap();
        drop(writer);
    }
}
