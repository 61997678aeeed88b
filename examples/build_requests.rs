//! Writes one file per supported EWS operation, holding the operation element (the SOAP Body's child)
//! with representative content, ready for `xmllint --schema messages.xsd`.
//!
//! ```sh
//! cargo run --example build_requests -- /tmp/ews-requests
//! xmllint --noout --schema ../shared/corpus/ews-schema/messages.xsd /tmp/ews-requests/*.xml
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --example build_requests -- OUTDIR");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {dir}: {e}");
        return ExitCode::from(1);
    }
    for (name, xml) in examples::requests::representative() {
        let path = std::path::Path::new(&dir).join(format!("{name}.xml"));
        if let Err(e) = std::fs::write(&path, xml) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::from(1);
        }
        println!("{}", path.display());
    }
    ExitCode::SUCCESS
}
