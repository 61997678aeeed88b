//! Pure two-way reconciliation between a CRM and Exchange mailboxes.
//!
//! This crate will hold a deterministic planner with no IO and no clock reads: a backend-neutral change
//! model that both EWS and Graph map into, category scope, merge bases, conflict and delete policies per
//! record kind, plans of operations with outcomes fed back, cursor safety, mass-delete guards and
//! per-mailbox status. It knows neither XML nor JSON.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
