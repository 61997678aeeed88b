//! The HTTP(S) server: binds an ephemeral loopback port, answers each request through the endpoint it
//! names (after faults and authentication), and logs it.

mod auth;
mod body;
mod ntlm;
mod tls;

pub(crate) use auth::{AuthorizationCode, DeviceSignIn, Principal, Tokens};

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Instant, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::config::Config;
use crate::error::Error;
use crate::faults::{Fault, FaultPlan, RequestFacts};
use crate::log::{Endpoint, LogEntry};
use crate::store::Store;
use auth::{AuthOutcome, Connection};
use body::Body;

/// What every connection shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) store: Mutex<Store>,
    pub(crate) log: Mutex<Vec<LogEntry>>,
    pub(crate) faults: Mutex<FaultPlan>,
    pub(crate) tokens: Mutex<Tokens>,
    /// `http://127.0.0.1:PORT` or `https://...`, known once bound.
    pub(crate) base: OnceLock<String>,
    /// Woken after every answered request (open notification streams look for new events).
    pub(crate) changed: tokio::sync::Notify,
    /// Bumped to make open notification streams close.
    pub(crate) close_streams: watch::Sender<u64>,
}

/// Locks a mutex, taking over the data if another thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn base(&self) -> &str {
        self.base.get().map_or("", String::as_str)
    }
}

/// What an endpoint handler gets besides the request.
#[derive(Debug)]
pub(crate) struct Exchange<'a> {
    pub(crate) shared: &'a Shared,
    /// Who authenticated (none for unauthenticated endpoints).
    pub(crate) principal: Option<Principal>,
    /// A fault for the handler to act on (sync state, delta, conflict, server busy).
    pub(crate) fault: Option<Fault>,
    /// The mailbox acted on, for the log.
    pub(crate) mailbox: Option<String>,
    /// A notification stream to serve as the response body (GetStreamingEvents).
    pub(crate) stream: Option<crate::ews::StreamPlan>,
}

/// Which endpoint and operation a request is, before anything is checked.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) endpoint: Endpoint,
    pub(crate) operation: String,
    pub(crate) is_delta: bool,
    pub(crate) needs_auth: bool,
}

fn route(request: &http::Request<Bytes>, config: &Config) -> Route {
    let path = request.uri().path();
    let lower = path.to_ascii_lowercase();
    if lower == "/ews/exchange.asmx" {
        let operation = ews_types::soap::body_element_name(request.body())
            .unwrap_or_else(|_| "unparseable".to_owned());
        return Route {
            endpoint: Endpoint::Ews,
            operation,
            is_delta: false,
            needs_auth: true,
        };
    }
    if let Some(rest) = path.strip_prefix("/v1.0/") {
        let (operation, is_delta) = crate::graph::operation_name(request.method(), rest);
        return Route {
            endpoint: Endpoint::Graph,
            operation,
            is_delta,
            needs_auth: true,
        };
    }
    if lower.starts_with("/autodiscover/") {
        let json = lower.starts_with("/autodiscover/autodiscover.json");
        return Route {
            endpoint: Endpoint::Autodiscover,
            operation: if json {
                "autodiscover.json"
            } else {
                "autodiscover.xml"
            }
            .to_owned(),
            is_delta: false,
            needs_auth: !json,
        };
    }
    for tenant in [config.tenant.as_str(), "common", "organizations"] {
        let oauth = format!("/{}/oauth2/v2.0/", tenant.to_ascii_lowercase());
        if let Some(what) = lower.strip_prefix(&oauth) {
            return Route {
                endpoint: Endpoint::Token,
                operation: what.to_owned(),
                is_delta: false,
                needs_auth: false,
            };
        }
    }
    Route {
        endpoint: Endpoint::Other,
        operation: "unknown".to_owned(),
        is_delta: false,
        needs_auth: false,
    }
}

/// A response with a body and a content type.
pub(crate) fn respond(
    status: u16,
    content_type: &str,
    body: impl Into<Bytes>,
) -> http::Response<Bytes> {
    let mut response = http::Response::new(body.into());
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = http::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    response
}

/// Adds a header (values the simulator makes are always valid; an invalid one is left out).
pub(crate) fn with_header(
    mut response: http::Response<Bytes>,
    name: &'static str,
    value: &str,
) -> http::Response<Bytes> {
    if let Ok(value) = http::HeaderValue::from_str(value) {
        response.headers_mut().append(name, value);
    }
    response
}

/// The connection is to be closed without an answer.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

fn unauthorized(endpoint: Endpoint, reason: &str, ntlm: Option<Vec<u8>>) -> http::Response<Bytes> {
    let body = match endpoint {
        Endpoint::Graph => Bytes::from(
            serde_json::json!({"error": {"code": "InvalidAuthenticationToken", "message": reason}})
                .to_string(),
        ),
        _ => Bytes::from(format!("401 Unauthorized: {reason}")),
    };
    let content_type = if endpoint == Endpoint::Graph {
        "application/json"
    } else {
        "text/plain"
    };
    let response = respond(401, content_type, body);
    match (endpoint, ntlm) {
        (_, Some(challenge)) => with_header(
            response,
            "www-authenticate",
            &format!("NTLM {}", STANDARD.encode(challenge)),
        ),
        (Endpoint::Graph, None) => with_header(
            response,
            "www-authenticate",
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"",
        ),
        (_, None) => {
            let response = with_header(response, "www-authenticate", "NTLM");
            let response = with_header(response, "www-authenticate", "Negotiate");
            let response =
                with_header(response, "www-authenticate", "Basic realm=\"exchange-sim\"");
            with_header(response, "www-authenticate", "Bearer")
        }
    }
}

/// Answers one request.
pub(crate) async fn answer(
    shared: &Shared,
    connection: &Mutex<Connection>,
    request: http::Request<Bytes>,
) -> Result<(http::Response<Bytes>, Option<crate::ews::StreamPlan>), DropConnection> {
    let started = Instant::now();
    let route = route(&request, &shared.config);
    let mut entry = LogEntry {
        at: SystemTime::now(),
        endpoint: route.endpoint,
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        operation: route.operation.clone(),
        mailbox: None,
        principal: None,
        status: 0,
        fault: None,
        elapsed: Default::default(),
    };
    let fault = lock(&shared.faults).pick(&RequestFacts {
        endpoint: route.endpoint,
        operation: &route.operation,
        method: request.method().as_str(),
        is_delta: route.is_delta,
    });
    entry.fault = fault.as_ref().map(|f| f.name().to_owned());
    let outcome = respond_to(shared, connection, &request, &route, fault, &mut entry).await;
    entry.status = outcome.as_ref().map_or(0, |(r, _)| r.status().as_u16());
    entry.elapsed = started.elapsed();
    lock(&shared.log).push(entry);
    shared.changed.notify_waiters();
    outcome
}

async fn respond_to(
    shared: &Shared,
    connection: &Mutex<Connection>,
    request: &http::Request<Bytes>,
    route: &Route,
    fault: Option<Fault>,
    entry: &mut LogEntry,
) -> Result<(http::Response<Bytes>, Option<crate::ews::StreamPlan>), DropConnection> {
    match &fault {
        Some(Fault::Slow(delay)) => tokio::time::sleep(*delay).await,
        Some(Fault::DropConnection) => return Err(DropConnection),
        Some(Fault::ServiceUnavailable) => {
            return Ok((
                respond(503, "text/html", "<h1>Service Unavailable</h1>"),
                None,
            ));
        }
        Some(Fault::Throttled { retry_after }) => {
            let body = serde_json::json!({"error": {
                "code": "TooManyRequests",
                "message": "Application is over its MailboxConcurrency limit."
            }});
            let seconds = crate::faults::retry_after_seconds(*retry_after);
            let response = respond(429, "application/json", body.to_string());
            return Ok((with_header(response, "retry-after", &seconds), None));
        }
        _ => {}
    }
    let mut principal = None;
    if route.needs_auth {
        let header = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let outcome = {
            let mut tokens = lock(&shared.tokens);
            let mut conn = lock(connection);
            auth::authenticate(&shared.config, &mut tokens, &mut conn, header)
        };
        match outcome {
            AuthOutcome::Authenticated(p) => principal = Some(p),
            AuthOutcome::NtlmChallenge(challenge) => {
                let response = unauthorized(route.endpoint, "NTLM challenge", Some(challenge));
                return Ok((response, None));
            }
            AuthOutcome::Denied(reason) => {
                return Ok((unauthorized(route.endpoint, reason, None), None));
            }
        }
        entry.principal = principal.as_ref().map(|p| p.name().to_owned());
    }
    let mut exchange = Exchange {
        shared,
        principal,
        fault,
        mailbox: None,
        stream: None,
    };
    let response = match route.endpoint {
        Endpoint::Ews => crate::ews::handle(&mut exchange, request),
        Endpoint::Graph => crate::graph::handle(&mut exchange, request),
        Endpoint::Autodiscover => crate::autodiscover::handle(&mut exchange, request),
        Endpoint::Token => crate::graph::token::handle(&mut exchange, request, &route.operation),
        Endpoint::Other => respond(404, "text/plain", "not found"),
    };
    entry.mailbox = exchange.mailbox.take();
    Ok((response, exchange.stream.take()))
}

/// The running server's handles.
#[derive(Debug)]
pub(crate) struct Running {
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) task: JoinHandle<()>,
    pub(crate) certificate: Option<tls::Certificate>,
}

/// Binds 127.0.0.1:0 and serves until told to stop.
pub(crate) async fn start(shared: Arc<Shared>, tls_names: &[String]) -> Result<Running, Error> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Error::Bind(e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Bind(e.to_string()))?;
    let certificate = if shared.config.https {
        Some(tls::Certificate::generate(tls_names)?)
    } else {
        None
    };
    let acceptor = match &certificate {
        Some(c) => Some(c.acceptor()?),
        None => None,
    };
    let scheme = if certificate.is_some() {
        "https"
    } else {
        "http"
    };
    let _ = shared.base.set(format!("{scheme}://{addr}"));
    let (shutdown, mut stop) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let shared = shared.clone();
                    let acceptor = acceptor.clone();
                    connections.spawn(async move {
                        match acceptor {
                            Some(acceptor) => {
                                if let Ok(tls) = acceptor.accept(stream).await {
                                    serve_connection(shared, tls).await;
                                }
                            }
                            None => serve_connection(shared, stream).await,
                        }
                    });
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.shutdown().await;
    });
    Ok(Running {
        shutdown,
        task,
        certificate,
    })
}

async fn serve_connection<S>(shared: Arc<Shared>, stream: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let connection = Arc::new(Mutex::new(Connection::default()));
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let shared = shared.clone();
        let connection = connection.clone();
        async move {
            let (parts, body) = request.into_parts();
            let body = match body.collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => return Err(DropConnection),
            };
            let request = http::Request::from_parts(parts, body);
            let (response, stream) = answer(&shared, &connection, request).await?;
            let response = match stream {
                None => response.map(Body::whole),
                Some(plan) => {
                    let (sender, receiver) = tokio::sync::mpsc::channel(16);
                    tokio::spawn(crate::ews::stream(shared.clone(), plan, sender));
                    response.map(|_| Body::Stream(receiver))
                }
            };
            Ok::<_, DropConnection>(response)
        }
    });
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
