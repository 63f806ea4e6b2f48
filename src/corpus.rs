//! A deterministic synthetic corpus for benchmarks and stress tests: N
//! articles of about 900 words, half Markdown with front matter, half plain
//! text with attribution lines, a manifest, and one concatenated Markdown
//! file so that other tools can build the same text.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

const WORDS: &[&str] = &[
    "harbour",
    "council",
    "ministry",
    "river",
    "budget",
    "report",
    "village",
    "engineers",
    "survey",
    "committee",
    "province",
    "market",
    "energy",
    "network",
    "station",
    "traffic",
    "weather",
    "coastline",
    "farmers",
    "teachers",
    "hospital",
    "district",
    "railway",
    "bridge",
    "officials",
    "residents",
    "analysts",
    "contract",
    "timetable",
    "archive",
    "reservoir",
    "measurement",
    "agreement",
    "proposal",
    "election",
    "assembly",
    "opposition",
    "coalition",
    "quarterly",
    "industrial",
    "regional",
    "national",
    "temporary",
    "significant",
    "careful",
    "uncertain",
    "difficult",
    "afternoon",
    "morning",
    "evening",
    "yesterday",
    "tomorrow",
    "according",
    "although",
    "however",
    "meanwhile",
    "nevertheless",
    "therefore",
    "between",
    "against",
    "without",
    "during",
    "because",
    "several",
    "hundred",
    "thousand",
    "million",
    "percent",
    "increase",
    "decrease",
    "question",
    "answer",
    "evidence",
    "decision",
    "official",
    "statement",
    "interview",
    "spokesperson",
    "neighbourhood",
    "infrastructure",
    "investment",
    "maintenance",
    "construction",
    "transport",
    "education",
    "technology",
    "efficiency",
    "the",
    "the",
    "the",
    "of",
    "of",
    "and",
    "and",
    "to",
    "in",
    "a",
    "is",
    "was",
    "for",
    "on",
    "that",
    "with",
    "as",
    "by",
    "it",
    "from",
    "at",
    "were",
    "which",
    "their",
    "has",
    "have",
    "said",
    "would",
    "could",
    "more",
    "than",
    "after",
    "before",
    "into",
    "over",
    "under",
];

const SECTIONS: &[&str] = &["World", "Economy", "Science", "Culture"];
const SOURCES: &[&str] = &[
    "Harbour Daily",
    "The Meridian Post",
    "Northlight News",
    "Valley Courier",
];

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

/// `n` random words, the first capitalised, appended to `out`.
fn words(rng: &mut Rng, n: usize, commas: bool, out: &mut String) {
    for i in 0..n {
        let w = rng.word();
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
        if commas && i + 1 < n && rng.below(12) == 0 {
            out.push(',');
        }
    }
}

fn sentence(rng: &mut Rng, out: &mut String) {
    let n = 8 + rng.below(14);
    words(rng, n, true, out);
    out.push_str(match rng.below(10) {
        0 => "?",
        1 => "”",
        _ => ".",
    });
}

fn paragraph(rng: &mut Rng, words: &mut usize) -> String {
    let mut p = String::new();
    for i in 0..(3 + rng.below(3)) {
        if i > 0 {
            p.push(' ');
        }
        sentence(rng, &mut p);
    }
    if rng.below(5) == 0 {
        p.push_str(" “We will see,” one official said – and the room went quiet.");
    }
    *words += p.split_whitespace().count();
    p
}

fn headline(rng: &mut Rng) -> String {
    let mut h = String::new();
    let n = 5 + rng.below(5);
    words(rng, n, false, &mut h);
    h
}

/// Writes `n` articles, `pressbook.toml` and `all.md` into `dir`.
pub fn generate(dir: &Path, n: usize) -> anyhow::Result<()> {
    let articles = dir.join("articles");
    std::fs::create_dir_all(&articles)
        .with_context(|| format!("cannot create {}", articles.display()))?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut sections: Vec<Vec<String>> = vec![Vec::new(); SECTIONS.len()];
    let mut all = String::from("---\ntitle: Synthetic Corpus\n---\n\n");
    for i in 0..n {
        let title = headline(&mut rng);
        let source = SOURCES[i % SOURCES.len()];
        let year = 2020 + (i % 7);
        let mut words = 0;
        let mut md = String::new();
        let (name, text) = if i % 2 == 0 {
            let _ = write!(
                md,
                "---\ntitle: \"{title}\"\nauthor: Reporter {i}\nsource: {source}\nurl: https://example.org/{i}\ndate: {year}-{:02}-{:02}\n---\n\n",
                1 + i % 12,
                1 + i % 28
            );
            let mut body = String::new();
            while words < 900 {
                let k = rng.below(12);
                match k {
                    0 => {
                        let _ = writeln!(body, "## {}\n", headline(&mut rng));
                    }
                    1 => {
                        for _ in 0..3 {
                            let _ = writeln!(
                                body,
                                "- {}",
                                paragraph(&mut rng, &mut words)
                                    .split(". ")
                                    .next()
                                    .unwrap_or("")
                            );
                        }
                        body.push('\n');
                    }
                    2 => {
                        let p = paragraph(&mut rng, &mut words);
                        let _ = writeln!(body, "*{}* and **a strong claim**, with [a link](https://example.org/ref/{i}) in it. {p}\n", rng.word());
                    }
                    _ => {
                        let _ = writeln!(body, "{}\n", paragraph(&mut rng, &mut words));
                    }
                }
            }
            md.push_str(&body);
            let _ = write!(all, "# {title}\n\n{body}\n");
            (format!("{i:05}.md"), md)
        } else {
            let mut t = String::new();
            while words < 900 {
                let _ = write!(t, "{}\n\n", paragraph(&mut rng, &mut words));
            }
            let _ = write!(all, "# {title}\n\n{t}\n");
            let _ = writeln!(t, "(c) {source} {year}: {title}");
            (format!("{i:05}.txt"), t)
        };
        std::fs::write(articles.join(&name), text)?;
        sections[i % SECTIONS.len()].push(format!("articles/{name}"));
    }
    let mut manifest = String::from(
        "title = \"Synthetic Corpus\"\neditor = \"pressbook bench\"\nlanguage = \"en\"\ndate = \"2026-01-05\"\n",
    );
    for (title, list) in SECTIONS.iter().zip(&sections) {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            manifest,
            "\n[[sections]]\ntitle = \"{title}\"\narticles = [\n"
        );
        for a in list {
            let _ = writeln!(manifest, "  \"{a}\",");
        }
        manifest.push_str("]\n");
    }
    std::fs::write(dir.join("pressbook.toml"), manifest)?;
    std::fs::write(dir.join("all.md"), all)?;
    Ok(())
}
