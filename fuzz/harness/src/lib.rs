//! What each fuzz target checks, and the seeds it starts from.
//!
//! Every cargo-fuzz target in `fuzz/fuzz_targets/` is one line that calls the check of its entry in
//! [`TARGETS`] (`fuzz_targets/sync_plan.rs` calls [`sync::check_plan`], and so on). The checks live here, in a package of the normal workspace, so that the same
//! functions run on the stable toolchain: `tests/seeds.rs` feeds them every checked-in seed
//! (`fuzz/seeds/<target>/`) and every input that once crashed (`fuzz/regressions/<target>/`).
//!
//! ```text
//!   project builders ──▶ Target::seeds ──▶ fuzz/seeds/<target>/ ──▶ cargo fuzz run <target>
//!                                                │                        │ (crash)
//!                                                ▼                        ▼
//!                       cargo test -p fuzz-harness ◀── fuzz/regressions/<target>/
//! ```
//!
//! A check panics when an input breaks a property the crates promise: a parser panics, a parsed value
//! does not survive being written and read again, a planner invents an item or commits a cursor early.
//! Errors on bad input are expected and fine.
//!
//! ```
//! let target = fuzz_harness::find("autodiscover_json").expect("a known target");
//! for seed in (target.seeds)() {
//!     (target.check)(&seed.bytes);
//! }
//! (target.check)(b"{\"Protocol\":");
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod corpus;
pub mod discover;
pub mod ews;
pub mod graph;
pub mod sync;

/// One fuzz target: its name (also the cargo-fuzz target's and the seed directory's), the check it
/// runs on every input, and the seeds the project's own builders give it.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The target's name.
    pub name: &'static str,
    /// Runs one input; panics when the input breaks a promised property.
    pub check: fn(&[u8]),
    /// Small seed inputs built with the crates' own builders (checked in under `fuzz/seeds/`).
    pub seeds: fn() -> Vec<Seed>,
}

/// One seed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// A file name that says what the seed is.
    pub name: String,
    /// The input.
    pub bytes: Vec<u8>,
}

impl Seed {
    /// A seed named `name` holding `bytes`.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Seed {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// Every target, in the order the README lists them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "ews_response",
        check: ews::check_response,
        seeds: ews::response_seeds,
    },
    Target {
        name: "ews_request",
        check: ews::check_request,
        seeds: ews::request_seeds,
    },
    Target {
        name: "soap_fault",
        check: ews::check_fault,
        seeds: ews::fault_seeds,
    },
    Target {
        name: "autodiscover_pox",
        check: discover::check_xml,
        seeds: discover::xml_seeds,
    },
    Target {
        name: "autodiscover_json",
        check: discover::check_json,
        seeds: discover::json_seeds,
    },
    Target {
        name: "graph_resource",
        check: graph::check_resource,
        seeds: graph::resource_seeds,
    },
    Target {
        name: "graph_delta",
        check: graph::check_delta,
        seeds: graph::delta_seeds,
    },
    Target {
        name: "sync_plan",
        check: sync::check_plan,
        seeds: sync::plan_seeds,
    },
];

/// The target called `name`.
pub fn find(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Shows bytes in a panic message: text when they are UTF-8 (cut to 2,000 characters), else hex.
pub(crate) fn show(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.chars().take(2_000).collect(),
        Err(_) => bytes
            .iter()
            .take(1_000)
            .map(|b| format!("{b:02x}"))
            .collect(),
    }
}
