//! An in-process simulated Microsoft Exchange for tests and examples.
//!
//! This crate will hold a mailbox store for many users (folders, messages, contacts, tasks, calendar items
//! with recurrence and attendees, categories and the master category list) served over loopback HTTP through
//! the real wire protocols: EWS at `/EWS/Exchange.asmx` (built on `ews-types`), Microsoft Graph at `/v1.0/`
//! (built on `graph-client`) and Autodiscover (POX and JSON). It will authenticate with Basic, NTLMv2 and
//! bearer tokens, inject faults (`ErrorServerBusy`, 503, 429, dropped connections, invalid sync states, 410
//! on delta, conflicts) scripted or from a seed, keep a request log that tests read, and start in one line
//! on an ephemeral loopback port.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
