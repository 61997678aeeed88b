//! An in-process simulated Microsoft Exchange that speaks the real wire protocols over loopback HTTP,
//! so clients, sync engines and examples run end to end without a real server.
//!
//! ```text
//!   your test ──HTTP(S) 127.0.0.1:PORT──▶ Simulator ─┬─ /EWS/Exchange.asmx   (ews-types parses and writes)
//!        │                                           ├─ /v1.0/...            (Graph: resources, delta, $batch)
//!        │                                           ├─ /autodiscover/...    (POX and JSON)
//!        │                                           └─ /{tenant}/oauth2/v2.0/token
//!        └──── store(), requests(), inject(fault) ──▶ Store (mailboxes, folders, items, change logs)
//! ```
//!
//! * **Store**: many users' mailboxes with the well-known folders, messages, contacts, tasks, calendar
//!   items and the master category list. Every write bumps the item's change key; a move gives the item
//!   a new EWS id. Each folder keeps a change log, so a sync state is a position in it and a page of
//!   512 changes is one range scan.
//! * **EWS** serves the operations of `ews-types`, parsing requests with
//!   [`AnyRequest::parse`](ews_types::operations::AnyRequest::parse) and writing responses with
//!   `ews-types`: sync states that resume, FindItem paging, `ConflictResolution`, impersonation checked
//!   against the configured service account.
//! * **Authentication**: Basic, NTLM (NTLMv2 verified), and bearer tokens from the token endpoint; wrong
//!   credentials get 401.
//! * **Faults**, scripted or random from a seed ([`Fault`]), and a **request log** ([`LogEntry`]).
//!
//! # Example
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use exchange_sim::Simulator;
//!
//! let sim = Simulator::builder()
//!     .user("alice@contoso.example", "password")
//!     .service_account("svc@contoso.example", "secret")
//!     .start()
//!     .await
//!     .unwrap();
//! assert!(sim.ews_url().starts_with("http://127.0.0.1:"));
//! assert!(sim.ews_url().ends_with("/EWS/Exchange.asmx"));
//! assert!(sim.requests().is_empty());
//! sim.shutdown().await;
//! # });
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod config;
mod error;
mod faults;
mod ids;
mod log;
mod server;
mod simulator;
pub mod store;

mod autodiscover;
mod ews;
mod graph;

pub use config::{AppConfig, AutodiscoverRedirect, DistributionList, Password, UserConfig};
pub use error::Error;
pub use faults::{Fault, FaultRule, FaultScope, RandomFaults};
pub use log::{Endpoint, LogEntry};
pub use simulator::{DEFAULT_TENANT, Simulator, SimulatorBuilder};
pub use store::{Store, StoreError};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
