//! Runnable examples for the Exchange crate family.
//!
//! This package has no library API of its own: it exists so that `cargo run --example NAME` works from the
//! workspace root. See `examples/README.md` for where to start.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
