//! [`Transport`]: how the client reaches the server. The caller supplies it; the client never opens a
//! socket itself.
//!
//! A transport hands out *connections* and sends one request at a time on a connection. NTLM
//! authenticates a connection, not a request, so its three legs must travel on the same connection; the
//! client keeps authenticated connections in a small pool and reuses them. A transport built on a client
//! library that pools connections by itself (and so cannot promise "same connection") can use
//! `type Connection = ()`: Basic and OAuth work over it, NTLM does not.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;

use crate::error::TransportError;

/// Sends HTTP requests for the client. Implementations must not follow redirects and must not add
/// credentials of their own.
pub trait Transport: Send + Sync {
    /// One connection (for HTTP/1.1, one TCP or TLS stream).
    type Connection: Send;

    /// Opens a new connection to the host of `endpoint`. A failure here means the request never left
    /// ([`crate::TransportErrorKind::Connect`]).
    fn connect(
        &self,
        endpoint: &http::Uri,
    ) -> impl Future<Output = Result<Self::Connection, TransportError>> + Send;

    /// Sends `request` on `connection` and reads the whole response. A body longer than
    /// `max_response_bytes` must fail with [`crate::TransportErrorKind::ResponseTooLarge`] as soon as the
    /// limit is passed, without buffering the rest.
    fn send(
        &self,
        connection: &mut Self::Connection,
        request: http::Request<Bytes>,
        max_response_bytes: usize,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportError>> + Send;

    /// Whether `connection` can carry another request (false once the server closed it).
    fn is_reusable(&self, connection: &Self::Connection) -> bool {
        let _ = connection;
        true
    }
}

impl<T: Transport> Transport for Arc<T> {
    type Connection = T::Connection;

    fn connect(
        &self,
        endpoint: &http::Uri,
    ) -> impl Future<Output = Result<Self::Connection, TransportError>> + Send {
        (**self).connect(endpoint)
    }

    fn send(
        &self,
        connection: &mut Self::Connection,
        request: http::Request<Bytes>,
        max_response_bytes: usize,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportError>> + Send {
        (**self).send(connection, request, max_response_bytes)
    }

    fn is_reusable(&self, connection: &Self::Connection) -> bool {
        (**self).is_reusable(connection)
    }
}
