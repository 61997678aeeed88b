//! Extra seeds from Microsoft's documentation samples (`/work/shared/corpus`), added at fuzz time only:
//! the samples are not ours to check in.

use std::path::{Path, PathBuf};

use crate::Seed;

/// The corpus directory: `EXCHANGE_CORPUS_DIR`, else `../../../shared/corpus` from this package
/// (the workspace's sibling `shared/corpus`), when it holds the EWS samples.
pub fn dir() -> Option<PathBuf> {
    let dir = std::env::var_os("EXCHANGE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/corpus"
            ))
        });
    dir.join("ews-docs/SOURCES.tsv").is_file().then_some(dir)
}

/// The documentation samples that fit `target`: EWS responses, requests and faults, Autodiscover XML,
/// Graph JSON bodies and the Graph bodies that are delta pages.
pub fn seeds(target: &str, dir: &Path) -> Vec<Seed> {
    let (folder, wanted): (&str, fn(&str, &str) -> bool) = match target {
        "ews_response" => ("ews-docs", |name, _| name.ends_with("__response.xml")),
        "ews_request" => ("ews-docs", |name, _| name.ends_with("__request.xml")),
        "soap_fault" => ("ews-docs", |_, text| text.contains("Fault>")),
        "autodiscover_pox" => ("ews-docs", |_, text| {
            text.to_ascii_lowercase().contains("autodiscover")
        }),
        "graph_resource" => ("graph-docs", |name, _| name.ends_with(".json")),
        "graph_delta" => ("graph-docs", |name, text| {
            name.ends_with(".json") && (text.contains("deltaLink") || text.contains("nextLink"))
        }),
        _ => return Vec::new(),
    };
    let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
        return Vec::new();
    };
    let mut seeds: Vec<Seed> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(entry.path()).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            wanted(&name, &text).then(|| Seed::new(format!("doc-{name}"), bytes))
        })
        .collect();
    seeds.sort_by(|a, b| a.name.cmp(&b.name));
    seeds
}
