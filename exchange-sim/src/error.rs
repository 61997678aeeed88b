//! The crate's error type: what can keep the simulator from starting.

/// Why the simulator could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The loopback listener could not be bound.
    #[error("cannot bind the loopback listener: {0}")]
    Bind(String),
    /// The HTTPS certificate or TLS configuration could not be made.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
    /// The configuration is inconsistent.
    #[error("invalid simulator configuration: {0}")]
    Config(String),
}
