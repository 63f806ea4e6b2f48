//! The PDF back end: [`PdfOutput`] lays the digest out with
//! [`pressbook_layout`] and writes the finished pages, one module per PDF
//! concern, as typst-pdf is arranged:
//! - `content`: the bytes that draw a page;
//! - `embed`: the embedded faces, subset, with their ToUnicode maps;
//! - `images`: the image XObjects;
//! - `annotations`: named destinations, internal and URL link annotations;
//! - `outline`: the nested bookmarks;
//! - `structure`: the structure tree (tagged PDF) and its parent tree;
//! - `metadata`: information dictionary, XMP, page labels, language, file id;
//! - `compress`: stream compression;
//! - `pack`: object streams and the cross-reference stream.
//!
//! Nothing here decides where anything goes: positions come from the
//! layout. Objects are written with pdf-writer, straight into the file's
//! bytes; content streams are written from the laid-out pages in parallel
//! and each page is dropped once its stream is compressed. The output is byte-identical for the same
//! input: resource names are fixed, glyphs are numbered in order of use,
//! dates come from the digest, the file id from its UUID, and objects are
//! added in a fixed order.

mod annotations;
mod compress;
mod content;
mod embed;
mod icc;
mod images;
mod metadata;
mod outline;
mod pack;
mod structure;

use std::io::Write;
use std::sync::Arc;

use std::collections::BTreeMap;

use anyhow::Context;
use pdf_writer::types::{PageMode, TabOrder};
use pdf_writer::writers::Resources;
use pdf_writer::{Chunk, Finish, Name, Pdf, Rect, Ref, TextStr};
use rayon::prelude::*;

use compress::Packed;

use pressbook_layout::sysfonts;
use pressbook_layout::{
    self as layout, Document, FaceId, FontSet, NodeId, Page, PageItem, PageStyle,
};
use pressbook_model::diag::Sink;
use pressbook_model::manifest::PdfSettings;
use pressbook_model::model::{AssetId, Digest};
use pressbook_model::render::{Output, RenderContext, Rendered};

/// The typeset PDF behind the [`Output`] seam (the model itself knows no
/// output; the manifest's `[pdf]` settings come with the context).
pub struct PdfOutput;

/// Lays the digest out in its page size with its fonts, reporting what it
/// finds (characters no font has, images it cannot draw) into `sink`.
pub fn typeset(
    settings: &PdfSettings,
    digest: &Digest,
    sink: &mut Sink,
) -> anyhow::Result<(Document, Arc<FontSet>)> {
    let fonts = Arc::new(FontSet::load(&settings.fonts)?.keeping_catalogues(&sysfonts::MACHINE));
    let style = PageStyle::for_settings(settings);
    let doc = layout::layout(digest, &fonts, &style, sink);
    Ok((doc, fonts))
}

impl Output for PdfOutput {
    fn name(&self) -> &'static str {
        "pdf"
    }
    fn label(&self) -> &'static str {
        "PDF"
    }
    fn extension(&self) -> &'static str {
        "pdf"
    }
    fn settings_table(&self) -> &'static str {
        "[pdf]"
    }
    fn about(&self) -> &'static str {
        "a typeset, tagged PDF (PDF/UA-1, PDF/A-2a) for print"
    }
    fn in_all(&self) -> bool {
        true
    }
    fn render<'a>(&self, cx: RenderContext<'a>, sink: &mut Sink) -> anyhow::Result<Rendered<'a>> {
        let (doc, fonts) = typeset(&cx.settings.pdf, cx.digest, sink)?;
        let pages = doc.pages.len();
        Ok(Rendered::new(Some(pages), move |out| {
            write_to(doc, &fonts, cx.digest, &mut &mut *out)
        }))
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
    // Compact: no indentation (it is a tenth of the file's objects).
    let mut pdf = Pdf::with_settings(pdf_writer::Settings { pretty: false });
    // 1.7 (object streams need 1.5; PDF/A-2 is based on 1.7).
    pdf.set_version(1, 7);
    let mut alloc = Ref::new(1);
    let catalog = alloc.bump();
    let tree = alloc.bump();
    let used = embed::UsedFonts::collect(&doc, fontset);
    let fonts = used.embed(&mut pdf, &mut alloc, fontset)?;
    let images = images::embed(&mut pdf, &mut alloc, &doc, digest)?;
    let links = annotations::Links::collect(&doc);
    let outline = outline::tree(&doc.outline);
    let front_pages = doc.front_pages;
    let structure = doc.tree;
    // Content streams are written and compressed in parallel (in order),
    // each laid-out page dropped as soon as its stream exists.
    let pages: Vec<PageOut> = doc
        .pages
        .into_par_iter()
        .map(|p| {
            let (bytes, mcids) = content::page(&p, &used, &structure);
            let link_texts = link_texts(&p);
            PageOut {
                content: Packed::new(bytes, compress::LEVEL),
                mcids,
                link_texts,
                page: Page {
                    items: Vec::new(),
                    ..p
                },
            }
        })
        .collect();
    let refs = annotations::PageRefs {
        ids: pages.iter().map(|_| alloc.bump()).collect(),
        heights: pages.iter().map(|w| w.page.height).collect(),
    };
    let resources = write_resources(&mut pdf, &mut alloc, &fonts, &images);
    // Pages are keys 0.. of the parent tree, link annotations after them.
    let mut annots = annotations::Annots {
        first_key: pages.len() as i32,
        written: Vec::new(),
    };
    for (i, (w, &id)) in pages.iter().zip(&refs.ids).enumerate() {
        write_page(
            &mut pdf,
            &mut alloc,
            [id, tree, resources],
            i,
            w,
            &mut annots,
        );
    }
    let annots = annots.written;
    let marks: Vec<Vec<NodeId>> = pages.into_iter().map(|w| w.mcids).collect();
    let struct_root =
        structure::write(&mut pdf, &mut alloc, &structure, &refs.ids, &marks, &annots);
    pdf.pages(tree)
        .kids(refs.ids.iter().copied())
        .count(refs.ids.len() as i32);
    let mut info = metadata::DocInfo::of(digest);
    info.conforms = !used.shows_notdef();
    let trailer = write_navigation_and_metadata(
        &mut pdf,
        &mut alloc,
        [catalog, tree, struct_root],
        &refs,
        &links,
        &outline,
        front_pages,
        &info,
    );
    out.write_all(&pack::pack(&pdf.finish(), &trailer))
        .context("cannot write the PDF")?;
    Ok(())
}

/// Writes the one resource dictionary every page shares: each used face
/// and image by its fixed name.
fn write_resources(
    pdf: &mut Chunk,
    alloc: &mut Ref,
    fonts: &BTreeMap<FaceId, Ref>,
    images: &BTreeMap<AssetId, Ref>,
) -> Ref {
    let id = alloc.bump();
    let mut res = pdf.indirect(id).start::<Resources>();
    let mut f = res.fonts();
    for (&face, &r) in fonts {
        f.pair(Name(embed::resource_name(face).as_bytes()), r);
    }
    f.finish();
    if !images.is_empty() {
        let mut x = res.x_objects();
        for (&asset, &r) in images {
            x.pair(Name(images::resource_name(asset).as_bytes()), r);
        }
    }
    id
}

/// A page once its content stream is written: what the rest of the file
/// needs of it.
struct PageOut {
    content: Packed,
    /// The structure node of each MCID of its content.
    mcids: Vec<NodeId>,
    /// The text of each of its links.
    link_texts: Vec<String>,
    /// The page without its items.
    page: Page,
}

/// The text of each of the page's links: the text runs of its node.
fn link_texts(page: &Page) -> Vec<String> {
    page.links
        .iter()
        .map(|l| {
            let mut text = String::new();
            for p in page.items.iter().filter(|p| p.node == l.node) {
                if let PageItem::Text(run) = &p.item {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    text.push_str(&run.text);
                }
            }
            text
        })
        .collect()
}

/// Writes page `index` (`[its id, the page tree, the resources]`; its
/// parent tree key is its index) with its content stream and its link
/// annotations, which are added to `annots`.
fn write_page(
    pdf: &mut Chunk,
    alloc: &mut Ref,
    [id, tree, resources]: [Ref; 3],
    index: usize,
    w: &PageOut,
    annots: &mut annotations::Annots,
) {
    let page = &w.page;
    let content_id = alloc.bump();
    compress::stream(pdf, content_id, &w.content);
    let ids = annotations::write_annotations(pdf, alloc, index, page, &w.link_texts, annots);
    let mut p = pdf.page(id);
    p.parent(tree)
        .media_box(Rect::new(0.0, 0.0, page.width, page.height))
        .contents(content_id)
        .struct_parents(index as i32)
        .tab_order(TabOrder::StructureOrder)
        .pair(Name(b"Resources"), resources);
    if !ids.is_empty() {
        p.annotations(ids);
    }
}

/// Writes the destinations, outline, metadata, catalog and information
/// dictionary once the pages exist, and returns what the trailer points
/// at. The order of the calls is the order of the objects.
#[allow(clippy::too_many_arguments)]
fn write_navigation_and_metadata(
    pdf: &mut Pdf,
    alloc: &mut Ref,
    [catalog, tree, struct_root]: [Ref; 3],
    pages: &annotations::PageRefs,
    links: &annotations::Links,
    outline: &[outline::OutlineNode],
    front_pages: usize,
    info: &metadata::DocInfo,
) -> pack::Trailer {
    let dests = annotations::write_destinations(pdf, alloc, pages, &links.destinations);
    let outline_root = outline::write(pdf, alloc, outline);
    let xmp = metadata::write_xmp(pdf, alloc, info);
    let profile = metadata::write_icc_profile(pdf, alloc);
    let info_ref = metadata::write_info(pdf, alloc, info);
    let mut c = pdf.catalog(catalog);
    c.pages(tree);
    metadata::set_page_labels(&mut c, front_pages);
    c.insert(Name(b"Names")).dict().pair(Name(b"Dests"), dests);
    c.lang(TextStr(&info.language)).metadata(xmp);
    // Tagged: a screen reader follows the structure; a viewer shows the
    // title rather than the file name (PDF/UA).
    c.mark_info().marked(true);
    c.pair(Name(b"StructTreeRoot"), struct_root);
    c.viewer_preferences().display_doc_title(true);
    metadata::set_output_intent(&mut c, profile);
    if let Some(root) = outline_root {
        c.outlines(root).page_mode(PageMode::UseOutlines);
    }
    c.finish();
    pdf.set_file_id(metadata::file_id(info));
    pack::Trailer {
        root: catalog,
        info: info_ref,
        id: metadata::file_id(info),
    }
}

#[cfg(test)]
mod tests {
    use super::annotations::{Destination, Links, PageRefs};
    use super::metadata::DocInfo;
    use super::outline::OutlineNode;
    use super::*;
    use chrono::DateTime;
    use pressbook_layout::{LinkArea, LinkTarget};

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
            conforms: true,
        }
    }

    fn node(title: &str, dest: &str, open: bool, children: Vec<OutlineNode>) -> OutlineNode {
        OutlineNode {
            title: title.into(),
            dest: dest.into(),
            open,
            children,
        }
    }

    /// Two empty 600 × 800 pages, the second with a link to `a2`, and the
    /// navigation and metadata for them; the file's bytes (objects are
    /// written uncompressed apart from streams).
    fn two_pages(links: &Links, outline: &[OutlineNode]) -> Vec<u8> {
        let mut pdf = Pdf::with_settings(pdf_writer::Settings { pretty: false });
        let mut alloc = Ref::new(1);
        let (catalog, tree) = (alloc.bump(), alloc.bump());
        let refs = PageRefs {
            ids: vec![alloc.bump(), alloc.bump()],
            heights: vec![800.0, 800.0],
        };
        let resources = write_resources(&mut pdf, &mut alloc, &BTreeMap::new(), &BTreeMap::new());
        for (i, &id) in refs.ids.iter().enumerate() {
            let page = Page {
                width: 600.0,
                height: 800.0,
                links: (i == 1)
                    .then(|| LinkArea {
                        x: 10.0,
                        y: 20.0,
                        w: 100.0,
                        h: 12.0,
                        target: LinkTarget::Internal("a2".into()),
                        node: pressbook_layout::UNTAGGED,
                    })
                    .into_iter()
                    .collect(),
                ..Page::default()
            };
            let w = PageOut {
                content: Packed::new(Vec::new(), compress::LEVEL),
                mcids: Vec::new(),
                link_texts: vec![String::new(); page.links.len()],
                page,
            };
            let mut annots = annotations::Annots {
                first_key: 2,
                written: Vec::new(),
            };
            write_page(
                &mut pdf,
                &mut alloc,
                [id, tree, resources],
                i,
                &w,
                &mut annots,
            );
        }
        pdf.pages(tree).kids(refs.ids.iter().copied()).count(2);
        let root = structure::write(
            &mut pdf,
            &mut alloc,
            &layout::Tree::new(),
            &refs.ids,
            &[vec![], vec![]],
            &[],
        );
        write_navigation_and_metadata(
            &mut pdf,
            &mut alloc,
            [catalog, tree, root],
            &refs,
            links,
            outline,
            1,
            &info(),
        );
        pdf.finish()
    }

    fn has(bytes: &[u8], needle: &str) -> bool {
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    fn at(bytes: &[u8], needle: &str) -> usize {
        bytes
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .unwrap_or_else(|| panic!("{needle:?} is not in the file"))
    }

    #[test]
    fn outline_dests_links_and_metadata() {
        let outline = vec![node(
            "World",
            "s1",
            true,
            vec![
                node(
                    "Ωmega",
                    "a1",
                    false,
                    vec![node("Sub", "a1/sub", false, vec![])],
                ),
                node("Two", "a2", false, vec![]),
            ],
        )];
        let dest = |name: &str, page, y| Destination {
            name: name.into(),
            page,
            y,
        };
        let links = Links {
            destinations: vec![
                dest("a2", 1, 100.0),
                dest("a1", 0, 50.0),
                dest("s1", 0, 0.0),
                dest("a1/sub", 0, 400.0),
                dest("a1", 1, 10.0),
            ],
        };
        let pdf = two_pages(&links, &outline);
        assert!(has(&pdf, "/Lang(en-GB)"));
        // The body starts on page 2: roman before it, arabic from it.
        assert!(has(&pdf, "/PageLabels<</Nums[0<</S/r>>1<</S/D>>]>>"));
        // World is open (itself and its 2 children visible), Ωmega closed
        // over its one child.
        assert!(has(&pdf, "/Count 3"));
        assert!(has(&pdf, "/Count -1"));
        assert!(has(&pdf, "/Title<FEFF03A9"), "Ωmega is not UTF-16");
        // Destinations sorted by name, the first of equal names kept, flipped
        // to PDF coordinates (800 - 50).
        let order: Vec<usize> = ["(a1)[", "(a1/sub)[", "(a2)[", "(s1)["]
            .iter()
            .map(|n| at(&pdf, n))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(has(&pdf, "(a1)[3 0 R/XYZ null 750 null]"));
        assert!(!has(&pdf, "/XYZ null 790 null"), "a second a1 was kept");
        // The link: no border, printed, jumps by name; its page lists it.
        assert!(has(&pdf, "/Border[0 0 0]/F 4/Contents(Go to a2)/Dest(a2)"));
        assert!(has(&pdf, "/Rect[10 768 110 780]"));
        assert!(has(&pdf, "/Annots["));
        // Information dictionary, file id and XMP.
        assert!(has(&pdf, "/Author(Ines Varga)"));
        assert!(has(&pdf, "/ModDate(D:20231114221320Z"));
        assert!(has(&pdf, "/ID["));
        assert!(has(
            &pdf,
            "<rdf:li xml:lang=\"x-default\">A &lt;briefing&gt; &amp; more</rdf:li>"
        ));
        assert!(has(
            &pdf,
            "<xmp:ModifyDate>2023-11-14T22:13:20Z</xmp:ModifyDate>"
        ));
        assert!(has(&pdf, "<pdfaid:part>2</pdfaid:part>"));
        assert!(has(&pdf, "<pdfaid:conformance>A</pdfaid:conformance>"));
        assert!(has(&pdf, "<pdfuaid:part>1</pdfuaid:part>"));
        // Tagged, with a structure tree the pages and links point into.
        assert!(has(&pdf, "/MarkInfo<</Marked true>>"));
        assert!(has(&pdf, "/StructParents 1/Tabs/S"));
        assert!(has(&pdf, "/DisplayDocTitle true"));
        assert!(has(&pdf, "/Contents(Go to a2)"));
        assert!(has(&pdf, "/OutputIntents[<</Type/OutputIntent/S/GTS_PDFA1"));
    }

    #[test]
    fn same_input_same_bytes() {
        let build = || two_pages(&Links::default(), &[]);
        assert_eq!(build(), build());
    }
}
