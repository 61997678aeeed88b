//! SOAP headers: the request headers EWS understands and the `ServerVersionInfo` it answers with.

use crate::error::Result;
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, open_enum};

open_enum! {
    /// The schema version a request asks for (`RequestServerVersion/@Version`).
    ///
    /// Request the oldest version that has the features you need: schemas are supersets, and Exchange 2010
    /// rejects versions it does not know. Exchange 2016, 2019 and Exchange Online accept `Exchange2016`.
    pub enum ExchangeVersion {
        /// Exchange 2007 RTM.
        Exchange2007 = "Exchange2007",
        /// Exchange 2007 SP1.
        Exchange2007Sp1 = "Exchange2007_SP1",
        /// Exchange 2010 RTM.
        Exchange2010 = "Exchange2010",
        /// Exchange 2010 SP1.
        Exchange2010Sp1 = "Exchange2010_SP1",
        /// Exchange 2010 SP2 (the oldest version this crate family targets).
        Exchange2010Sp2 = "Exchange2010_SP2",
        /// Exchange 2013 RTM.
        Exchange2013 = "Exchange2013",
        /// Exchange 2013 SP1.
        Exchange2013Sp1 = "Exchange2013_SP1",
        /// Exchange 2015 (Exchange Online era).
        Exchange2015 = "Exchange2015",
        /// Exchange 2016 (also accepted by 2019, SE and Exchange Online).
        Exchange2016 = "Exchange2016",
        /// Exchange Online schema of 2015-10-05.
        V2015_10_05 = "V2015_10_05",
        /// Exchange Online schema of 2016-01-06.
        V2016_01_06 = "V2016_01_06",
        /// Exchange Online schema of 2016-04-13.
        V2016_04_13 = "V2016_04_13",
        /// Exchange Online schema of 2016-07-13.
        V2016_07_13 = "V2016_07_13",
        /// Exchange Online schema of 2016-10-10.
        V2016_10_10 = "V2016_10_10",
        /// Exchange Online schema of 2017-01-07.
        V2017_01_07 = "V2017_01_07",
        /// Exchange Online schema of 2017-04-14.
        V2017_04_14 = "V2017_04_14",
        /// Exchange Online schema of 2017-07-11.
        V2017_07_11 = "V2017_07_11",
    }
}

impl ExchangeVersion {
    /// The versions a client may request, newest first: the order in which to step down when a server
    /// answers `ErrorInvalidServerVersion`.
    pub const NEGOTIATION_ORDER: [ExchangeVersion; 5] = [
        ExchangeVersion::Exchange2016,
        ExchangeVersion::Exchange2013Sp1,
        ExchangeVersion::Exchange2013,
        ExchangeVersion::Exchange2010Sp2,
        ExchangeVersion::Exchange2010Sp1,
    ];
}

/// The mailbox to act as, with the `ExchangeImpersonation` header (one of the four `ConnectingSID` forms).
///
/// The SMTP forms cost the server a directory lookup; prefer [`Impersonation::PrincipalName`] or
/// [`Impersonation::Sid`] when you know them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Impersonation {
    /// The user principal name (UPN).
    PrincipalName(String),
    /// The security identifier in SDDL form.
    Sid(String),
    /// The primary SMTP address.
    PrimarySmtpAddress(String),
    /// Any SMTP address of the mailbox.
    SmtpAddress(String),
}

impl Impersonation {
    fn parts(&self) -> (&'static str, &str) {
        match self {
            Impersonation::PrincipalName(v) => ("t:PrincipalName", v),
            Impersonation::Sid(v) => ("t:SID", v),
            Impersonation::PrimarySmtpAddress(v) => ("t:PrimarySmtpAddress", v),
            Impersonation::SmtpAddress(v) => ("t:SmtpAddress", v),
        }
    }

    /// The SMTP address, for the `X-AnchorMailbox` HTTP header, when this form has one.
    pub fn smtp_address(&self) -> Option<&str> {
        match self {
            Impersonation::PrimarySmtpAddress(v) | Impersonation::SmtpAddress(v) => Some(v),
            Impersonation::PrincipalName(_) | Impersonation::Sid(_) => None,
        }
    }
}

impl XmlElement for Impersonation {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        let (tag, value) = self.parts();
        w.open(name).close();
        w.open("t:ConnectingSID").close();
        w.text_element(tag, value);
        w.end("t:ConnectingSID");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut found = None;
        r.children(start, |r, sid| {
            if sid.local_name() != "ConnectingSID" {
                return Ok(false);
            }
            r.children(sid, |r, form| {
                let value = r.read_text(form)?;
                found = Some(match form.local_name() {
                    "PrincipalName" => Impersonation::PrincipalName(value),
                    "SID" => Impersonation::Sid(value),
                    "PrimarySmtpAddress" => Impersonation::PrimarySmtpAddress(value),
                    "SmtpAddress" => Impersonation::SmtpAddress(value),
                    _ => return Ok(true),
                });
                Ok(true)
            })?;
            Ok(true)
        })?;
        found.ok_or_else(|| crate::Error::missing("ConnectingSID", start.local_name()))
    }
}

open_enum! {
    /// The precision of date-time values in responses (`DateTimePrecision`, Exchange 2010 SP2 and later).
    pub enum DateTimePrecision {
        /// Whole seconds (the default).
        Seconds = "Seconds",
        /// Milliseconds.
        Milliseconds = "Milliseconds",
    }
}

/// The SOAP headers of a request. All are optional; [`RequestHeader::default`] sends none.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestHeader {
    /// `RequestServerVersion` (required by Exchange 2010 and later; set it).
    pub version: Option<ExchangeVersion>,
    /// `ExchangeImpersonation`: act as this mailbox.
    pub impersonation: Option<Impersonation>,
    /// `MailboxCulture`, e.g. `en-US`.
    pub mailbox_culture: Option<String>,
    /// `TimeZoneContext`: the id of a server-known time zone (for example `W. Europe Standard Time`),
    /// used for naive date-times and as the creation zone of appointments. Never build a full
    /// definition from OS data: servers reject those.
    pub time_zone_id: Option<String>,
    /// `DateTimePrecision`.
    pub date_time_precision: Option<DateTimePrecision>,
}

impl RequestHeader {
    /// A header asking for `version`, with nothing else set.
    pub fn new(version: ExchangeVersion) -> Self {
        RequestHeader {
            version: Some(version),
            ..RequestHeader::default()
        }
    }

    /// The same header acting as `mailbox`.
    pub fn impersonating(mut self, mailbox: Impersonation) -> Self {
        self.impersonation = Some(mailbox);
        self
    }

    pub(crate) fn is_empty(&self) -> bool {
        *self == RequestHeader::default()
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) {
        if let Some(impersonation) = &self.impersonation {
            impersonation.write_element(w, "t:ExchangeImpersonation");
        }
        if let Some(culture) = &self.mailbox_culture {
            w.text_element("t:MailboxCulture", culture);
        }
        if let Some(version) = &self.version {
            w.open("t:RequestServerVersion")
                .attr("Version", version.as_str())
                .close_empty();
        }
        if let Some(id) = &self.time_zone_id {
            w.open("t:TimeZoneContext").close();
            w.open("t:TimeZoneDefinition").attr("Id", id).close_empty();
            w.end("t:TimeZoneContext");
        }
        if let Some(precision) = &self.date_time_precision {
            w.text_element("t:DateTimePrecision", precision.as_str());
        }
    }

    pub(crate) fn read_header<'a>(
        &mut self,
        r: &mut XmlReader<'a>,
        child: &Start<'a>,
    ) -> Result<bool> {
        match child.local_name() {
            "ExchangeImpersonation" => {
                self.impersonation = Some(Impersonation::read_element(r, child)?)
            }
            "MailboxCulture" => self.mailbox_culture = Some(r.read_text(child)?),
            "RequestServerVersion" => {
                self.version = child
                    .attr("Version")?
                    .map(|v| ExchangeVersion::from_wire(&v));
                r.skip(child)?;
            }
            "TimeZoneContext" => {
                r.children(child, |_, def| {
                    if def.local_name() == "TimeZoneDefinition" {
                        self.time_zone_id = def.attr("Id")?.map(|v| v.into_owned());
                    }
                    Ok(false)
                })?;
            }
            "DateTimePrecision" => {
                self.date_time_precision = Some(DateTimePrecision::read_element(r, child)?)
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The `ServerVersionInfo` header of a response: the build of the server that answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerVersionInfo {
    /// Major version: 8 for 2007, 14 for 2010, 15 for 2013 and later.
    pub major_version: Option<u32>,
    /// Minor version: 0 for 2013, 1 for 2016, 2 for 2019, 20 for Exchange Online.
    pub minor_version: Option<u32>,
    /// Major build number.
    pub major_build_number: Option<u32>,
    /// Minor build number.
    pub minor_build_number: Option<u32>,
    /// The schema version string, when the server sends one. Exchange Online may send values that cannot
    /// be requested (such as `V2018_01_08`).
    pub version: Option<ExchangeVersion>,
}

impl ServerVersionInfo {
    /// A product name derived from the build numbers (`Exchange 2016`...), when they are known.
    pub fn product_name(&self) -> Option<&'static str> {
        Some(match (self.major_version?, self.minor_version?) {
            (8, _) => "Exchange 2007",
            (14, 0) => "Exchange 2010",
            (14, 1) => "Exchange 2010 SP1",
            (14, 2) => "Exchange 2010 SP2",
            (14, _) => "Exchange 2010 SP3",
            (15, 0) if self.major_build_number.unwrap_or(0) >= 847 => "Exchange 2013 SP1",
            (15, 0) => "Exchange 2013",
            (15, 1) => "Exchange 2016",
            (15, 2) => "Exchange 2019 or SE",
            (15, 20) => "Exchange Online",
            _ => return None,
        })
    }
}

fn parse_u32_attr(start: &Start<'_>, name: &str) -> Result<Option<u32>> {
    match start.attr(name)? {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| {
            crate::Error::invalid_value(&format!("@{name}"), &v, "a non-negative integer")
        }),
    }
}

impl XmlElement for ServerVersionInfo {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        let numbers = [
            ("MajorVersion", self.major_version),
            ("MinorVersion", self.minor_version),
            ("MajorBuildNumber", self.major_build_number),
            ("MinorBuildNumber", self.minor_build_number),
        ];
        w.open(name);
        for (attr, value) in numbers {
            if let Some(value) = value {
                w.attr(attr, &value.to_string());
            }
        }
        w.attr_opt(
            "Version",
            self.version.as_ref().map(ExchangeVersion::as_str),
        )
        .close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let info = ServerVersionInfo {
            major_version: parse_u32_attr(start, "MajorVersion")?,
            minor_version: parse_u32_attr(start, "MinorVersion")?,
            major_build_number: parse_u32_attr(start, "MajorBuildNumber")?,
            minor_build_number: parse_u32_attr(start, "MinorBuildNumber")?,
            version: start
                .attr("Version")?
                .map(|v| ExchangeVersion::from_wire(&v)),
        };
        r.skip(start)?;
        Ok(info)
    }
}
