//! Shared by the example tests: the EWS schema from the corpus, and xmllint over request bodies.
#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::process::Command;

/// `messages.xsd` from the corpus (`EXCHANGE_CORPUS_DIR`, or the shared corpus next to the
/// workspace); `None`, after saying so, when it is absent or xmllint is not installed.
pub fn messages_xsd() -> Option<PathBuf> {
    let dir = std::env::var_os("EXCHANGE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    let schema = dir.join("ews-schema/messages.xsd");
    if !schema.is_file() {
        println!("skipped: corpus not found at {}", dir.display());
        return None;
    }
    if Command::new("xmllint").arg("--version").output().is_err() {
        // .ci/run installs libxml2-utils, so CI never takes this branch.
        println!("skipped: xmllint is not installed (apt-get install libxml2-utils)");
        return None;
    }
    Some(schema)
}

/// Runs xmllint with `schema` over `documents` (name, XML); panics with its report unless every one
/// validates.
pub fn assert_valid(schema: &std::path::Path, documents: &[(String, Vec<u8>)]) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (n, (name, xml)) in documents.iter().enumerate() {
        let path = dir.path().join(format!("{n:03}-{name}.xml"));
        std::fs::write(&path, xml).unwrap();
        files.push(path);
    }
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .args(&files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "xmllint rejected requests:\n{report}"
    );
    assert_eq!(
        report.matches(" validates").count(),
        documents.len(),
        "{report}"
    );
}
