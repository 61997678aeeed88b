//! Parses Microsoft Graph (and identity platform) JSON response bodies into graph-client's typed
//! models and prints one tab-separated line per file: the path, `ok`, the kind and the number of
//! entries; or the path, `error` and a one-line reason.
//!
//! ```text
//! cargo run --example parse_graph -- ../shared/corpus/graph-docs/event-get__1.json
//! cargo run --example parse_graph -- ../shared/corpus/graph-docs/*.json
//! ```
//!
//! Exits 0 when every file could be read (whether or not it parsed), 1 otherwise.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut unreadable = false;
    for path in std::env::args().skip(1) {
        match std::fs::read(&path) {
            Ok(body) => match graph_client::inspect::inspect(&body) {
                Ok(found) => println!("{path}\tok\t{found}"),
                Err(error) => println!("{path}\terror\t{}", one_line(&error.to_string())),
            },
            Err(error) => {
                unreadable = true;
                println!(
                    "{path}\terror\tcannot read: {}",
                    one_line(&error.to_string())
                );
            }
        }
    }
    if unreadable {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
