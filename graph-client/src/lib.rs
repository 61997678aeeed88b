//! Microsoft Graph for mail, calendar, contacts, To Do and categories: a sans-IO core and a thin client.
//!
//! This crate will hold typed Graph resources that keep unknown fields, request builders that produce
//! `http::Request<Bytes>`, response parsers, delta queries with persisted cursors, JSON `$batch`,
//! throttling rules, immutable ids, OAuth2 request builders for the Microsoft identity platform, and a
//! thin async client over a caller-supplied transport.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
