//! Out-of-office settings (`UserOofSettings`), read with GetUserOofSettings and written with
//! SetUserOofSettings. Unlike free/busy times, the scheduled window's times are instants (UTC).

use jiff::Timestamp;

use crate::error::Result;
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, open_enum, xml_sequence};

open_enum! {
    /// Whether automatic replies are sent.
    pub enum OofState {
        /// Off.
        Disabled = "Disabled",
        /// On until turned off.
        Enabled = "Enabled",
        /// On during the scheduled [`OofDuration`] only.
        Scheduled = "Scheduled",
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for OofState {
    fn default() -> Self {
        OofState::Disabled
    }
}

open_enum! {
    /// Which senders outside the organization get the external reply.
    pub enum ExternalAudience {
        /// No one outside the organization.
        Nobody = "None",
        /// Only senders in the user's contacts.
        Known = "Known",
        /// Every external sender.
        All = "All",
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for ExternalAudience {
    fn default() -> Self {
        ExternalAudience::Nobody
    }
}

xml_sequence! {
    element
    /// The scheduled out-of-office window (the schema's `Duration`), in UTC.
    pub struct OofDuration in Types "t:" {
        /// Start.
        req start_time: Timestamp = "StartTime";
        /// End.
        req end_time: Timestamp = "EndTime";
    }
}

impl OofDuration {
    /// The window from `start` to `end`.
    pub fn new(start: Timestamp, end: Timestamp) -> Self {
        OofDuration {
            start_time: start,
            end_time: end,
        }
    }

    /// Whether `at` is within the window (start inclusive, end exclusive).
    pub fn contains(&self, at: Timestamp) -> bool {
        self.start_time <= at && at < self.end_time
    }
}

/// An automatic reply: its text (HTML or plain) and, optionally, its language (`xml:lang`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplyBody {
    /// The language of the reply, such as `en-US`.
    pub lang: Option<String>,
    /// The reply text.
    pub message: Option<String>,
}

impl ReplyBody {
    /// A reply with this text.
    pub fn new(message: impl Into<String>) -> Self {
        ReplyBody {
            lang: None,
            message: Some(message.into()),
        }
    }
}

impl XmlElement for ReplyBody {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr_opt("xml:lang", self.lang.as_deref())
            .close();
        if let Some(message) = &self.message {
            message.write_element(w, "t:Message");
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut reply = ReplyBody {
            lang: start.attr("lang")?.map(|l| l.into_owned()),
            message: None,
        };
        r.children(start, |r, child| {
            if child.ns() != crate::xml::Ns::Types || child.local_name() != "Message" {
                return Ok(false);
            }
            reply.message = Some(r.read_text(child)?);
            Ok(true)
        })?;
        Ok(reply)
    }
}

xml_sequence! {
    element
    /// A mailbox's out-of-office settings.
    pub struct UserOofSettings in Types "t:" {
        /// On, off or scheduled.
        req oof_state: OofState = "OofState";
        /// Who outside the organization gets the external reply.
        req external_audience: ExternalAudience = "ExternalAudience";
        /// The window, for [`OofState::Scheduled`].
        opt duration: OofDuration = "Duration";
        /// The reply to senders inside the organization.
        opt internal_reply: ReplyBody = "InternalReply";
        /// The reply to senders outside it.
        opt external_reply: ReplyBody = "ExternalReply";
        /// The reply to meeting requests declined while away (Exchange 2016 and later).
        opt decline_meeting_reply: ReplyBody = "DeclineMeetingReply";
        /// Whether to decline meetings that fall in the scheduled window.
        opt decline_events_for_scheduled_oof: bool = "DeclineEventsForScheduledOOF";
        /// Whether to decline every meeting in the scheduled window, including existing ones.
        opt decline_all_events_for_scheduled_oof: bool = "DeclineAllEventsForScheduledOOF";
        /// Whether to put an out-of-office event on the calendar.
        opt create_oof_event: bool = "CreateOOFEvent";
        /// The subject of that event.
        opt oof_event_subject: String = "OOFEventSubject";
        /// Whether to decline new meeting requests while away.
        opt auto_decline_future_requests_when_oof: bool = "AutoDeclineFutureRequestsWhenOOF";
        /// The id of the out-of-office event.
        opt oof_event_id: String = "OOFEventID";
        /// Events to delete when the settings are saved.
        list events_to_delete_ids: String = "EventsToDeleteIDs" / "EventToDeleteID";
    }
}

impl UserOofSettings {
    /// Replies on from `start` to `end`, with one reply for everyone (external senders: all).
    pub fn scheduled(start: Timestamp, end: Timestamp, reply: impl Into<String>) -> Self {
        let reply = ReplyBody::new(reply);
        UserOofSettings {
            oof_state: OofState::Scheduled,
            external_audience: ExternalAudience::All,
            duration: Some(OofDuration::new(start, end)),
            internal_reply: Some(reply.clone()),
            external_reply: Some(reply),
            ..UserOofSettings::default()
        }
    }

    /// Replies off.
    pub fn disabled() -> Self {
        UserOofSettings::default()
    }

    /// Whether automatic replies go out at `at`: always when enabled, within the window when scheduled.
    pub fn is_active_at(&self, at: Timestamp) -> bool {
        match self.oof_state {
            OofState::Enabled => true,
            OofState::Scheduled => self.duration.as_ref().is_some_and(|d| d.contains(at)),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn scheduled_replies_are_active_inside_the_window_only() {
        let settings = UserOofSettings::scheduled(
            at("2026-12-21T17:00:00Z"),
            at("2027-01-04T08:00:00Z"),
            "Back on 4 January.",
        );
        assert!(!settings.is_active_at(at("2026-12-21T16:59:59Z")));
        assert!(settings.is_active_at(at("2026-12-21T17:00:00Z")));
        assert!(!settings.is_active_at(at("2027-01-04T08:00:00Z")));
        assert!(!UserOofSettings::disabled().is_active_at(at("2026-12-25T12:00:00Z")));
    }
}
