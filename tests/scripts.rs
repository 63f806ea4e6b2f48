//! End-to-end (issue 15): the world's scripts in the PDF and the EPUB.
//! The fixture `scripts/` holds an Arabic, a Hebrew, a Chinese, a Japanese
//! and an English article with Arabic, Hebrew and Chinese names; the
//! bundled fonts have none of those scripts, so the PDF takes them from the
//! system's fonts (Debian's fonts-noto-core and fonts-noto-cjk, which
//! `bash tests/run.sh` installs).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::*;
use pressbook::layout::PageStyle;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is not installed ({e}): run the suite with `bash tests/run.sh`")
    });
    assert!(o.status.success(), "{name} {args:?} failed: {o:?}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The fixture built once with `--strict` (EPUB and PDF), and what the
/// build printed.
fn built() -> &'static (PathBuf, PathBuf, String) {
    static BUILT: OnceLock<(PathBuf, PathBuf, String)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = scratch("scripts");
        let dir = fixture("scripts");
        let o = pressbook(&["build", s(&dir), "--out", s(&out), "--strict"]);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.status.success(),
            "the scripts fixture does not build with --strict:\n{all}"
        );
        (file_in(&out, "epub"), file_in(&out, "pdf"), all)
    })
}

/// Letters and digits only: what the reading order is judged by (the
/// places pdftotext gives spaces and neutral punctuation in right-to-left
/// lines, and hyphens at line ends, are not).
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The articles' paragraphs in the fixture, by file.
fn paragraphs() -> Vec<(PathBuf, Vec<String>)> {
    article_files(&fixture("scripts"))
        .into_iter()
        .map(|f| {
            let p = source_paragraphs(&f);
            (f, p)
        })
        .collect()
}

#[test]
fn scripts_fixture_builds_strict_with_every_face_embedded_and_subset() {
    let (_, pdf, all) = built();
    assert!(!all.contains("no font has"), "{all}");
    assert_qpdf_clean(pdf);
    // With every character in a font, it claims PDF/A-2a and PDF/UA-1 and
    // meets them, CJK faces (OpenType with CFF outlines) included.
    assert!(std::fs::read(pdf)
        .unwrap()
        .windows(11)
        .any(|w| w == b"pdfaid:part"));
    assert_claims_kept(pdf);
    // Right-to-left glyphs are drawn (and stored) in visual order, so each
    // element with such text carries it in reading order as /ActualText,
    // which screen readers read instead (poppler's `pdfinfo -struct-text`
    // prints the content).
    let bytes = pdf_objects(pdf);
    for title in ["الميناء يفتح أرصفته من جديد", "ספרייה חדשה בלב השכונה"]
    {
        let hex: String = title.encode_utf16().map(|u| format!("{u:04x}")).collect();
        let actual = format!("/ActualText <feff{hex}>");
        assert!(
            bytes.windows(actual.len()).any(|w| w == actual.as_bytes()),
            "no /ActualText in reading order for {title}"
        );
    }
    let fonts = tool("pdffonts", &[s(pdf)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 5, "{fonts}");
    for row in &rows {
        // name type... emb sub uni
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "not embedded, subset and mapped: {row}"
        );
        assert!(cols[0].as_bytes()[6] == b'+', "no subset tag: {row}");
    }
    for family in ["Arabic", "Hebrew", "CJK"] {
        assert!(
            rows.iter().any(|r| r.contains(family)),
            "no {family} face:\n{fonts}"
        );
    }
    // A few paragraphs of Chinese and Japanese must not embed 20 MB fonts.
    let size = std::fs::metadata(pdf).unwrap().len();
    assert!(size < 600 * 1024, "the PDF is {size} bytes");
}

#[test]
fn scripts_pdftotext_gives_every_paragraph_in_logical_order() {
    let (_, pdf, _) = built();
    let text = letters(&tool("pdftotext", &[s(pdf), "-"]));
    let mut checked = 0;
    for (f, paras) in paragraphs() {
        for p in paras {
            let want = letters(&p);
            assert!(
                text.contains(&want),
                "a paragraph of {f:?} does not come back in reading order:\n{p}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked} paragraphs");
}

/// The words on page `page` as pdftotext places them.
fn words_on(pdf: &Path, page: usize) -> Vec<PdfWord> {
    pdf_words(pdf)
        .into_iter()
        .filter(|w| w.page == page)
        .collect()
}

/// The page the first paragraph of `file` starts on (1-based).
fn page_of(pdf: &Path, file: &str) -> usize {
    let f = fixture("scripts").join("articles").join(file);
    let first = letters(&source_paragraphs(&f)[0]);
    let probe: String = first.chars().take(12).collect();
    let pages = tool("pdfinfo", &[s(pdf)])
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse::<usize>().unwrap())
        })
        .unwrap();
    (1..=pages)
        .find(|p| {
            let n = p.to_string();
            letters(&tool("pdftotext", &["-f", &n, "-l", &n, s(pdf), "-"])).contains(&probe)
        })
        .unwrap_or_else(|| panic!("no page has {file}"))
}

/// The text column's left and right edges on the page.
fn column() -> (f32, f32) {
    let (loaded, _) = pressbook::check(
        &fixture("scripts"),
        &pressbook::LoadOptions::default(),
        false,
    )
    .unwrap_or_else(|_| panic!("the fixture does not load"));
    let style = PageStyle::for_settings(&loaded.settings.pdf);
    (style.margin_left, style.margin_left + style.measure)
}

/// Whether the word pdftotext gives (in visual order, as it does for a
/// right-to-left word) is `logical`.
fn is_word(w: &PdfWord, logical: &str) -> bool {
    w.text == logical || w.text.chars().rev().collect::<String>() == logical
}

#[test]
fn scripts_rtl_lines_start_at_the_right_edge_and_read_leftwards() {
    let (_, pdf, _) = built();
    let (_, right) = column();
    for (file, first, second) in [
        ("harbour-ar.md", "أعاد", "ميناء"),
        ("library-he.md", "הספרייה", "העירונית"),
    ] {
        let page = page_of(pdf, file);
        let words = words_on(pdf, page);
        let a = words
            .iter()
            .find(|w| is_word(w, first))
            .unwrap_or_else(|| panic!("no {first} on page {page}: {words:?}"));
        let b = words
            .iter()
            .find(|w| is_word(w, second) && (w.y0 - a.y0).abs() < 1.0)
            .unwrap_or_else(|| panic!("no {second} beside {first}"));
        assert!(
            (a.x1 - right).abs() < 1.0,
            "{first} ends at {}, the column at {right}",
            a.x1
        );
        assert!(
            b.x1 < a.x0,
            "{second} ({}..{}) is not left of {first} ({}..)",
            b.x0,
            b.x1,
            a.x0
        );
    }
}

#[test]
fn scripts_cjk_lines_stay_in_the_measure_and_no_line_starts_with_a_closing_mark() {
    let (_, pdf, _) = built();
    let (left, right) = column();
    for file in ["train-zh.md", "lighthouse-ja.md"] {
        let page = page_of(pdf, file);
        let words = words_on(pdf, page);
        // Lines: words whose tops are (nearly) level, in the body.
        let mut lines: Vec<Vec<&PdfWord>> = Vec::new();
        for w in words
            .iter()
            .filter(|w| w.text.chars().any(pressbook::layout::fonts::is_cjk))
        {
            match lines.iter_mut().find(|l| (l[0].y0 - w.y0).abs() < 2.0) {
                Some(l) => l.push(w),
                None => lines.push(vec![w]),
            }
        }
        assert!(lines.len() >= 6, "{file}: {} lines", lines.len());
        let mut full = 0;
        for l in &mut lines {
            l.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap());
            let text: String = l.iter().map(|w| w.text.as_str()).collect();
            let (x0, x1) = (l[0].x0, l[l.len() - 1].x1);
            assert!(
                x0 >= left - 0.5 && x1 <= right + 0.5,
                "{file}: {text} runs {x0}..{x1}"
            );
            let c = text.chars().next().unwrap();
            assert!(
                !"、。，．」』）〕］｝〉》：；！？ー".contains(c),
                "{file}: a line starts with {c}: {text}"
            );
            let c = text.chars().next_back().unwrap();
            assert!(
                !"「『（〔［｛〈《".contains(c),
                "{file}: a line ends with {c}: {text}"
            );
            if (x1 - right).abs() < 0.5 {
                full += 1;
            }
        }
        // Justified by the space between characters: most lines are full.
        assert!(full >= 4, "{file}: only {full} lines reach the right edge");
    }
}

#[test]
fn scripts_rtl_headlines_are_in_the_contents_and_the_bookmarks() {
    let (_, pdf, _) = built();
    let outline = tool("mutool", &["show", s(pdf), "outline"]);
    let contents = letters(&tool("pdftotext", &["-f", "2", "-l", "2", s(pdf), "-"]));
    for title in [
        "الميناء يفتح أرصفته من جديد",
        "ספרייה חדשה בלב השכונה",
        "山区小镇迎来第一列高速列车",
        "港町の古い灯台が博物館に",
    ] {
        assert!(outline.contains(title), "no bookmark {title}:\n{outline}");
        assert!(
            contents.contains(&letters(title)),
            "{title} not in the contents"
        );
    }
}

#[test]
fn scripts_epub_marks_direction_and_language_and_passes_epubcheck() {
    let (epub, _, _) = built();
    assert_epub_valid(epub);
    let files = unzip(epub);
    let page = |needle: &str| -> String {
        files
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .find(|t| t.contains(needle) && t.contains("class=\"article\""))
            .unwrap_or_else(|| panic!("no article page with {needle}"))
    };
    let ar = page("أعاد ميناء");
    assert!(
        ar.contains("lang=\"ar\"") && ar.contains("dir=\"rtl\""),
        "{ar}"
    );
    let he = page("הספרייה העירונית");
    assert!(he.contains("lang=\"he\"") && he.contains("dir=\"rtl\""));
    let en = page("Layla Haddad");
    assert!(!en.contains("dir=\"rtl\"") && en.contains("lang=\"en\""));
    let ja = page("灯台");
    assert!(ja.contains("lang=\"ja\"") && !ja.contains("dir=\"rtl\""));
}

#[test]
fn scripts_builds_are_reproducible_with_system_fonts() {
    let (_, pdf, _) = built();
    let out = scratch("scripts-again");
    let o = pressbook(&[
        "build",
        s(&fixture("scripts")),
        "--out",
        s(&out),
        "--format",
        "pdf",
    ]);
    assert!(o.status.success(), "{o:?}");
    assert!(std::fs::read(pdf).unwrap() == std::fs::read(file_in(&out, "pdf")).unwrap());
}

/// `build --watch` builds again in one process, with the machine's fonts
/// listed once: the second build must equal a fresh one.
#[test]
fn scripts_a_second_build_in_one_process_equals_a_fresh_one() {
    let (_, pdf, _) = built();
    let mut opts = pressbook::BuildOptions::new(fixture("scripts"));
    opts.outputs = pressbook::outputs::select("pdf").unwrap();
    let project = pressbook::Project::load(&opts.dir, &opts.load, false).unwrap();
    for run in ["first", "second"] {
        let out = scratch(&format!("scripts-in-process-{run}"));
        project.build(&opts.outputs, &out, true, None).unwrap();
        assert!(
            std::fs::read(pdf).unwrap() == std::fs::read(file_in(&out, "pdf")).unwrap(),
            "the {run} build in one process differs from a fresh one"
        );
    }
}

#[test]
fn scripts_without_system_fonts_the_warning_names_the_packages() {
    let out = scratch("scripts-nosys");
    let dir = fixture("scripts");
    let o = pdf_build(&dir, &out, &["--no-system-fonts"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("no font has"), "{err}");
    assert!(err.contains("U+0627") && err.contains("U+05D4"), "{err}");
    assert!(
        err.contains("fonts-noto-core") && err.contains("fonts-noto-cjk"),
        "{err}"
    );
    assert!(err.contains("--no-system-fonts"), "{err}");
    // --strict refuses it.
    let o = pdf_build(&dir, &out, &["--no-system-fonts", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn scripts_font_path_adds_a_folder_of_fonts() {
    // Only the Hebrew article, the system's folders off, and a folder with
    // one Hebrew face: that face is found and used.
    let hebrew = PathBuf::from("/usr/share/fonts/truetype/noto/NotoSerifHebrew-Regular.ttf");
    assert!(
        hebrew.is_file(),
        "fonts-noto-core is not installed: run bash tests/run.sh"
    );
    let article = std::fs::read(fixture("scripts").join("articles/library-he.md")).unwrap();
    let dir = write_digest(
        "scripts-font-path",
        &[
            (
                "pressbook.toml",
                &b"title = \"Hebrew\"\ndate = \"2026-11-30\"\narticles = [\"articles/he.md\"]\n"[..],
            ),
            ("articles/he.md", &article),
        ],
    );
    let fonts = dir.join("extra-fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    std::fs::copy(&hebrew, fonts.join("hebrew.ttf")).unwrap();
    let out = dir.join("dist");
    let o = pdf_build(&dir, &out, &["--no-system-fonts", "--font-path", s(&fonts)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && !err.contains("no font has"), "{err}");
    let fonts_used = tool("pdffonts", &[s(&file_in(&out, "pdf"))]);
    assert!(fonts_used.contains("NotoSerifHebrew"), "{fonts_used}");
    // A folder that does not exist is an error naming it.
    let o = pressbook(&[
        "build",
        s(&dir),
        "--out",
        s(&out),
        "--font-path",
        "/nonexistent/fonts",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/fonts"));
}

#[test]
fn scripts_rtl_running_heads_show_the_headline_in_reading_order() {
    // The Arabic article with its paragraphs repeated: long enough for
    // pages that carry running heads.
    let src = std::fs::read_to_string(fixture("scripts").join("articles/harbour-ar.md")).unwrap();
    let (head, body) = src.split_at(src.rfind("\n---\n").unwrap() + 5);
    let long = format!("{head}{}", body.repeat(6));
    let dir = write_digest(
        "scripts-running-heads",
        &[
            (
                "pressbook.toml",
                &b"title = \"Long\"\ndate = \"2026-11-30\"\narticles = [\"articles/ar.md\"]\n"[..],
            ),
            ("articles/ar.md", long.as_bytes()),
        ],
    );
    let out = dir.join("dist");
    let o = pdf_build(&dir, &out, &["--strict"]);
    assert!(o.status.success(), "{o:?}");
    let pdf = file_in(&out, "pdf");
    let title = letters("الميناء يفتح أرصفته من جديد");
    let last = tool("pdfinfo", &[s(&pdf)])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().to_string()))
        .unwrap();
    assert!(
        last.parse::<usize>().unwrap() >= 4,
        "the article fits one page"
    );
    let page = tool("pdftotext", &["-f", &last, "-l", &last, s(&pdf), "-"]);
    let first_line = page.lines().find(|l| !letters(l).is_empty()).unwrap();
    assert_eq!(letters(first_line), title, "running head: {first_line:?}");
}

/// Issue 29: the EPUB's cover picture is the laid-out cover page, drawn.
/// The fixture's cover shows the Arabic lead headline and Hebrew, Chinese
/// and Japanese titles: each is a run of a face from the machine with no
/// missing glyph, the picture is exactly a rasterization of that layout,
/// and taking a run away changes the picture where the run is, and only
/// there.
#[test]
fn scripts_cover_picture_is_the_laid_out_cover_with_every_script() {
    use pressbook::layout::{cover, raster, FontSet, PageItem};
    let (epub, _, _) = built();
    let png = unzip(epub)
        .into_iter()
        .find(|(n, _)| n.ends_with("images/cover.png"))
        .expect("the EPUB has a cover picture")
        .1;
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1600, 2560));

    let (loaded, _) = pressbook::check(
        &fixture("scripts"),
        &pressbook::LoadOptions::default(),
        false,
    )
    .unwrap_or_else(|_| panic!("the scripts fixture does not load"));
    let digest = &loaded.digest;
    let fonts = std::sync::Arc::new(FontSet::load(&loaded.settings.pdf.fonts).unwrap());
    let page = cover::page(digest, &fonts);
    let drawn =
        |page: &pressbook::layout::Page| raster::draw(page, &fonts, digest, cover::SCALE).unwrap();
    assert!(
        cover::encode_png(&drawn(&page)).unwrap() == png,
        "the EPUB's cover is not the rasterized cover page"
    );

    // Each script by a range of its letters, with the family that has it.
    let scripts = [
        ("Arabic", '\u{600}'..='\u{6ff}', "Arabic"),
        ("Hebrew", '\u{590}'..='\u{5ff}', "Hebrew"),
        ("Chinese", '\u{4e00}'..='\u{9fff}', "CJK"),
        ("Japanese kana", '\u{3040}'..='\u{30ff}', "CJK"),
    ];
    for (script, letters, family) in scripts {
        let is = |c: char| letters.contains(&c);
        let k = page
            .items
            .iter()
            .position(|p| matches!(&p.item, PageItem::Text(r) if r.text.chars().any(is)))
            .unwrap_or_else(|| panic!("no {script} on the cover"));
        let (at, PageItem::Text(run)) = (page.items[k].at, &page.items[k].item) else {
            unreachable!()
        };
        let face = &fonts.face(run.face).name;
        assert!(face.contains(family), "{script} set in {face}");
        assert!(
            run.glyphs.iter().all(|g| g.gid != 0),
            "{script}: a missing glyph"
        );
        // The picture without this run differs inside the run's box (its
        // advances, from an em above the baseline to half an em below).
        let mut without = page.clone();
        without.items.remove(k);
        let other = drawn(&without);
        let s = cover::SCALE;
        let (x0, x1) = ((at.x - 1.0) * s, (at.x + run.width() + 1.0) * s);
        let (y0, y1) = ((at.y - run.size) * s, (at.y + 0.5 * run.size) * s);
        let mut changed = 0;
        for (x, y, p) in img.enumerate_pixels() {
            let o = other.pixel(x, y).unwrap().demultiply();
            if p.0 != [o.red(), o.green(), o.blue()] {
                let (x, y) = (x as f32, y as f32);
                assert!(
                    x >= x0 && x <= x1 && y >= y0 && y <= y1,
                    "{script}: pixel ({x}, {y}) changed outside the run"
                );
                changed += 1;
            }
        }
        assert!(changed > 300, "{script}: only {changed} pixels drawn");
    }
}
