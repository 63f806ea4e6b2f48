//! The boundary around every decoder of outside bytes (charsets, feeds,
//! HTML, the extractor): the work runs on a thread of its own, so that a
//! panic in a dependency becomes an error naming what was being read
//! rather than the end of the run (a feed that crashes the parser must not
//! keep every feed after it from being fetched), and so that work that
//! runs too long is abandoned after a time limit.

use std::sync::Once;
use std::time::Duration;

/// Worker threads are named this way; the panic hook keeps quiet for them,
/// because their panics are reported as errors.
const WORKER: &str = "pressbook-decoder";

/// The stack of a worker: parsers recurse over nesting, and a stack
/// overflow would abort the process where a panic can be caught. Only
/// what is touched is committed.
const STACK: usize = 256 << 20;

/// Why guarded work gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Stopped {
    #[error("the {what} crashed on it ({message}); please report this with the input")]
    Crashed { what: &'static str, message: String },
    #[error("reading it took longer than {secs} s (the --timeout), so it was given up")]
    TimedOut { what: &'static str, secs: u64 },
}

/// Runs `work`, done by `what` ("feed parser", "article extractor"), on a
/// worker thread. A panic comes back as [`Stopped::Crashed`]; with
/// `limit`, work still running after it comes back as
/// [`Stopped::TimedOut`] and its thread is left to finish on its own
/// (nothing it makes is used).
pub fn guarded<T, F>(what: &'static str, limit: Option<Duration>, work: F) -> Result<T, Stopped>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    quiet_workers();
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(WORKER.into())
        .stack_size(STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        return Err(Stopped::Crashed {
            what,
            message: format!("no thread could be started for it: {e}"),
        });
    }
    let received = match limit {
        Some(limit) => rx.recv_timeout(limit).map_err(|e| match e {
            std::sync::mpsc::RecvTimeoutError::Timeout => Stopped::TimedOut {
                what,
                secs: limit.as_secs().max(1),
            },
            std::sync::mpsc::RecvTimeoutError::Disconnected => Stopped::Crashed {
                what,
                message: "its thread ended without an answer".into(),
            },
        })?,
        None => rx.recv().map_err(|_| Stopped::Crashed {
            what,
            message: "its thread ended without an answer".into(),
        })?,
    };
    received.map_err(|p| crashed(what, p.as_ref()))
}

fn crashed(what: &'static str, payload: &(dyn std::any::Any + Send)) -> Stopped {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    Stopped::Crashed { what, message }
}

/// Installs, once, a panic hook that says nothing for worker threads
/// (their panic becomes an error the command reports) and leaves every
/// other panic to the hook that was there.
fn quiet_workers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(WORKER) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_decoder() {
        let r: Result<(), _> = guarded("feed parser", None, || panic!("index out of range"));
        assert_eq!(
            r.unwrap_err(),
            Stopped::Crashed {
                what: "feed parser",
                message: "index out of range".into()
            }
        );
        assert_eq!(guarded("x", None, || 4), Ok(4));
    }

    #[test]
    fn work_over_the_limit_is_given_up() {
        let r = guarded("article extractor", Some(Duration::from_millis(50)), || {
            std::thread::sleep(Duration::from_secs(2));
        });
        assert!(matches!(r, Err(Stopped::TimedOut { secs: 1, .. })), "{r:?}");
    }
}
