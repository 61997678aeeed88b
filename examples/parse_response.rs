//! Parses EWS response files and prints one tab-separated line per file.
//!
//! ```sh
//! cargo run --example parse_response -- examples/data/sync_folder_items_response.xml
//! cargo run --example parse_response -- examples/data/get_server_time_zones_response.xml
//! cargo run --example parse_response -- ../shared/corpus/ews-docs/*response.xml
//! ```
//!
//! For a response it prints: the path, `ok`, the operation, the number of response messages, their
//! classes (`Success,Error`), the number of items and the number of folders it holds. For anything else:
//! the path, `error`, an error kind (`soap-fault`, `malformed`, `unsupported`...) and a one-line message.
//! It exits 0 when it could read every file, whatever they held, and 1 when a file could not be read.

use std::process::ExitCode;

use ews_types::Error;
use ews_types::operations::AnyResponse;

fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::SoapFault(_) => "soap-fault",
        Error::Malformed { .. } | Error::TrailingContent { .. } | Error::StreamGarbage { .. } => {
            "malformed"
        }
        Error::Truncated { .. } => "truncated",
        Error::DtdNotAllowed | Error::UnknownEntity(_) => "refused",
        Error::TooDeep { .. } | Error::TextTooLarge { .. } | Error::StreamBufferFull { .. } => {
            "limit"
        }
        Error::UnexpectedElement { .. } | Error::WrongOperation { .. } => "unsupported",
        Error::Missing { .. } | Error::InvalidValue { .. } => "invalid",
        _ => "other",
    }
}

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: cargo run --example parse_response -- FILE...");
        return ExitCode::from(2);
    }
    let mut unreadable = false;
    for path in paths {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("{path}\terror\tio\t{e}");
                unreadable = true;
                continue;
            }
        };
        match AnyResponse::parse(&bytes) {
            Ok((_, response)) => {
                let s = response.summary();
                let classes: Vec<&str> = s.classes.iter().map(|c| c.as_str()).collect();
                println!(
                    "{path}\tok\t{}\t{}\t{}\t{}\t{}",
                    s.operation,
                    s.classes.len(),
                    classes.join(","),
                    s.items,
                    s.folders
                );
            }
            Err(e) => {
                let message = e.to_string().replace(['\t', '\n', '\r'], " ");
                println!("{path}\terror\t{}\t{message}", error_kind(&e));
            }
        }
    }
    if unreadable {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
