//! Benchmarks for the Exchange crate family, and the inputs they measure.
//!
//! The library part generates realistic, deterministic protocol payloads (for example a 512-change
//! `SyncFolderItems` response) so that the criterion benches and the `ews_parse_ratio` binary measure the
//! same bytes.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod ews_fixtures;
