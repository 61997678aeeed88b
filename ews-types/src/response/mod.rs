//! Response messages: the per-item result of every EWS operation.
//!
//! Each input of a request (each item id, each folder) gets its own response message with a
//! [`ResponseClass`]. An operation can succeed as a whole while single messages fail, so check every
//! message: [`ResponseMessage::into_result`] turns one into `Ok(body)` or a [`ResponseError`] value.

mod code;

pub use code::ResponseCode;

use std::time::Duration;

use crate::error::Result;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter, open_enum};

open_enum! {
    /// The outcome of one response message.
    pub enum ResponseClass {
        /// The request for this item succeeded.
        Success = "Success",
        /// It succeeded with a caveat (ResolveNames returns this for ambiguous names).
        Warning = "Warning",
        /// It failed; the message's code and text say why.
        Error = "Error",
    }
}

/// One element of `MessageXml`: additional, code-specific details of an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageXmlEntry {
    /// The element's local name (`Value`, `LineNumber`, `Violation`, `FieldURI`...).
    pub name: String,
    /// Its unprefixed attributes, in document order (for example `Name="BackOffMilliseconds"`);
    /// prefixed ones (`xml:lang`) are not kept.
    pub attributes: Vec<(String, String)>,
    /// Its text content.
    pub text: String,
}

/// The `MessageXml` of a response message or SOAP fault: details such as `BackOffMilliseconds` for
/// `ErrorServerBusy` or the line and position of an `ErrorSchemaValidation`.
///
/// Entries keep the element name, attributes and text of each child; nested content is reduced to text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageXml {
    /// The child elements, in document order.
    pub entries: Vec<MessageXmlEntry>,
}

impl MessageXml {
    /// The text of the first `<Value Name="NAME">` entry.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| {
                e.name == "Value" && e.attributes.iter().any(|(k, v)| k == "Name" && v == name)
            })
            .map(|e| e.text.as_str())
    }

    /// The text of the first entry with the given element name (`LineNumber`, `Violation`...).
    pub fn entry(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.text.as_str())
    }

    /// `BackOffMilliseconds` as a duration, when the server sent one.
    pub fn back_off(&self) -> Option<Duration> {
        self.value("BackOffMilliseconds")?
            .trim()
            .parse::<u64>()
            .ok()
            .map(Duration::from_millis)
    }
}

impl XmlElement for MessageXml {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        for entry in &self.entries {
            let tag = format!("t:{}", entry.name);
            w.open(&tag);
            for (k, v) in &entry.attributes {
                w.attr(k, v);
            }
            if entry.text.is_empty() {
                w.close_empty();
            } else {
                w.close();
                w.text(&entry.text);
                w.end(&tag);
            }
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut xml = MessageXml::default();
        r.children(start, |r, child| {
            let attributes = child.unprefixed_attributes()?;
            let text = r.read_text(child)?;
            xml.entries.push(MessageXmlEntry {
                name: child.local_name().to_owned(),
                attributes,
                text,
            });
            Ok(true)
        })?;
        Ok(xml)
    }
}

/// Why a response message failed: its class, code, text and details, as the server sent them.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {}", code.as_ref().map(ResponseCode::as_str).unwrap_or("no response code"), text.as_deref().unwrap_or(""))]
pub struct ResponseError {
    /// The class (normally [`ResponseClass::Error`]).
    pub class: ResponseClass,
    /// The response code.
    pub code: Option<ResponseCode>,
    /// The server's human-readable message.
    pub text: Option<String>,
    /// `DescriptiveLinkKey` (unused by current servers; usually 0).
    pub descriptive_link_key: Option<i32>,
    /// Code-specific details.
    pub message_xml: Option<MessageXml>,
}

impl ResponseError {
    /// The back-off the server asked for (`ErrorServerBusy`), if any.
    pub fn back_off(&self) -> Option<Duration> {
        self.message_xml.as_ref()?.back_off()
    }
}

/// The content of one kind of response message, beyond the common header.
///
/// Implemented by each operation's message body (for example the `Items` of a GetItem message).
pub trait ResponseBody: XmlSequence + Default {
    /// The response message element, e.g. `GetItemResponseMessage`.
    const MESSAGE: &'static str;
    /// The response element, e.g. `GetItemResponse`.
    const RESPONSE: &'static str;

    /// How many items this message holds (a sync change counts its item); used by summaries.
    fn item_count(&self) -> usize {
        0
    }

    /// How many folders this message holds (a sync change counts its folder); used by summaries.
    fn folder_count(&self) -> usize {
        0
    }
}

/// One response message: the common header plus the operation-specific body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseMessage<B> {
    /// Success, Warning or Error.
    pub class: Option<ResponseClass>,
    /// The server's message text (present on errors).
    pub text: Option<String>,
    /// The response code (`NoError` on success).
    pub code: Option<ResponseCode>,
    /// `DescriptiveLinkKey`.
    pub descriptive_link_key: Option<i32>,
    /// Code-specific details, such as `BackOffMilliseconds`.
    pub message_xml: Option<MessageXml>,
    /// The operation-specific content. On an Error message it is whatever the server sent (often
    /// empty or meaningless: an Error `SyncFolderItems` message may carry an empty `SyncState`), so prefer
    /// [`into_result`](Self::into_result), which only yields it for Success and Warning.
    pub body: B,
}

impl<B> ResponseMessage<B> {
    /// A successful message with `body`.
    pub fn success(body: B) -> Self {
        ResponseMessage {
            class: Some(ResponseClass::Success),
            text: None,
            code: Some(ResponseCode::NoError),
            descriptive_link_key: None,
            message_xml: None,
            body,
        }
    }

    /// An error message with its code and text, and a default body.
    pub fn error(code: ResponseCode, text: impl Into<String>) -> Self
    where
        B: Default,
    {
        ResponseMessage {
            class: Some(ResponseClass::Error),
            text: Some(text.into()),
            code: Some(code),
            descriptive_link_key: Some(0),
            message_xml: None,
            body: B::default(),
        }
    }

    /// The class, defaulting to Success when a server omits it (the attribute is required).
    pub fn class(&self) -> ResponseClass {
        self.class.clone().unwrap_or(ResponseClass::Success)
    }

    /// Whether this message succeeded (Success or Warning).
    pub fn is_success(&self) -> bool {
        !matches!(self.class(), ResponseClass::Error)
    }

    /// The error of this message, if it failed.
    pub fn error_value(&self) -> Option<ResponseError> {
        if self.is_success() {
            return None;
        }
        Some(ResponseError {
            class: self.class(),
            code: self.code.clone(),
            text: self.text.clone(),
            descriptive_link_key: self.descriptive_link_key,
            message_xml: self.message_xml.clone(),
        })
    }

    /// The body for Success and Warning messages, the error otherwise.
    pub fn into_result(self) -> std::result::Result<B, ResponseError> {
        match self.error_value() {
            Some(error) => Err(error),
            None => Ok(self.body),
        }
    }
}

impl<B: ResponseBody> ResponseMessage<B> {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        let tag = format!("m:{}", B::MESSAGE);
        w.open(&tag)
            .attr_opt(
                "ResponseClass",
                self.class.as_ref().map(ResponseClass::as_str),
            )
            .close();
        self.text.write_opt(w, "m:MessageText");
        self.code.write_opt(w, "m:ResponseCode");
        self.descriptive_link_key
            .write_opt(w, "m:DescriptiveLinkKey");
        self.message_xml.write_opt(w, "m:MessageXml");
        self.body.write_children(w);
        w.end(&tag);
    }

    pub(crate) fn read<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut message: ResponseMessage<B> = ResponseMessage {
            class: start
                .attr("ResponseClass")?
                .map(|c| ResponseClass::from_wire(&c)),
            ..ResponseMessage::default()
        };
        r.children(start, |r, child| {
            if child.ns() == Ns::Messages {
                match child.local_name() {
                    "MessageText" => {
                        message.text = Some(String::read_element(r, child)?);
                        return Ok(true);
                    }
                    "ResponseCode" => {
                        message.code = Some(ResponseCode::read_element(r, child)?);
                        return Ok(true);
                    }
                    "DescriptiveLinkKey" => {
                        message.descriptive_link_key = Some(i32::read_element(r, child)?);
                        return Ok(true);
                    }
                    "MessageXml" => {
                        message.message_xml = Some(MessageXml::read_element(r, child)?);
                        return Ok(true);
                    }
                    _ => {}
                }
            }
            message.body.read_child(r, child)
        })?;
        Ok(message)
    }
}

/// The standard response of an operation: one message per input.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseMessages<B> {
    /// The messages, in the order of the request's inputs.
    pub messages: Vec<ResponseMessage<B>>,
}

impl<B> ResponseMessages<B> {
    /// A response holding the given messages.
    pub fn new(messages: Vec<ResponseMessage<B>>) -> Self {
        ResponseMessages { messages }
    }

    /// Bodies of the successful messages and errors of the failed ones, in order.
    pub fn into_results(self) -> Vec<std::result::Result<B, ResponseError>> {
        self.messages
            .into_iter()
            .map(ResponseMessage::into_result)
            .collect()
    }
}

impl<B: ResponseBody> XmlElement for ResponseMessages<B> {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        w.open("m:ResponseMessages").close();
        for message in &self.messages {
            message.write(w);
        }
        w.end("m:ResponseMessages");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut messages = Vec::new();
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages || child.local_name() != "ResponseMessages" {
                return Ok(false);
            }
            r.children(child, |r, message| {
                if message.ns() != Ns::Messages {
                    return Ok(false);
                }
                messages.push(ResponseMessage::read(r, message)?);
                Ok(true)
            })?;
            Ok(true)
        })?;
        Ok(ResponseMessages { messages })
    }
}

/// Writing an optional element: a small helper used by hand-written serializers.
pub(crate) trait WriteOpt {
    fn write_opt(&self, w: &mut XmlWriter, name: &str);
}

impl<T: XmlElement> WriteOpt for Option<T> {
    fn write_opt(&self, w: &mut XmlWriter, name: &str) {
        if let Some(value) = self {
            value.write_element(w, name);
        }
    }
}
