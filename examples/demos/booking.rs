//! Booking a meeting the way a CRM does it through EWS, acting for each mailbox with a service
//! account (impersonation):
//!
//! 1. **Free/busy** of the organizer and two attendees over one working day (GetUserAvailability), and
//!    the first slot free for all three.
//! 2. **Book** the meeting there (CreateItem, `SendToAllAndSaveCopy`) with the attendees and an online
//!    meeting URL in its location and body.
//! 3. **Reschedule** it to the next common free slot (UpdateItem of `Start` and `End` with the change key
//!    from step 2, `SendToAllAndSaveCopy`).
//! 4. **Cancel** it with notices (DeleteItem, `SendMeetingCancellations=SendToAllAndSaveCopy`).
//!
//! After steps 2 to 4, each attendee's mailbox is read back (FindItem and GetItem on the Inbox, a
//! CalendarView of the day): what arrived in the Inbox since the previous step, and the meeting as it
//! now stands in their calendar.
//!
//! [`start_simulator`] starts a simulated Exchange with these mailboxes, [`service_client`] connects
//! to it as the service account and [`seed_calendars`] gives the mailboxes the appointments the
//! free/busy step finds; [`run`] is the whole walk-through, and its [`BookingReport`] prints as
//! tables.
//!
//! ```no_run
//! use examples::demos::booking::{self, Booking};
//!
//! # async fn demo() -> examples::demos::Result<()> {
//! let booking = Booking::example();
//! let sim = booking::start_simulator(&booking).await?;
//! let client = booking::service_client(&sim, booking::simulator_transport(&sim)?)?;
//! booking::seed_calendars(&client, &booking).await?;
//! let report = booking::run(&client, &booking).await?;
//! print!("{report}");
//! # Ok(())
//! # }
//! ```

use std::collections::HashSet;
use std::fmt;

use ews_client::{
    ClientBuilder, Clock, Credentials, EwsClient, HyperTransport, Mailbox, TokioClock, Transport,
};
use ews_types::availability::{FreeBusyViewType, MailboxData, SerializableTimeZone, TimeWindow};
use ews_types::items::{Attendee, CalendarItem, Item, LegacyFreeBusyStatus};
use ews_types::operations::{
    CreateItem, DeleteItem, DeleteType, FieldUpdate, FindItem, GetUserAvailability, ItemUpdate,
    Operation, SendMeetingNotices, SendMeetingUpdates, UpdateItem,
};
use ews_types::response::ResponseMessages;
use ews_types::types::{
    BaseShape, Body, DistinguishedFolderName, EmailAddress, ItemId, ItemShape, PropertyPath,
};
use exchange_sim::Simulator;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::table::Table;
use super::{Error, Result};

/// The service account of the simulator [`start_simulator`] starts.
pub const SERVICE_ACCOUNT: &str = "svc-booking@contoso.example";

/// The service account's password.
pub const SERVICE_PASSWORD: &str = "booking-service-secret";

/// What to book, for whom, and where to look for a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// The organizer's SMTP address.
    pub organizer: String,
    /// The attendees' SMTP addresses.
    pub attendees: Vec<String>,
    /// The meeting's subject.
    pub subject: String,
    /// The online meeting's join URL (from the conferencing service the CRM uses).
    pub join_url: String,
    /// The day to book on.
    pub day: Date,
    /// The IANA zone of the working day (`Europe/London`); the meeting is created in its Windows zone.
    pub zone: String,
    /// The working day, start and end, in `zone`.
    pub working_hours: (Time, Time),
    /// The meeting's length in minutes.
    pub minutes: i64,
}

impl Booking {
    /// The walk-through's booking: Olivia meets Alice and Bob for an hour on Tuesday 8 June 2027 in
    /// London, between 09:00 and 17:00.
    pub fn example() -> Self {
        Booking {
            organizer: "olivia@contoso.example".into(),
            attendees: vec!["alice@contoso.example".into(), "bob@contoso.example".into()],
            subject: "Renewal kickoff".into(),
            join_url: "https://meet.contoso.example/j/4711-renewal".into(),
            day: jiff::civil::date(2027, 6, 8),
            zone: "Europe/London".into(),
            working_hours: (Time::constant(9, 0, 0, 0), Time::constant(17, 0, 0, 0)),
            minutes: 60,
        }
    }

    /// The organizer and the attendees, in that order.
    pub fn mailboxes(&self) -> Vec<&str> {
        std::iter::once(self.organizer.as_str())
            .chain(self.attendees.iter().map(String::as_str))
            .collect()
    }

    fn time_zone(&self) -> Result<TimeZone> {
        TimeZone::get(&self.zone).map_err(|e| {
            Error::Time(format!(
                "the zone {} is not in this system's time zone database: {e}",
                self.zone
            ))
        })
    }

    fn window(&self) -> (DateTime, DateTime) {
        (
            self.day.to_datetime(self.working_hours.0),
            self.day.to_datetime(self.working_hours.1),
        )
    }
}

/// The appointments the simulator's mailboxes start with, so free/busy has something to show: (mailbox,
/// subject, start, end) in the booking's zone on its day.
pub fn existing_appointments(booking: &Booking) -> Vec<(String, String, Time, Time)> {
    let at = |h: i8, m: i8| Time::constant(h, m, 0, 0);
    let mut seeds = vec![(
        booking.organizer.clone(),
        "Pipeline review".to_owned(),
        at(11, 30),
        at(12, 0),
    )];
    if let Some(first) = booking.attendees.first() {
        seeds.push((first.clone(), "Customer call".into(), at(9, 0), at(10, 30)));
    }
    if let Some(second) = booking.attendees.get(1) {
        seeds.push((second.clone(), "One-to-one".into(), at(10, 0), at(11, 0)));
        seeds.push((second.clone(), "Training".into(), at(13, 0), at(14, 30)));
    }
    seeds
}

/// Starts a simulated Exchange over HTTPS with the booking's mailboxes (password `password`) and the
/// service account [`SERVICE_ACCOUNT`], which may impersonate them.
pub async fn start_simulator(booking: &Booking) -> Result<Simulator> {
    let mut builder = Simulator::builder().https();
    for address in booking.mailboxes() {
        builder = builder.user(address, "password");
    }
    Ok(builder
        .service_account(SERVICE_ACCOUNT, SERVICE_PASSWORD)
        .start()
        .await?)
}

/// A transport that trusts exactly the simulator's certificate.
pub fn simulator_transport(sim: &Simulator) -> Result<HyperTransport> {
    let certificate = sim
        .certificate_der()
        .ok_or_else(|| Error::Tls("the simulator serves no certificate (not https)".into()))?;
    Ok(HyperTransport::new(super::tls::trusting(&[certificate])?))
}

/// A client for the simulator's EWS endpoint as the service account, over `transport`.
pub fn service_client<T: Transport>(
    sim: &Simulator,
    transport: T,
) -> Result<EwsClient<T, TokioClock>> {
    ClientBuilder::new(
        sim.ews_url(),
        Credentials::basic(SERVICE_ACCOUNT, SERVICE_PASSWORD),
    )
    .build(transport, TokioClock)
    .map_err(|source| Error::Ews {
        operation: "ClientBuilder::build",
        source,
    })
}

/// Creates [`existing_appointments`] in the mailboxes (no invitations).
pub async fn seed_calendars<T: Transport, C: Clock>(
    client: &EwsClient<T, C>,
    booking: &Booking,
) -> Result<()> {
    let zone = booking.time_zone()?;
    for (mailbox, subject, start, end) in existing_appointments(booking) {
        let item = CalendarItem::new(
            subject,
            instant(&zone, booking.day.to_datetime(start))?,
            instant(&zone, booking.day.to_datetime(end))?,
        );
        let create = CreateItem::calendar(
            DistinguishedFolderName::Calendar,
            vec![item.into()],
            SendMeetingNotices::SendToNone,
        );
        let response = execute(client, &mailbox, &create).await?;
        first_success(response, CreateItem::NAME, &mailbox)?;
    }
    Ok(())
}

/// A stretch of a day, in the booking's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Start.
    pub start: DateTime,
    /// End.
    pub end: DateTime,
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hh_mm(self.start), hh_mm(self.end))
    }
}

fn hh_mm(at: DateTime) -> String {
    at.strftime("%H:%M").to_string()
}

/// One mailbox's schedule from GetUserAvailability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The mailbox.
    pub mailbox: String,
    /// Its blocks that are not free, with their status (`Busy`, `Tentative`...).
    pub busy: Vec<(Slot, String)>,
}

/// What arrived in an attendee's Inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The item kind (`MeetingRequest`, `MeetingCancellation`...).
    pub kind: String,
    /// Its subject.
    pub subject: String,
    /// Whether its body carries the online meeting's join URL.
    pub has_join_url: bool,
}

/// The meeting as it stands in an attendee's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarCopy {
    /// When, in the booking's zone.
    pub slot: Slot,
    /// Where (the join URL for an online meeting).
    pub location: String,
    /// Whether the organizer cancelled it.
    pub cancelled: bool,
}

/// One attendee's mailbox after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The attendee.
    pub mailbox: String,
    /// What arrived in the Inbox during the step, oldest first.
    pub received: Vec<Received>,
    /// The meeting in the calendar (`None` when it is not there).
    pub calendar: Option<CalendarCopy>,
}

/// One step of the walk-through and what each attendee received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What was done.
    pub title: String,
    /// Each attendee's mailbox afterwards.
    pub deliveries: Vec<Delivery>,
}

/// Everything the walk-through saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingReport {
    /// The booking.
    pub booking: Booking,
    /// Each mailbox's schedule before booking.
    pub schedules: Vec<Schedule>,
    /// Where the meeting was booked.
    pub booked: Slot,
    /// Where it was moved to.
    pub moved_to: Slot,
    /// Booked, rescheduled, cancelled.
    pub steps: Vec<Step>,
}

impl fmt::Display for BookingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.booking;
        writeln!(
            f,
            "Free/busy on {} in {} (working hours {}-{})",
            b.day.strftime("%a %Y-%m-%d"),
            b.zone,
            b.working_hours.0.strftime("%H:%M"),
            b.working_hours.1.strftime("%H:%M"),
        )?;
        let mut schedules = Table::new(["MAILBOX", "BUSY"]);
        for schedule in &self.schedules {
            let busy: Vec<String> = schedule
                .busy
                .iter()
                .map(|(slot, status)| format!("{slot} {status}"))
                .collect();
            let busy = if busy.is_empty() {
                "free all day".to_owned()
            } else {
                busy.join(", ")
            };
            schedules.row([schedule.mailbox.clone(), busy]);
        }
        writeln!(f, "{schedules}")?;
        writeln!(
            f,
            "First {}-minute slot free for all {}: {}\n",
            b.minutes,
            self.schedules.len(),
            self.booked
        )?;
        for (n, step) in self.steps.iter().enumerate() {
            writeln!(f, "{}. {}", n + 1, step.title)?;
            let mut table = Table::new(["ATTENDEE", "RECEIVED", "IN THEIR CALENDAR"]);
            for delivery in &step.deliveries {
                let calendar = delivery.calendar.as_ref().map_or_else(
                    || "(not there)".to_owned(),
                    |c| {
                        let place = if c.location == b.join_url {
                            "online"
                        } else {
                            c.location.as_str()
                        };
                        let state = if c.cancelled { ", CANCELLED" } else { "" };
                        format!("{} {place}{state}", c.slot)
                    },
                );
                let mut first = true;
                for received in &delivery.received {
                    let url = if received.has_join_url {
                        " (with join URL)"
                    } else {
                        ""
                    };
                    let cell = format!("{} \"{}\"{url}", received.kind, received.subject);
                    let (mailbox, calendar) = if first {
                        (delivery.mailbox.clone(), calendar.clone())
                    } else {
                        (String::new(), String::new())
                    };
                    table.row([mailbox, cell, calendar]);
                    first = false;
                }
                if first {
                    table.row([delivery.mailbox.clone(), "nothing".to_owned(), calendar]);
                }
            }
            writeln!(f, "{table}")?;
        }
        Ok(())
    }
}

/// Runs the walk-through with `client` (a service account allowed to impersonate every mailbox of
/// `booking`).
pub async fn run<T: Transport, C: Clock>(
    client: &EwsClient<T, C>,
    booking: &Booking,
) -> Result<BookingReport> {
    let zone = booking.time_zone()?;
    let schedules = free_busy(client, booking, &zone).await?;
    let busy: Vec<Slot> = schedules
        .iter()
        .flat_map(|s| s.busy.iter().map(|(slot, _)| *slot))
        .collect();
    let (from, until) = booking.window();
    let booked = first_free(&busy, from, until, booking.minutes)
        .ok_or_else(|| Error::Missing("no common free slot on that day".into()))?;
    let mut taken = busy.clone();
    taken.push(booked);
    let moved_to = first_free(&taken, booked.end, until, booking.minutes)
        .ok_or_else(|| Error::Missing("no second common free slot on that day".into()))?;

    let mut inboxes = Inboxes::default();
    inboxes.read(client, booking, &zone).await?;
    let mut steps = Vec::new();

    let id = book(client, booking, &zone, booked).await?;
    steps.push(Step {
        title: format!(
            "Booked \"{}\" {booked} with {}; online meeting {}",
            booking.subject,
            booking.attendees.join(", "),
            booking.join_url
        ),
        deliveries: inboxes.read(client, booking, &zone).await?,
    });

    let id = reschedule(client, booking, &zone, id, moved_to).await?;
    steps.push(Step {
        title: format!("Rescheduled to {moved_to}, updates sent to all"),
        deliveries: inboxes.read(client, booking, &zone).await?,
    });

    let delete = DeleteItem::meeting(
        DeleteType::MoveToDeletedItems,
        [id],
        SendMeetingNotices::SendToAllAndSaveCopy,
    );
    let response = execute(client, &booking.organizer, &delete).await?;
    first_success(response, DeleteItem::NAME, &booking.organizer)?;
    steps.push(Step {
        title: "Cancelled by the organizer, cancellations sent to all".into(),
        deliveries: inboxes.read(client, booking, &zone).await?,
    });

    Ok(BookingReport {
        booking: booking.clone(),
        schedules,
        booked,
        moved_to,
        steps,
    })
}

/// The schedules of the organizer and the attendees over the working day.
async fn free_busy<T: Transport, C: Clock>(
    client: &EwsClient<T, C>,
    booking: &Booking,
    zone: &TimeZone,
) -> Result<Vec<Schedule>> {
    let year = booking.day.year();
    let serializable = SerializableTimeZone::from_time_zone(zone, year)?;
    let (from, until) = booking.window();
    let request = GetUserAvailability::free_busy(
        serializable,
        booking.mailboxes().into_iter().map(MailboxData::required),
        TimeWindow::new(from, until),
        FreeBusyViewType::FreeBusy,
    );
    let response = execute(client, &booking.organizer, &request).await?;
    let mut schedules = Vec::new();
    for attendee in response.attendees(&request)? {
        let mailbox = attendee
            .mailbox
            .map(|m| m.address)
            .unwrap_or_else(|| "(unknown)".into());
        let schedule = attendee.schedule.map_err(|error| Error::Message {
            operation: GetUserAvailability::NAME,
            mailbox: mailbox.clone(),
            error: Box::new(error),
        })?;
        let busy = schedule
            .events
            .iter()
            .filter(|block| block.status != LegacyFreeBusyStatus::Free)
            .map(|block| {
                let slot = Slot {
                    start: block.start.civil,
                    end: block.end.civil,
                };
                (slot, block.status.as_str().to_owned())
            })
            .collect();
        schedules.push(Schedule { mailbox, busy });
    }
    Ok(schedules)
}

/// The first `minutes`-long slot in `[from, until)` on a half-hour boundary that overlaps no `busy` slot.
pub fn first_free(busy: &[Slot], from: DateTime, until: DateTime, minutes: i64) -> Option<Slot> {
    let length = SignedDuration::from_mins(minutes);
    let step = SignedDuration::from_mins(30);
    let mut start = from;
    loop {
        let end = start.checked_add(length).ok()?;
        if end > until {
            return None;
        }
        if busy.iter().all(|b| end <= b.start || start >= b.end) {
            return Some(Slot { start, end });
        }
        start = start.checked_add(step).ok()?;
    }
}

fn instant(zone: &TimeZone, at: DateTime) -> Result<Timestamp> {
    zone.to_ambiguous_timestamp(at)
        .compatible()
        .map_err(|e| Error::Time(format!("{at} in {}: {e}", zone.iana_name().unwrap_or("?"))))
}

fn windows_zone(booking: &Booking, zone: &TimeZone) -> Result<&'static str> {
    ews_types::windows_zones::windows_id_of(zone)
        .map_err(|e| Error::Time(format!("no Windows zone for {}: {e}", booking.zone)))
}

/// Creates the meeting in the organizer's calendar and invites the attendees.
async fn book<T: Transport, C: Clock>(
    client: &EwsClient<T, C>,
    booking: &Booking,
    zone: &TimeZone,
    slot: Slot,
) -> Result<ItemId> {
    let mut meeting = CalendarItem::new(
        booking.subject.clone(),
        instant(zone, slot.start)?,
        instant(zone, slot.end)?,
    )
    .in_time_zone(windows_zone(booking, zone)?);
    meeting.item.body = Some(Body::html(format!(
        "<p>Join the meeting: <a href=\"{url}\">{url}</a></p>",
        url = booking.join_url
    )));
    meeting.location = Some(booking.join_url.clone());
    meeting.required_attendees = Some(
        booking
            .attendees
            .iter()
            .map(|a| Attendee::from(EmailAddress::smtp(a.clone())))
            .collect(),
    );
    let create = CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![meeting.into()],
        SendMeetingNotices::SendToAllAndSaveCopy,
    );
    let response = execute(client, &booking.organizer, &create).await?;
    let created = first_success(response, CreateItem::NAME, &booking.organizer)?;
    first_id(created.items.unwrap_or_default(), "CreateItem")
}

/// Moves the meeting to `slot`, sending updates, and returns its id with the new change key.
async fn reschedule<T: Transport, C: Clock>(
    client: &EwsClient<T, C>,
    booking: &Booking,
    zone: &TimeZone,
    id: ItemId,
    slot: Slot,
) -> Result<ItemId> {
    let set = |field: &str, item: CalendarItem| FieldUpdate::Set {
        path: PropertyPath::field(field),
        item: item.into(),
    };
    let start = CalendarItem {
        start: Some(instant(zone, slot.start)?),
        ..CalendarItem::default()
    };
    let end = CalendarItem {
        end: Some(instant(zone, slot.end)?),
        ..CalendarItem::default()
    };
    let update = UpdateItem::calendar(
        vec![ItemUpdate {
            item: id.into(),
            updates: vec![set("calendar:Start", start), set("calendar:End", end)],
        }],
        SendMeetingUpdates::SendToAllAndSaveCopy,
    );
    let response = execute(client, &booking.organizer, &update).await?;
    let updated = first_success(response, UpdateItem::NAME, &booking.organizer)?;
    first_id(updated.items.unwrap_or_default(), "UpdateItem")
}

fn first_id(items: Vec<Item>, operation: &str) -> Result<ItemId> {
    items
        .into_iter()
        .next()
        .and_then(|item| item.id().cloned())
        .ok_or_else(|| Error::Missing(format!("{operation} returned no item id")))
}

/// The ids of the Inbox items already reported, so each step shows only what is new.
#[derive(Debug, Default)]
struct Inboxes {
    seen: HashSet<String>,
}

impl Inboxes {
    async fn read<T: Transport, C: Clock>(
        &mut self,
        client: &EwsClient<T, C>,
        booking: &Booking,
        zone: &TimeZone,
    ) -> Result<Vec<Delivery>> {
        let mut deliveries = Vec::new();
        for attendee in &booking.attendees {
            let received = self.new_in_inbox(client, booking, attendee).await?;
            let calendar = calendar_copy(client, booking, zone, attendee).await?;
            deliveries.push(Delivery {
                mailbox: attendee.clone(),
                received,
                calendar,
            });
        }
        Ok(deliveries)
    }

    async fn new_in_inbox<T: Transport, C: Clock>(
        &mut self,
        client: &EwsClient<T, C>,
        booking: &Booking,
        attendee: &str,
    ) -> Result<Vec<Received>> {
        let mailbox = client.mailbox(Mailbox::smtp(attendee));
        let listed = mailbox
            .find_items(FindItem::new(DistinguishedFolderName::Inbox, 100))
            .collect_all()
            .await
            .map_err(|source| Error::Ews {
                operation: FindItem::NAME,
                source,
            })?;
        let fresh: Vec<ItemId> = listed
            .iter()
            .filter_map(Item::id)
            .filter(|id| self.seen.insert(id.id.clone()))
            .cloned()
            .collect();
        let items = mailbox
            .get_items(&ItemShape::new(BaseShape::AllProperties), fresh)
            .await
            .map_err(|source| Error::Ews {
                operation: "GetItem",
                source,
            })?;
        let mut received = Vec::new();
        for item in items {
            let item = item.map_err(|error| Error::Message {
                operation: "GetItem",
                mailbox: attendee.to_owned(),
                error: Box::new(error),
            })?;
            let fields = item.fields();
            received.push(Received {
                kind: item.kind().to_owned(),
                subject: fields.subject.clone().unwrap_or_default(),
                has_join_url: fields
                    .body
                    .as_ref()
                    .is_some_and(|b| b.content.contains(&booking.join_url)),
            });
        }
        // Listed newest first; report in arrival order.
        received.reverse();
        Ok(received)
    }
}

/// The meeting in `attendee`'s calendar on the booking's day, found by subject.
async fn calendar_copy<T: Transport, C: Clock>(
    client: &EwsClient<T, C>,
    booking: &Booking,
    zone: &TimeZone,
    attendee: &str,
) -> Result<Option<CalendarCopy>> {
    let (from, until) = booking.window();
    let mut view = FindItem::calendar_view(
        DistinguishedFolderName::Calendar,
        instant(zone, from)?,
        instant(zone, until)?,
        100,
    );
    view.item_shape = ItemShape::new(BaseShape::AllProperties);
    let response = execute(client, attendee, &view).await?;
    let found = first_success(response, FindItem::NAME, attendee)?;
    let items = found.root_folder.map(|r| r.items).unwrap_or_default();
    let local = |at: Timestamp| at.to_zoned(zone.clone()).datetime();
    Ok(items.into_iter().find_map(|item| match item {
        Item::CalendarItem(c) if c.item.subject.as_deref() == Some(booking.subject.as_str()) => {
            Some(CalendarCopy {
                slot: Slot {
                    start: local(c.start?),
                    end: local(c.end?),
                },
                location: c.location.clone().unwrap_or_default(),
                cancelled: c.is_cancelled == Some(true),
            })
        }
        _ => None,
    }))
}

/// Sends `operation` acting on `mailbox`.
pub(crate) async fn execute<T: Transport, C: Clock, O: Operation>(
    client: &EwsClient<T, C>,
    mailbox: &str,
    operation: &O,
) -> Result<O::Response> {
    client
        .execute_as(&Mailbox::smtp(mailbox), operation)
        .await
        .map_err(|source| Error::Ews {
            operation: O::NAME,
            source,
        })
}

/// The body of the first message, or its error.
pub(crate) fn first_success<B>(
    response: ResponseMessages<B>,
    operation: &'static str,
    mailbox: &str,
) -> Result<B> {
    let message = response
        .messages
        .into_iter()
        .next()
        .ok_or_else(|| Error::Missing(format!("{operation} returned no response message")))?;
    message.into_result().map_err(|error| Error::Message {
        operation,
        mailbox: mailbox.to_owned(),
        error: Box::new(error),
    })
}
