//! Writes each fuzz target's seeds, built with the crates' own builders, under `OUT/<target>/`.
//!
//! ```text
//! cargo run -p fuzz-harness --bin fuzz-seeds -- fuzz/seeds                 # the checked-in seeds
//! cargo run -p fuzz-harness --bin fuzz-seeds -- --with-corpus fuzz/corpus  # plus the doc samples, to fuzz
//! ```
//!
//! `--with-corpus` adds Microsoft's documentation samples (from `EXCHANGE_CORPUS_DIR` or the shared
//! corpus); they are never checked in. Existing files are overwritten, others are left alone.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut with_corpus = false;
    let mut out = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--with-corpus" => with_corpus = true,
            _ if out.is_none() && !arg.starts_with('-') => out = Some(PathBuf::from(arg)),
            _ => out = None,
        }
    }
    let Some(out) = out else {
        eprintln!("usage: fuzz-seeds [--with-corpus] OUT_DIR");
        return ExitCode::from(2);
    };
    let corpus = if with_corpus {
        match fuzz_harness::corpus::dir() {
            Some(dir) => Some(dir),
            None => {
                eprintln!("--with-corpus: no corpus found (set EXCHANGE_CORPUS_DIR)");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    for target in fuzz_harness::TARGETS {
        let mut seeds = (target.seeds)();
        if let Some(dir) = &corpus {
            seeds.extend(fuzz_harness::corpus::seeds(target.name, dir));
        }
        let dir = out.join(target.name);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        for seed in &seeds {
            let path = dir.join(&seed.name);
            if let Err(e) = std::fs::write(&path, &seed.bytes) {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
        println!("{} {} seeds", target.name, seeds.len());
    }
    ExitCode::SUCCESS
}
