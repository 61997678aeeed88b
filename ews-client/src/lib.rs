//! A thin async client for Exchange Web Services, built on the sans-IO model in `ews-types`.
//!
//! This crate will hold the IO side of EWS and nothing else: a small `Transport` trait that callers
//! implement (send an `http::Request<Bytes>`, receive an `http::Response<Bytes>`, keep a connection for an
//! NTLM handshake) with an optional ready implementation behind a cargo feature; authentication (Basic,
//! NTLMv2, OAuth2 bearer through a caller-supplied token provider) with secrets that never print;
//! impersonation with `ExchangeImpersonation` and `X-AnchorMailbox`; version negotiation; throttling with
//! one shared back-off gate per endpoint that honours `BackOffMilliseconds` and `Retry-After`; and paging,
//! `SyncFolderItems` and `GetItem` batching helpers. It will contain no reconciliation logic: that lives in
//! `sync-core`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
