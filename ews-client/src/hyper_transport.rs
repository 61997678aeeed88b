//! [`HyperTransport`] (feature `hyper`): HTTP/1.1 over TCP or rustls (ring provider) with hyper, one
//! explicit connection per [`Connection`](crate::Transport::Connection), so NTLM's handshake stays on
//! one connection. It needs a tokio runtime (each connection's driver is a spawned task).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderValue;
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::ClientConfig;
use tokio_rustls::rustls::pki_types::ServerName;

use crate::error::{TransportError, TransportErrorKind};
use crate::transport::Transport;

/// A ready [`Transport`] over hyper's HTTP/1.1 client connections.
///
/// ```
/// use std::sync::Arc;
/// use ews_client::HyperTransport;
/// use tokio_rustls::rustls::{ClientConfig, RootCertStore};
///
/// // Trust anchors are the caller's choice: webpki-roots, the platform store, or a private CA.
/// let roots = RootCertStore::empty();
/// let tls = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
///     .with_safe_default_protocol_versions()
///     .unwrap()
///     .with_root_certificates(roots)
///     .with_no_client_auth();
/// let transport = HyperTransport::new(Arc::new(tls));
/// # let _ = transport;
/// ```
#[derive(Clone)]
pub struct HyperTransport {
    tls: Option<TlsConnector>,
    connect_timeout: Duration,
    response_timeout: Duration,
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperTransport")
            .field("tls", &self.tls.is_some())
            .field("connect_timeout", &self.connect_timeout)
            .field("response_timeout", &self.response_timeout)
            .finish()
    }
}

/// One HTTP/1.1 connection of a [`HyperTransport`].
pub struct HyperConnection {
    sender: SendRequest<Full<Bytes>>,
    host: HeaderValue,
}

impl std::fmt::Debug for HyperConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HyperConnection")
            .field("host", &self.host)
            .field("closed", &self.sender.is_closed())
            .finish()
    }
}

impl HyperTransport {
    /// https (and http) with this TLS configuration; its ALPN is set to HTTP/1.1.
    pub fn new(tls: Arc<ClientConfig>) -> Self {
        let mut config = (*tls).clone();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            tls: Some(TlsConnector::from(Arc::new(config))),
            ..Self::plain_http()
        }
    }

    /// Plain http only (an https endpoint fails to connect). The client still refuses to send
    /// credentials over http except to an opted-in loopback address.
    pub fn plain_http() -> Self {
        Self {
            tls: None,
            connect_timeout: Duration::from_secs(30),
            response_timeout: Duration::from_secs(100),
        }
    }

    /// How long opening a connection (TCP and TLS) may take (default 30 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a response (headers and body) may take (default 100 s, as in the EWS Managed API).
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    async fn open(&self, endpoint: &http::Uri) -> Result<HyperConnection, TransportError> {
        let connect_error =
            |message: String| TransportError::new(TransportErrorKind::Connect, message);
        let host = endpoint
            .host()
            .ok_or_else(|| connect_error(format!("{endpoint} has no host")))?;
        let bare_host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let https = endpoint.scheme_str() == Some("https");
        let port = endpoint.port_u16().unwrap_or(if https { 443 } else { 80 });
        let host_header = match endpoint.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let host_header = HeaderValue::from_str(&host_header)
            .map_err(|_| connect_error(format!("{host:?} cannot be a Host header")))?;
        let tcp = TcpStream::connect((bare_host.as_str(), port))
            .await
            .map_err(|e| {
                TransportError::with_source(
                    TransportErrorKind::Connect,
                    format!("cannot connect to {bare_host}:{port}"),
                    e,
                )
            })?;
        tcp.set_nodelay(true).map_err(|e| {
            TransportError::with_source(TransportErrorKind::Connect, "cannot set TCP_NODELAY", e)
        })?;
        let sender = if https {
            let tls = self.tls.as_ref().ok_or_else(|| {
                connect_error("this transport was built for plain http only".into())
            })?;
            let name = ServerName::try_from(bare_host.clone()).map_err(|e| {
                TransportError::with_source(TransportErrorKind::Connect, "bad TLS server name", e)
            })?;
            let stream = tls.connect(name, tcp).await.map_err(|e| {
                TransportError::with_source(TransportErrorKind::Connect, "TLS handshake failed", e)
            })?;
            handshake(TokioIo::new(stream)).await?
        } else {
            handshake(TokioIo::new(tcp)).await?
        };
        Ok(HyperConnection {
            sender,
            host: host_header,
        })
    }

    async fn round_trip(
        connection: &mut HyperConnection,
        request: http::Request<Bytes>,
        max_response_bytes: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (mut parts, body) = request.into_parts();
        // A client connection speaks origin-form: the path here, the authority in Host.
        parts.uri = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .parse()
            .map_err(|e| {
                TransportError::with_source(TransportErrorKind::Other, "bad request path", e)
            })?;
        parts
            .headers
            .insert(http::header::HOST, connection.host.clone());
        connection.sender.ready().await.map_err(hyper_error)?;
        let response = connection
            .sender
            .send_request(http::Request::from_parts(parts, Full::new(body)))
            .await
            .map_err(hyper_error)?;
        let (parts, body) = response.into_parts();
        let collected = Limited::new(body, max_response_bytes)
            .collect()
            .await
            .map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    TransportError::new(
                        TransportErrorKind::ResponseTooLarge,
                        format!("the response body exceeds {max_response_bytes} bytes"),
                    )
                } else {
                    TransportError::new(
                        TransportErrorKind::ConnectionReset,
                        format!("the response body broke off: {e}"),
                    )
                }
            })?;
        Ok(http::Response::from_parts(parts, collected.to_bytes()))
    }
}

async fn handshake<I>(io: I) -> Result<SendRequest<Full<Bytes>>, TransportError>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, connection) = http1::handshake(io).await.map_err(|e| {
        TransportError::with_source(TransportErrorKind::Connect, "HTTP/1.1 handshake failed", e)
    })?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "EWS connection ended with an error");
        }
    });
    Ok(sender)
}

fn hyper_error(error: hyper::Error) -> TransportError {
    let kind = if error.is_parse() || error.is_user() {
        TransportErrorKind::Other
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::ConnectionReset
    };
    TransportError::with_source(kind, "HTTP exchange failed", error)
}

impl Transport for HyperTransport {
    type Connection = HyperConnection;

    async fn connect(&self, endpoint: &http::Uri) -> Result<HyperConnection, TransportError> {
        tokio::time::timeout(self.connect_timeout, self.open(endpoint))
            .await
            .map_err(|_| {
                TransportError::new(
                    TransportErrorKind::Connect,
                    format!("no connection within {:?}", self.connect_timeout),
                )
            })?
    }

    async fn send(
        &self,
        connection: &mut HyperConnection,
        request: http::Request<Bytes>,
        max_response_bytes: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        tokio::time::timeout(
            self.response_timeout,
            Self::round_trip(connection, request, max_response_bytes),
        )
        .await
        .map_err(|_| {
            TransportError::new(
                TransportErrorKind::Timeout,
                format!("no response within {:?}", self.response_timeout),
            )
        })?
    }

    fn is_reusable(&self, connection: &HyperConnection) -> bool {
        !connection.sender.is_closed()
    }
}
