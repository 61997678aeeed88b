//! Contacts (`ContactItemType`) and their dictionaries (e-mail addresses, phone numbers, addresses).

use jiff::Timestamp;

use crate::error::Result;
use crate::types::{EmailAddress, MailboxType, SingleRecipient};
use crate::xml::{Start, XmlElement, XmlReader, XmlSequence, XmlWriter, xml_sequence};

use super::ItemFields;

/// A dictionary entry with a key and a text value (`PhoneNumbers` and `ImAddresses` entries).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DictionaryEntry {
    /// The key, such as `BusinessPhone` or `ImAddress1`.
    pub key: String,
    /// The value.
    pub value: String,
}

impl DictionaryEntry {
    /// An entry.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        DictionaryEntry {
            key: key.into(),
            value: value.into(),
        }
    }
}

impl XmlElement for DictionaryEntry {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).attr("Key", &self.key).close();
        w.text(&self.value);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let key = start.required_attr("Key")?;
        Ok(DictionaryEntry {
            key,
            value: r.read_text(start)?,
        })
    }
}

/// An e-mail address entry of a contact (`EmailAddress1` to `EmailAddress3`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmailAddressEntry {
    /// `EmailAddress1`, `EmailAddress2` or `EmailAddress3`.
    pub key: String,
    /// Display name for the address.
    pub name: Option<String>,
    /// Routing type, such as `SMTP`.
    pub routing_type: Option<String>,
    /// Mailbox type.
    pub mailbox_type: Option<MailboxType>,
    /// The address.
    pub address: String,
}

impl XmlElement for EmailAddressEntry {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr("Key", &self.key)
            .attr_opt("Name", self.name.as_deref())
            .attr_opt("RoutingType", self.routing_type.as_deref())
            .attr_opt(
                "MailboxType",
                self.mailbox_type.as_ref().map(MailboxType::as_str),
            )
            .close();
        w.text(&self.address);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        Ok(EmailAddressEntry {
            key: start.required_attr("Key")?,
            name: start.attr("Name")?.map(|v| v.into_owned()),
            routing_type: start.attr("RoutingType")?.map(|v| v.into_owned()),
            mailbox_type: start
                .attr("MailboxType")?
                .map(|v| MailboxType::from_wire(&v)),
            address: r.read_text(start)?,
        })
    }
}

xml_sequence! {
    children
    /// The parts of a postal address entry.
    pub struct PostalAddress in Types "t:" {
        /// Street.
        opt street: String = "Street";
        /// City.
        opt city: String = "City";
        /// State or province.
        opt state: String = "State";
        /// Country or region.
        opt country_or_region: String = "CountryOrRegion";
        /// Postal code.
        opt postal_code: String = "PostalCode";
    }
}

/// A postal address entry of a contact (`Business`, `Home` or `Other`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PhysicalAddressEntry {
    /// `Business`, `Home` or `Other`.
    pub key: String,
    /// The address.
    pub address: PostalAddress,
}

impl XmlElement for PhysicalAddressEntry {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).attr("Key", &self.key).close();
        self.address.write_children(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let key = start.required_attr("Key")?;
        let mut address = PostalAddress::default();
        r.children(start, |r, c| address.read_child(r, c))?;
        Ok(PhysicalAddressEntry { key, address })
    }
}

xml_sequence! {
    element
    /// A person's name in parts (`CompleteName`, read-only).
    pub struct CompleteName in Types "t:" {
        /// Title.
        opt title: String = "Title";
        /// First name.
        opt first_name: String = "FirstName";
        /// Middle name.
        opt middle_name: String = "MiddleName";
        /// Last name.
        opt last_name: String = "LastName";
        /// Suffix.
        opt suffix: String = "Suffix";
        /// Initials.
        opt initials: String = "Initials";
        /// Full name.
        opt full_name: String = "FullName";
        /// Nickname.
        opt nickname: String = "Nickname";
        /// Phonetic first name.
        opt yomi_first_name: String = "YomiFirstName";
        /// Phonetic last name.
        opt yomi_last_name: String = "YomiLastName";
    }
}

xml_sequence! {
    element
    /// A contact: the item fields plus names, addresses, phone numbers and work details.
    pub struct Contact in Types "t:" {
        ..item: ItemFields;
        /// How the contact is filed.
        opt file_as: String = "FileAs";
        /// How `FileAs` is built, such as `LastCommaFirst`.
        opt file_as_mapping: String = "FileAsMapping";
        /// Display name.
        opt display_name: String = "DisplayName";
        /// Given name.
        opt given_name: String = "GivenName";
        /// Initials.
        opt initials: String = "Initials";
        /// Middle name.
        opt middle_name: String = "MiddleName";
        /// Nickname.
        opt nickname: String = "Nickname";
        /// The name in parts (read-only).
        opt complete_name: CompleteName = "CompleteName";
        /// Company name.
        opt company_name: String = "CompanyName";
        /// E-mail addresses.
        list email_addresses: EmailAddressEntry = "EmailAddresses" / "Entry";
        /// Postal addresses.
        list physical_addresses: PhysicalAddressEntry = "PhysicalAddresses" / "Entry";
        /// Phone numbers.
        list phone_numbers: DictionaryEntry = "PhoneNumbers" / "Entry";
        /// Assistant's name.
        opt assistant_name: String = "AssistantName";
        /// Birthday.
        opt birthday: Timestamp = "Birthday";
        /// Business home page.
        opt business_home_page: String = "BusinessHomePage";
        /// Children's names.
        list children: String = "Children" / "String";
        /// Companies.
        list companies: String = "Companies" / "String";
        /// Where the contact comes from (`ActiveDirectory` or `Store`).
        opt contact_source: String = "ContactSource";
        /// Department.
        opt department: String = "Department";
        /// Generation, such as `Jr.`.
        opt generation: String = "Generation";
        /// Instant messaging addresses.
        list im_addresses: DictionaryEntry = "ImAddresses" / "Entry";
        /// Job title.
        opt job_title: String = "JobTitle";
        /// Manager.
        opt manager: String = "Manager";
        /// Mileage.
        opt mileage: String = "Mileage";
        /// Office location.
        opt office_location: String = "OfficeLocation";
        /// Which postal address is the mailing address.
        opt postal_address_index: String = "PostalAddressIndex";
        /// Profession.
        opt profession: String = "Profession";
        /// Spouse's name.
        opt spouse_name: String = "SpouseName";
        /// Surname.
        opt surname: String = "Surname";
        /// Wedding anniversary.
        opt wedding_anniversary: Timestamp = "WeddingAnniversary";
        /// Whether the contact has a picture.
        opt has_picture: bool = "HasPicture";
        /// The full name as pronounced (directory contacts, Exchange 2010 SP2 and later).
        opt phonetic_full_name: String = "PhoneticFullName";
        /// The first name as pronounced (directory contacts, Exchange 2010 SP2 and later).
        opt phonetic_first_name: String = "PhoneticFirstName";
        /// The last name as pronounced (directory contacts, Exchange 2010 SP2 and later).
        opt phonetic_last_name: String = "PhoneticLastName";
        /// The directory alias (directory contacts, Exchange 2010 SP2 and later).
        opt alias: String = "Alias";
        /// Notes (Exchange 2010 SP2 and later).
        opt notes: String = "Notes";
        /// The directory photo, base64 (ResolveNames with `ContactDataShape`, Exchange 2010 SP2 and later).
        opt photo: String = "Photo";
        /// The user's S/MIME certificates, each base64 (directory contacts).
        list user_smime_certificate: String = "UserSMIMECertificate" / "Base64Binary";
        /// The certificates Exchange publishes for the user, each base64 (directory contacts).
        list ms_exchange_certificate: String = "MSExchangeCertificate" / "Base64Binary";
        /// The directory object's id (directory contacts).
        opt directory_id: String = "DirectoryId";
        /// The manager's mailbox (directory contacts).
        opt manager_mailbox: SingleRecipient = "ManagerMailbox";
        /// The mailboxes of the people who report to this one (directory contacts).
        list direct_reports: EmailAddress = "DirectReports" / "Mailbox";
    }
}
