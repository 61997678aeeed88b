//! Sans-IO model of Exchange Web Services.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
