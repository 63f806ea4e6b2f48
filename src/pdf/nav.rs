//! What makes a PDF navigable, added to the serialized document: a nested
//! outline (bookmarks), named destinations, internal links, the document
//! information dictionary, XMP metadata, `/Lang` and a stable file id.
//!
//! printpdf writes pages and fonts well but knows only flat bookmarks and no
//! named destinations, so this step edits its lopdf document before saving.
//! Positions here are in points from the top-left corner of the page, as in
//! the layout; they are flipped to PDF's bottom-left origin on the way in.

use chrono::{DateTime, Utc};
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::xml::Xml;

/// One bookmark and those nested under it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineNode {
    pub title: String,
    /// Named destination the bookmark jumps to.
    pub dest: String,
    /// Whether its children are shown when the outline opens.
    pub open: bool,
    pub children: Vec<OutlineNode>,
}

/// A named place on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    pub name: String,
    /// 0-based page index.
    pub page: usize,
    /// Distance from the top of the page, in points.
    pub y: f32,
}

/// A clickable area that jumps to a named destination.
#[derive(Debug, Clone, PartialEq)]
pub struct InternalLink {
    pub page: usize,
    /// Left, top, width, height, in points from the top-left corner.
    pub rect: [f32; 4],
    pub dest: String,
}

/// Document-level metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    pub title: String,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Vec<String>,
    pub creator: String,
    pub producer: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub language: String,
    pub uuid: uuid::Uuid,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navigation {
    pub outline: Vec<OutlineNode>,
    pub destinations: Vec<Destination>,
    pub links: Vec<InternalLink>,
    /// Pages before the body: labelled i, ii, … in a viewer, the body 1, 2, …
    /// so that the viewer's page numbers are the printed folios.
    pub front_pages: usize,
}

/// Adds navigation and metadata to `doc` (pages as printpdf wrote them).
pub fn apply(doc: &mut Document, nav: &Navigation, info: &DocInfo) -> anyhow::Result<()> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let heights: Vec<f32> = pages
        .iter()
        .map(|&p| page_height(doc, p).unwrap_or(842.0))
        .collect();
    let height = |page: usize| heights[page];

    // Named destinations, sorted by name as the name tree requires.
    let mut dests: Vec<&Destination> = nav
        .destinations
        .iter()
        .filter(|d| d.page < pages.len())
        .collect();
    dests.sort_by_cached_key(|d| dest_bytes(&d.name));
    dests.dedup_by(|a, b| a.name == b.name);
    let mut names = Vec::with_capacity(dests.len() * 2);
    for d in &dests {
        let top = height(d.page) - d.y;
        names.push(dest_name(&d.name));
        names.push(Object::Array(vec![
            Object::Reference(pages[d.page]),
            "XYZ".into(),
            Object::Null,
            Object::Real(top),
            Object::Null,
        ]));
    }
    let dests_id = doc.add_object(dictionary! { "Names" => names });
    let names_id = doc.add_object(dictionary! { "Dests" => Object::Reference(dests_id) });

    // Internal links, added to each page's annotations.
    for link in nav.links.iter().filter(|l| l.page < pages.len()) {
        let h = height(link.page);
        let [x, y, w, lh] = link.rect;
        let annot = doc.add_object(dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => vec![Object::Real(x), Object::Real(h - y - lh), Object::Real(x + w), Object::Real(h - y)],
            "Border" => vec![0.into(), 0.into(), 0.into()],
            "Dest" => dest_name(&link.dest),
        });
        let page = doc.get_object_mut(pages[link.page])?.as_dict_mut()?;
        match page.get_mut(b"Annots") {
            Ok(Object::Array(a)) => a.push(Object::Reference(annot)),
            _ => page.set("Annots", vec![Object::Reference(annot)]),
        }
    }

    let outline_id = if nav.outline.is_empty() {
        None
    } else {
        let root = doc.new_object_id();
        let (first, last, count) = outline_level(doc, &nav.outline, root);
        doc.set_object(
            root,
            dictionary! {
                "Type" => "Outlines",
                "First" => Object::Reference(first),
                "Last" => Object::Reference(last),
                "Count" => count,
            },
        );
        Some(root)
    };

    let xmp = xmp(info);
    let mut meta_stream = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.into_bytes(),
    );
    meta_stream.allows_compression = false; // XMP stays readable by any tool
    let metadata_id = doc.add_object(meta_stream);

    let catalog = doc.catalog_mut()?;
    if nav.front_pages > 0 {
        catalog.set(
            "PageLabels",
            dictionary! {
                "Nums" => vec![
                    0.into(),
                    dictionary! { "S" => "r" }.into(),
                    (nav.front_pages as i64).into(),
                    dictionary! { "S" => "D" }.into(),
                ],
            },
        );
    }
    catalog.set("Names", Object::Reference(names_id));
    catalog.set("Lang", text(&info.language));
    catalog.set("Metadata", Object::Reference(metadata_id));
    if let Some(root) = outline_id {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", "UseOutlines");
    }

    let mut d = Dictionary::new();
    d.set("Title", text(&info.title));
    if let Some(a) = &info.author {
        d.set("Author", text(a));
    }
    if let Some(s) = &info.subject {
        d.set("Subject", text(s));
    }
    if !info.keywords.is_empty() {
        d.set("Keywords", text(&info.keywords.join(", ")));
    }
    d.set("Creator", text(&info.creator));
    d.set("Producer", text(&info.producer));
    d.set("CreationDate", text(&pdf_date(info.created)));
    d.set("ModDate", text(&pdf_date(info.modified)));
    let info_id = doc.add_object(d);
    doc.trailer.set("Info", Object::Reference(info_id));
    // The file id comes from the digest's identifier, not a random source.
    let id = info.uuid.as_bytes().to_vec();
    doc.trailer.set(
        "ID",
        vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ],
    );
    Ok(())
}

fn page_height(doc: &Document, page: ObjectId) -> Option<f32> {
    let dict = doc.get_object(page).ok()?.as_dict().ok()?;
    let mb = dict.get(b"MediaBox").ok()?.as_array().ok()?;
    let num = |o: &Object| {
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|i| i as f32))
    };
    Some(num(mb.get(3)?)? - num(mb.get(1)?)?)
}

/// Writes one level of the outline under `parent`; returns the first and
/// last item and the number of visible descendants.
fn outline_level(
    doc: &mut Document,
    nodes: &[OutlineNode],
    parent: ObjectId,
) -> (ObjectId, ObjectId, i64) {
    let ids: Vec<ObjectId> = nodes.iter().map(|_| doc.new_object_id()).collect();
    let mut visible = 0;
    for (i, node) in nodes.iter().enumerate() {
        let mut d = dictionary! {
            "Title" => text(&node.title),
            "Parent" => Object::Reference(parent),
            "Dest" => dest_name(&node.dest),
        };
        if i > 0 {
            d.set("Prev", Object::Reference(ids[i - 1]));
        }
        if i + 1 < ids.len() {
            d.set("Next", Object::Reference(ids[i + 1]));
        }
        visible += 1;
        if !node.children.is_empty() {
            let (first, last, count) = outline_level(doc, &node.children, ids[i]);
            d.set("First", Object::Reference(first));
            d.set("Last", Object::Reference(last));
            // A negative count means "closed" with that many hidden items.
            d.set("Count", if node.open { count } else { -count });
            if node.open {
                visible += count;
            }
        }
        doc.set_object(ids[i], d);
    }
    (ids[0], ids[ids.len() - 1], visible)
}

/// A destination name as a PDF string. Names are byte strings that readers
/// decode differently, so anything outside plain ASCII is percent-encoded
/// (article ids may hold any script).
fn dest_name(name: &str) -> Object {
    Object::String(dest_bytes(name), StringFormat::Literal)
}

fn dest_bytes(name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    for &b in name.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_./".contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// A PDF text string: PDFDocEncoding-safe ASCII as is, anything else as
/// UTF-16BE with a byte-order mark.
fn text(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn pdf_date(t: DateTime<Utc>) -> String {
    t.format("D:%Y%m%d%H%M%S+00'00'").to_string()
}

/// The XMP packet: the same fields as the information dictionary.
pub fn xmp(info: &DocInfo) -> String {
    let iso = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut x = Xml::new();
    x.raw("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.open("x:xmpmeta", &[("xmlns:x", "adobe:ns:meta/")]);
    x.open(
        "rdf:RDF",
        &[("xmlns:rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")],
    );
    x.open(
        "rdf:Description",
        &[
            ("rdf:about", ""),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:xmp", "http://ns.adobe.com/xap/1.0/"),
            ("xmlns:pdf", "http://ns.adobe.com/pdf/1.3/"),
            ("xmlns:xmpMM", "http://ns.adobe.com/xap/1.0/mm/"),
        ],
    )
    .newline();
    let alt = |x: &mut Xml, tag: &str, value: &str| {
        x.open(tag, &[]).open("rdf:Alt", &[]);
        x.element("rdf:li", &[("xml:lang", "x-default")], value);
        x.close("rdf:Alt").close(tag).newline();
    };
    alt(&mut x, "dc:title", &info.title);
    if let Some(s) = &info.subject {
        alt(&mut x, "dc:description", s);
    }
    if let Some(a) = &info.author {
        x.open("dc:creator", &[]).open("rdf:Seq", &[]);
        x.element("rdf:li", &[], a);
        x.close("rdf:Seq").close("dc:creator").newline();
    }
    if !info.keywords.is_empty() {
        x.open("dc:subject", &[]).open("rdf:Bag", &[]);
        for k in &info.keywords {
            x.element("rdf:li", &[], k);
        }
        x.close("rdf:Bag").close("dc:subject").newline();
    }
    x.open("dc:language", &[]).open("rdf:Bag", &[]);
    x.element("rdf:li", &[], &info.language);
    x.close("rdf:Bag").close("dc:language").newline();
    x.element("dc:format", &[], "application/pdf").newline();
    x.element("xmp:CreatorTool", &[], &info.creator).newline();
    x.element("xmp:CreateDate", &[], &iso(info.created))
        .newline();
    x.element("xmp:ModifyDate", &[], &iso(info.modified))
        .newline();
    x.element("xmp:MetadataDate", &[], &iso(info.modified))
        .newline();
    x.element("pdf:Producer", &[], &info.producer).newline();
    if !info.keywords.is_empty() {
        x.element("pdf:Keywords", &[], &info.keywords.join(", "))
            .newline();
    }
    x.element("xmpMM:DocumentID", &[], &format!("uuid:{}", info.uuid))
        .newline();
    x.close("rdf:Description")
        .close("rdf:RDF")
        .close("x:xmpmeta")
        .newline();
    x.raw("<?xpacket end=\"w\"?>");
    x.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_page_doc() -> Document {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let kids: Vec<Object> = (0..2)
            .map(|_| {
                Object::Reference(doc.add_object(dictionary! {
                    "Type" => "Page",
                    "Parent" => Object::Reference(pages_id),
                    "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
                }))
            })
            .collect();
        doc.set_object(
            pages_id,
            dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 },
        );
        let catalog = doc.add_object(
            dictionary! { "Type" => "Catalog", "Pages" => Object::Reference(pages_id) },
        );
        doc.trailer.set("Root", Object::Reference(catalog));
        doc
    }

    fn info() -> DocInfo {
        let t = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        DocInfo {
            title: "Frontline Weekly".into(),
            author: Some("Ines Varga".into()),
            subject: Some("A <briefing> & more".into()),
            keywords: vec!["World".into(), "Science".into()],
            creator: "pressbook 0.1.0".into(),
            producer: "pressbook 0.1.0".into(),
            created: t,
            modified: t,
            language: "en-GB".into(),
            uuid: uuid::Uuid::nil(),
        }
    }

    #[test]
    fn outline_dests_links_and_metadata() {
        let mut doc = two_page_doc();
        let nav = Navigation {
            outline: vec![OutlineNode {
                title: "World".into(),
                dest: "s1".into(),
                open: true,
                children: vec![
                    OutlineNode {
                        title: "Ωmega".into(),
                        dest: "a1".into(),
                        open: false,
                        children: vec![OutlineNode {
                            title: "Sub".into(),
                            dest: "a1/sub".into(),
                            open: false,
                            children: vec![],
                        }],
                    },
                    OutlineNode {
                        title: "Two".into(),
                        dest: "a2".into(),
                        open: false,
                        children: vec![],
                    },
                ],
            }],
            destinations: vec![
                Destination {
                    name: "a2".into(),
                    page: 1,
                    y: 100.0,
                },
                Destination {
                    name: "a1".into(),
                    page: 0,
                    y: 50.0,
                },
                Destination {
                    name: "s1".into(),
                    page: 0,
                    y: 0.0,
                },
                Destination {
                    name: "a1/sub".into(),
                    page: 0,
                    y: 400.0,
                },
            ],
            links: vec![InternalLink {
                page: 0,
                rect: [10.0, 20.0, 100.0, 12.0],
                dest: "a2".into(),
            }],
            front_pages: 1,
        };
        apply(&mut doc, &nav, &info()).unwrap();
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let doc = Document::load_mem(&bytes).unwrap();
        let catalog = doc.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en-GB");
        let labels = catalog.get(b"PageLabels").unwrap().as_dict().unwrap();
        let nums = labels.get(b"Nums").unwrap().as_array().unwrap();
        assert_eq!(nums[2].as_i64().unwrap(), 1, "the body starts on page 2");
        // The outline: World (open, 3 visible: itself's 2 children + 0), Ωmega closed.
        let outlines = doc
            .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 3);
        let world = doc
            .get_dictionary(outlines.get(b"First").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(world.get(b"Title").unwrap().as_str().unwrap(), b"World");
        let omega = doc
            .get_dictionary(world.get(b"First").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(omega.get(b"Count").unwrap().as_i64().unwrap(), -1);
        assert_eq!(
            &omega.get(b"Title").unwrap().as_str().unwrap()[..4],
            &[0xFE, 0xFF, 0x03, 0xA9]
        );
        // Named destinations are sorted and flipped to PDF coordinates.
        let names = doc
            .get_dictionary(catalog.get(b"Names").unwrap().as_reference().unwrap())
            .unwrap();
        let dests = doc
            .get_dictionary(names.get(b"Dests").unwrap().as_reference().unwrap())
            .unwrap();
        let arr = dests.get(b"Names").unwrap().as_array().unwrap();
        let keys: Vec<&[u8]> = arr.iter().step_by(2).map(|o| o.as_str().unwrap()).collect();
        assert_eq!(keys, [&b"a1"[..], b"a1/sub", b"a2", b"s1"]);
        assert_eq!(arr[1].as_array().unwrap()[3].as_float().unwrap(), 750.0);
        // The link annotation has no border and jumps by name.
        let page0 = doc
            .get_dictionary(*doc.get_pages().get(&1).unwrap())
            .unwrap();
        let annots = page0.get(b"Annots").unwrap().as_array().unwrap();
        let a = doc
            .get_dictionary(annots[0].as_reference().unwrap())
            .unwrap();
        assert_eq!(a.get(b"Dest").unwrap().as_str().unwrap(), b"a2");
        assert_eq!(a.get(b"Border").unwrap().as_array().unwrap().len(), 3);
        // Info and XMP.
        let info_dict = doc
            .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(
            info_dict.get(b"Author").unwrap().as_str().unwrap(),
            b"Ines Varga"
        );
        assert_eq!(
            info_dict.get(b"ModDate").unwrap().as_str().unwrap(),
            b"D:20231114221320+00'00'"
        );
        let meta = doc
            .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap();
        let xmp = String::from_utf8(meta.content.clone()).unwrap();
        assert!(
            xmp.contains("<rdf:li xml:lang=\"x-default\">A &lt;briefing&gt; &amp; more</rdf:li>"),
            "{xmp}"
        );
        assert!(xmp.contains("<xmp:ModifyDate>2023-11-14T22:13:20Z</xmp:ModifyDate>"));
    }

    #[test]
    fn same_input_same_bytes() {
        let save = || {
            let mut doc = two_page_doc();
            apply(&mut doc, &Navigation::default(), &info()).unwrap();
            let mut b = Vec::new();
            doc.save_to(&mut b).unwrap();
            b
        };
        assert_eq!(save(), save());
    }
}
