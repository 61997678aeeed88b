//! The crate's one error type.

use std::fmt;

use crate::Attempt;

/// Everything that can go wrong, phrased the way an Exchange administrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The email address is malformed.
    #[error("invalid email address {address:?}: {reason}")]
    InvalidEmailAddress {
        /// As typed.
        address: String,
        /// What is wrong.
        reason: String,
    },
    /// The email domain cannot be used for discovery (public suffix, single label, IP literal).
    /// Raised before any request.
    #[error("invalid domain {domain:?} for Autodiscover: {reason}")]
    InvalidDomain {
        /// The domain.
        domain: String,
        /// What is wrong.
        reason: String,
    },
    /// An allow-list pattern is malformed.
    #[error("invalid host pattern {pattern:?}: {reason}")]
    InvalidHostPattern {
        /// As given.
        pattern: String,
        /// What is wrong.
        reason: String,
    },
    /// An SCP URL is malformed or not `https`.
    #[error("invalid SCP URL {url:?}: {reason}")]
    InvalidScpUrl {
        /// As given.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A manually configured EWS URL is unusable.
    #[error("invalid EWS URL {url:?}: {reason}")]
    InvalidEwsUrl {
        /// As given.
        url: String,
        /// What is wrong, and what a valid one looks like.
        reason: String,
    },
    /// A logon name is malformed.
    #[error("invalid user name {username:?}: {reason}")]
    InvalidUsername {
        /// As given.
        username: String,
        /// What is wrong.
        reason: String,
    },
    /// No candidate endpoint produced settings.
    #[error("Autodiscover failed: no endpoint returned settings\n{attempts}")]
    AutodiscoverFailed {
        /// Every attempt and why it failed.
        attempts: Attempts,
    },
    /// Two or more trusted endpoints rejected the credentials (HTTP 401) and none succeeded.
    #[error(
        "Autodiscover failed: the credentials were rejected (HTTP 401) by {rejections} trusted endpoints\n{attempts}"
    )]
    Unauthorized {
        /// How many trusted endpoints answered 401 to an authenticated request.
        rejections: u32,
        /// Every attempt.
        attempts: Attempts,
    },
    /// A trusted endpoint said the mailbox does not exist (POX `ErrorCode` 500, SOAP `InvalidUser`).
    #[error("ErrorNonExistentMailbox: {message}\n{attempts}")]
    NonExistentMailbox {
        /// The server's message.
        message: String,
        /// Every attempt.
        attempts: Attempts,
    },
    /// More URL or address redirects than the limit allows.
    #[error("Autodiscover failed: too many redirects (limit {limit})\n{attempts}")]
    TooManyRedirects {
        /// The limit that was reached.
        limit: u32,
        /// Every attempt.
        attempts: Attempts,
    },
    /// An address redirect led back to an address already tried.
    #[error("Autodiscover failed: address redirect loop back to {address}\n{attempts}")]
    RedirectLoop {
        /// The repeated address.
        address: String,
        /// Every attempt.
        attempts: Attempts,
    },
    /// The request limit was reached.
    #[error("Autodiscover failed: request limit of {limit} reached\n{attempts}")]
    RequestLimit {
        /// The limit.
        limit: u32,
        /// Every attempt.
        attempts: Attempts,
    },
    /// An input did not match the effect the machine is waiting for (a caller bug). The machine's
    /// state is unchanged.
    #[error("input for token {token} does not match the pending effect ({expected})")]
    UnexpectedInput {
        /// The token given.
        token: u64,
        /// What the machine waits for.
        expected: &'static str,
    },
}

impl Error {
    /// The attempt log, empty for errors raised before any request.
    pub fn attempts(&self) -> &[Attempt] {
        match self {
            Error::AutodiscoverFailed { attempts }
            | Error::Unauthorized { attempts, .. }
            | Error::NonExistentMailbox { attempts, .. }
            | Error::TooManyRedirects { attempts, .. }
            | Error::RedirectLoop { attempts, .. }
            | Error::RequestLimit { attempts, .. } => &attempts.0,
            _ => &[],
        }
    }
}

/// The attempt log inside an error; its `Display` prints one numbered line per attempt.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attempts(pub Vec<Attempt>);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("  (no requests were made)");
        }
        for (i, attempt) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "  {}. {attempt}", i + 1)?;
        }
        Ok(())
    }
}
