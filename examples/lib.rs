//! Runnable examples for the Exchange crate family, and the representative requests they share.
//!
//! The [`requests`] module builds one request per operation of `ews-types`, filling every optional
//! element at least once across the set: `build_requests` writes them out, and the tests validate them
//! against the EWS schema with xmllint and round-trip them through the parser.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod requests;

// The booking, autodiscover and probe examples keep their logic here, so their tests run it.
pub mod demos;

pub mod sync;
