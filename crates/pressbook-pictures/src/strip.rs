//! Lossless work on encoded files: which pictures every reader shows as
//! they are, and their metadata (EXIF with GPS, XMP, comments, text
//! chunks) cut out without touching the image data.

use image::ExtendedColorType;
use pressbook_model::model::ImageFormat;

/// Whether a picture can go into a book as it is: baseline JPEG in grey or
/// RGB, PNG of 8 bits or fewer per sample, a GIF; not progressive (slow on
/// e-ink), CMYK (shown inverted by some readers) or 16-bit.
pub fn keeps_as_is(format: ImageFormat, color: ExtendedColorType, data: &[u8]) -> bool {
    use ExtendedColorType::*;
    match format {
        ImageFormat::Jpeg => matches!(color, L8 | Rgb8) && !progressive(data),
        ImageFormat::Png => !matches!(color, L16 | La16 | Rgb16 | Rgba16),
        ImageFormat::Gif => true,
        _ => false,
    }
}

/// Whether a JPEG is progressive (an SOF2 marker before the scan).
fn progressive(data: &[u8]) -> bool {
    jpeg_segments(data).any(|(marker, _)| matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE))
}

/// The JPEG's markers and segment ranges up to the start of scan.
fn jpeg_segments(data: &[u8]) -> impl Iterator<Item = (u8, std::ops::Range<usize>)> + '_ {
    let mut i = 2;
    std::iter::from_fn(move || {
        if i + 4 > data.len() || data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        if marker == 0xDA {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
        let range = i..(i + 2 + len).min(data.len());
        i = range.end;
        Some((marker, range))
    })
}

/// The file without its metadata: JPEG APP1 (EXIF, XMP), APP13
/// (Photoshop/IPTC) and comments; PNG eXIf, text and time chunks. The
/// same bytes when there is none.
pub fn metadata(format: ImageFormat, data: &[u8]) -> Vec<u8> {
    match format {
        ImageFormat::Jpeg => {
            let cut: Vec<_> = jpeg_segments(data)
                .filter(|(m, _)| matches!(m, 0xE1 | 0xED | 0xFE))
                .map(|(_, r)| r)
                .collect();
            remove(data, &cut)
        }
        ImageFormat::Png => {
            let cut: Vec<_> = png_chunks(data)
                .filter(|(t, _)| matches!(t, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME"))
                .map(|(_, r)| r)
                .collect();
            remove(data, &cut)
        }
        _ => data.to_vec(),
    }
}

fn remove(data: &[u8], cut: &[std::ops::Range<usize>]) -> Vec<u8> {
    if cut.is_empty() {
        return data.to_vec();
    }
    let mut out = Vec::with_capacity(data.len());
    let mut at = 0;
    for r in cut {
        out.extend_from_slice(&data[at..r.start]);
        at = r.end;
    }
    out.extend_from_slice(&data[at..]);
    out
}

/// PNG chunks (type, whole range including length and CRC).
fn png_chunks(data: &[u8]) -> impl Iterator<Item = ([u8; 4], std::ops::Range<usize>)> + '_ {
    let mut i = 8;
    std::iter::from_fn(move || {
        if i + 12 > data.len() {
            return None;
        }
        let len = u32::from_be_bytes(data[i..i + 4].try_into().ok()?) as usize;
        let kind: [u8; 4] = data[i + 4..i + 8].try_into().ok()?;
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > data.len() {
            return None;
        }
        let r = i..end;
        i = end;
        Some((kind, r))
    })
}

/// How many frames a GIF has (2 means "more than one"; stops there).
pub fn gif_frames(data: &[u8]) -> usize {
    use image::AnimationDecoder;
    let Ok(d) = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(data)) else {
        return 0;
    };
    d.into_frames().take(2).filter(Result::is_ok).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_and_comments_are_cut_from_a_jpeg_and_the_rest_kept() {
        // SOI, APP0 (JFIF), APP1 (Exif), COM, DQT…, SOS.
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend([0xFF, 0xE0, 0, 4, b'J', b'F']);
        jpeg.extend([0xFF, 0xE1, 0, 6, b'E', b'x', b'i', b'f']);
        jpeg.extend([0xFF, 0xFE, 0, 3, b'c']);
        jpeg.extend([0xFF, 0xDB, 0, 3, 9]);
        jpeg.extend([0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        let out = metadata(ImageFormat::Jpeg, &jpeg);
        assert!(!out.windows(4).any(|w| w == b"Exif"));
        assert!(out.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 4, b'J', b'F', 0xFF, 0xDB]));
        assert!(out.ends_with(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]));
        assert!(!progressive(&out));
    }
}
