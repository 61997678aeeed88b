//! The request log: one entry per HTTP request the simulator answered (or dropped), for tests and
//! benchmarks to count round trips and check what happened.

use std::time::{Duration, SystemTime};

/// Which endpoint a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `/EWS/Exchange.asmx`.
    Ews,
    /// `/v1.0/...`.
    Graph,
    /// `/autodiscover/...` (POX and JSON).
    Autodiscover,
    /// The OAuth token and device code endpoints.
    Token,
    /// Anything else (answered 404).
    Other,
}

/// One request in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// When the request arrived.
    pub at: SystemTime,
    /// The endpoint.
    pub endpoint: Endpoint,
    /// The HTTP method.
    pub method: String,
    /// The path (without the query).
    pub path: String,
    /// The operation: the EWS operation (`SyncFolderItems`), the Graph route (`GET messages/delta`),
    /// `autodiscover`, `token`...
    pub operation: String,
    /// The mailbox the request acted on, once known (after impersonation).
    pub mailbox: Option<String>,
    /// Who authenticated (a user's address or an app's client id), if anyone.
    pub principal: Option<String>,
    /// The HTTP status sent (0 when the connection was dropped).
    pub status: u16,
    /// The fault injected, if any (`ServerBusy`, `Throttled`...).
    pub fault: Option<String>,
    /// How long the answer took, including injected delays.
    pub elapsed: Duration,
}
