//! The fuzz targets' regression test on the stable toolchain: every checked-in seed
//! (`fuzz/seeds/<target>/`) and every input that once broke a target (`fuzz/regressions/<target>/`)
//! goes through the same check the cargo-fuzz target runs. So do the seeds as the builders make them
//! today, and Microsoft's documentation samples when the corpus is present.

use std::path::{Path, PathBuf};

use fuzz_harness::{TARGETS, Target};

fn fuzz_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The files of `dir`, sorted, with their names (none when the directory does not exist).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).unwrap_or_else(|err| panic!("{name}: {err}"));
            (name, bytes)
        })
        .filter(|(name, _)| name != "README.md")
        .collect();
    files.sort();
    files
}

/// Runs `input` through `target`, naming the input if the check panics.
fn run(target: &Target, origin: &str, input: &[u8]) {
    let outcome = std::panic::catch_unwind(|| (target.check)(input));
    if let Err(panic) = outcome {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        panic!("{} failed on {origin}: {message}", target.name);
    }
}

#[test]
fn every_checked_in_seed_passes_its_target() {
    for target in TARGETS {
        let seeds = files(&fuzz_dir().join("seeds").join(target.name));
        assert!(!seeds.is_empty(), "{} has no checked-in seeds", target.name);
        for (name, bytes) in &seeds {
            run(target, &format!("seeds/{}/{name}", target.name), bytes);
        }
    }
}

#[test]
fn every_recorded_crash_passes_its_target() {
    let regressions = fuzz_dir().join("regressions");
    for target in TARGETS {
        for (name, bytes) in files(&regressions.join(target.name)) {
            run(
                target,
                &format!("regressions/{}/{name}", target.name),
                &bytes,
            );
        }
    }
    for entry in std::fs::read_dir(&regressions)
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !entry.path().is_dir() || TARGETS.iter().any(|t| t.name == name),
            "regressions/{name} names no target"
        );
    }
}

/// Seeds as the builders make them today pass too. New operations in the crates add seeds here before
/// anyone regenerates `fuzz/seeds` (`cargo run -p fuzz-harness --bin fuzz-seeds -- fuzz/seeds`), so a
/// seed missing from the checked-in set is reported, not failed.
#[test]
fn seeds_as_built_today_pass() {
    let mut total = 0;
    for target in TARGETS {
        let built = (target.seeds)();
        assert!(!built.is_empty(), "{} builds no seeds", target.name);
        let checked_in = files(&fuzz_dir().join("seeds").join(target.name));
        for seed in &built {
            run(target, &format!("built seed {}", seed.name), &seed.bytes);
            if !checked_in.iter().any(|(name, _)| *name == seed.name) {
                println!("not checked in yet: seeds/{}/{}", target.name, seed.name);
            }
        }
        total += checked_in.iter().map(|(_, b)| b.len()).sum::<usize>();
    }
    assert!(
        total < 400_000,
        "checked-in seeds take {total} bytes; keep them small"
    );
}

#[test]
fn documentation_samples_pass_every_target() {
    let Some(dir) = fuzz_harness::corpus::dir() else {
        println!("skipped: corpus not found (set EXCHANGE_CORPUS_DIR)");
        return;
    };
    let mut count = 0;
    for target in TARGETS {
        for seed in fuzz_harness::corpus::seeds(target.name, &dir) {
            run(target, &seed.name, &seed.bytes);
            count += 1;
        }
    }
    assert!(count > 500, "only {count} samples matched the targets");
}

#[test]
fn the_sync_seeds_reach_every_kind_of_operation_and_commit_cursors() {
    let mut total = fuzz_harness::sync::ScriptStats::default();
    for seed in fuzz_harness::sync::plan_seeds() {
        let stats = fuzz_harness::sync::run_plan(&seed.bytes);
        total.rounds += stats.rounds;
        total.refused += stats.refused;
        total.outcomes += stats.outcomes;
        total.cursor_commits += stats.cursor_commits;
        total.reloads += stats.reloads;
        for (sum, n) in total.operations.iter_mut().zip(stats.operations) {
            *sum += n;
        }
    }
    println!("{total:?}");
    assert!(total.rounds >= 40, "{total:?}");
    for (count, action) in total
        .operations
        .iter()
        .zip(["create", "update", "delete", "untrack", "read"])
    {
        assert!(*count > 0, "no seed plans a {action}: {total:?}");
    }
    assert!(
        total.outcomes > 20 && total.cursor_commits > 5 && total.reloads > 5,
        "{total:?}"
    );
}

#[test]
fn every_target_has_a_cargo_fuzz_binary_calling_its_check() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz/Cargo.toml");
    for target in TARGETS {
        let source =
            std::fs::read_to_string(fuzz_dir().join(format!("fuzz_targets/{}.rs", target.name)))
                .unwrap_or_else(|e| panic!("fuzz_targets/{}.rs: {e}", target.name));
        assert!(
            source.contains("fuzz_target!"),
            "{} is not a fuzz target",
            target.name
        );
        assert!(
            manifest.contains(&format!("name = \"{}\"", target.name)),
            "fuzz/Cargo.toml has no [[bin]] {}",
            target.name
        );
    }
}

#[test]
fn every_supported_ews_operation_has_a_response_and_a_request_seed() {
    let responses = fuzz_harness::ews::response_seeds();
    let requests = fuzz_harness::ews::request_seeds();
    for name in ews_types::operations::AnyResponse::SUPPORTED {
        assert!(
            responses
                .iter()
                .any(|s| s.name == format!("{name}-minimal.xml")),
            "no response seed for {name}"
        );
    }
    for name in ews_types::operations::AnyRequest::SUPPORTED {
        assert!(
            requests
                .iter()
                .any(|s| s.name.starts_with(&format!("{name}-"))),
            "no request seed for {name}"
        );
    }
}
