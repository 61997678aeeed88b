//! Reading the codes of the response messages of *any* operation, so the client can see an
//! `ErrorServerBusy` or a version refusal inside a 200 response without knowing the operation's body.
//!
//! The typed parse already tells the class of every message; this second, light read runs only when
//! every message of a response failed.

use ews_types::response::{ResponseBody, ResponseError, ResponseMessages};
use ews_types::xml::{Ns, ParseLimits, Start, XmlElement, XmlReader, XmlSequence, XmlWriter};

/// A message body that keeps nothing: only the common header of each message is read.
#[derive(Debug, Default)]
struct HeaderOnly;

impl XmlSequence for HeaderOnly {
    fn write_children(&self, _: &mut XmlWriter) {}

    fn read_child<'a>(&mut self, _: &mut XmlReader<'a>, _: &Start<'a>) -> ews_types::Result<bool> {
        Ok(false)
    }
}

impl ResponseBody for HeaderOnly {
    const MESSAGE: &'static str = "ResponseMessage";
    const RESPONSE: &'static str = "Response";
}

/// The errors of the failed messages of the response envelope in `bytes`, in document order.
pub(crate) fn message_errors(bytes: &[u8], limits: ParseLimits) -> Vec<ResponseError> {
    read_messages(bytes, limits)
        .map(|messages| {
            messages
                .messages
                .iter()
                .filter_map(|m| m.error_value())
                .collect()
        })
        .unwrap_or_default()
}

fn read_messages(
    bytes: &[u8],
    limits: ParseLimits,
) -> ews_types::Result<ResponseMessages<HeaderOnly>> {
    let mut r = XmlReader::new(bytes, limits);
    let root = r.root()?;
    if root.ns() == Ns::Messages {
        return ResponseMessages::read_element(&mut r, &root);
    }
    while let Some(child) = r.next_child()? {
        if child.ns() == Ns::Soap && child.local_name() == "Body" {
            if let Some(operation) = r.next_child()? {
                return ResponseMessages::read_element(&mut r, &operation);
            }
            break;
        }
        r.skip(&child)?;
    }
    Ok(ResponseMessages::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ews_types::response::ResponseCode;

    #[test]
    fn the_codes_of_failed_messages_are_read_from_any_operation() {
        let body = br#"<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<m:FrobnicateResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
    xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
 <m:ResponseMessages>
  <m:FrobnicateResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:FrobnicateResponseMessage>
  <m:FrobnicateResponseMessage ResponseClass="Error">
   <m:MessageText>The server cannot service this request right now. Try again later.</m:MessageText>
   <m:ResponseCode>ErrorServerBusy</m:ResponseCode>
   <m:MessageXml><t:Value Name="BackOffMilliseconds">5000</t:Value></m:MessageXml>
   <m:Items><t:Message/></m:Items>
  </m:FrobnicateResponseMessage>
 </m:ResponseMessages>
</m:FrobnicateResponse></s:Body></s:Envelope>"#;
        let errors = message_errors(body, ParseLimits::default());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, Some(ResponseCode::ErrorServerBusy));
        assert_eq!(
            errors[0].back_off(),
            Some(std::time::Duration::from_millis(5000))
        );
    }

    #[test]
    fn garbage_gives_no_errors() {
        assert!(message_errors(b"<html>busy</html>", ParseLimits::default()).is_empty());
        assert!(message_errors(b"\x00\x01", ParseLimits::default()).is_empty());
    }
}
