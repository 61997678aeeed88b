//! Microsoft Graph for mail, calendar, contacts, To Do and categories: a sans-IO core and a thin async
//! client.
//!
//! EWS in Exchange Online is being switched off; Microsoft 365 mailboxes are served through Microsoft
//! Graph. This crate turns typed requests into `http::Request<Bytes>` and `http::Response<Bytes>` into
//! typed results. The core never opens a socket, reads a clock or sleeps: time, randomness and IO come
//! from the caller. The [`client`] module drives the same core over a [`client::Transport`] you supply.
//!
//! ```text
//!   typed call ──▶ Graph (builders) ──▶ http::Request<Bytes> ──▶ your HTTP stack ──▶ Graph / login
//!                                                                     │
//!   typed result ◀── GraphRequest::parse / DeltaCursor::handle_response ◀── http::Response<Bytes>
//!                      (RetryPolicy::decide says whether and when to resend)
//! ```
//!
//! What is here:
//! - [`model`]: message, event, contact, To Do list and task, category, mail and contact folders,
//!   mailbox settings and free/busy, keeping every unknown property; [`Field`] tells an absent property
//!   from an explicit `null`, so partial delta payloads are never misread.
//! - [`Graph`]: CRUD builders for every resource ([`Graph::list`], [`Graph::get`], [`Graph::create`],
//!   [`Graph::update`] with `If-Match`, [`Graph::delete`]) and the operations in [`api`] (calendar
//!   view, cancel/accept/decline, getSchedule, translateExchangeIds). The same builder serves app-only
//!   (`/users/{id}`) and delegated (`/me`) access, and sends `Prefer: IdType="ImmutableId"` by default.
//! - [`delta`]: typed delta scopes, a serde-persisted [`delta::DeltaCursor`], `@removed` entries, and
//!   410 / `syncStateNotFound` as [`delta::DeltaOutcome::ResyncRequired`].
//! - [`batch`]: validated JSON `$batch` with per-item demultiplexing and a retry plan for items
//!   throttled inside a 200 response.
//! - [`throttle`]: one pure retry decision (`Retry-After` in seconds or as an HTTP date, capped
//!   retries), and the Outlook limit of 4 concurrent requests per mailbox.
//! - [`oauth`]: request builders and typed responses for the identity platform (client credentials,
//!   authorization code with PKCE, device code, refresh). Secrets are [`Secret`]s.
//!
//! A first request, sans-IO:
//!
//! ```
//! use graph_client::{Collection, Field, Graph, Query, model::Message};
//!
//! let graph = Graph::user("adele@contoso.com");
//! let request = graph.list(&Collection::<Message>::in_mail_folder("inbox"), &Query::default().top(10))?;
//! assert_eq!(request.http().method(), "GET");
//!
//! // ... send request.http() with any HTTP stack; here is what Graph answers:
//! let response = http::Response::builder().status(200).body(bytes::Bytes::from_static(br#"{
//!     "value": [{"id": "AAMkAD1", "subject": "Quarterly numbers", "categories": ["Red category"]}]
//! }"#))?;
//! let page = request.parse(&response)?;
//! assert_eq!(page.value[0].subject, Field::Value("Quarterly numbers".to_owned()));
//! assert!(page.value[0].is_read.is_absent()); // not reported, not "false"
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod macros;

pub mod api;
pub mod batch;
pub mod client;
pub mod delta;
mod error;
mod field;
pub mod inspect;
pub mod model;
pub mod oauth;
mod request;
mod response;
mod secret;
pub mod throttle;

pub use error::{ApiError, Error, Result, TransportError};
pub use field::Field;
pub use request::{
    Collection, GRAPH_V1, Graph, GraphRequest, Item, Mailbox, NoContent, PREFER_IMMUTABLE_ID, Page,
    Preferences, Query, single_value_property_expand,
};
pub use response::{api_error, parse_json};
pub use secret::Secret;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
