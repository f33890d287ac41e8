//! Base64url without padding (RFC 4648 §5): the alphabet that survives a URL fragment as it
//! is, with no percent-encoding.
//!
//! Written here rather than taken from the `base64` crate: it is forty lines, it lets an error
//! name the exact character and its position (what a person who mangled a pasted link needs),
//! and it keeps one more dependency out of the wasm bundle. Decoding is strict (no padding, no
//! whitespace, unused trailing bits must be zero), so every byte string has exactly one text
//! and a decoded link re-encodes to the same characters.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why a text is not base64url.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside `A-Z a-z 0-9 - _`, at this 0-based character index.
    Character {
        /// The offending character.
        character: char,
        /// Its index among the text's characters.
        index: usize,
    },
    /// A length no encoder produces (one character too many or too few at the end).
    Length,
    /// The last character carries bits that no encoder sets: the text was cut or altered.
    TrailingBits,
}

/// Encodes `bytes` as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        // 3 bytes make 4 characters; 2 make 3; 1 makes 2.
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url without padding, refusing anything an encoder would not write.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut sextets = Vec::with_capacity(text.len());
    for (index, character) in text.chars().enumerate() {
        match sextet(character) {
            Some(v) => sextets.push(v),
            None => return Err(Base64Error::Character { character, index }),
        }
    }
    if sextets.len() % 4 == 1 {
        return Err(Base64Error::Length);
    }
    let mut out = Vec::with_capacity(sextets.len() / 4 * 3 + 2);
    for group in sextets.chunks(4) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &v)| n | u32::from(v) << (18 - 6 * i));
        let bytes = n.to_be_bytes();
        let full = group.len() - 1; // 4 characters give 3 bytes, 3 give 2, 2 give 1
        out.extend_from_slice(&bytes[1..=full]);
        if bytes[1 + full..].iter().any(|&b| b != 0) {
            return Err(Base64Error::TrailingBits);
        }
    }
    Ok(out)
}

fn sextet(c: char) -> Option<u8> {
    let v = match c {
        'A'..='Z' => c as u32 - 'A' as u32,
        'a'..='z' => c as u32 - 'a' as u32 + 26,
        '0'..='9' => c as u32 - '0' as u32 + 52,
        '-' => 62,
        '_' => 63,
        _ => return None,
    };
    Some(v as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_rfc_test_vectors_without_padding() {
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn uses_the_url_safe_characters() {
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn every_byte_string_round_trips() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            assert_eq!(decode(&encode(&bytes[..len])).unwrap(), &bytes[..len]);
        }
    }

    #[test]
    fn names_the_first_bad_character_and_its_position() {
        assert_eq!(
            decode("Zm9v+Yg"),
            Err(Base64Error::Character {
                character: '+',
                index: 4
            })
        );
        assert_eq!(
            decode("Zé"),
            Err(Base64Error::Character {
                character: 'é',
                index: 1
            })
        );
        assert_eq!(
            decode("Zg=="),
            Err(Base64Error::Character {
                character: '=',
                index: 2
            })
        );
    }

    #[test]
    fn refuses_impossible_lengths_and_stray_bits() {
        assert_eq!(decode("Zm9vY"), Err(Base64Error::Length));
        assert_eq!(decode("Zh"), Err(Base64Error::TrailingBits));
        assert_eq!(decode("Zm9"), Err(Base64Error::TrailingBits));
    }
}
