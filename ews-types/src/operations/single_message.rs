//! The lone `ResponseMessage` of the availability service's responses (GetUserAvailability's per-attendee
//! and suggestion results, Get/SetUserOofSettings), which stand outside any `ResponseMessages` list.

use crate::response::ResponseMessage;

// Never part of a `ResponseMessages` list, so it has no response element of its own.
super::empty_body!(NoContent, "ResponseMessage", "");

/// A `ResponseMessage` element that carries only the common header (class, code, text, details).
pub type SingleResponseMessage = ResponseMessage<NoContent>;
