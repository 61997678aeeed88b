//! Secure Exchange Autodiscover as a sans-IO state machine, plus a thin async driver.
//!
//! This crate will find a mailbox's EWS URL from an email address the way Exchange clients do (SCP
//! URLs, the domain and `autodiscover.` hosts, the unauthenticated HTTP redirect probe, DNS SRV) while
//! making credential leaks impossible by construction: candidates only from the exact email domain,
//! credentials only over HTTPS to trusted hosts, user confirmation for cross-domain redirects, no
//! downgrade to Basic, and hard limits on redirects and requests.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
