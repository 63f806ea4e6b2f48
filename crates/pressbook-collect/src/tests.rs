//! The line seen from a source: a source of the tests' own, offering items
//! already in hand, goes through the same steps as pages and feeds.

use std::cell::Cell;
use std::rc::Rc;

use super::*;
use crate::source::{Hints, Page, SourceError};

/// A source that offers what the test gives it, and notes what it is told
/// to remember.
struct Given {
    items: Vec<Item>,
    remembered: Rc<Cell<Option<bool>>>,
}

impl Source for Given {
    fn name(&self) -> String {
        "test source".into()
    }

    fn offer(&mut self, _cx: &mut Cx) -> Result<Offer, SourceError> {
        Ok(Offer::Items(self.items.clone()))
    }

    fn remember(&self, _state: &mut State, all_ok: bool) -> bool {
        self.remembered.set(Some(all_ok));
        false
    }
}

/// A source that cannot be read.
struct Broken;

impl Source for Broken {
    fn name(&self) -> String {
        "feed https://n.example/feed.xml".into()
    }

    fn offer(&mut self, _cx: &mut Cx) -> Result<Offer, SourceError> {
        Err(SourceError::Base("x".into()))
    }
}

const TEXT: &str = "<h2>Night shift</h2><p>The cranes on the <em>north quay</em> moved again.</p>\
    <p><img src='http://127.0.0.1:9/crane.png' alt='A crane'></p>";

fn item(link: &str, body: Body) -> Item {
    Item {
        shown: link.into(),
        keys: Keys {
            addresses: vec![link.into()],
            ids: vec![format!("test {link}")],
        },
        hints: Hints {
            title: Some("Cranes at night".into()),
            author: Some("Mara Lind".into()),
            ..Hints::default()
        },
        body,
        section: Some("Ports".into()),
        polite: false,
    }
}

fn fragment(link: &str) -> Item {
    item(
        link,
        Body::Fragment {
            html: TEXT.into(),
            url: Some(link.into()),
        },
    )
}

/// A digest folder of its own under the system's temporary folder.
fn digest(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pb-line-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pressbook.toml"), "title = \"Harbour Week\"\n").unwrap();
    dir
}

fn collector(dir: &Path) -> Collector {
    let net = NetOptions {
        timeout: std::time::Duration::from_secs(2),
        ..NetOptions::default()
    };
    Collector::open(dir, net).unwrap()
}

#[test]
fn a_source_of_its_own_goes_through_the_line() {
    let dir = digest("own");
    let mut c = collector(&dir);
    let remembered = Rc::new(Cell::new(None));
    let mut source = Given {
        items: vec![
            fragment("https://n.example/cranes"),
            item("https://n.example/empty", Body::Nothing),
        ],
        remembered: remembered.clone(),
    };
    let mut sink = Sink::new();
    let mut seen = 0;
    let events = c.collect(&mut source, &Run::default(), &mut sink, &mut |_| seen += 1);
    assert_eq!(seen, events.len());
    let file = "articles/cranes-at-night.md";
    assert_eq!(
        events[0],
        Event::Added {
            file: file.into(),
            title: "Cranes at night".into(),
            url: "https://n.example/cranes".into(),
        }
    );
    // The picture cannot be had: a warning naming it and the article.
    let Event::Warning(d) = &events[1] else {
        panic!("{events:?}");
    };
    assert!(!d.is_error());
    assert!(d
        .message
        .starts_with("image http://127.0.0.1:9/crane.png is left out: "));
    assert_eq!(d.path.as_deref(), Some(dir.join(file).as_path()));
    assert_eq!(sink.len(), 1);
    assert_eq!(
        events[2],
        Event::Failed {
            what: "https://n.example/empty".into(),
            why: "the item has neither a link nor its full text".into(),
        }
    );
    assert_eq!(events.len(), 3);
    assert_eq!(remembered.get(), Some(false), "one item failed");

    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    assert!(text.starts_with("---\ntitle: \"Cranes at night\"\nauthor: \"Mara Lind\"\nurl: \"https://n.example/cranes\"\nfetched: \""), "{text}");
    assert!(
        text.ends_with("---\n\n## Night shift\n\nThe cranes on the *north quay* moved again.\n"),
        "{text}"
    );
    let manifest = std::fs::read_to_string(dir.join("pressbook.toml")).unwrap();
    assert!(
        manifest.contains("title = \"Ports\"") && manifest.contains(file),
        "{manifest}"
    );

    // Known by its id, its address or its canonical address: nothing again.
    let mut again = Given {
        items: vec![fragment("https://n.example/cranes?utm_source=x")],
        remembered,
    };
    let events = c.collect(&mut again, &Run::default(), &mut sink, &mut |_| {});
    assert_eq!(
        events,
        [Event::Known {
            file: file.into(),
            url: "https://n.example/cranes?utm_source=x".into()
        }]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_dry_run_writes_nothing_and_a_broken_source_is_one_failure() {
    let dir = digest("dry");
    let mut c = collector(&dir);
    let remembered = Rc::new(Cell::new(None));
    let mut source = Given {
        items: vec![fragment("https://n.example/cranes")],
        remembered: remembered.clone(),
    };
    let run = Run {
        dry_run: true,
        section: None,
    };
    let mut sink = Sink::new();
    let events = c.collect(&mut source, &run, &mut sink, &mut |_| {});
    assert_eq!(
        events,
        [Event::WouldAdd {
            title: "Cranes at night".into(),
            url: "https://n.example/cranes".into()
        }]
    );
    assert_eq!(remembered.get(), None, "a dry run remembers nothing");
    assert!(!dir.join("articles").exists());

    let events = c.collect(&mut Broken, &Run::default(), &mut sink, &mut |_| {});
    assert_eq!(
        events,
        [Event::Failed {
            what: "feed https://n.example/feed.xml".into(),
            why: "--url \"x\" is not an absolute http(s) address".into(),
        }]
    );
    assert!(sink.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn extract_runs_the_line_up_to_the_clean_article() {
    let page = Page {
        html: format!(
            "<html><head><title>Cranes</title></head><body><article><h1>Cranes</h1>{}</article></body></html>",
            "<p>The cranes on the north quay moved again after two years of repairs, and the first ships came in before dawn.</p>".repeat(3)
        ),
        url: None,
        addresses: Vec::new(),
    };
    let mut source = Given {
        items: vec![item("saved.html", Body::Page(page))],
        remembered: Rc::new(Cell::new(None)),
    };
    let mut http = Http::new(NetOptions::default());
    let article = read_article(&mut http, &mut source).unwrap();
    assert_eq!(article.meta.title.as_deref(), Some("Cranes"));
    assert_eq!(
        article.meta.byline.as_deref(),
        Some("Mara Lind"),
        "from the hints"
    );
    assert!(!markdown::to_markdown(&article.blocks).contains("# Cranes"));

    let mut nothing = Given {
        items: Vec::new(),
        remembered: Rc::new(Cell::new(None)),
    };
    let e = read_article(&mut http, &mut nothing).unwrap_err();
    assert_eq!(e.to_string(), "test source offers nothing to read");
}
