//! Raw deflate (RFC 1951, no zlib or gzip wrapper: the link's version already says what it
//! is, so the wrapper's two header bytes and four checksum bytes would only lengthen it).
//!
//! A preset dictionary (format 1 has one, format 0 none) is text both sides pretend came just
//! before the data: the compressor reads it first and flushes (its output is dropped), so the
//! data's matches may reach back into it; the inflater starts with it already in its output
//! buffer, where back-references find it.
//!
//! Inflation is capped while it runs: the output buffer grows by doubling up to
//! [`MAX_INFLATED_BYTES`] and no further, so a few hundred characters that claim gigabytes
//! (a deflate bomb) cost at most that much memory.

use super::{LinkError, MAX_INFLATED_BYTES};
use miniz_oxide::deflate::core::{
    compress as deflate_core, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush,
    TDEFLStatus,
};
use miniz_oxide::deflate::CompressionLevel;
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// Compresses at the best level miniz_oxide has, with `dictionary` as preset history.
/// Deterministic: the same bytes always give the same output, so the same scenario always
/// gives the same link.
pub fn compress(bytes: &[u8], dictionary: &[u8]) -> Vec<u8> {
    // Negative window bits: raw deflate, no zlib header.
    let flags = create_comp_flags_from_zip_params(CompressionLevel::UberCompression as i32, -15, 0);
    let mut compressor = CompressorOxide::new(flags);
    if !dictionary.is_empty() {
        // One call with room to spare, so the sync marker is written once; the output (the
        // dictionary's own encoding, ending byte-aligned) is dropped.
        let mut scratch = vec![0; dictionary.len() * 2 + 1024];
        let (status, used, _) =
            deflate_core(&mut compressor, dictionary, &mut scratch, TDEFLFlush::Sync);
        debug_assert!(status == TDEFLStatus::Okay && used == dictionary.len());
    }
    finish(&mut compressor, bytes)
}

/// Feeds `input` and ends the stream, growing the output as needed.
fn finish(compressor: &mut CompressorOxide, mut input: &[u8]) -> Vec<u8> {
    let mut out = vec![0; input.len() / 2 + 64];
    let mut written = 0;
    loop {
        let (status, used, produced) =
            deflate_core(compressor, input, &mut out[written..], TDEFLFlush::Finish);
        written += produced;
        input = input.get(used..).unwrap_or_default();
        if status != TDEFLStatus::Okay {
            // Done, or an error that compressing in-memory bytes cannot produce.
            out.truncate(written);
            return out;
        }
        if out.len() - written < 64 {
            out.resize(out.len() * 2, 0);
        }
    }
}

/// `bytes` as a valid deflate stream of uncompressed ("stored") blocks: no compression work,
/// so fuzzing can wrap arbitrary compact data in a link thousands of times a second.
pub fn stored(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 5 * (bytes.len() / 0xffff + 1));
    let mut blocks = bytes.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        // Header bits: BFINAL on the last block, BTYPE 00 (stored); then LEN and its complement.
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out
}

/// Decompresses `data`, which must be exactly one deflate stream written with the same
/// `dictionary`, into at most [`MAX_INFLATED_BYTES`].
pub fn inflate(data: &[u8], dictionary: &[u8]) -> Result<Vec<u8>, LinkError> {
    // The whole output stays in one buffer (no wrapping), so back-references can reach any
    // earlier byte, the dictionary included; it starts small and doubles, never past the cap.
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let cap = dictionary.len() + MAX_INFLATED_BYTES;
    let start = dictionary.len() + data.len().saturating_mul(4).clamp(256, MAX_INFLATED_BYTES);
    let mut out = vec![0; start];
    out[..dictionary.len()].copy_from_slice(dictionary);
    let mut state = Box::<DecompressorOxide>::default();
    let (mut read, mut written) = (0, dictionary.len());
    loop {
        let rest = data.get(read..).unwrap_or_default();
        let (status, used_in, used_out) = decompress(&mut state, rest, &mut out, written, flags);
        read = read.saturating_add(used_in).min(data.len());
        written = written.saturating_add(used_out).min(out.len());
        match status {
            TINFLStatus::Done if read < data.len() => {
                return Err(LinkError::TrailingData {
                    bytes: data.len() - read,
                })
            }
            TINFLStatus::Done => {
                out.truncate(written);
                out.drain(..dictionary.len());
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput if out.len() >= cap => return Err(LinkError::TooLarge),
            TINFLStatus::HasMoreOutput => {
                let grown = out.len().saturating_mul(2).min(cap);
                out.resize(grown, 0);
            }
            TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
                return Err(LinkError::Truncated)
            }
            _ => return Err(LinkError::Corrupt),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DICT: &[u8] = b"service database service database queue worker";

    #[test]
    fn a_dictionary_shortens_text_it_contains_and_round_trips() {
        let text = b"a service and a database, a queue and a worker";
        let plain = compress(text, b"");
        let primed = compress(text, DICT);
        assert!(
            primed.len() < plain.len(),
            "{} vs {}",
            primed.len(),
            plain.len()
        );
        assert_eq!(inflate(&primed, DICT).unwrap(), text);
        assert_eq!(primed, compress(text, DICT));
        assert_ne!(inflate(&primed, b"").ok().as_deref(), Some(&text[..]));
    }

    #[test]
    fn round_trips_and_is_deterministic() {
        let text = b"service service service database database".repeat(20);
        let packed = compress(&text, b"");
        assert!(packed.len() < text.len() / 4);
        assert_eq!(packed, compress(&text, b""));
        assert_eq!(inflate(&packed, b"").unwrap(), text);
        assert_eq!(inflate(&compress(b"", b""), b"").unwrap(), b"");
    }

    #[test]
    fn stored_blocks_inflate_to_their_input() {
        for len in [0, 1, 1000, 0xffff, 0x10000, 200_000] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            assert_eq!(inflate(&stored(&bytes), DICT).unwrap(), bytes, "{len}");
        }
    }

    #[test]
    fn a_cut_stream_is_truncated() {
        let packed = compress(&(0..=255u8).cycle().take(5000).collect::<Vec<_>>(), b"");
        for len in 0..packed.len() {
            assert!(
                matches!(
                    inflate(&packed[..len], b""),
                    Err(LinkError::Truncated | LinkError::Corrupt)
                ),
                "cut at {len}"
            );
        }
        assert_eq!(inflate(&[], b""), Err(LinkError::Truncated));
    }

    #[test]
    fn bytes_after_the_stream_are_refused_and_counted() {
        let mut packed = compress(b"hello hello hello", b"");
        packed.extend_from_slice(&[1, 2, 3]);
        assert_eq!(
            inflate(&packed, b""),
            Err(LinkError::TrailingData { bytes: 3 })
        );
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let bomb = compress(&vec![0u8; MAX_INFLATED_BYTES + 1], b"");
        assert!(bomb.len() < 2000, "{}", bomb.len());
        assert_eq!(inflate(&bomb, b""), Err(LinkError::TooLarge));
        let just_fits = compress(&vec![0u8; MAX_INFLATED_BYTES], DICT);
        assert_eq!(inflate(&just_fits, DICT).unwrap().len(), MAX_INFLATED_BYTES);
    }

    #[test]
    fn an_invalid_block_type_is_corrupt() {
        // BFINAL = 1, BTYPE = 11 (reserved).
        assert_eq!(inflate(&[0b111], b""), Err(LinkError::Corrupt));
    }
}
