//! A validator kept running for the whole test binary: EPUBCheck's JVM and
//! Ace's Node and Chromium cost seconds to start, and far more than that on
//! a busy machine, so each starts once and checks book after book.
//!
//! The protocol is one line each way: the test writes a job
//! (`BOOK<TAB>REPORT`), the validator writes its report there and answers
//! one line. The validator's stdin closes when the test binary exits, and it
//! exits too.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};

pub struct Checker {
    name: &'static str,
    stdin: ChildStdin,
    answers: BufReader<ChildStdout>,
    _child: Child,
}

impl Checker {
    /// Starts `cmd` (once per `slot`) and locks it for one job.
    pub fn get(
        slot: &'static OnceLock<Mutex<Checker>>,
        name: &'static str,
        cmd: impl FnOnce() -> Command,
    ) -> MutexGuard<'static, Checker> {
        slot.get_or_init(|| {
            let mut child = cmd()
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("{name} could not start ({e}): run `bash tests/run.sh`")
                });
            Mutex::new(Checker {
                name,
                stdin: child.stdin.take().unwrap(),
                answers: BufReader::new(child.stdout.take().unwrap()),
                _child: child,
            })
        })
        .lock()
        // A test that panicked while holding it left the checker usable.
        .unwrap_or_else(|e| e.into_inner())
    }

    /// Sends one job and returns the validator's one-line answer.
    pub fn ask(&mut self, job: &str) -> String {
        let name = self.name;
        writeln!(self.stdin, "{job}")
            .and_then(|_| self.stdin.flush())
            .unwrap_or_else(|e| panic!("{name} stopped ({e})"));
        let mut line = String::new();
        self.answers
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{name} did not answer ({e})"));
        assert!(!line.is_empty(), "{name} stopped without answering {job:?}");
        line.trim().to_string()
    }
}
