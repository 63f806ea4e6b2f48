//! Criterion benchmarks, one per pipeline stage, on the synthetic corpus
//! (`pressbook::corpus`). Run with `cargo bench`; CI only compiles them.
//!
//! EPUB: load+parse, xhtml+epub. PDF: shaping, line breaking
//! (`inline::set`, which shapes too), the whole flow of strips
//! (`blocks::flow`, parallel), pagination and PDF writing. Sample sizes are
//! small so the whole run takes a few minutes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use pressbook::layout::inline::shape::{Segment, Shaper};
use pressbook::layout::inline::{self, Align, ParaOpts, RichText, TextStyle};
use pressbook::layout::{blocks, fonts::Role, inline::hyphen, paginate, FontSet, PageStyle, Tree};
use pressbook::model::{Block, Digest, Inline};

/// A 100-article corpus, generated once per run.
fn corpus() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pressbook-bench-{}", std::process::id()));
    if !dir.join("pressbook.toml").exists() {
        pressbook::corpus::generate(&dir, 100).expect("generate the corpus");
    }
    dir
}

fn load(dir: &std::path::Path) -> pressbook::Loaded {
    let (loaded, diags) = pressbook::load::digest(dir, &pressbook::LoadOptions::default());
    loaded.unwrap_or_else(|| panic!("corpus does not load: {diags:?}"))
}

fn inline_text(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inline_text(c, out),
            Inline::Link { content, .. } => inline_text(content, out),
            Inline::LineBreak => out.push(' '),
            Inline::Image { .. } | Inline::NoteRef { .. } => {}
        }
    }
}

/// The plain text of every body paragraph, in reading order.
fn paragraphs(digest: &Digest) -> Vec<String> {
    let mut out = Vec::new();
    for a in digest.articles() {
        for b in &a.body {
            if let Block::Paragraph(inlines) = b {
                let mut s = String::new();
                inline_text(inlines, &mut s);
                out.push(s);
            }
        }
    }
    out
}

fn epub_stages(c: &mut Criterion) {
    let dir = corpus();
    let mut g = c.benchmark_group("100 articles");
    g.sample_size(20);
    g.bench_function("load+parse", |b| b.iter(|| load(&dir)));
    let digest = load(&dir).digest;
    g.bench_function("xhtml+epub", |b| {
        b.iter(|| {
            let cover = pressbook::cover::draw(&digest, &Default::default()).expect("cover");
            pressbook::epub::package(&digest, &cover).expect("package")
        })
    });
    g.finish();
}

fn pdf_stages(c: &mut Criterion) {
    let dir = corpus();
    let loaded = load(&dir);
    let digest = &loaded.digest;
    let fonts = Arc::new(FontSet::load(&loaded.settings.pdf.fonts).expect("fonts"));
    let style = PageStyle::for_settings(&loaded.settings.pdf);
    let paras = paragraphs(digest);
    let lang = hyphen::language(&digest.meta.language);

    let mut g = c.benchmark_group("100 articles pdf");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));

    // Shaping: every body paragraph with the text face, one reused shaper.
    let mut shaper = Shaper::new();
    g.bench_function("shaping", |b| {
        b.iter(|| {
            let mut glyphs = Vec::new();
            let mut n = 0;
            for p in &paras {
                glyphs.clear();
                shaper.shape(
                    &fonts,
                    Segment::ltr(Role::Regular.id(), style.body_size, 0),
                    p,
                    0,
                    &mut glyphs,
                );
                n += glyphs.len();
            }
            n
        })
    });

    // Line breaking: inline::set (shaping, break opportunities and
    // hyphenation, Knuth–Plass, setting the lines) on every body paragraph.
    let texts: Vec<RichText> = paras
        .iter()
        .map(|p| RichText::styled(p, TextStyle::serif(style.body_size)))
        .collect();
    let opts = ParaOpts {
        measure: style.measure,
        indent: 0.0,
        align: Align::Justify,
        lang,
    };
    g.bench_function("line breaking (inline::set)", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|rt| inline::set(rt, &fonts, &mut shaper, &opts).len())
                .sum::<usize>()
        })
    });

    // The whole flow of strips (all block kinds, parallel over articles).
    g.bench_function("flow (blocks::flow)", |b| {
        b.iter(|| {
            blocks::flow(
                digest,
                &fonts,
                &style,
                &mut Tree::new(),
                &mut Default::default(),
            )
        })
    });

    // Pagination of a prebuilt flow.
    let elems = blocks::flow(
        digest,
        &fonts,
        &style,
        &mut Tree::new(),
        &mut Default::default(),
    );
    g.bench_function("pagination", |b| {
        b.iter(|| paginate::paginate(elems.clone(), &style))
    });
    drop(elems);

    // PDF writing of a prebuilt document (font subsetting, content streams,
    // compression).
    let doc = pressbook::layout::layout(digest, &fonts, &style, &mut Default::default());
    g.bench_function("pdf write", |b| {
        b.iter(|| pressbook::pdf::write(&doc, &fonts, digest).expect("pdf"))
    });
    g.finish();
}

criterion_group!(benches, epub_stages, pdf_stages);
criterion_main!(benches);
