//! Decide a text release's encoding from its bytes, with encoding_rs.
//!
//! A byte-order mark decides (UTF-8, UTF-16LE/BE). Without one: valid UTF-8
//! is UTF-8; otherwise Shift_JIS (as Windows writes it, CP932) and EUC-JP
//! are both tried, and the one that decodes without errors and reads most
//! like Japanese wins. UTF-16 without a mark is recognised by its zero
//! bytes. Bytes that decode to control characters are not text.
//!
//! Memory: UTF-8 text is borrowed, not copied; the legacy candidates are
//! measured a chunk at a time, and only the winner is decoded whole.

use encoding_rs::{CoderResult, EUC_JP, Encoding, SHIFT_JIS, UTF_8, UTF_16BE, UTF_16LE};
use std::borrow::Cow;

#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// The name recorded in `source.encoding`.
    pub encoding: &'static str,
}

/// Why bytes are not a text release.
#[derive(Debug, PartialEq)]
pub enum NotText {
    /// Control characters or undecodable bytes in a share of the text.
    Binary { bad: usize, total: usize },
}

pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, NotText> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let text = fitted(text);
        check_text(&text, had_errors)?;
        return Ok(Decoded {
            text,
            encoding: name(enc),
        });
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        let text = fitted(text);
        check_text(&text, had_errors)?;
        return Ok(Decoded {
            text,
            encoding: name(enc),
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        check_text(s, false)?;
        return Ok(Decoded {
            text: Cow::Borrowed(s),
            encoding: "UTF-8",
        });
    }
    // Legacy Japanese encodings: the one with fewer errors, then the one
    // that reads more like Japanese.
    let mut best: Option<(usize, i64, &'static Encoding, usize)> = None;
    for enc in [SHIFT_JIS, EUC_JP] {
        let (errors, score, len) = measure(enc, bytes);
        let better = match &best {
            None => true,
            Some((e, s, _, _)) => errors < *e || (errors == *e && score > *s),
        };
        if better {
            best = Some((errors, score, enc, len));
        }
    }
    let (errors, _, enc, len) = best.ok_or(NotText::Binary { bad: 0, total: 0 })?;
    // Decoded once, into a string of the size measured.
    let mut text = String::with_capacity(len);
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut src = bytes;
    loop {
        let (result, read, _) = decoder.decode_to_string(src, &mut text, true);
        src = &src[read..];
        if result == CoderResult::InputEmpty {
            break;
        }
        text.reserve(16);
    }
    let text = Cow::Owned(text);
    check_text(&text, errors > 0)?;
    Ok(Decoded {
        text,
        encoding: name(enc),
    })
}

/// How `bytes` read in `enc`: replacement characters (undecodable bytes),
/// the Japanese score and the length in UTF-8, decoded a chunk at a time.
fn measure(enc: &'static Encoding, bytes: &[u8]) -> (usize, i64, usize) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut chunk = String::with_capacity(64 << 10);
    let (mut errors, mut score, mut len) = (0, 0, 0);
    let mut src = bytes;
    loop {
        chunk.clear();
        let (result, read, _) = decoder.decode_to_string(src, &mut chunk, true);
        errors += chunk.matches('\u{FFFD}').count();
        score += japanese_score(&chunk);
        len += chunk.len();
        src = &src[read..];
        if result == CoderResult::InputEmpty {
            return (errors, score, len);
        }
    }
}

/// A decoded text held at its size (the decoder allocates for the worst case).
fn fitted(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Owned(mut s) => {
            s.shrink_to_fit();
            Cow::Owned(s)
        }
        b => b,
    }
}

fn name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "UTF-8"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else if enc == SHIFT_JIS {
        "Shift_JIS"
    } else if enc == EUC_JP {
        "EUC-JP"
    } else {
        enc.name()
    }
}

/// UTF-16 without a byte-order mark: most odd (LE) or even (BE) bytes of
/// the first kilobyte are zero in ASCII-heavy text; in Japanese text the
/// high bytes sit in 0x30 (kana) and 0x4E–0x9F (kanji). Only a clear
/// majority of zero bytes in one column decides.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(1024) & !1;
    if n < 16 {
        return None;
    }
    let (mut even_zero, mut odd_zero) = (0, 0);
    for (i, b) in bytes[..n].iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even_zero += 1;
            } else {
                odd_zero += 1;
            }
        }
    }
    let pairs = n / 2;
    if odd_zero * 10 > pairs * 3 && even_zero * 20 < pairs {
        Some(UTF_16LE)
    } else if even_zero * 10 > pairs * 3 && odd_zero * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Kana and common kanji score; half-width katakana and symbols a wrong
/// decoding produces cost.
fn japanese_score(text: &str) -> i64 {
    let mut score = 0i64;
    for c in text.chars() {
        score += match c {
            '\u{3040}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' => 2,
            '\u{4E00}'..='\u{9FFF}' => 1,
            '\u{FF61}'..='\u{FF9F}' => -2,
            '\u{FFFD}' => -5,
            _ => 0,
        };
    }
    score
}

/// Text has few control characters and few undecodable bytes.
fn check_text(text: &str, _had_errors: bool) -> Result<(), NotText> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        let is_bad = c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'));
        if is_bad {
            bad += 1;
        }
    }
    // A few stray bytes in a long release are damage, not binary.
    if total == 0 || bad * 100 > total || (total < 200 && bad > 2) {
        return Err(NotText::Binary { bad, total });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "区の目標（何をめざすのか）\r\n「暮らして楽しい」「遊んで楽しい」まち 港区の実現\r\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode(SAMPLE.as_bytes()).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!((d.encoding, &*d.text), ("UTF-8", SAMPLE));
    }

    #[test]
    fn shift_jis_and_euc_jp() {
        let (sjis, _, _) = SHIFT_JIS.encode(SAMPLE);
        let d = decode(&sjis).unwrap();
        assert_eq!((d.encoding, &*d.text), ("Shift_JIS", SAMPLE));
        let (euc, _, _) = EUC_JP.encode(SAMPLE);
        let d = decode(&euc).unwrap();
        assert_eq!((d.encoding, &*d.text), ("EUC-JP", SAMPLE));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in SAMPLE.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!((d.encoding, &*d.text), ("UTF-16LE", SAMPLE));
        let mut be = vec![0xFE, 0xFF];
        for u in SAMPLE.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn binary_is_not_text() {
        let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        assert!(matches!(decode(&bytes), Err(NotText::Binary { .. })));
    }
}
