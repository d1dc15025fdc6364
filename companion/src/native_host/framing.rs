//! The browser's native-messaging framing: a 4-byte length in native byte order, then that
//! many bytes of UTF-8 JSON, in both directions.
//!
//! Chromium and Firefox refuse a frame over 1 MiB from the host and close the port, so the
//! writer refuses one before it reaches them. Each frame leaves in a single write of prefix and
//! body followed by a flush: a line-buffered stdout would flush early at a 0x0A byte, which a
//! length prefix can contain (10, 266, 522 ...), and split the frame.

use std::io::{self, Read, Write};

/// The largest frame the browser accepts from a host: 1 MiB.
pub const MAX_TO_BROWSER: usize = 1024 * 1024;

/// The largest frame Halo reads from the browser. Chrome allows 64 MiB; Halo's requests are a
/// few hundred bytes, so anything near this is a fault, refused before allocating for it.
pub const MAX_FROM_BROWSER: usize = 4 * 1024 * 1024;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The stream ended inside a frame (a prefix or a body cut short).
    #[error("the browser closed the connection in the middle of a message")]
    Truncated,
    /// A frame from the browser announced more than Halo accepts.
    #[error("a message of {len} bytes is over the {max}-byte limit")]
    TooLong {
        /// The length the prefix announced, or the body's length when writing.
        len: usize,
        /// The limit in force for this direction.
        max: usize,
    },
    /// Reading or writing the pipe failed.
    #[error("the connection to the browser failed: {0}")]
    Io(#[from] io::Error),
}

/// Reads one frame's body. `Ok(None)` means the stream ended cleanly between frames, which is
/// how the browser says the port was closed.
pub fn read_frame(reader: &mut impl Read) -> Result<Option<Vec<u8>>, FrameError> {
    let mut prefix = [0u8; 4];
    match read_full(reader, &mut prefix)? {
        0 => return Ok(None),
        4 => {}
        _ => return Err(FrameError::Truncated),
    }

    let len = u32::from_ne_bytes(prefix) as usize;
    if len > MAX_FROM_BROWSER {
        return Err(FrameError::TooLong {
            len,
            max: MAX_FROM_BROWSER,
        });
    }

    let mut body = vec![0u8; len];
    if read_full(reader, &mut body)? != len {
        return Err(FrameError::Truncated);
    }
    Ok(Some(body))
}

/// Writes one frame (prefix and body in one write, then a flush). A body over 1 MiB is refused
/// and nothing is written, so the stream stays in step.
pub fn write_frame(writer: &mut impl Write, body: &[u8]) -> Result<(), FrameError> {
    if body.len() > MAX_TO_BROWSER {
        return Err(FrameError::TooLong {
            len: body.len(),
            max: MAX_TO_BROWSER,
        });
    }
    // Cannot truncate: the length was just checked against 1 MiB.
    let prefix = (body.len() as u32).to_ne_bytes();
    let mut frame = Vec::with_capacity(4 + body.len());
    frame.extend_from_slice(&prefix);
    frame.extend_from_slice(body);
    writer.write_all(&frame)?;
    writer.flush()?;
    Ok(())
}

/// Fills `buf` unless the stream ends first; returns how many bytes arrived. Pipes deliver in
/// pieces of any size, so a single `read` may return part of a prefix.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A reader that hands out at most `step` bytes per call, as a pipe may.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// Counts writes, so a test can see a frame leave in one piece.
    #[derive(Default)]
    struct Recorder {
        writes: Vec<Vec<u8>>,
        flushes: usize,
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes.push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = (body.len() as u32).to_ne_bytes().to_vec();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn reads_frames_delivered_one_byte_at_a_time() {
        let mut data = framed(br#"{"type":"ping"}"#);
        data.extend(framed(br#"{"type":"ping","id":2}"#));
        let mut reader = Trickle {
            data,
            at: 0,
            step: 1,
        };

        assert_eq!(
            read_frame(&mut reader).unwrap().unwrap(),
            br#"{"type":"ping"}"#
        );
        assert_eq!(
            read_frame(&mut reader).unwrap().unwrap(),
            br#"{"type":"ping","id":2}"#
        );
        assert!(read_frame(&mut reader).unwrap().is_none());
    }

    #[test]
    fn a_stream_cut_inside_the_prefix_or_body_is_truncated() {
        let whole = framed(br#"{"type":"ping"}"#);
        for cut in [1, 3, 4, 10] {
            let mut reader = Cursor::new(whole[..cut].to_vec());
            assert!(
                matches!(read_frame(&mut reader), Err(FrameError::Truncated)),
                "cut {cut}"
            );
        }
        assert!(read_frame(&mut Cursor::new(Vec::new())).unwrap().is_none());
    }

    #[test]
    fn an_absurd_length_is_refused_before_allocating() {
        // "2023" read as a length: a log line's timestamp where a prefix should be.
        let mut reader = Cursor::new(b"2023-01-01 host started".to_vec());
        match read_frame(&mut reader) {
            Err(FrameError::TooLong { len, max }) => {
                assert_eq!(len, u32::from_ne_bytes(*b"2023") as usize);
                assert_eq!(max, MAX_FROM_BROWSER);
            }
            other => panic!("expected TooLong, got {other:?}"),
        }
    }

    #[test]
    fn every_length_from_1_to_3000_leaves_in_one_write_and_a_flush() {
        for len in 1..=3000usize {
            let mut body = vec![b'x'; len];
            if len == 1000 {
                body[500] = b'\n';
            }
            let mut out = Recorder::default();
            write_frame(&mut out, &body).unwrap();

            assert_eq!(out.writes.len(), 1, "length {len}");
            assert_eq!(out.flushes, 1);
            assert_eq!(out.writes[0], framed(&body));
            let read = read_frame(&mut Cursor::new(out.writes[0].clone())).unwrap();
            assert_eq!(read.unwrap(), body);
        }
    }

    #[test]
    fn a_reply_over_one_mebibyte_is_refused_and_nothing_written() {
        let mut out = Recorder::default();
        let body = vec![b' '; MAX_TO_BROWSER + 1];
        assert!(matches!(
            write_frame(&mut out, &body),
            Err(FrameError::TooLong { len, .. }) if len == MAX_TO_BROWSER + 1
        ));
        assert!(out.writes.is_empty());

        write_frame(&mut out, &vec![b' '; MAX_TO_BROWSER]).unwrap();
        assert_eq!(out.writes[0].len(), MAX_TO_BROWSER + 4);
    }
}
