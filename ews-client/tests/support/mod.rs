//! A scripted EWS server on loopback for the client's tests: every request is logged with the virtual
//! time of its arrival, and a handler decides each answer.

#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use ews_client::{ClientBuilder, Credentials, EwsClient, HyperTransport, Mailbox, ManualClock};
use ews_types::operations::Operation;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    /// Its position in the log.
    pub(crate) index: usize,
    /// The virtual time of its arrival.
    pub(crate) at: Duration,
    /// Which connection (in accept order) carried it.
    pub(crate) connection: usize,
    /// Its headers.
    pub(crate) headers: http::HeaderMap,
    /// Its body.
    pub(crate) body: String,
}

impl Exchange {
    /// A header's value as text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `RequestServerVersion` the request asked for.
    pub(crate) fn requested_version(&self) -> Option<&str> {
        let start = self.body.find("RequestServerVersion Version=\"")? + 30;
        let rest = self.body.get(start..)?;
        rest.get(..rest.find('"')?)
    }
}

type Handler = dyn Fn(&Exchange) -> http::Response<Bytes> + Send + Sync;

/// The scripted server.
pub(crate) struct Server {
    port: u16,
    log: Arc<Mutex<Vec<Exchange>>>,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Starts a server answering with `handler`.
    pub(crate) async fn start(
        clock: ManualClock,
        handler: impl Fn(&Exchange) -> http::Response<Bytes> + Send + Sync + 'static,
    ) -> Server {
        Self::start_dropping(clock, 0, handler).await
    }

    /// Starts a server that closes its first `drop_first` connections without answering.
    pub(crate) async fn start_dropping(
        clock: ManualClock,
        drop_first: usize,
        handler: impl Fn(&Exchange) -> http::Response<Bytes> + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let shared_log = log.clone();
        let task = tokio::spawn(async move {
            let mut connection = 0;
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                connection += 1;
                if connection <= drop_first {
                    // Read the request, then hang up without a word.
                    let mut buffer = [0u8; 1024];
                    let _ = stream.readable().await;
                    let _ = stream.try_read(&mut buffer);
                    drop(stream);
                    continue;
                }
                let (log, handler, clock) = (shared_log.clone(), handler.clone(), clock.clone());
                let this_connection = connection;
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request: http::Request<hyper::body::Incoming>| {
                            let (log, handler, clock) =
                                (log.clone(), handler.clone(), clock.clone());
                            async move {
                                let (parts, body) = request.into_parts();
                                let body = body
                                    .collect()
                                    .await
                                    .map(|b| b.to_bytes())
                                    .unwrap_or_default();
                                let exchange = {
                                    let mut log = log.lock().unwrap();
                                    let exchange = Exchange {
                                        index: log.len(),
                                        at: clock.elapsed(),
                                        connection: this_connection,
                                        headers: parts.headers,
                                        body: String::from_utf8_lossy(&body).into_owned(),
                                    };
                                    log.push(exchange.clone());
                                    exchange
                                };
                                let response = handler(&exchange).map(Full::new);
                                Ok::<_, Infallible>(response)
                            }
                        });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Server { port, log, task }
    }

    /// The EWS URL of the server.
    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/EWS/Exchange.asmx", self.port)
    }

    /// Everything received so far.
    pub(crate) fn log(&self) -> Vec<Exchange> {
        self.log.lock().unwrap().clone()
    }
}

/// A builder for a client of `server` (loopback http allowed, a fixed jitter seed).
pub(crate) fn builder(server: &Server, credentials: Credentials) -> ClientBuilder {
    ClientBuilder::new(server.url(), credentials)
        .allow_insecure_loopback_http(true)
        .jitter_seed(7)
}

/// A Basic client of `server` on `clock`.
pub(crate) fn basic_client(
    server: &Server,
    clock: &ManualClock,
) -> EwsClient<HyperTransport, ManualClock> {
    builder(
        server,
        Credentials::basic("svc-crm@contoso.com", "Pa55w0rd"),
    )
    .build(HyperTransport::plain_http(), clock.clone())
    .unwrap()
}

/// Runs `tasks` to the end, moving the virtual clock to the next deadline whenever every unfinished task
/// is asleep (so nothing is in flight when time moves).
pub(crate) async fn drive<T: Send + 'static>(
    clock: &ManualClock,
    tasks: Vec<JoinHandle<T>>,
) -> Vec<T> {
    loop {
        let finished = tasks.iter().filter(|t| t.is_finished()).count();
        if finished == tasks.len() {
            let mut results = Vec::new();
            for task in tasks {
                results.push(task.await.unwrap());
            }
            return results;
        }
        let sleeping = clock.pending_sleeps();
        if sleeping > 0 && finished + sleeping >= tasks.len() {
            clock.advance_to_next_deadline();
        }
        tokio::task::yield_now().await;
    }
}

/// Runs one future to the end under [`drive`].
pub(crate) async fn drive_one<T: Send + 'static>(
    clock: &ManualClock,
    future: impl Future<Output = T> + Send + 'static,
) -> T {
    drive(clock, vec![tokio::spawn(future)])
        .await
        .pop()
        .unwrap()
}

/// Sends `operation` for `mailbox` through `client` under [`drive`], so back-off waits run on the
/// virtual clock.
pub(crate) async fn execute_driven<O>(
    clock: &ManualClock,
    client: &Arc<EwsClient<HyperTransport, ManualClock>>,
    mailbox: Mailbox,
    operation: O,
) -> ews_client::Result<O::Response>
where
    O: Operation + Send + Sync + 'static,
    O::Response: Send,
{
    let client = client.clone();
    drive_one(clock, async move {
        client.execute_as(&mailbox, &operation).await
    })
    .await
}

/// An HTTP response with a text/xml body.
pub(crate) fn xml(status: u16, body: impl Into<String>) -> http::Response<Bytes> {
    http::Response::builder()
        .status(status)
        .header("content-type", "text/xml; charset=utf-8")
        .body(Bytes::from(body.into()))
        .unwrap()
}

const ENVELOPE_START: &str = r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header><s:Body>"#;
const ENVELOPE_END: &str = "</s:Body></s:Envelope>";
const M_T: &str = r#"xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types""#;

/// A successful GetFolder response for the Inbox.
pub(crate) fn get_folder_ok() -> String {
    format!(
        r#"{ENVELOPE_START}<m:GetFolderResponse {M_T}><m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder><t:FolderId Id="AAMkInbox" ChangeKey="AQAAAA"/><t:DisplayName>Inbox</t:DisplayName></t:Folder></m:Folders></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse>{ENVELOPE_END}"#
    )
}

/// A GetFolder response whose single message failed with `code`.
pub(crate) fn get_folder_error(code: &str, back_off_ms: Option<u64>) -> String {
    let xml = back_off_ms.map_or(String::new(), |ms| {
        format!(
            r#"<m:MessageXml><t:Value Name="BackOffMilliseconds">{ms}</t:Value></m:MessageXml>"#
        )
    });
    format!(
        r#"{ENVELOPE_START}<m:GetFolderResponse {M_T}><m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>{code} from the test server</m:MessageText><m:ResponseCode>{code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>{xml}</m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse>{ENVELOPE_END}"#
    )
}

/// A SOAP fault with an EWS code, and `BackOffMilliseconds` when given (send with 500).
pub(crate) fn fault(code: &str, text: &str, back_off_ms: Option<u64>) -> String {
    let xml = back_off_ms.map_or(String::new(), |ms| {
        format!(
            r#"<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">{ms}</t:Value></t:MessageXml>"#
        )
    });
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:{code}</faultcode><faultstring xml:lang="en-US">{text}</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">{code}</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">{text}</e:Message>{xml}</detail></s:Fault></s:Body></s:Envelope>"#
    )
}

/// An `ErrorServerBusy` fault asking for `ms` milliseconds.
pub(crate) fn busy_fault(ms: u64) -> String {
    fault(
        "ErrorServerBusy",
        "The server cannot service this request right now. Try again later.",
        Some(ms),
    )
}
