//! The `pressbook` command: parses arguments and calls the library.
//! Usage errors exit with 2 (clap); every other failure is printed here,
//! in one place, and exits with 1.

use std::process::ExitCode;

use clap::Parser;

mod cmd;

fn main() -> ExitCode {
    match cmd::run(cmd::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            pressbook::term::print_error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}
