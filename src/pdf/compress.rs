//! Stream compression, done by us rather than lopdf.

use std::io::Write;

use rayon::prelude::*;

/// A content stream, compressed as [`compress`] would.
pub(super) fn stream(content: Vec<u8>) -> lopdf::Stream {
    let mut s = lopdf::Stream::new(lopdf::Dictionary::new(), content);
    deflate(&mut s, LEVEL);
    s
}

/// Text and fonts: see [`compress`].
const LEVEL: u32 = 3;
/// Pixels are few streams but most of the bytes, and compress far better
/// at a higher level (the sample's photo: 26.6 KB at 3, 9.4 KB at 9).
pub(super) const IMAGE_LEVEL: u32 = 9;

/// Compresses every stream that is not yet compressed, in parallel, at
/// zlib level 3. lopdf's own pass uses level 9; on a 300-page digest that
/// is a fifth of the build for a file 15 % smaller than level 3 gives
/// (1.40 MB at level 6, 1.67 MB at level 3, 2.53 MB at level 1).
pub(super) fn compress(doc: &mut lopdf::Document) {
    doc.objects.par_iter_mut().for_each(|(_, obj)| {
        if let lopdf::Object::Stream(s) = obj {
            deflate(s, LEVEL);
        }
    });
}

/// Compresses `s` at `level` unless it is compressed already or would not
/// get smaller.
pub(super) fn deflate(s: &mut lopdf::Stream, level: u32) {
    if !s.allows_compression || s.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(s.content.len() / 3),
        flate2::Compression::new(level),
    );
    if z.write_all(&s.content).is_err() {
        return;
    }
    if let Ok(packed) = z.finish() {
        if packed.len() + 19 < s.content.len() {
            s.dict.set("Filter", "FlateDecode");
            s.set_content(packed);
        }
    }
}
