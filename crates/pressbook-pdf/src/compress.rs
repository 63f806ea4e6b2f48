//! Stream compression (zlib), done here so that every stream is compressed
//! in parallel where it is made.

use std::io::Write;

/// Text, fonts and maps: level 3. Level 9 made a 300-page digest's build a
/// fifth slower for a file 15 % smaller (1.40 MB at level 6, 1.67 MB at
/// level 3, 2.53 MB at level 1, measured with the old writer).
pub(super) const LEVEL: u32 = 3;
/// Pixels are few streams but most of the bytes, and compress far better
/// at a higher level (the sample's photo: 26.6 KB at 3, 9.4 KB at 9).
pub(super) const IMAGE_LEVEL: u32 = 9;

/// `data` compressed at `level`, or `None` when that would not make it
/// smaller (the stream is then written as it is).
pub(super) fn deflate(data: &[u8], level: u32) -> Option<Vec<u8>> {
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::new(level),
    );
    z.write_all(data).ok()?;
    let packed = z.finish().ok()?;
    (packed.len() + 19 < data.len()).then_some(packed)
}

/// Writes `data` as the stream `id`, compressed when that pays; returns the
/// stream for its dictionary entries.
pub(super) fn stream<'a>(
    pdf: &'a mut pdf_writer::Chunk,
    id: pdf_writer::Ref,
    data: &'a Packed,
) -> pdf_writer::Stream<'a> {
    let mut s = pdf.stream(id, &data.bytes);
    if data.deflated {
        s.filter(pdf_writer::Filter::FlateDecode);
    }
    s
}

/// Stream bytes, compressed or as they were.
pub(super) struct Packed {
    pub bytes: Vec<u8>,
    pub deflated: bool,
}

impl Packed {
    pub fn new(data: Vec<u8>, level: u32) -> Packed {
        match deflate(&data, level) {
            Some(bytes) => Packed {
                bytes,
                deflated: true,
            },
            None => Packed {
                bytes: data,
                deflated: false,
            },
        }
    }

    /// Bytes already in their final encoding (a JPEG).
    pub fn raw(bytes: Vec<u8>) -> Packed {
        Packed {
            bytes,
            deflated: false,
        }
    }
}
