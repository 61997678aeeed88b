//! Secure Exchange Autodiscover as a sans-IO state machine, plus a thin async driver.
//!
//! Given an email address, [`Autodiscover`] finds the mailbox's EWS URL the way Exchange clients
//! do, while making the 2021 "Autodiscover leak" impossible by construction. The machine does no
//! networking and reads no clock: it emits [`Effect`]s ("send this HTTP request", "resolve this SRV
//! name", "ask the user", done, failed) and the caller feeds back what happened.
//!
//! ```text
//!   caller                                   Autodiscover
//!     │  Autodiscover::new(config)  ───────────▶  queue: [JSON v2]? SCP… https://D https://autodiscover.D
//!     │  ◀─── poll_effect() = SendHttp{token, request, credentials: Option<CredentialGrant>}
//!     │  handle_http(token, response) ─────────▶  30x / redirectUrl / redirectAddr / settings / error
//!     │  ◀─── poll_effect() = ConfirmRedirect{token, target}   (target outside the trust set)
//!     │  handle_decision(token, accept) ───────▶
//!     │  ◀─── poll_effect() = ResolveSrv{token, name}          (after the http:// probe)
//!     │  handle_srv(token, records) ───────────▶
//!     │  ◀─── poll_effect() = Done(Success{ews_url, …}) | Failed(Error{attempts…})
//! ```
//!
//! # Call order
//! 1. Build a [`Config`] (this validates the address and refuses public-suffix and single-label
//!    domains before any request) and create the machine with [`Autodiscover::new`].
//! 2. Drain [`Autodiscover::poll_effect`] until it returns `None`. Exactly one effect is
//!    outstanding at a time.
//! 3. Perform it and report back with the matching `handle_*` method and the effect's [`Token`]:
//!    [`handle_http`](Autodiscover::handle_http) or
//!    [`handle_transport_error`](Autodiscover::handle_transport_error) for `SendHttp`,
//!    [`handle_srv`](Autodiscover::handle_srv) for `ResolveSrv`,
//!    [`handle_decision`](Autodiscover::handle_decision) for `ConfirmRedirect`.
//! 4. Go to 2 until you get [`Effect::Done`] or [`Effect::Failed`]. Failure is sticky.
//!
//! With the `driver` feature (on by default), [`driver::run`] does this loop over caller-supplied
//! HTTP, SRV and confirmation traits.
//!
//! The crate never holds a password or token. Credentials live in the caller's HTTP layer, which
//! receives with every request the machine's [`CredentialGrant`] (or `None`) and may authenticate
//! only when the grant is `Some` and [`CredentialGrant::permits`] the URI. A confirmation prompt may
//! be delayed by a UI (Thunderbird waits 2 s) and dropped if `Done` arrives first; callers who want
//! to skip discovery validate a configured URL with [`validate_ews_url`].
//!
//! # Cache
//! [`EndpointCache`] is a pure, serializable map from (domain, method) to the working endpoint and
//! its settings, with the TTL rules of the reference note; start a run from a hit with
//! [`Config::with_cached_endpoint`].
//!
//! # Safety rules enforced by the machine
//! - Candidates come only from the exact email domain `D`: `https://D/…`,
//!   `https://autodiscover.D/…`, the unauthenticated `http://autodiscover.D/…` probe and SRV
//!   `_autodiscover._tcp.D`. Labels are never stripped, and no request ever goes to a public suffix
//!   or to `autodiscover.` + a public suffix, even after a confirmation.
//! - Credentials are allowed ([`HttpRequest::credentials`] is `Some`) only for POX/SOAP requests over
//!   `https` to a host in the trust set (`D` and `*.D`, the allow-list with the SCP hosts, hosts the
//!   user confirmed), on an allowed port, without user info. `http://` requests never carry
//!   credentials or a body. The [`CredentialGrant`] can only be made by the machine and names the
//!   origin and the schemes; Basic is off by default and never goes to a host trusted only by a
//!   confirmation. The schemes never change in response to a server's `WWW-Authenticate`.
//! - Redirects from the probe, SRV, JSON v2, in-band `redirectUrl`, 30x to foreign hosts and
//!   cross-domain `redirectAddr` produce [`Effect::ConfirmRedirect`]; nothing is sent to such a
//!   target before an accept.
//! - Limits: 10 URL redirects, 3 address redirects, 24 requests; loops are detected.
//!
//! # Example
//! A scripted run: `https://contoso.com` fails, `https://autodiscover.contoso.com` answers with
//! settings.
//! ```
//! use autodiscover::{Autodiscover, Config, Effect, Method, PublicSuffix, TransportErrorKind};
//!
//! let config = Config::new("mara@contoso.com", PublicSuffix::mozilla())?.with_method(Method::Pox);
//! let mut machine = Autodiscover::new(config);
//! let pox_settings = r#"<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
//!   <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
//!     <Account><Action>settings</Action>
//!       <Protocol><Type>EXPR</Type><EwsUrl>https://mail.contoso.com/EWS/Exchange.asmx</EwsUrl></Protocol>
//!     </Account></Response></Autodiscover>"#;
//! let mut result = None;
//! while result.is_none() {
//!     let Some(effect) = machine.poll_effect() else { break };
//!     match effect {
//!         Effect::SendHttp(send) => {
//!             // A real caller sends `send.request` (never following redirects) and attaches
//!             // credentials only if `send.credentials` is Some and permits the URI.
//!             let grant = send.credentials.as_ref().expect("trusted https host");
//!             assert!(grant.permits(send.request.uri()));
//!             if send.request.uri().host() == Some("contoso.com") {
//!                 machine.handle_transport_error(send.token, TransportErrorKind::Connect)?;
//!             } else {
//!                 let response = http::Response::new(bytes::Bytes::from(pox_settings));
//!                 machine.handle_http(send.token, response)?;
//!             }
//!         }
//!         Effect::Done(success) => result = Some(success),
//!         other => panic!("unexpected {other:?}"),
//!     }
//! }
//! let success = result.expect("discovered");
//! assert_eq!(success.ews_url.as_str(), "https://mail.contoso.com/EWS/Exchange.asmx");
//! assert_eq!(success.attempts.len(), 2);
//! # Ok::<(), autodiscover::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod address;
mod cache;
mod config;
#[cfg(feature = "driver")]
pub mod driver;
mod effect;
mod error;
pub mod json;
mod machine;
mod manual;
pub mod pox;
pub mod soap;
mod srv;
mod trust;
mod xml;

pub use address::{EmailAddress, LogonName};
pub use cache::{CACHE_VERSION, CacheEntry, CacheLookup, EndpointCache};
pub use config::{AuthScheme, Config, Limits, Method};
pub use effect::{
    Attempt, AttemptOutcome, BlockReason, CandidateSource, ConfirmRedirect, CredentialGrant,
    Effect, HttpRequest, RedirectReason, ServerVersion, Success, Token, TransportErrorKind,
};
pub use error::{Attempts, Error};
pub use machine::Autodiscover;
pub use manual::validate_ews_url;
pub use srv::SrvRecord;
pub use trust::{HostPattern, PublicSuffix};
