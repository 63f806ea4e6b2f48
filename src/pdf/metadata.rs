//! Document metadata: the information dictionary, the XMP packet, the page
//! labels (roman front matter), the language and a stable file id.

use chrono::{DateTime, Utc};
use lopdf::{
    dictionary, Dictionary, Document as LoDocument, Object, ObjectId, Stream, StringFormat,
};

use crate::model::Digest;
use crate::xml::Xml;

/// Document-level metadata.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DocInfo {
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
    /// Whether the file claims PDF/A-2b (in the XMP): only when it meets
    /// it, which a page showing a missing glyph (.notdef) does not.
    pub pdfa: bool,
}

impl DocInfo {
    /// From the digest: dates from the digest date (or `SOURCE_DATE_EPOCH`),
    /// keywords from the section titles.
    pub fn of(digest: &Digest) -> Self {
        let m = &digest.meta;
        DocInfo {
            title: m.title.clone(),
            author: m.editor.clone(),
            subject: m.description.clone().or_else(|| m.subtitle.clone()),
            keywords: digest
                .sections
                .iter()
                .filter_map(|s| s.title.clone())
                .collect(),
            creator: "pressbook".into(),
            producer: format!("pressbook {}", env!("CARGO_PKG_VERSION")),
            created: m.modified,
            modified: m.modified,
            language: m.language.clone(),
            uuid: m.uuid,
            pdfa: true,
        }
    }
}

/// Adds the XMP packet as an uncompressed metadata stream.
pub(super) fn add_xmp(doc: &mut LoDocument, info: &DocInfo) -> ObjectId {
    let mut stream = Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp(info).into_bytes(),
    );
    stream.allows_compression = false; // XMP stays readable by any tool
    doc.add_object(stream)
}

/// Pages before the body are labelled i, ii, … in a viewer and the body 1,
/// 2, …, so that the viewer's page numbers are the printed folios.
pub(super) fn set_page_labels(catalog: &mut Dictionary, front_pages: usize) {
    if front_pages > 0 {
        catalog.set(
            "PageLabels",
            dictionary! {
                "Nums" => vec![
                    0.into(),
                    dictionary! { "S" => "r" }.into(),
                    (front_pages as i64).into(),
                    dictionary! { "S" => "D" }.into(),
                ],
            },
        );
    }
}

/// The catalog's `/Lang` and `/Metadata`.
pub(super) fn set_language_and_xmp(catalog: &mut Dictionary, info: &DocInfo, xmp: ObjectId) {
    catalog.set("Lang", text_string(&info.language));
    catalog.set("Metadata", Object::Reference(xmp));
}

/// Adds the sRGB output intent PDF/A asks for when device colours are
/// used (every colour here is sRGB); returns the catalog's `/OutputIntents`.
pub(super) fn add_output_intent(doc: &mut LoDocument) -> Object {
    let profile = doc.add_object(Stream::new(dictionary! { "N" => 3 }, super::icc::srgb()));
    let intent = doc.add_object(dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => text_string("sRGB IEC61966-2.1"),
        "Info" => text_string("sRGB IEC61966-2.1"),
        "DestOutputProfile" => Object::Reference(profile),
    });
    vec![Object::Reference(intent)].into()
}

/// Adds the information dictionary and the file id, which comes from the
/// digest's identifier, not a random source.
pub(super) fn add_info_and_id(doc: &mut LoDocument, info: &DocInfo) {
    let mut d = Dictionary::new();
    d.set("Title", text_string(&info.title));
    if let Some(a) = &info.author {
        d.set("Author", text_string(a));
    }
    if let Some(s) = &info.subject {
        d.set("Subject", text_string(s));
    }
    if !info.keywords.is_empty() {
        d.set("Keywords", text_string(&info.keywords.join(", ")));
    }
    d.set("Creator", text_string(&info.creator));
    d.set("Producer", text_string(&info.producer));
    d.set("CreationDate", text_string(&pdf_date(info.created)));
    d.set("ModDate", text_string(&pdf_date(info.modified)));
    let info_id = doc.add_object(d);
    doc.trailer.set("Info", Object::Reference(info_id));
    let id = info.uuid.as_bytes().to_vec();
    doc.trailer.set(
        "ID",
        vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ],
    );
}

/// A PDF text string: PDFDocEncoding-safe ASCII as is, anything else as
/// UTF-16BE with a byte-order mark.
pub(super) fn text_string(s: &str) -> Object {
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
pub(super) fn xmp(info: &DocInfo) -> String {
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
    dublin_core(&mut x, info);
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
    x.close("rdf:Description");
    if info.pdfa {
        x.open(
            "rdf:Description",
            &[
                ("rdf:about", ""),
                ("xmlns:pdfaid", "http://www.aiim.org/pdfa/ns/id/"),
            ],
        )
        .newline();
        x.element("pdfaid:part", &[], "2").newline();
        x.element("pdfaid:conformance", &[], "B").newline();
        x.close("rdf:Description");
    }
    x.newline().close("rdf:RDF").close("x:xmpmeta").newline();
    x.raw("<?xpacket end=\"w\"?>");
    x.finish()
}

/// The `dc:` properties of the XMP packet.
fn dublin_core(x: &mut Xml, info: &DocInfo) {
    let alt = |x: &mut Xml, tag: &str, value: &str| {
        x.open(tag, &[]).open("rdf:Alt", &[]);
        x.element("rdf:li", &[("xml:lang", "x-default")], value);
        x.close("rdf:Alt").close(tag).newline();
    };
    alt(x, "dc:title", &info.title);
    if let Some(s) = &info.subject {
        alt(x, "dc:description", s);
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
}
