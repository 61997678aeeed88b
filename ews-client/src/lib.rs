//! A thin async client for Exchange Web Services (EWS), built on the sans-IO model in `ews-types`.
//!
//! `ews-types` turns typed requests into SOAP bytes and SOAP bytes into typed results; this crate moves
//! those bytes, and only that. It adds what talking to a real Exchange server takes: authentication,
//! impersonation, schema version negotiation, throttling, and the loops users would otherwise write
//! themselves. It knows nothing of reconciliation (that is `sync-core`).
//!
//! ```text
//!  your code ──Operation──▶ EwsClient ──http::Request<Bytes>──▶ Transport (yours, or HyperTransport)
//!            ◀─Response────   │  ▲    ◀─http::Response<Bytes>──   │
//!                             ▼  │                                 ▼
//!                  Clock (yours, TokioClock or ManualClock)     Exchange
//! ```
//!
//! * **Transport.** You supply it ([`Transport`]): open a connection, send one request on it. NTLM
//!   needs its handshake on one connection, so connections are explicit. [`HyperTransport`] (feature
//!   `hyper`) is a ready one over hyper and rustls with the ring provider.
//! * **Clock.** Back-off waits go through a [`Clock`] you supply, so no runtime is forced on you and tests
//!   never sleep: [`TokioClock`] (feature `tokio`) or the virtual [`ManualClock`].
//! * **Authentication** ([`Credentials`]): Basic, NTLMv2 (`DOMAIN\user` or UPN), OAuth2 bearer tokens
//!   from your [`TokenProvider`] (one refresh after a 401). Passwords and tokens sit in [`Secret`] and
//!   never appear in `Debug` output or errors; they go only to the endpoint, over https (or loopback http
//!   when a test opts in).
//! * **Impersonation** ([`Mailbox`]): the `ExchangeImpersonation` header, `X-AnchorMailbox`, and the
//!   back-end affinity cookie, per request, so one service account serves many mailboxes at once.
//! * **Versions**: the configured `RequestServerVersion`, stepping down newest-first when the server
//!   refuses it, remembered per mailbox with the last `ServerVersionInfo`.
//! * **Throttling** ([`retry`]): `BackOffMilliseconds` from `ErrorServerBusy` (in a fault or a message),
//!   `Retry-After`, 503, resets and timeouts, with capped exponential back-off and jitter, one back-off
//!   gate shared by all requests to the endpoint, and a retry budget. Every retry is a `tracing` event.
//!   A 401 is never taken for throttling.
//! * **Conveniences** ([`MailboxClient`]): paging ([`paging`]), the SyncFolderItems loop ([`sync`],
//!   [`MailboxClient::sync_now`]), GetItem in batches with per-item errors kept in place,
//!   [`MailboxClient::test_connection`], and meeting helpers (create, reschedule, cancel, answer).
//! * **Bad input** from the server (HTML pages, truncated or oversized bodies, other content types)
//!   becomes a typed [`Error`] naming the HTTP status and the start of the body.
//!
//! # Basic
//!
//! ```no_run
//! use std::sync::Arc;
//! use ews_client::{ClientBuilder, Credentials, HyperTransport, TokioClock};
//! use ews_types::operations::GetFolder;
//! use ews_types::types::DistinguishedFolderName;
//! use tokio_rustls::rustls::{ClientConfig, RootCertStore};
//!
//! # async fn run(roots: RootCertStore) -> Result<(), ews_client::Error> {
//! let tls = ClientConfig::builder_with_provider(Arc::new(
//!     tokio_rustls::rustls::crypto::ring::default_provider(),
//! ))
//! .with_safe_default_protocol_versions()
//! .expect("ring supports the default protocol versions")
//! .with_root_certificates(roots)
//! .with_no_client_auth();
//! let client = ClientBuilder::new(
//!     "https://mail.contoso.com/EWS/Exchange.asmx",
//!     Credentials::basic("svc-crm@contoso.com", "Pa55w0rd"),
//! )
//! .build(HyperTransport::new(Arc::new(tls)), TokioClock)?;
//!
//! let inbox = client
//!     .execute(&GetFolder::distinguished(DistinguishedFolderName::Inbox))
//!     .await?;
//! # let _ = inbox;
//! # Ok(())
//! # }
//! ```
//!
//! # NTLM, impersonating a mailbox
//!
//! ```no_run
//! use std::sync::Arc;
//! use ews_client::{ClientBuilder, Credentials, HyperTransport, Mailbox, TokioClock};
//! use ews_types::soap::ExchangeVersion;
//! use ews_types::types::DistinguishedFolderName;
//! # use tokio_rustls::rustls::ClientConfig;
//!
//! # async fn run(tls: Arc<ClientConfig>) -> Result<(), ews_client::Error> {
//! let client = ClientBuilder::new(
//!     "https://exch2016.contoso.local/EWS/Exchange.asmx",
//!     Credentials::ntlm("CONTOSO\\svc-crm", "Pa55w0rd"),
//! )
//! .version(ExchangeVersion::Exchange2013Sp1)
//! .build(HyperTransport::new(tls), TokioClock)?;
//!
//! // Every change in alice's Inbox since the stored state (none: everything).
//! let alice = client.mailbox(Mailbox::smtp("alice@contoso.com"));
//! let outcome = alice.sync_now(DistinguishedFolderName::Inbox, None).await?;
//! println!("{} changes; store {:?}", outcome.changes.len(), outcome.sync_state);
//! # Ok(())
//! # }
//! ```
//!
//! # OAuth2 app-only (Exchange Online)
//!
//! An app-only token (`full_access_as_app`) acts for no user, so every request names the mailbox; the
//! client refuses to send one without. The client keeps the last token and asks the provider again
//! (with `refresh = true`) only when the server refuses it.
//!
//! ```no_run
//! use std::sync::Arc;
//! use ews_client::{
//!     ClientBuilder, Credentials, HyperTransport, Mailbox, Secret, TokenFuture, TokenProvider,
//!     TokioClock, Transport,
//! };
//! use ews_types::operations::FindItem;
//! use ews_types::types::DistinguishedFolderName;
//! use graph_client::oauth::{Authority, ClientAuth, ClientCredentialsRequest, TokenResponse};
//! # use tokio_rustls::rustls::ClientConfig;
//!
//! /// Client credentials grant at the Microsoft identity platform.
//! struct AppOnly {
//!     transport: HyperTransport,
//!     authority: Authority,
//!     grant: ClientCredentialsRequest,
//! }
//!
//! impl TokenProvider for AppOnly {
//!     fn access_token(&self, _refresh: bool) -> TokenFuture<'_> {
//!         Box::pin(async move {
//!             let request = self.grant.to_request(&self.authority)?.into_http();
//!             let mut connection = self.transport.connect(request.uri()).await?;
//!             let response = self.transport.send(&mut connection, request, 1 << 20).await?;
//!             let token = TokenResponse::parse(&response)?;
//!             Ok(Secret::new(token.access_token.expose()))
//!         })
//!     }
//! }
//!
//! # async fn run(tls: Arc<ClientConfig>) -> Result<(), ews_client::Error> {
//! let transport = HyperTransport::new(tls);
//! let provider = AppOnly {
//!     transport: transport.clone(),
//!     authority: Authority::tenant("contoso.onmicrosoft.com"),
//!     grant: ClientCredentialsRequest {
//!         client_id: "00000000-0000-0000-0000-000000000000".into(),
//!         auth: ClientAuth::Secret(graph_client::Secret::new("client-secret")),
//!         scope: "https://outlook.office365.com/.default".into(),
//!     },
//! };
//! let client = ClientBuilder::new(
//!     "https://outlook.office365.com/EWS/Exchange.asmx",
//!     Credentials::app_only(provider),
//! )
//! .build(transport, TokioClock)?;
//!
//! let alice = client.mailbox(Mailbox::smtp("alice@contoso.com"));
//! let items = alice
//!     .find_items(FindItem::new(DistinguishedFolderName::Inbox, 100))
//!     .collect_all()
//!     .await?;
//! println!("{} items", items.len());
//! # Ok(())
//! # }
//! ```
//!
//! # Your own transport
//!
//! Any HTTP stack works; this one answers from memory.
//!
//! ```
//! use bytes::Bytes;
//! use ews_client::{ClientBuilder, Credentials, ManualClock, Transport, TransportError};
//! use ews_types::operations::GetFolder;
//! use ews_types::types::DistinguishedFolderName;
//!
//! struct Canned;
//!
//! impl Transport for Canned {
//!     type Connection = ();
//!
//!     async fn connect(&self, _: &http::Uri) -> Result<(), TransportError> {
//!         Ok(())
//!     }
//!
//!     async fn send(
//!         &self,
//!         _: &mut (),
//!         request: http::Request<Bytes>,
//!         _max_response_bytes: usize,
//!     ) -> Result<http::Response<Bytes>, TransportError> {
//!         assert!(request.headers()["authorization"].to_str().unwrap().starts_with("Basic "));
//!         Ok(http::Response::builder()
//!             .header("content-type", "text/xml; charset=utf-8")
//!             .body(Bytes::from_static(br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
//!               <m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
//!                   xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
//!                 <m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Success">
//!                   <m:ResponseCode>NoError</m:ResponseCode>
//!                   <m:Folders><t:Folder><t:DisplayName>Inbox</t:DisplayName></t:Folder></m:Folders>
//!                 </m:GetFolderResponseMessage></m:ResponseMessages>
//!               </m:GetFolderResponse></s:Body></s:Envelope>"#))
//!             .unwrap())
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let client = ClientBuilder::new(
//!     "https://mail.contoso.com/EWS/Exchange.asmx",
//!     Credentials::basic("svc-crm@contoso.com", "Pa55w0rd"),
//! )
//! .build(Canned, ManualClock::new())?;
//! let response = client
//!     .execute(&GetFolder::distinguished(DistinguishedFolderName::Inbox))
//!     .await?;
//! let folders = response.messages[0].clone().into_result().unwrap().folders.unwrap();
//! assert_eq!(folders[0].fields.display_name.as_deref(), Some("Inbox"));
//! # Ok::<(), ews_client::Error>(())
//! # }).unwrap();
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod client;
mod clock;
mod config;
mod connection_check;
mod error;
#[cfg(feature = "hyper")]
mod hyper_transport;
mod inspect;
mod mailbox;
mod mailbox_client;
mod meetings;
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
pub use connection_check::ConnectionCheck;
pub use error::{Error, Result, TransportError, TransportErrorKind};
#[cfg(feature = "hyper")]
pub use hyper_transport::{HyperConnection, HyperTransport};
pub use mailbox::Mailbox;
pub use mailbox_client::{DEFAULT_GET_ITEM_BATCH, MailboxClient};
pub use meetings::MeetingAnswer;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use transport::Transport;
