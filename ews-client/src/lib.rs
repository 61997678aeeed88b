//! A thin async client for Exchange Web Services, built on the sans-IO model in `ews-types`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod client;
mod clock;
mod config;
mod error;
#[cfg(feature = "hyper")]
mod hyper_transport;
mod inspect;
mod mailbox;
mod mailbox_client;
pub mod paging;
pub mod retry;
mod secret;
pub mod sync;
mod transport;

pub use auth::{Credentials, NtlmCredentials, TokenError, TokenFuture, TokenKind, TokenProvider};
pub use client::EwsClient;
#[cfg(feature = "tokio")]
pub use clock::TokioClock;
pub use clock::{Clock, ManualClock};
pub use config::ClientBuilder;
pub use error::{Error, Result, TransportError, TransportErrorKind};
#[cfg(feature = "hyper")]
pub use hyper_transport::{HyperConnection, HyperTransport};
pub use mailbox::Mailbox;
pub use mailbox_client::{DEFAULT_GET_ITEM_BATCH, MailboxClient};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use transport::Transport;
