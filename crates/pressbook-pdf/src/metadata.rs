//! Document metadata: the information dictionary, the XMP packet, the page
//! labels (roman front matter), the language and a stable file id.

use chrono::{DateTime, Utc};
use pdf_writer::writers::Catalog;
use pdf_writer::{Chunk, Date, Name, Pdf, Ref, TextStr};

use super::compress::{self, Packed};

use pressbook_model::model::Digest;
use pressbook_model::xml::Xml;

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
    /// Whether the file claims PDF/A-2a and PDF/UA-1 (in the XMP): only
    /// when it meets them, which a page showing a missing glyph (.notdef)
    /// does not.
    pub conforms: bool,
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
            conforms: true,
        }
    }
}

/// Writes the XMP packet as an uncompressed metadata stream (readable by
/// any tool).
pub(super) fn write_xmp(pdf: &mut Chunk, alloc: &mut Ref, info: &DocInfo) -> Ref {
    let id = alloc.bump();
    let packet = xmp(info);
    pdf.metadata(id, packet.as_bytes());
    id
}

/// Pages before the body are labelled i, ii, … in a viewer and the body 1,
/// 2, …, so that the viewer's page numbers are the printed folios.
pub(super) fn set_page_labels(catalog: &mut Catalog, front_pages: usize) {
    if front_pages > 0 {
        let mut labels = catalog.insert(Name(b"PageLabels")).dict();
        let mut nums = labels.insert(Name(b"Nums")).array();
        nums.item(0);
        nums.push().dict().pair(Name(b"S"), Name(b"r"));
        nums.item(front_pages as i32);
        nums.push().dict().pair(Name(b"S"), Name(b"D"));
    }
}

/// Writes the sRGB profile PDF/A's output intent points at (every colour
/// here is sRGB); [`set_output_intent`] puts it in the catalog.
pub(super) fn write_icc_profile(pdf: &mut Chunk, alloc: &mut Ref) -> Ref {
    let id = alloc.bump();
    let profile = Packed::new(super::icc::srgb(), compress::LEVEL);
    compress::stream(pdf, id, &profile).pair(Name(b"N"), 3);
    id
}

/// The catalog's `/OutputIntents`: sRGB, as PDF/A asks when device colours
/// are used.
pub(super) fn set_output_intent(catalog: &mut Catalog, profile: Ref) {
    let mut intents = catalog.insert(Name(b"OutputIntents")).array();
    let mut intent = intents.push().dict();
    intent
        .pair(Name(b"Type"), Name(b"OutputIntent"))
        .pair(Name(b"S"), Name(b"GTS_PDFA1"))
        .pair(
            Name(b"OutputConditionIdentifier"),
            TextStr("sRGB IEC61966-2.1"),
        )
        .pair(Name(b"Info"), TextStr("sRGB IEC61966-2.1"))
        .pair(Name(b"DestOutputProfile"), profile);
}

/// Writes the information dictionary; returns it for the trailer.
pub(super) fn write_info(pdf: &mut Pdf, alloc: &mut Ref, info: &DocInfo) -> Ref {
    let id = alloc.bump();
    let mut d = pdf.document_info(id);
    d.title(TextStr(&info.title));
    if let Some(a) = &info.author {
        d.author(TextStr(a));
    }
    if let Some(s) = &info.subject {
        d.subject(TextStr(s));
    }
    let keywords = info.keywords.join(", ");
    if !keywords.is_empty() {
        d.keywords(TextStr(&keywords));
    }
    d.creator(TextStr(&info.creator))
        .producer(TextStr(&info.producer))
        .creation_date(pdf_date(info.created))
        .modified_date(pdf_date(info.modified));
    id
}

/// The file id, from the digest's identifier rather than a random source.
pub(super) fn file_id(info: &DocInfo) -> (Vec<u8>, Vec<u8>) {
    let id = info.uuid.as_bytes().to_vec();
    (id.clone(), id)
}

fn pdf_date(t: DateTime<Utc>) -> Date {
    use chrono::{Datelike, Timelike};
    Date::new(t.year() as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
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
    if info.conforms {
        x.open(
            "rdf:Description",
            &[
                ("rdf:about", ""),
                ("xmlns:pdfaid", "http://www.aiim.org/pdfa/ns/id/"),
            ],
        )
        .newline();
        x.element("pdfaid:part", &[], "2").newline();
        x.element("pdfaid:conformance", &[], "A").newline();
        x.close("rdf:Description");
        x.open(
            "rdf:Description",
            &[
                ("rdf:about", ""),
                ("xmlns:pdfuaid", "http://www.aiim.org/pdfua/ns/id/"),
            ],
        )
        .newline();
        x.element("pdfuaid:part", &[], "1").newline();
        x.close("rdf:Description");
        pdfua_extension_schema(&mut x);
    }
    x.newline().close("rdf:RDF").close("x:xmpmeta").newline();
    x.raw("<?xpacket end=\"w\"?>");
    x.finish()
}

/// PDF/A allows only the XMP properties it knows or that the file
/// describes: this describes `pdfuaid:part`.
fn pdfua_extension_schema(x: &mut Xml) {
    x.open(
        "rdf:Description",
        &[
            ("rdf:about", ""),
            (
                "xmlns:pdfaExtension",
                "http://www.aiim.org/pdfa/ns/extension/",
            ),
            ("xmlns:pdfaSchema", "http://www.aiim.org/pdfa/ns/schema#"),
            (
                "xmlns:pdfaProperty",
                "http://www.aiim.org/pdfa/ns/property#",
            ),
        ],
    )
    .newline();
    let resource = [("rdf:parseType", "Resource")];
    x.open("pdfaExtension:schemas", &[]).open("rdf:Bag", &[]);
    x.open("rdf:li", &resource);
    x.element(
        "pdfaSchema:schema",
        &[],
        "PDF/UA Universal Accessibility Schema",
    );
    x.element(
        "pdfaSchema:namespaceURI",
        &[],
        "http://www.aiim.org/pdfua/ns/id/",
    );
    x.element("pdfaSchema:prefix", &[], "pdfuaid");
    x.open("pdfaSchema:property", &[]).open("rdf:Seq", &[]);
    x.open("rdf:li", &resource);
    x.element("pdfaProperty:name", &[], "part");
    x.element("pdfaProperty:valueType", &[], "Integer");
    x.element("pdfaProperty:category", &[], "internal");
    x.element(
        "pdfaProperty:description",
        &[],
        "Indicates, which part of ISO 14289 standard is followed",
    );
    x.close("rdf:li")
        .close("rdf:Seq")
        .close("pdfaSchema:property");
    x.close("rdf:li")
        .close("rdf:Bag")
        .close("pdfaExtension:schemas");
    x.close("rdf:Description").newline();
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
