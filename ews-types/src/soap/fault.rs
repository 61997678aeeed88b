//! SOAP faults: how EWS reports request-level errors, usually with HTTP status 500.

use std::time::Duration;

use crate::error::Result;
use crate::response::{MessageXml, ResponseCode};
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter};

/// A SOAP fault, with the EWS details from its `detail` element.
///
/// `ErrorSchemaValidation` faults carry the line and position in [`SoapFault::message_xml`];
/// `ErrorServerBusy` faults carry `BackOffMilliseconds` (see [`SoapFault::back_off`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SoapFault {
    /// `faultcode` (SOAP 1.1) or `Code/Value` (SOAP 1.2), for example `a:ErrorSchemaValidation`.
    pub fault_code: String,
    /// `faultstring` (SOAP 1.1) or `Reason/Text` (SOAP 1.2): the server's explanation.
    pub fault_string: String,
    /// `faultactor`, when present.
    pub fault_actor: Option<String>,
    /// The EWS `ResponseCode` from the detail.
    pub response_code: Option<ResponseCode>,
    /// The EWS `Message` from the detail.
    pub message: Option<String>,
    /// The EWS `MessageXml` from the detail.
    pub message_xml: Option<MessageXml>,
}

impl SoapFault {
    /// The back-off the server asked for (`BackOffMilliseconds`), if any.
    pub fn back_off(&self) -> Option<Duration> {
        self.message_xml.as_ref()?.back_off()
    }

    /// The response code, from the detail or else from the fault code (`a:ErrorXxx`).
    pub fn code(&self) -> ResponseCode {
        if let Some(code) = &self.response_code {
            return code.clone();
        }
        let local = self
            .fault_code
            .rsplit(':')
            .next()
            .unwrap_or(&self.fault_code);
        ResponseCode::from_wire(local)
    }

    /// Writes the fault as a SOAP 1.1 `Fault` element (for servers and test doubles).
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.open("s:Fault").close();
        w.open("faultcode")
            .attr("xmlns:a", crate::xml::TYPES_NS)
            .close();
        w.text(&self.fault_code);
        w.end("faultcode");
        w.text_element("faultstring", &self.fault_string);
        if let Some(actor) = &self.fault_actor {
            w.text_element("faultactor", actor);
        }
        w.open("detail").close();
        if let Some(code) = &self.response_code {
            w.open("e:ResponseCode")
                .attr("xmlns:e", crate::xml::ERRORS_NS)
                .close();
            w.text(code.as_str());
            w.end("e:ResponseCode");
        }
        if let Some(message) = &self.message {
            w.open("e:Message")
                .attr("xmlns:e", crate::xml::ERRORS_NS)
                .close();
            w.text(message);
            w.end("e:Message");
        }
        if let Some(xml) = &self.message_xml {
            xml.write_element(w, "t:MessageXml");
        }
        w.end("detail");
        w.end("s:Fault");
    }

    pub(crate) fn read<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut fault = SoapFault::default();
        r.children(start, |r, child| {
            match child.local_name() {
                "faultcode" => fault.fault_code = r.read_text(child)?.trim().to_owned(),
                "faultstring" => fault.fault_string = r.read_text(child)?,
                "faultactor" => fault.fault_actor = Some(r.read_text(child)?),
                // SOAP 1.2
                "Code" => r.children(child, |r, value| {
                    if value.local_name() == "Value" && fault.fault_code.is_empty() {
                        fault.fault_code = r.read_text(value)?.trim().to_owned();
                        return Ok(true);
                    }
                    Ok(false)
                })?,
                "Reason" => r.children(child, |r, text| {
                    if text.local_name() == "Text" && fault.fault_string.is_empty() {
                        fault.fault_string = r.read_text(text)?;
                        return Ok(true);
                    }
                    Ok(false)
                })?,
                "detail" | "Detail" => r.children(child, |r, detail| {
                    match (detail.ns(), detail.local_name()) {
                        (Ns::Errors | Ns::Types | Ns::Messages, "ResponseCode") => {
                            fault.response_code = Some(ResponseCode::read_element(r, detail)?)
                        }
                        (Ns::Errors | Ns::Types | Ns::Messages, "Message") => {
                            fault.message = Some(r.read_text(detail)?)
                        }
                        (Ns::Errors | Ns::Types | Ns::Messages, "MessageXml") => {
                            fault.message_xml = Some(MessageXml::read_element(r, detail)?)
                        }
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(fault)
    }
}
