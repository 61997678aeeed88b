//! Helpers shared by the integration tests that read Microsoft's documentation samples.

use std::path::PathBuf;

/// The corpus directory from `EXCHANGE_CORPUS_DIR`, or `../shared/corpus` next to the workspace; `None`
/// (after printing that the test is skipped) when it is absent.
pub(crate) fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("EXCHANGE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    if dir.join("ews-docs/SOURCES.tsv").is_file() {
        Some(dir)
    } else {
        println!("skipped: corpus not found at {}", dir.display());
        None
    }
}
