//! The documentation's links resolve, checked offline and without mdbook:
//! every link and anchor in README.md, ARCHITECTURE.md,
//! docs/measurements.md and the guide's pages (docs/src).
//!
//! - A relative link names a file or folder that exists, counted from the
//!   file that holds the link; a guide page links only inside the guide
//!   (mdBook copies nothing else into the book).
//! - An anchor (`#part`, or `page.md#part`) is made by a heading of the
//!   target file, by the rule GitHub and mdBook share: lower case, each
//!   space a `-`, every character but letters, digits, `-` and `_` dropped,
//!   and `-1`, `-2`, … after a heading that repeats an earlier one.
//! - `http(s)` and `mailto` addresses are never fetched, only checked to be
//!   well-formed; other schemes are refused.
//! - The guide's SUMMARY.md lists every page of docs/src, and only pages.
//!
//! A failure lists every broken link as `file:line: target (why)`.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::common::{repo, scratch};

/// Where the guide's pages live, relative to the repository.
const GUIDE: &str = "docs/src";

#[test]
fn every_link_and_anchor_in_the_docs_resolves() {
    let root = repo();
    let mut files: Vec<PathBuf> = ["README.md", "ARCHITECTURE.md", "docs/measurements.md"]
        .into_iter()
        .map(PathBuf::from)
        .collect();
    files.extend(markdown_under(&root, Path::new(GUIDE)));
    let broken = broken_links(&root, &files);
    assert!(
        broken.is_empty(),
        "{} broken link(s) in the docs:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn the_guide_summary_lists_every_page_and_only_pages_that_exist() {
    let root = repo();
    let guide = Path::new(GUIDE);
    let summary = guide.join("SUMMARY.md");
    let text = fs::read_to_string(root.join(&summary)).expect("docs/src/SUMMARY.md");
    let mut listed = BTreeSet::new();
    let mut problems = Vec::new();
    for link in parse(&text).links {
        let page = resolve(&summary, &link.target).ok().filter(|p| {
            p.starts_with(guide)
                && p.extension().is_some_and(|x| x == "md")
                && root.join(p).is_file()
        });
        match page {
            Some(p) => {
                listed.insert(p);
            }
            None => problems.push(format!(
                "{}:{}: {} (not a page of {GUIDE})",
                shown(&summary),
                link.line,
                link.target
            )),
        }
    }
    for page in markdown_under(&root, guide) {
        if page != summary && !listed.contains(&page) {
            problems.push(format!(
                "{}: not listed in {}",
                shown(&page),
                shown(&summary)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the guide's summary and its pages disagree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_guide_is_an_mdbook_with_its_pages_in_src() {
    let book = fs::read_to_string(repo().join("docs/book.toml")).expect("docs/book.toml");
    let setting = |line: &str| book.lines().any(|l| l.replace(' ', "") == line);
    assert!(
        setting("src=\"src\""),
        "docs/book.toml must say src = \"src\":\n{book}"
    );
    assert!(
        setting("title=\"pressbookguide\""),
        "docs/book.toml must give the title \"pressbook guide\":\n{book}"
    );
}

#[test]
fn the_readme_is_a_front_door_with_the_two_fresh_machine_commands() {
    let text = fs::read_to_string(repo().join("README.md")).expect("README.md");
    let lines = text.lines().count();
    assert!(
        lines < 200,
        "README.md has {lines} lines; reference material belongs in the guide ({GUIDE})"
    );
    for command in ["cargo run --release -- build input", "bash tests/run.sh"] {
        assert!(
            text.lines().any(|l| l.trim() == command),
            "README.md no longer shows the command `{command}` on a line of its own"
        );
    }
}

#[test]
fn anchors_follow_the_github_and_mdbook_slug_rule() {
    assert_eq!(
        slug("Send to Kindle or any inbox: `pressbook send`"),
        "send-to-kindle-or-any-inbox-pressbook-send"
    );
    assert_eq!(
        slug("The digest's own look: `[style]`"),
        "the-digests-own-look-style"
    );
    assert_eq!(
        slug("Fonts, scripts & fallbacks"),
        "fonts-scripts--fallbacks"
    );
    assert_eq!(
        slug("  snake_case and kebab-case  "),
        "snake_case-and-kebab-case"
    );
    assert_eq!(slug("PDF/A-2a"), "pdfa-2a");
    let anchors = parse("# Notes\n\n## Notes\n\nText\n---\n\n### *Notes*\n").anchors;
    let expected = ["notes", "notes-1", "text", "notes-2"];
    let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
    assert_eq!(anchors, expected);
}

#[test]
fn the_link_check_reports_each_broken_link_with_its_file_and_line() {
    let root = scratch("docs-links");
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "guide/page.md",
        "# A page\n\n## Send to Kindle: `send`\n\n## Notes\n\n## Notes\n\n[back](../README.md#front-door)\n",
    );
    write("guide/photo.png", "");
    write(
        "README.md",
        "# Front door\n\
         \n\
         [page](guide/page.md), [anchor](guide/page.md#send-to-kindle-send),\n\
         [repeat](guide/page.md#notes-1), [here](#front-door), [folder](guide/),\n\
         [web](https://example.org/a?b=c#d), [mail](mailto:desk@example.org),\n\
         ![photo](guide/photo.png) and `[code](not/a/link.md)`.\n\
         \n\
         [gone](guide/gone.md) and [no such heading](guide/page.md#nowhere)\n\
         [third notes](guide/page.md#notes-2) [here, wrong](#front)\n\
         \n\
         - [up and out](../../outside.md)\n\
         - [image anchor](guide/photo.png#top)\n\
         - [host](https://localhost_) [mail](mailto:nobody) [ftp](ftp://example.org/x)\n\
         - [empty]() [absolute](/etc/passwd)\n",
    );
    let files = [PathBuf::from("README.md"), PathBuf::from("guide/page.md")];
    let broken = broken_links(&root, &files);
    let found: Vec<&str> = broken
        .iter()
        .map(|b| b.split(" (").next().unwrap())
        .collect();
    let expected = [
        "README.md:8: guide/gone.md",
        "README.md:8: guide/page.md#nowhere",
        "README.md:9: guide/page.md#notes-2",
        "README.md:9: #front",
        "README.md:11: ../../outside.md",
        "README.md:12: guide/photo.png#top",
        "README.md:13: https://localhost_",
        "README.md:13: mailto:nobody",
        "README.md:13: ftp://example.org/x",
        "README.md:14: ",
        "README.md:14: /etc/passwd",
    ];
    assert_eq!(found, expected, "reported:\n{}", broken.join("\n"));
}

/// Every `.md` file under `dir` (both relative to `root`), sorted.
fn markdown_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let entries = fs::read_dir(root.join(&d))
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", d.display()));
        for entry in entries {
            let rel = d.join(entry.expect("a folder entry").file_name());
            if root.join(&rel).is_dir() {
                todo.push(rel);
            } else if rel.extension().is_some_and(|x| x == "md") {
                found.push(rel);
            }
        }
    }
    found.sort();
    found
}

/// A link or image as written: its line (from 1) and its destination.
struct Link {
    line: usize,
    target: String,
}

/// What a Markdown file holds that links care about: its links and the
/// anchors its headings make.
struct Parsed {
    links: Vec<Link>,
    anchors: BTreeSet<String>,
}

fn parse(text: &str) -> Parsed {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut parsed = Parsed {
        links: Vec::new(),
        anchors: BTreeSet::new(),
    };
    let mut repeats = HashMap::new();
    let mut heading: Option<String> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                parsed.links.push(Link {
                    line: text[..range.start].matches('\n').count() + 1,
                    target: dest_url.to_string(),
                });
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    parsed.anchors.insert(unique(slug(&h), &mut repeats));
                }
            }
            _ => {}
        }
    }
    parsed
}

/// The anchor GitHub and mdBook make of a heading's text.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some('-')
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else {
                None
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A heading's anchor with `-1`, `-2`, … when an earlier heading of the
/// file made the same one.
fn unique(slug: String, repeats: &mut HashMap<String, usize>) -> String {
    let n = repeats.entry(slug.clone()).or_insert(0);
    let anchor = if *n == 0 { slug } else { format!("{slug}-{n}") };
    *n += 1;
    anchor
}

/// Every broken link of `files` (relative to `root`), as
/// `file:line: target (why)`.
fn broken_links(root: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut anchors = Anchors {
        root,
        known: HashMap::new(),
    };
    let mut broken = Vec::new();
    for file in files {
        let text = match fs::read_to_string(root.join(file)) {
            Ok(t) => t,
            Err(e) => {
                broken.push(format!("{}: cannot be read ({e})", shown(file)));
                continue;
            }
        };
        for link in parse(&text).links {
            if let Err(why) = check(file, &link.target, &mut anchors) {
                broken.push(format!(
                    "{}:{}: {} ({why})",
                    shown(file),
                    link.line,
                    link.target
                ));
            }
        }
    }
    broken
}

/// The anchors of the Markdown files links point into, each file read once.
struct Anchors<'a> {
    root: &'a Path,
    known: HashMap<PathBuf, BTreeSet<String>>,
}

impl Anchors<'_> {
    /// Whether a heading of `file` (relative to the root) makes `anchor`.
    fn has(&mut self, file: &Path, anchor: &str) -> bool {
        let root = self.root;
        self.known
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                fs::read_to_string(root.join(file))
                    .map(|text| parse(&text).anchors)
                    .unwrap_or_default()
            })
            .contains(anchor)
    }
}

/// Why `target`, written in the file `from`, does not resolve.
fn check(from: &Path, target: &str, anchors: &mut Anchors) -> Result<(), String> {
    if target.is_empty() {
        return Err("an empty link".into());
    }
    if let Some(rest) = target
        .strip_prefix("https://")
        .or_else(|| target.strip_prefix("http://"))
    {
        return web_address(rest);
    }
    if let Some(rest) = target.strip_prefix("mailto:") {
        return mail_address(rest);
    }
    if has_scheme(target) {
        return Err("a scheme other than http, https and mailto".into());
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let file = if path.is_empty() {
        from.to_path_buf()
    } else {
        resolve(from, path)?
    };
    if from.starts_with(GUIDE) && !file.starts_with(GUIDE) {
        return Err(format!(
            "leaves the guide, which mdBook would not copy; link {} by its web address or name it as text",
            shown(&file)
        ));
    }
    if !anchors.root.join(&file).exists() {
        return Err(format!("{} does not exist", shown(&file)));
    }
    match fragment {
        None => Ok(()),
        Some("") => Err("an empty anchor".into()),
        Some(_) if file.extension().is_none_or(|x| x != "md") => Err(format!(
            "{} is not Markdown, so it has no headings",
            shown(&file)
        )),
        Some(f) if anchors.has(&file, f) => Ok(()),
        Some(f) => Err(format!("no heading of {} makes #{f}", shown(&file))),
    }
}

/// `path` as written in the file `from`, made relative to the repository
/// root; an error when it is absolute or climbs out of the repository.
fn resolve(from: &Path, path: &str) -> Result<PathBuf, String> {
    if path.starts_with('/') {
        return Err("an absolute path; write it relative to the file that links".into());
    }
    let mut resolved = PathBuf::new();
    let base = from.parent().unwrap_or(Path::new(""));
    for part in base.join(path).components() {
        match part {
            Component::Normal(p) => resolved.push(p),
            Component::CurDir => {}
            Component::ParentDir if resolved.pop() => {}
            _ => return Err("climbs out of the repository".into()),
        }
    }
    Ok(resolved)
}

/// Whether `target` starts with a URL scheme (`name:`).
fn has_scheme(target: &str) -> bool {
    target.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Characters a URL never holds unescaped.
const NOT_IN_URLS: &[char] = &[
    ' ', '\t', '\n', '<', '>', '"', '`', '{', '}', '|', '\\', '^',
];

/// What follows `http(s)://` names a host (letters, digits, dots and dashes,
/// with a dot unless it is `localhost`), an optional port, and nothing a URL
/// cannot hold.
fn web_address(rest: &str) -> Result<(), String> {
    let bad = || Err("not a well-formed web address".to_string());
    if rest.contains(NOT_IN_URLS) {
        return bad();
    }
    let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let (name, port) = host.split_once(':').unwrap_or((host, "80"));
    let name_ok = !name.starts_with(['.', '-'])
        && !name.ends_with(['.', '-'])
        && (name.contains('.') || name == "localhost")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let port_ok = !port.is_empty() && port.chars().all(|c| c.is_ascii_digit());
    if name_ok && port_ok {
        Ok(())
    } else {
        bad()
    }
}

/// What follows `mailto:` is one address, `someone@host.domain`.
fn mail_address(rest: &str) -> Result<(), String> {
    let address = rest.split('?').next().unwrap_or("");
    match address.split_once('@') {
        Some((user, domain))
            if !user.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !address.contains(NOT_IN_URLS) =>
        {
            Ok(())
        }
        _ => Err("not a well-formed mail address".into()),
    }
}

/// A path as the failure message shows it: relative, with `/`.
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
