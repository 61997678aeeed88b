//! Operations beyond CRUD: calendar view, meeting responses and cancellation, free/busy, moving and
//! sending messages, mailbox settings, and the EWS id bridge.

use bytes::Bytes;
use http::Method;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{DateTimeTimeZone, Event, MailboxSettings, Message, ScheduleInformation};
use crate::request::{Graph, GraphRequest, Item, NoContent, Page, Query, json_body};

/// The most entities (users, distribution list members, rooms) one `getSchedule` may ask for.
pub const MAX_SCHEDULES: usize = 20;

/// The most ids one `translateExchangeIds` may carry.
pub const MAX_TRANSLATE_IDS: usize = 1000;

/// A reply to a meeting request (`accept`, `decline`, `tentativelyAccept`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventReply {
    /// Text for the organizer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Whether to send the response to the organizer (default true on the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_response: Option<bool>,
    /// Another time to propose to the organizer; only with `decline` and `tentativelyAccept`, and only
    /// when `send_response` is not false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_new_time: Option<TimeSlot>,
}

/// A start and an end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeSlot {
    /// Start.
    pub start: DateTimeTimeZone,
    /// End.
    pub end: DateTimeTimeZone,
}

/// A `getSchedule` query: free/busy of up to [`MAX_SCHEDULES`] mailboxes over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleQuery {
    /// SMTP addresses of users, distribution lists or rooms.
    pub schedules: Vec<String>,
    /// Period start.
    pub start: DateTimeTimeZone,
    /// Period end.
    pub end: DateTimeTimeZone,
    /// Minutes per `availabilityView` digit, 5 to 1440 (server default 30).
    pub availability_view_interval: Option<u32>,
    /// The longest period to allow, in days. Graph documents 42 in one version and 62 in another; the
    /// default, 42, is accepted by both.
    pub max_period_days: u32,
}

impl ScheduleQuery {
    /// A query with the default limits.
    pub fn new(schedules: Vec<String>, start: DateTimeTimeZone, end: DateTimeTimeZone) -> Self {
        Self {
            schedules,
            start,
            end,
            availability_view_interval: None,
            max_period_days: 42,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.schedules.is_empty() || self.schedules.len() > MAX_SCHEDULES {
            return Err(Error::InvalidRequest(format!(
                "getSchedule takes 1 to {MAX_SCHEDULES} schedules, got {}",
                self.schedules.len()
            )));
        }
        if let Some(interval) = self.availability_view_interval {
            if !(5..=1440).contains(&interval) {
                return Err(Error::InvalidRequest(format!(
                    "availabilityViewInterval must be 5 to 1440 minutes, got {interval}"
                )));
            }
        }
        let (Some(start), Some(end)) = (self.start.civil(), self.end.civil()) else {
            return Err(Error::InvalidRequest(
                "getSchedule start and end need a dateTime".into(),
            ));
        };
        if end <= start {
            return Err(Error::InvalidRequest(
                "getSchedule end must be after start".into(),
            ));
        }
        let max_end = start
            .checked_add(jiff::Span::new().days(i64::from(self.max_period_days)))
            .map_err(|error| Error::InvalidRequest(error.to_string()))?;
        if end > max_end {
            return Err(Error::InvalidRequest(format!(
                "getSchedule period must be at most {} days",
                self.max_period_days
            )));
        }
        Ok(())
    }
}

/// An id format `translateExchangeIds` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExchangeIdFormat {
    /// MAPI entry id (binary, URL-safe base64).
    EntryId,
    /// EWS id.
    EwsId,
    /// Immutable MAPI entry id (binary, URL-safe base64).
    ImmutableEntryId,
    /// Graph REST id.
    RestId,
    /// Graph immutable id.
    RestImmutableEntryId,
}

/// A `translateExchangeIds` body: ids of one format from one mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TranslateExchangeIds {
    /// Up to [`MAX_TRANSLATE_IDS`] ids.
    pub input_ids: Vec<String>,
    /// Their format.
    pub source_id_type: ExchangeIdFormat,
    /// The wanted format.
    pub target_id_type: ExchangeIdFormat,
}

/// One result of `translateExchangeIds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConvertIdResult {
    /// The input id.
    #[serde(default)]
    pub source_id: Option<String>,
    /// The translated id.
    #[serde(default)]
    pub target_id: Option<String>,
    /// Why this id could not be translated.
    #[serde(default)]
    pub error_details: Option<serde_json::Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScheduleBody<'a> {
    schedules: &'a [String],
    start_time: &'a DateTimeTimeZone,
    end_time: &'a DateTimeTimeZone,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability_view_interval: Option<u32>,
}

impl Graph {
    /// Events of the default calendar between `start` and `end`, occurrences expanded.
    pub fn calendar_view(
        &self,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
        query: &Query,
    ) -> Result<GraphRequest<Page<Event>>> {
        let mut pairs = vec![
            ("startDateTime", start.to_string()),
            ("endDateTime", end.to_string()),
        ];
        pairs.extend(query.pairs());
        self.build(
            Method::GET,
            self.mailbox_url(&["calendarView"], &pairs),
            None,
            &[],
        )
    }

    /// Cancels a meeting the user organizes and **sends cancellation notices** with `comment`. (A plain
    /// [`Graph::delete`] removes the event without telling attendees.)
    pub fn cancel_event(
        &self,
        event: &Item<Event>,
        comment: &str,
    ) -> Result<GraphRequest<NoContent>> {
        #[derive(Serialize)]
        struct Cancel<'a> {
            #[serde(rename = "Comment")]
            comment: &'a str,
        }
        self.event_action(event, "cancel", json_body(&Cancel { comment })?)
    }

    /// Accepts a meeting request.
    pub fn accept_event(
        &self,
        event: &Item<Event>,
        reply: &EventReply,
    ) -> Result<GraphRequest<NoContent>> {
        self.event_action(event, "accept", json_body(reply)?)
    }

    /// Tentatively accepts a meeting request.
    pub fn tentatively_accept_event(
        &self,
        event: &Item<Event>,
        reply: &EventReply,
    ) -> Result<GraphRequest<NoContent>> {
        self.event_action(event, "tentativelyAccept", json_body(reply)?)
    }

    /// Declines a meeting request.
    pub fn decline_event(
        &self,
        event: &Item<Event>,
        reply: &EventReply,
    ) -> Result<GraphRequest<NoContent>> {
        self.event_action(event, "decline", json_body(reply)?)
    }

    fn event_action(
        &self,
        event: &Item<Event>,
        action: &str,
        body: Bytes,
    ) -> Result<GraphRequest<NoContent>> {
        let mut segments = event.segments().to_vec();
        segments.push(action.to_owned());
        self.build(
            Method::POST,
            self.mailbox_url(&segments, &[]),
            Some(body),
            &[],
        )
    }

    /// Moves a message to another folder. The response is the message in its new folder; with
    /// immutable ids (the default) its id stays the same.
    pub fn move_message(
        &self,
        message: &Item<Message>,
        destination_folder: &str,
    ) -> Result<GraphRequest<Message>> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Move<'a> {
            destination_id: &'a str,
        }
        let mut segments = message.segments().to_vec();
        segments.push("move".to_owned());
        let body = json_body(&Move {
            destination_id: destination_folder,
        })?;
        self.build(
            Method::POST,
            self.mailbox_url(&segments, &[]),
            Some(body),
            &[],
        )
    }

    /// Sends a draft message.
    pub fn send_draft(&self, message: &Item<Message>) -> Result<GraphRequest<NoContent>> {
        let mut segments = message.segments().to_vec();
        segments.push("send".to_owned());
        self.build(
            Method::POST,
            self.mailbox_url(&segments, &[]),
            Some(Bytes::new()),
            &[],
        )
    }

    /// Free/busy of up to 20 mailboxes (works with app-only tokens).
    pub fn get_schedule(
        &self,
        query: &ScheduleQuery,
    ) -> Result<GraphRequest<Page<ScheduleInformation>>> {
        query.validate()?;
        let body = json_body(&ScheduleBody {
            schedules: &query.schedules,
            start_time: &query.start,
            end_time: &query.end,
            availability_view_interval: query.availability_view_interval,
        })?;
        let url = self.mailbox_url(&["calendar", "getSchedule"], &[]);
        self.build(Method::POST, url, Some(body), &[])
    }

    /// Reads the mailbox settings.
    pub fn get_mailbox_settings(&self) -> Result<GraphRequest<MailboxSettings>> {
        self.build(
            Method::GET,
            self.mailbox_url(&["mailboxSettings"], &[]),
            None,
            &[],
        )
    }

    /// Updates the mailbox settings that are set in `patch`.
    pub fn update_mailbox_settings(
        &self,
        patch: &MailboxSettings,
    ) -> Result<GraphRequest<MailboxSettings>> {
        let url = self.mailbox_url(&["mailboxSettings"], &[]);
        self.build(Method::PATCH, url, Some(json_body(patch)?), &[])
    }

    /// Translates ids between EWS, MAPI and Graph formats: the bridge from EWS ids to Graph ids.
    ///
    /// ```
    /// use graph_client::{Graph, api::{ExchangeIdFormat, TranslateExchangeIds}};
    /// let request = Graph::user("adele@contoso.com").translate_exchange_ids(&TranslateExchangeIds {
    ///     input_ids: vec!["AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAYbuK-AAA=".into()],
    ///     source_id_type: ExchangeIdFormat::EwsId,
    ///     target_id_type: ExchangeIdFormat::RestImmutableEntryId,
    /// }).unwrap();
    /// assert!(request.http().uri().path().ends_with("/users/adele@contoso.com/translateExchangeIds"));
    /// ```
    pub fn translate_exchange_ids(
        &self,
        body: &TranslateExchangeIds,
    ) -> Result<GraphRequest<Page<ConvertIdResult>>> {
        if body.input_ids.is_empty() || body.input_ids.len() > MAX_TRANSLATE_IDS {
            return Err(Error::InvalidRequest(format!(
                "translateExchangeIds takes 1 to {MAX_TRANSLATE_IDS} ids, got {}",
                body.input_ids.len()
            )));
        }
        let url = self.mailbox_url(&["translateExchangeIds"], &[]);
        self.build(Method::POST, url, Some(json_body(body)?), &[])
    }
}
