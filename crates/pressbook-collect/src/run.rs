//! A run of the line: what it is asked to do ([`Run`]) and what it tells
//! of each item as it goes ([`Event`]), for progress lines and summaries.

use pressbook_model::diag::{Diagnostic, Sink};

/// What happened to one item (or to a source as a whole).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Added {
        file: String,
        title: String,
        url: String,
    },
    Known {
        file: String,
        url: String,
    },
    WouldAdd {
        title: String,
        url: String,
    },
    /// The source has nothing new (a feed answered 304).
    Unchanged {
        source: String,
    },
    /// Not fetched: the site's robots.txt disallows it.
    Skipped {
        url: String,
        why: String,
    },
    Failed {
        what: String,
        why: String,
    },
    /// A problem that did not stop the article (a picture left out).
    Warning(Diagnostic),
}

impl Event {
    pub fn failed(&self) -> bool {
        matches!(self, Event::Failed { .. })
    }
}

/// How a run treats what its sources offer.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// Stop before fetching: say what would be added, write nothing.
    pub dry_run: bool,
    /// Where the articles go, over what a source says (`add --section`).
    pub section: Option<String>,
}

/// The events of a run, each shown as it happens.
pub(crate) struct Report<'a> {
    pub list: Vec<Event>,
    pub show: &'a mut dyn FnMut(&Event),
}

impl Report<'_> {
    pub fn emit(&mut self, e: Event) {
        (self.show)(&e);
        self.list.push(e);
    }

    /// Reports the warnings `sink` received since it held `before`.
    pub fn warnings(&mut self, sink: &Sink, before: usize) {
        for d in sink.iter().skip(before) {
            self.emit(Event::Warning(d.clone()));
        }
    }
}
