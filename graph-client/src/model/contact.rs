//! [`Contact`]: a personal contact.

use super::{EmailAddress, PhysicalAddress, SingleValueExtendedProperty};

graph_object! {
    entity
    /// A contact in a contact folder ([contact resource](https://learn.microsoft.com/graph/api/resources/contact)).
    pub struct Contact {
        /// Changes on every change of the item.
        change_key: String,
        /// Category names.
        categories: Vec<String>,
        /// Created, UTC ISO 8601.
        created_date_time: String,
        /// Last modified, UTC ISO 8601.
        last_modified_date_time: String,
        /// The folder that holds the contact.
        parent_folder_id: String,
        /// Display name.
        display_name: String,
        /// File-as name.
        file_as: String,
        /// Given name.
        given_name: String,
        /// Middle name.
        middle_name: String,
        /// Surname.
        surname: String,
        /// Initials.
        initials: String,
        /// Nickname.
        nick_name: String,
        /// Title (Mr, Dr, ...).
        title: String,
        /// Generation (Jr, III, ...).
        generation: String,
        /// Email addresses.
        email_addresses: Vec<EmailAddress>,
        /// Instant messaging addresses.
        im_addresses: Vec<String>,
        /// Job title.
        job_title: String,
        /// Company.
        company_name: String,
        /// Department.
        department: String,
        /// Office location.
        office_location: String,
        /// Profession.
        profession: String,
        /// Manager's name.
        manager: String,
        /// Assistant's name.
        assistant_name: String,
        /// Business web page.
        business_home_page: String,
        /// Business phones.
        business_phones: Vec<String>,
        /// Home phones.
        home_phones: Vec<String>,
        /// Mobile phone.
        mobile_phone: String,
        /// Home address.
        home_address: PhysicalAddress,
        /// Business address.
        business_address: PhysicalAddress,
        /// Other address.
        other_address: PhysicalAddress,
        /// Birthday, ISO 8601.
        birthday: String,
        /// Spouse's name.
        spouse_name: String,
        /// Children's names.
        children: Vec<String>,
        /// Notes.
        personal_notes: String,
        /// MAPI properties requested with `$expand`.
        single_value_extended_properties: Vec<SingleValueExtendedProperty>,
    }
}
