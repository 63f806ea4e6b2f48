//! What the command line shows a person: colours, the progress bar and the
//! summary lines. Kept out of `main.rs` so that it stays argument parsing.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diag::Diagnostic;
use crate::{Progress, Step, Written};

/// Whether to colour stderr: a terminal, and `NO_COLOR` unset.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
        && std::io::stderr().is_terminal()
}

/// `println!` through [`say`].
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => { $crate::term::say(format!($($t)*)) };
}

/// `eprintln!` through [`say_err`].
#[macro_export]
macro_rules! say_err {
    ($($t:tt)*) => { $crate::term::say_err(format!($($t)*)) };
}

/// `print!` through [`say_raw_lines`].
#[macro_export]
macro_rules! say_raw {
    ($($t:tt)*) => { $crate::term::say_raw_lines(format!($($t)*)) };
}

/// Set once a stream's reader has gone (`pressbook list | head`): what
/// would have been printed there is dropped, the command carries on (a
/// `fetch` still saves what it fetched) and exits as it would have.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

/// Prints `text` and a line feed to stdout. Every line the commands print
/// goes through here or [`say_err`]: control characters in it (a page's
/// title, a server's answer) are made visible ([`crate::diag::visible`]),
/// and a closed pipe ends the printing quietly instead of panicking.
pub fn say(text: impl AsRef<str>) {
    let text = format!("{}\n", crate::diag::visible(text.as_ref()));
    write_to(&mut std::io::stdout().lock(), &STDOUT_GONE, text.as_bytes());
}

/// [`say`] without the line feed: text that brings its own (a listing,
/// an article).
pub fn say_raw_lines(text: impl AsRef<str>) {
    let text = crate::diag::visible(text.as_ref());
    write_to(&mut std::io::stdout().lock(), &STDOUT_GONE, text.as_bytes());
}

/// Bytes made by a generator (completions, the man page) to stdout, as
/// they are: they come from this program, not from outside.
pub fn say_bytes(bytes: &[u8]) {
    write_to(&mut std::io::stdout().lock(), &STDOUT_GONE, bytes);
}

/// [`say`] for stderr.
pub fn say_err(text: impl AsRef<str>) {
    let text = format!("{}\n", crate::diag::visible(text.as_ref()));
    write_to(&mut std::io::stderr().lock(), &STDERR_GONE, text.as_bytes());
}

/// Writes and flushes, remembering a closed pipe in `gone`. Any other
/// failure to print (a full disk behind `>`) cannot be reported anywhere
/// better and is dropped the same way.
fn write_to(w: &mut dyn Write, gone: &AtomicBool, bytes: &[u8]) {
    if gone.load(Ordering::Relaxed) {
        return;
    }
    if w.write_all(bytes).and_then(|()| w.flush()).is_err() {
        gone.store(true, Ordering::Relaxed);
    }
}

/// Prints diagnostics to stderr. [`Diagnostic::render`] has made their
/// text visible already; only its own colours remain.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    if !diags.is_empty() {
        let text = crate::render_diagnostics(diags, stderr_color());
        write_to(&mut std::io::stderr().lock(), &STDERR_GONE, text.as_bytes());
    }
}

/// Prints why a command failed to stderr.
pub fn print_error(e: &crate::Error) {
    match e {
        crate::Error::Problems(diags) => print_diagnostics(diags),
        crate::Error::Failed(e) => say_err(format!("error: {e:#}")),
        crate::Error::Usage(e) => say_err(format!("error: {e}")),
    }
}

/// One summary line for a written file.
pub fn summary_line(w: &Written) -> String {
    let pages = w.pages.map(|p| format!(", {p} pages")).unwrap_or_default();
    let pictures = w
        .pictures
        .as_ref()
        .map(|p| format!("\n  {p}"))
        .unwrap_or_default();
    format!(
        "wrote {} ({}, {}{pages}, {} articles){pictures}",
        w.path.display(),
        w.format,
        human_size(w.bytes),
        w.articles
    )
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// A progress spinner on stderr that appears only on a terminal and only
/// once the build has taken longer than a moment.
pub struct ProgressDisplay {
    bar: ProgressBar,
    verbose: bool,
}

impl ProgressDisplay {
    pub fn new(verbose: bool) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        ProgressDisplay { bar, verbose }
    }

    /// The callback to hand to [`crate::BuildOptions::progress`].
    pub fn callback(&self) -> Progress {
        let shown_after = Duration::from_millis(300);
        let start = Instant::now();
        let is_tty = std::io::stderr().is_terminal();
        let bar = self.bar.clone();
        let verbose = self.verbose;
        let shown = Arc::new(Mutex::new(false));
        Arc::new(move |step: &Step| {
            if let Ok(mut shown) = shown.lock() {
                if is_tty && !*shown && start.elapsed() > shown_after {
                    *shown = true;
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(100));
                }
            }
            let msg = match step {
                Step::Loaded { articles } => format!("loaded {articles} articles"),
                Step::Rendering(f) => format!("writing the {f}"),
                Step::Wrote(w) => format!("wrote {}", w.path.display()),
            };
            if verbose {
                bar.suspend(|| say_err(&msg));
            }
            bar.set_message(msg);
        })
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
