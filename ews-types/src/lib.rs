//! A sans-IO model of Exchange Web Services (EWS): typed requests to SOAP bytes, SOAP bytes to typed
//! results.
//!
//! This crate never opens a socket. It builds the XML of a request (or a whole
//! [`http::Request`](http::Request)) and parses the XML of a response; moving bytes is the caller's job
//! (or `ews-client`'s).
//!
//! ```text
//!   typed request ──build──▶ SOAP bytes ──(your transport)──▶ Exchange
//!   typed result  ◀──parse── SOAP bytes ◀──(your transport)── Exchange
//! ```
//!
//! * Every operation is one module under [`operations`], with a request type that implements
//!   [`operations::Operation`] and names its response type.
//! * Every response message carries its own [`response::ResponseClass`]: check each one
//!   ([`response::ResponseMessage::into_result`]); a per-item error is a value, not an `Err`.
//! * Every enumeration a server fills in is `#[non_exhaustive]` with an `Unknown(String)` variant, so a
//!   new value from a newer server never fails a response; unknown item kinds become [`items::Item::Other`].
//! * Elements are written in the order the schema requires (Exchange 2010 rejects any other order).
//! * Subscriptions deliver [`operations::Notification`]s; the many-envelope body of a streaming
//!   subscription is decoded as it arrives by [`streaming::StreamingEventsDecoder`].
//! * Availability times (free/busy, suggestions) are wall-clock times in the request's time zone, not
//!   instants: see [`availability`]. Windows time zone ids map to IANA ids through [`windows_zones`],
//!   and an unknown id is an error, never UTC.
//! * Parsing is bounded ([`xml::ParseLimits`]): DTDs are refused, nesting and text size are limited, and no
//!   input can make it panic.
//! * Calendars: [`items::CalendarItem`] carries every element of the schema, meeting messages and the
//!   response objects that answer them are typed items, [`recurrence`] models and expands series (never
//!   endlessly), and [`time_zone`] converts through EWS zone definitions with skipped and repeated
//!   local times reported, never guessed.
//!
//! # Example
//!
//! ```
//! use ews_types::operations::GetFolder;
//! use ews_types::soap::{parse_response, request_envelope, ExchangeVersion, RequestHeader};
//! use ews_types::types::DistinguishedFolderName;
//!
//! let request = GetFolder::distinguished(DistinguishedFolderName::Inbox);
//! let bytes = request_envelope(&RequestHeader::new(ExchangeVersion::Exchange2010Sp2), &request);
//! assert!(bytes.starts_with(b"<?xml"));
//!
//! let answer = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
//!   <s:Body><m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
//!       xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
//!     <m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Success">
//!       <m:ResponseCode>NoError</m:ResponseCode>
//!       <m:Folders><t:Folder><t:FolderId Id="AAMk" ChangeKey="AQAA"/>
//!         <t:DisplayName>Inbox</t:DisplayName><t:UnreadCount>3</t:UnreadCount></t:Folder></m:Folders>
//!     </m:GetFolderResponseMessage></m:ResponseMessages>
//!   </m:GetFolderResponse></s:Body></s:Envelope>"#;
//! let response = parse_response::<ews_types::operations::GetFolderResponse>(answer).unwrap();
//! let folders = response.body.messages.into_iter().next().unwrap().into_result().unwrap().folders.unwrap();
//! assert_eq!(folders[0].fields.display_name.as_deref(), Some("Inbox"));
//! assert_eq!(folders[0].unread_count, Some(3));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod availability;
pub mod category_list;
mod error;
pub mod folders;
pub mod items;
pub mod operations;
pub mod recurrence;
pub mod response;
pub mod restriction;
pub mod soap;
pub mod streaming;
pub mod time_zone;
pub mod types;
pub mod windows_zones;
pub mod xml;

pub use error::{Error, Result};
