//! Criterion benchmarks, one per pipeline stage, on the synthetic corpus
//! (`pressbook::corpus`). Run with `cargo bench`; CI only compiles them.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};

/// A 100-article corpus, generated once per run.
fn corpus() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pressbook-bench-{}", std::process::id()));
    if !dir.join("pressbook.toml").exists() {
        pressbook::corpus::generate(&dir, 100).expect("generate the corpus");
    }
    dir
}

fn load(dir: &std::path::Path) -> pressbook::model::Digest {
    let (digest, diags) = pressbook::digest::load(dir, &pressbook::LoadOptions::default());
    digest.unwrap_or_else(|| panic!("corpus does not load: {diags:?}"))
}

fn stages(c: &mut Criterion) {
    let dir = corpus();
    let mut g = c.benchmark_group("100 articles");
    g.sample_size(20);
    g.bench_function("load+parse", |b| b.iter(|| load(&dir)));
    let digest = load(&dir);
    g.bench_function("xhtml+epub", |b| {
        b.iter(|| pressbook::epub::package(&digest).expect("package"))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
