//! Object streams and a cross-reference stream (PDF 1.5; PDF/A-2 allows
//! both). A tagged digest is mostly small dictionaries (structure
//! elements, annotations, destinations, page objects), and pdf-writer
//! writes each one at the top level of the file with a 20-byte entry in a
//! plain cross-reference table. Packing them into compressed object
//! streams makes the sample corpus's PDF about a quarter smaller.
//!
//! This is a pass over the finished file rather than a second way of
//! writing objects, so every other module keeps writing with pdf-writer
//! as it did: the offsets come from the cross-reference table pdf-writer
//! wrote, every object not a stream moves into an object stream unchanged,
//! and streams (content, fonts, images, the XMP metadata, which PDF/A
//! requires to stay uncompressed) are copied byte for byte.

use pdf_writer::{Chunk, Filter, Finish, Name, Ref, Str};

use crate::compress;

/// What the file trailer points at; with a cross-reference stream it goes
/// into that stream's dictionary.
pub(super) struct Trailer {
    pub root: Ref,
    pub info: Ref,
    pub id: (Vec<u8>, Vec<u8>),
}

/// Objects per object stream. A reader decompresses a whole stream to
/// reach one object in it, so they are kept small enough for that to be
/// instant; past 100 the file hardly gets smaller (qpdf packs 100 too).
const PER_STREAM: usize = 100;

/// Compression of the object streams: few bytes in all, and repetitive
/// (the same keys in every structure element), so the best level pays.
const LEVEL: u32 = 9;

/// Where object `n` ends up in the packed file.
#[derive(Clone, Copy)]
enum Entry {
    Free,
    /// At this byte offset of the file.
    Top(usize),
    /// In object stream `stream`, at position `index`.
    Packed {
        stream: i32,
        index: u16,
    },
}

/// The file pdf-writer finished (with `Pdf::finish`), rewritten with its
/// small objects in object streams and a cross-reference stream.
pub(super) fn pack(file: &[u8], trailer: &Trailer) -> Vec<u8> {
    let objects = objects(file);
    let first = objects.first().map_or(file.len(), |o| o.start);
    let mut out = Vec::with_capacity(file.len());
    out.extend_from_slice(&file[..first]);
    let size = objects.iter().map(|o| o.id).max().unwrap_or(0) as usize + 1;
    let mut entries = vec![Entry::Free; size];
    let mut small = Vec::new();
    for o in &objects {
        let bytes = &file[o.start..o.end];
        match body(bytes, o.id) {
            Some(body) if !is_stream(body) => small.push((o.id, body)),
            _ => {
                entries[o.id as usize] = Entry::Top(out.len());
                out.extend_from_slice(bytes);
            }
        }
    }
    let mut next_id = size as i32;
    for group in small.chunks(PER_STREAM) {
        let id = next_id;
        next_id += 1;
        for (index, &(n, _)) in group.iter().enumerate() {
            entries[n as usize] = Entry::Packed {
                stream: id,
                index: index as u16,
            };
        }
        entries.push(Entry::Top(out.len()));
        write_object_stream(&mut out, Ref::new(id), group);
    }
    let xref = Ref::new(next_id);
    entries.push(Entry::Top(out.len()));
    let start = out.len();
    write_xref_stream(&mut out, xref, &entries, trailer);
    out.extend_from_slice(format!("startxref\n{start}\n%%EOF").as_bytes());
    out
}

/// One top-level object of the finished file: its number and byte range.
struct Object {
    id: i32,
    start: usize,
    end: usize,
}

/// The file's objects in file order, read from the cross-reference table
/// pdf-writer wrote (`xref`, `0 N`, then N entries of 20 bytes); an object
/// runs up to the next one, the last up to the table.
fn objects(file: &[u8]) -> Vec<Object> {
    let xref_at = startxref(file);
    let table = &file[xref_at..];
    let header_end = table
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .nth(1)
        .map_or(table.len(), |(i, _)| i + 1);
    let mut found: Vec<Object> = table[header_end..]
        .chunks_exact(20)
        .take_while(|e| e[17] == b'n' || e[17] == b'f')
        .enumerate()
        .filter(|(_, e)| e[17] == b'n')
        .filter_map(|(id, e)| {
            let offset = std::str::from_utf8(&e[..10]).ok()?.parse().ok()?;
            Some(Object {
                id: id as i32,
                start: offset,
                end: 0,
            })
        })
        .collect();
    found.sort_by_key(|o| o.start);
    let ends: Vec<usize> = found
        .iter()
        .skip(1)
        .map(|o| o.start)
        .chain([xref_at])
        .collect();
    for (o, end) in found.iter_mut().zip(ends) {
        o.end = end;
    }
    found
}

/// The offset after the file's last `startxref`.
fn startxref(file: &[u8]) -> usize {
    let key = b"startxref";
    let at = file
        .windows(key.len())
        .rposition(|w| w == key)
        .map_or(file.len(), |i| i + key.len());
    String::from_utf8_lossy(&file[at..])
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(file.len())
}

/// The object's value without `N 0 obj` and `endobj`, or `None` when the
/// bytes are not one object numbered `id`.
fn body(object: &[u8], id: i32) -> Option<&[u8]> {
    let head = format!("{id} 0 obj");
    let rest = object.strip_prefix(head.as_bytes())?;
    let rest = rest.trim_ascii().strip_suffix(b"endobj")?;
    Some(rest.trim_ascii())
}

fn is_stream(body: &[u8]) -> bool {
    body.ends_with(b"endstream")
}

/// An object stream: `N` pairs of object number and offset, then the
/// objects, compressed.
fn write_object_stream(out: &mut Vec<u8>, id: Ref, group: &[(i32, &[u8])]) {
    let mut index = String::new();
    let mut objects = Vec::new();
    for (n, body) in group {
        index.push_str(&format!("{n} {} ", objects.len()));
        objects.extend_from_slice(body);
        objects.push(b'\n');
    }
    let first = index.len();
    let mut data = index.into_bytes();
    data.extend_from_slice(&objects);
    let packed = compress::Packed::new(data, LEVEL);
    let mut chunk = Chunk::with_settings(pdf_writer::Settings { pretty: false });
    let mut s = compress::stream(&mut chunk, id, &packed);
    s.pair(Name(b"Type"), Name(b"ObjStm"))
        .pair(Name(b"N"), group.len() as i32)
        .pair(Name(b"First"), first as i32);
    s.finish();
    out.extend_from_slice(chunk.as_bytes());
}

/// The cross-reference stream, which also carries the trailer's entries.
fn write_xref_stream(out: &mut Vec<u8>, id: Ref, entries: &[Entry], trailer: &Trailer) {
    let width = (usize::BITS - out.len().leading_zeros()).div_ceil(8).max(1) as usize;
    let mut data = Vec::with_capacity(entries.len() * (width + 3));
    let mut field = |kind: u8, value: usize, last: u16| {
        data.push(kind);
        data.extend_from_slice(&value.to_be_bytes()[8 - width..]);
        data.extend_from_slice(&last.to_be_bytes());
    };
    // Free objects form a list from object 0, the last back to 0.
    let free: Vec<usize> = (1..entries.len())
        .filter(|&n| matches!(entries[n], Entry::Free))
        .collect();
    let next_free = |n: usize| free.iter().copied().find(|&f| f > n).unwrap_or(0);
    for (n, entry) in entries.iter().enumerate() {
        match *entry {
            Entry::Free if n == 0 => field(0, next_free(0), 65535),
            Entry::Free => field(0, next_free(n), 0),
            Entry::Top(offset) => field(1, offset, 0),
            Entry::Packed { stream, index } => field(2, stream as usize, index),
        }
    }
    let packed = compress::Packed::new(data, LEVEL);
    let mut chunk = Chunk::with_settings(pdf_writer::Settings { pretty: false });
    let mut s = chunk.stream(id, &packed.bytes);
    if packed.deflated {
        s.filter(Filter::FlateDecode);
    }
    s.pair(Name(b"Type"), Name(b"XRef"))
        .pair(Name(b"Size"), entries.len() as i32)
        .pair(Name(b"Root"), trailer.root)
        .pair(Name(b"Info"), trailer.info);
    s.insert(Name(b"ID"))
        .array()
        .item(Str(&trailer.id.0))
        .item(Str(&trailer.id.1));
    s.insert(Name(b"W"))
        .array()
        .item(1)
        .item(width as i32)
        .item(2);
    s.finish();
    out.extend_from_slice(chunk.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::{Pdf, TextStr};
    use std::io::Read;

    /// A small file as the writer makes one: pages, an info dictionary and
    /// a content stream.
    fn sample() -> (Vec<u8>, Trailer) {
        let mut pdf = Pdf::with_settings(pdf_writer::Settings { pretty: false });
        let [catalog, tree, page, content, info] = [1, 2, 3, 4, 6].map(Ref::new);
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids([page]).count(1);
        let mut p = pdf.page(page);
        p.parent(tree).contents(content);
        p.finish();
        pdf.stream(content, b"BT ET endobj 7 0 obj").finish();
        pdf.document_info(info)
            .title(TextStr("A (title) \\ endobj"));
        let id = (b"0123456789abcdef".to_vec(), b"0123456789abcdef".to_vec());
        pdf.set_file_id(id.clone());
        let trailer = Trailer {
            root: catalog,
            info,
            id,
        };
        (pdf.finish(), trailer)
    }

    /// The packed file read back by hand: every object of the original is
    /// found where the cross-reference stream says, with the same value.
    #[test]
    fn every_object_is_where_the_xref_stream_says() {
        let (file, trailer) = sample();
        let packed = pack(&file, &trailer);
        let xref_at = startxref(&packed);
        let xref = &packed[xref_at..];
        // Objects 1 to 6, then the object stream (7), then the xref stream (8).
        assert!(
            xref.starts_with(b"8 0 obj"),
            "{}",
            String::from_utf8_lossy(xref)
        );
        let dict =
            String::from_utf8_lossy(&xref[..xref.windows(6).position(|w| w == b"stream").unwrap()]);
        assert!(dict.contains("/Type/XRef"), "{dict}");
        assert!(
            dict.contains("/Root 1 0 R") && dict.contains("/Info 6 0 R"),
            "{dict}"
        );
        assert!(dict.contains("/Size 9"), "{dict}");
        let rows = inflate(stream_data(xref));
        let width = rows.len() / 9 - 3;
        let row = |n: usize| {
            let r = &rows[n * (width + 3)..(n + 1) * (width + 3)];
            let mid = r[1..1 + width]
                .iter()
                .fold(0usize, |a, &b| a << 8 | b as usize);
            (r[0], mid, u16::from_be_bytes([r[1 + width], r[2 + width]]))
        };
        assert_eq!(row(0), (0, 5, 65535), "free list starts at 5");
        assert_eq!(row(5), (0, 0, 0));
        // The content stream stays at the top level, byte for byte.
        let (kind, at, _) = row(4);
        assert_eq!(kind, 1);
        assert!(packed[at..].starts_with(b"4 0 obj\n<</Length 20>>\nstream\nBT ET endobj 7 0 obj"));
        let objstm = row(1).1;
        assert_eq!(objstm, 7);
        let at = match row(objstm) {
            (1, at, _) => at,
            other => panic!("object stream entry {other:?}"),
        };
        let data = inflate(stream_data(&packed[at..]));
        let text = String::from_utf8_lossy(&data);
        for (n, value) in [
            (1, "/Type/Catalog"),
            (2, "/Type/Pages"),
            (3, "/Type/Page"),
            (6, "\\\\ endobj)"),
        ] {
            let (kind, stream, index) = row(n);
            assert_eq!((kind, stream), (2, objstm), "object {n}");
            let pairs: Vec<usize> = text
                .split_whitespace()
                .take(8)
                .map(|x| x.parse().unwrap())
                .collect();
            assert_eq!(pairs[index as usize * 2], n);
            assert!(text.contains(value), "{value} in {text}");
        }
    }

    fn stream_data(object: &[u8]) -> &[u8] {
        let s = object.windows(7).position(|w| w == b"stream\n").unwrap() + 7;
        let e = object
            .windows(10)
            .position(|w| w == b"\nendstream")
            .unwrap();
        &object[s..e]
    }

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .map(|_| out)
            .unwrap_or_else(|_| data.to_vec())
    }

    #[test]
    fn same_file_same_bytes() {
        let (file, trailer) = sample();
        assert_eq!(pack(&file, &trailer), pack(&file, &trailer));
    }
}
