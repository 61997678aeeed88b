//! EWS notification subscriptions: which mailbox, which folders and event kinds, how events are
//! delivered, and where in the mailbox's event journal each subscription stands.
//!
//! A subscription belongs to one mailbox: only requests acting on that mailbox (the owner, or the
//! service account impersonating the owner) may read or end it.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use super::events::{Event, EventKind};

/// How a subscription's events reach the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// The client polls with GetEvents; the subscription lapses after `timeout` without a call.
    Pull {
        /// How long the subscription lives without a GetEvents call.
        timeout: Duration,
    },
    /// The client keeps a GetStreamingEvents connection open.
    Streaming,
}

/// One subscription.
#[derive(Debug, Clone)]
pub(crate) struct Subscription {
    /// The mailbox it watches.
    pub(crate) mailbox: u32,
    pub(crate) delivery: Delivery,
    /// The folders it watches (`None`: every folder of the mailbox).
    pub(crate) folders: Option<Vec<u32>>,
    /// The kinds of events it reports.
    pub(crate) kinds: Vec<EventKind>,
    /// The journal position of the last event delivered (streaming) or acknowledged (pull).
    pub(crate) position: u64,
    /// When the client last used it.
    pub(crate) last_used: Instant,
}

impl Subscription {
    /// Whether this subscription reports `event`.
    pub(crate) fn wants(&self, event: &Event) -> bool {
        self.kinds.contains(&event.kind)
            && match &self.folders {
                None => true,
                Some(folders) => event.folders().any(|f| folders.contains(&f)),
            }
    }

    /// Whether a pull subscription has lapsed at `now`.
    pub(crate) fn expired(&self, now: Instant) -> bool {
        match self.delivery {
            Delivery::Pull { timeout } => now.saturating_duration_since(self.last_used) > timeout,
            Delivery::Streaming => false,
        }
    }
}

/// Every live subscription, by mailbox and number (the id is the two, signed).
#[derive(Debug, Default)]
pub(crate) struct Subscriptions {
    by_key: HashMap<(u32, u64), Subscription>,
    next: u64,
}

impl Subscriptions {
    /// Adds a subscription and returns its number.
    pub(crate) fn add(&mut self, subscription: Subscription) -> u64 {
        self.next += 1;
        self.by_key
            .insert((subscription.mailbox, self.next), subscription);
        self.next
    }

    /// A subscription.
    pub(crate) fn get(&self, mailbox: u32, number: u64) -> Option<&Subscription> {
        self.by_key.get(&(mailbox, number))
    }

    /// A subscription, to change.
    pub(crate) fn get_mut(&mut self, mailbox: u32, number: u64) -> Option<&mut Subscription> {
        self.by_key.get_mut(&(mailbox, number))
    }

    /// Ends a subscription; `false` when there was none.
    pub(crate) fn remove(&mut self, mailbox: u32, number: u64) -> bool {
        self.by_key.remove(&(mailbox, number)).is_some()
    }

    /// How many subscriptions watch `mailbox`.
    pub(crate) fn count(&self, mailbox: u32) -> usize {
        self.by_key.keys().filter(|(m, _)| *m == mailbox).count()
    }
}
