//! Benchmarks for the Exchange crate family, and the inputs they measure.
//!
//! The library part generates realistic, deterministic protocol payloads (for example a 512-change
//! `SyncFolderItems` response) and the plain quick-xml passes they are compared with, so that the
//! criterion benches and the `ratios` binary measure the same bytes.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod ews_fixtures;
pub mod graph_fixtures;
pub mod raw_xml;
pub mod sync_fixtures;
