//! What the corpus tests share: where the documentation corpus is and how its TSV indexes read.

use std::path::{Path, PathBuf};

/// The corpus directory (`EXCHANGE_CORPUS_DIR`, or `../shared/corpus` beside the workspace), or `None`
/// after printing that the test skipped.
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

/// The rows of a TSV file after its header line, split into columns.
#[allow(dead_code)] // Each test binary compiles this module; not all of them read the indexes.
pub(crate) fn tsv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}
