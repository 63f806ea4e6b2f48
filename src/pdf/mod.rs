//! The PDF back end: [`PdfRenderer`] lays the digest out with
//! [`crate::layout`] and writes the finished pages, one module per PDF
//! concern, as typst-pdf is arranged:
//! - `content`: the bytes that draw a page;
//! - `fonts`: the embedded faces, subset, with their ToUnicode maps;
//! - `images`: the image XObjects;
//! - `links`: named destinations, internal and URL link annotations;
//! - `outline`: the nested bookmarks;
//! - `metadata`: information dictionary, XMP, page labels, language, file id;
//! - `compress`: stream compression.
//!
//! Nothing here decides where anything goes: positions come from the
//! layout. The objects are lopdf's; content streams are written as bytes
//! straight from the laid-out pages, in parallel, and each page is dropped
//! once its stream is compressed. The output is byte-identical for the same
//! input: resource names are fixed, glyphs are numbered in order of use,
//! dates come from the digest, the file id from its UUID, and objects are
//! added in a fixed order.

mod compress;
mod content;
mod fonts;
mod images;
mod links;
mod metadata;
mod outline;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream};
use rayon::prelude::*;

use crate::layout::{self, Document, FaceId, FontSet, Page, PageStyle};
use crate::manifest::PdfSettings;
use crate::model::{AssetId, Digest};
use crate::render::{Refused, Renderer, Written};

/// The typeset PDF behind the [`Renderer`] seam, with the manifest's PDF
/// settings (the model itself knows no output).
pub struct PdfRenderer {
    settings: PdfSettings,
}

impl PdfRenderer {
    pub fn new(settings: PdfSettings) -> Self {
        PdfRenderer { settings }
    }

    /// Lays the digest out in its page size with its fonts.
    pub fn typeset(&self, digest: &Digest) -> anyhow::Result<(Document, Arc<FontSet>)> {
        let fonts = Arc::new(FontSet::load(&self.settings.fonts)?);
        let style = PageStyle::for_settings(&self.settings);
        let doc = layout::layout(digest, &fonts, &style);
        Ok((doc, fonts))
    }
}

impl Renderer for PdfRenderer {
    fn name(&self) -> &'static str {
        "PDF"
    }
    fn extension(&self) -> &'static str {
        "pdf"
    }
    fn render(&self, digest: &Digest, path: &Path, strict: bool) -> anyhow::Result<Written> {
        let (mut doc, fonts) = self.typeset(digest)?;
        let warnings = std::mem::take(&mut doc.warnings);
        if strict && !warnings.is_empty() {
            return Err(Refused(warnings).into());
        }
        let pages = doc.pages.len();
        let bytes = crate::output::write_buffered(path, |w| write_to(doc, &fonts, digest, w))?;
        Ok(Written {
            path: path.to_path_buf(),
            format: self.name(),
            bytes,
            pages: Some(pages),
            articles: digest.articles().count(),
            warnings,
        })
    }
}

/// Writes `doc` as PDF bytes in memory.
pub fn write(doc: &Document, fonts: &FontSet, digest: &Digest) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_to(doc.clone(), fonts, digest, &mut bytes)?;
    Ok(bytes)
}

/// Writes `doc` as PDF to `out`, consuming its pages as they are written.
pub fn write_to(
    doc: Document,
    fontset: &FontSet,
    digest: &Digest,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut lo = lopdf::Document::with_version("1.7");
    let used = fonts::UsedFonts::collect(&doc, fontset);
    let font_ids = used.embed(&mut lo, fontset)?;
    let image_ids = images::embed(&mut lo, &doc, digest)?;
    let resources = lo.add_object(resources(&font_ids, &image_ids));
    let links = links::Links::collect(&doc);
    let outline = outline::tree(&doc.outline);
    let front_pages = doc.front_pages;
    // Content streams are written and compressed in parallel (in order),
    // each laid-out page dropped as soon as its stream exists.
    let pages: Vec<(Stream, Page)> = doc
        .pages
        .into_par_iter()
        .map(|p| {
            let content = compress::stream(content::page(&p, &used));
            let rest = Page {
                items: Vec::new(),
                ..p
            };
            (content, rest)
        })
        .collect();
    let tree = lo.new_object_id();
    let mut kids = Vec::with_capacity(pages.len());
    for (content, page) in pages {
        let content = lo.add_object(content);
        let mut dict = dictionary! {
            "Type" => "Page",
            "Parent" => Object::Reference(tree),
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(page.width), Object::Real(page.height)],
            "Resources" => Object::Reference(resources),
            "Contents" => Object::Reference(content),
        };
        let annots = links::add_url_annotations(&mut lo, &page);
        if !annots.is_empty() {
            dict.set("Annots", annots);
        }
        kids.push(Object::Reference(lo.add_object(dict)));
    }
    let count = kids.len() as i64;
    lo.set_object(
        tree,
        dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count },
    );
    let catalog = lo.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => Object::Reference(tree),
    });
    lo.trailer.set("Root", Object::Reference(catalog));
    let info = metadata::DocInfo::of(digest);
    add_navigation_and_metadata(&mut lo, &links, &outline, front_pages, &info)?;
    compress::compress(&mut lo);
    lo.save_to(out).context("cannot write the PDF")?;
    Ok(())
}

/// The one resource dictionary every page shares: each used face and image
/// by its fixed name.
fn resources(
    fonts: &std::collections::BTreeMap<FaceId, ObjectId>,
    images: &std::collections::BTreeMap<AssetId, ObjectId>,
) -> Dictionary {
    let mut font_dict = Dictionary::new();
    for (&face, &id) in fonts {
        font_dict.set(fonts::resource_name(face), Object::Reference(id));
    }
    let mut d = dictionary! { "Font" => font_dict };
    if !images.is_empty() {
        let mut xobjects = Dictionary::new();
        for (&asset, &id) in images {
            xobjects.set(images::resource_name(asset), Object::Reference(id));
        }
        d.set("XObject", xobjects);
    }
    d
}

/// Adds the navigation and metadata once the pages exist. The order of the calls is the order of the object numbers.
fn add_navigation_and_metadata(
    lo: &mut lopdf::Document,
    links: &links::Links,
    outline: &[outline::OutlineNode],
    front_pages: usize,
    info: &metadata::DocInfo,
) -> anyhow::Result<()> {
    let pages = links::PageRefs::of(lo);
    let names = links::add_destinations(lo, &pages, &links.destinations);
    links::add_internal_links(lo, &pages, &links.internal)?;
    let outline_root = outline::add(lo, outline);
    let xmp = metadata::add_xmp(lo, info);
    let catalog = lo.catalog_mut()?;
    metadata::set_page_labels(catalog, front_pages);
    catalog.set("Names", Object::Reference(names));
    metadata::set_language_and_xmp(catalog, info, xmp);
    outline::set_in_catalog(catalog, outline_root);
    metadata::add_info_and_id(lo, info);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::links::{Destination, InternalLink, Links};
    use super::metadata::DocInfo;
    use super::outline::OutlineNode;
    use super::*;
    use chrono::DateTime;
    use lopdf::{dictionary, Document};

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
        let outline = vec![OutlineNode {
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
        }];
        let links = Links {
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
            internal: vec![InternalLink {
                page: 0,
                rect: [10.0, 20.0, 100.0, 12.0],
                dest: "a2".into(),
            }],
        };
        add_navigation_and_metadata(&mut doc, &links, &outline, 1, &info()).unwrap();
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
            add_navigation_and_metadata(&mut doc, &Links::default(), &[], 0, &info()).unwrap();
            let mut b = Vec::new();
            doc.save_to(&mut b).unwrap();
            b
        };
        assert_eq!(save(), save());
    }
}
