//! The logic behind the `booking`, `autodiscover` and `probe` examples, as library functions: each
//! example is a thin `main` around one of these modules, and `examples/tests/` runs the same functions
//! against the simulator and checks what they print and return.
//!
//! * [`booking`]: free/busy of three mailboxes, a meeting booked with an online meeting URL, moved and
//!   cancelled, and what each attendee's mailbox received at every step.
//! * [`discovery`]: the Autodiscover pieces a caller supplies (an HTTPS transport that never follows
//!   redirects and attaches credentials only where the machine's grant permits, a confirmation policy)
//!   and a table of the attempts.
//! * [`autodiscover_tour`]: discovery against the simulator with a redirect that needs confirmation,
//!   a `DOMAIN/user` logon name and a bad EWS URL.
//! * [`probe`]: tests a real server (Autodiscover, ResolveNames, server version) from the environment
//!   or flags.
//! * [`table`]: the aligned text tables they all print; [`tls`]: the trust anchors they use.

pub mod autodiscover_tour;
pub mod booking;
pub mod discovery;
pub mod probe;
pub mod table;
pub mod tls;

use ews_types::response::ResponseError;

/// Everything that can stop a demo.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An EWS request failed as a whole (HTTP, SOAP fault, credentials).
    #[error("{operation} failed: {source}")]
    Ews {
        /// The operation.
        operation: &'static str,
        /// The client's error, with the server's code and message.
        #[source]
        source: ews_client::Error,
    },
    /// One response message of an EWS request failed.
    #[error("{operation} for {mailbox} failed: {}: {}", .error.code.as_ref().map_or("no code", |c| c.as_str()), .error.text.as_deref().unwrap_or(""))]
    Message {
        /// The operation.
        operation: &'static str,
        /// The mailbox it acted on.
        mailbox: String,
        /// The server's code and text.
        error: Box<ResponseError>,
    },
    /// A response lacked something the demo needs (an item id, a schedule).
    #[error("{0}")]
    Missing(String),
    /// Discovery failed.
    #[error(transparent)]
    Autodiscover(#[from] autodiscover::Error),
    /// The simulator could not start.
    #[error("the simulator could not start: {0}")]
    Simulator(#[from] exchange_sim::Error),
    /// Trust anchors could not be loaded.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// A time could not be computed (a zone missing from the system's database, an overflow).
    #[error("time: {0}")]
    Time(String),
    /// Building a request failed.
    #[error("invalid request: {0}")]
    Request(#[from] ews_types::Error),
}

/// This module's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Ends an example: prints its report on stdout and exits 0, or prints its error on stderr and exits 1.
pub fn finish(example: &str, outcome: Result<impl std::fmt::Display>) -> std::process::ExitCode {
    match outcome {
        Ok(report) => {
            print!("{report}");
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{example} failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
