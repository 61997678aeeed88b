//! The SOAP envelope: building requests and reading responses (and, for servers and test doubles, the
//! other way round).
//!
//! Element names are matched by namespace URI, never by prefix. SOAP 1.1, SOAP 1.2 and the `https://`
//! spelling of the SOAP 1.1 namespace are all accepted. A response without a `Header` is normal.

mod fault;
mod headers;

pub use fault::SoapFault;
pub use headers::{
    DateTimePrecision, ExchangeVersion, Impersonation, RequestHeader, ServerVersionInfo,
};

use bytes::Bytes;

use crate::error::{Error, Result};
use crate::operations::{Operation, OperationResponse};
use crate::xml::{
    MESSAGES_NS, Ns, ParseLimits, SOAP11_NS, Start, TYPES_NS, XmlElement, XmlReader, XmlWriter,
};

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

/// A parsed response: the server's version header and the operation's typed response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseEnvelope<R> {
    /// `ServerVersionInfo` from the SOAP header, when the server sent one.
    pub server_version: Option<ServerVersionInfo>,
    /// The operation's response.
    pub body: R,
}

/// Writes `element` under `name`, with the `m:` and `t:` namespace declarations on its start tag, so the
/// result stands alone (as the SOAP Body's child does when validated against `messages.xsd`).
fn standalone(element: &impl XmlElement, name: &str) -> Vec<u8> {
    let mut w = XmlWriter::new();
    element.write_element(&mut w, name);
    let mut bytes = w.into_bytes();
    let declarations = format!(" xmlns:m=\"{MESSAGES_NS}\" xmlns:t=\"{TYPES_NS}\"");
    let at = 1 + name.len();
    bytes.splice(at..at, declarations.bytes());
    bytes
}

/// The operation element alone (the SOAP Body's child), with its namespace declarations.
pub fn request_body<O: Operation>(operation: &O) -> Vec<u8> {
    standalone(operation, &format!("m:{}", O::NAME))
}

/// The response element alone (the SOAP Body's child), with its namespace declarations.
pub fn response_body<R: OperationResponse>(response: &R) -> Vec<u8> {
    standalone(response, &format!("m:{}", R::NAME))
}

fn envelope(
    header: impl FnOnce(&mut XmlWriter) -> bool,
    body: impl FnOnce(&mut XmlWriter),
) -> Vec<u8> {
    let mut w = XmlWriter::new();
    w.raw(XML_DECLARATION);
    w.open("s:Envelope")
        .attr("xmlns:s", SOAP11_NS)
        .attr("xmlns:m", MESSAGES_NS)
        .attr("xmlns:t", TYPES_NS)
        .close();
    let mut header_writer = XmlWriter::new();
    if header(&mut header_writer) {
        w.raw("<s:Header>");
        w.raw(std::str::from_utf8(&header_writer.into_bytes()).unwrap_or_default());
        w.raw("</s:Header>");
    }
    w.raw("<s:Body>");
    body(&mut w);
    w.raw("</s:Body></s:Envelope>");
    w.into_bytes()
}

/// A complete SOAP request envelope for `operation`.
///
/// ```
/// use ews_types::operations::GetFolder;
/// use ews_types::soap::{request_envelope, ExchangeVersion, Impersonation, RequestHeader};
/// use ews_types::types::DistinguishedFolderName;
///
/// let header = RequestHeader::new(ExchangeVersion::Exchange2010Sp2)
///     .impersonating(Impersonation::PrimarySmtpAddress("alice@contoso.com".into()));
/// let request = GetFolder::distinguished(DistinguishedFolderName::Inbox);
/// let xml = String::from_utf8(request_envelope(&header, &request)).unwrap();
/// assert!(xml.contains(r#"<t:RequestServerVersion Version="Exchange2010_SP2"/>"#));
/// assert!(xml.contains("<m:GetFolder>"));
/// ```
pub fn request_envelope<O: Operation>(header: &RequestHeader, operation: &O) -> Vec<u8> {
    envelope(
        |w| {
            header.write(w);
            !header.is_empty()
        },
        |w| operation.write_element(w, &format!("m:{}", O::NAME)),
    )
}

/// An HTTP request for `operation` to the EWS endpoint `url` (`https://host/EWS/Exchange.asmx`).
///
/// Sets `Content-Type: text/xml; charset=utf-8` and, when impersonating by SMTP address, the
/// `X-AnchorMailbox` header that Exchange Online needs for routing. Authentication is the transport's
/// business.
pub fn http_request<O: Operation>(
    url: &str,
    header: &RequestHeader,
    operation: &O,
) -> Result<http::Request<Bytes>> {
    let mut builder = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "text/xml; charset=utf-8")
        .header(http::header::ACCEPT, "text/xml");
    if let Some(anchor) = header
        .impersonation
        .as_ref()
        .and_then(Impersonation::smtp_address)
    {
        builder = builder.header("X-AnchorMailbox", anchor);
    }
    operation.validate()?;
    builder
        .body(Bytes::from(request_envelope(header, operation)))
        .map_err(|e| {
            Error::InvalidRequest(format!("cannot build the HTTP request for {url:?}: {e}"))
        })
}

/// A complete SOAP response envelope (for servers and test doubles).
pub fn response_envelope<R: OperationResponse>(
    server_version: Option<&ServerVersionInfo>,
    response: &R,
) -> Vec<u8> {
    envelope(
        |w| match server_version {
            Some(info) => {
                info.write_element(w, "t:ServerVersionInfo");
                true
            }
            None => false,
        },
        |w| response.write_element(w, &format!("m:{}", R::NAME)),
    )
}

/// A SOAP fault envelope (for servers and test doubles; send it with HTTP status 500).
pub fn fault_envelope(fault: &SoapFault) -> Vec<u8> {
    envelope(|_| false, |w| fault.write(w))
}

/// Reads the envelope, the header with `on_header`, and returns the Body's single child (or the root
/// itself when it is an EWS element without an envelope), with whether there was an envelope.
fn open_body<'a>(
    r: &mut XmlReader<'a>,
    mut on_header: impl FnMut(&mut XmlReader<'a>, &Start<'a>) -> Result<bool>,
) -> Result<(Start<'a>, bool)> {
    let root = r.root()?;
    // A bare operation element (no envelope), as documentation samples and standalone bodies have it.
    if root.ns() == Ns::Messages {
        return Ok((root, false));
    }
    if root.ns() != Ns::Soap || root.local_name() != "Envelope" {
        return Err(root.unexpected("a SOAP <Envelope>"));
    }
    while let Some(child) = r.next_child()? {
        match (child.ns(), child.local_name()) {
            (Ns::Soap, "Header") => r.children(&child, &mut on_header)?,
            (Ns::Soap, "Body") => {
                let Some(content) = r.next_child()? else {
                    return Err(Error::missing("operation element", "Body"));
                };
                if content.ns() == Ns::Soap && content.local_name() == "Fault" {
                    return Err(Error::SoapFault(Box::new(SoapFault::read(r, &content)?)));
                }
                return Ok((content, true));
            }
            _ => r.skip(&child)?,
        }
    }
    Err(Error::missing("Body", "Envelope"))
}

/// After the Body's child `content` has been read: nothing but whitespace, comments and the closing
/// `Body` and `Envelope` tags may follow (for a bare element, nothing but whitespace and comments).
fn close_body(r: &mut XmlReader<'_>, content: &str, enveloped: bool) -> Result<()> {
    if !enveloped {
        return r.expect_eof(content);
    }
    r.expect_end(content)?;
    r.expect_end("Body")?;
    r.expect_eof("Envelope")
}

/// Parses a response envelope for the operation whose response type is `R`, with default limits.
///
/// A SOAP fault becomes [`Error::SoapFault`]. Per-item errors are values inside the response.
pub fn parse_response<R: OperationResponse>(bytes: &[u8]) -> Result<ResponseEnvelope<R>> {
    parse_response_with_limits(bytes, ParseLimits::default())
}

/// [`parse_response`] with explicit limits.
pub fn parse_response_with_limits<R: OperationResponse>(
    bytes: &[u8],
    limits: ParseLimits,
) -> Result<ResponseEnvelope<R>> {
    let mut r = XmlReader::new(bytes, limits);
    let mut server_version = None;
    let (body, enveloped) = open_body(&mut r, |r, child| {
        if child.local_name() == "ServerVersionInfo" {
            server_version = Some(ServerVersionInfo::read_element(r, child)?);
            return Ok(true);
        }
        Ok(false)
    })?;
    if body.ns() != Ns::Messages {
        return Err(body.unexpected(&format!("<{}> in {MESSAGES_NS}", R::NAME)));
    }
    if body.local_name() != R::NAME {
        return Err(Error::WrongOperation {
            expected: R::NAME,
            found: body.local_name().to_owned(),
        });
    }
    let response = R::read_element(&mut r, &body)?;
    close_body(&mut r, R::NAME, enveloped)?;
    Ok(ResponseEnvelope {
        server_version,
        body: response,
    })
}

/// Parses the body of an HTTP response from an EWS endpoint.
///
/// Status 200 and 500 carry SOAP (500 usually a fault); any other status is reported as
/// [`Error::HttpStatus`] with a short excerpt of the body, since it is not EWS talking (a proxy, IIS, a
/// login page).
pub fn parse_http_response<R: OperationResponse>(
    response: &http::Response<Bytes>,
) -> Result<ResponseEnvelope<R>> {
    let status = response.status();
    if status != http::StatusCode::OK && status != http::StatusCode::INTERNAL_SERVER_ERROR {
        return Err(Error::HttpStatus {
            status: status.as_u16(),
            excerpt: excerpt(response.body()),
        });
    }
    parse_response(response.body())
}

/// The first 200 characters of a body, on one line, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(800)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(200).collect()
}

/// Parses a request envelope (for servers and test doubles): its header and the typed operation.
pub fn parse_request<O: Operation>(bytes: &[u8]) -> Result<(RequestHeader, O)> {
    let mut r = XmlReader::new(bytes, ParseLimits::default());
    let mut header = RequestHeader::default();
    let (body, enveloped) = open_body(&mut r, |r, child| header.read_header(r, child))?;
    if body.ns() != Ns::Messages {
        return Err(body.unexpected(&format!("<{}> in {MESSAGES_NS}", O::NAME)));
    }
    if body.local_name() != O::NAME {
        return Err(Error::WrongOperation {
            expected: O::NAME,
            found: body.local_name().to_owned(),
        });
    }
    let operation = O::read_element(&mut r, &body)?;
    close_body(&mut r, O::NAME, enveloped)?;
    Ok((header, operation))
}

/// The local name of the SOAP Body's child (the operation or response element), or the fault.
///
/// Servers use this to route a request; [`crate::operations::AnyResponse`] uses it to pick a parser.
pub fn body_element_name(bytes: &[u8]) -> Result<String> {
    let mut r = XmlReader::new(bytes, ParseLimits::default());
    let (body, _) = open_body(&mut r, |_, _| Ok(false))?;
    if body.ns() != Ns::Messages {
        return Err(body.unexpected(&format!("an EWS element in {MESSAGES_NS}")));
    }
    Ok(body.local_name().to_owned())
}
