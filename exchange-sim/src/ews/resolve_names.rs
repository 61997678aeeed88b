//! ResolveNames: matches a partial name or address against the organization's mailboxes (the
//! directory) and the contacts of the acting mailbox. Several matches answer `Warning` with
//! `ErrorNameResolutionMultipleResults` and all candidates; none answers `ErrorNameResolutionNoResults`.

use ews_types::items::{Contact, Item};
use ews_types::operations::{
    PagingInfo, Resolution, ResolutionSet, ResolveNames, ResolveNamesMessage, ResolveNamesResponse,
    ResolveNamesSearchScope,
};
use ews_types::response::{ResponseClass, ResponseCode, ResponseMessage, ResponseMessages};
use ews_types::types::{DistinguishedFolderName, EmailAddress, MailboxType};

use super::{Ews, error_with};

fn matches(entry: &str, candidates: &[Option<&str>]) -> bool {
    let entry = entry
        .trim()
        .trim_start_matches("smtp:")
        .trim_start_matches("SMTP:")
        .to_lowercase();
    candidates.iter().flatten().any(|c| {
        let c = c.to_lowercase();
        c.starts_with(&entry) || c.split_whitespace().any(|word| word.starts_with(&entry))
    })
}

pub(crate) fn run(ews: &Ews<'_>, op: &ResolveNames) -> ResolveNamesResponse {
    let entry = op.unresolved_entry.as_str();
    let scope = op
        .search_scope
        .clone()
        .unwrap_or(ResolveNamesSearchScope::ActiveDirectoryContacts);
    let directory = !matches!(scope, ResolveNamesSearchScope::Contacts);
    let contacts = !matches!(scope, ResolveNamesSearchScope::ActiveDirectory);
    let mut resolutions = Vec::new();
    if directory {
        for no in 0.. {
            let Some(mailbox) = ews.store.mailbox(no) else {
                break;
            };
            if matches(
                entry,
                &[Some(&mailbox.address), Some(&mailbox.display_name)],
            ) {
                let contact = op.return_full_contact_data.then(|| Contact {
                    display_name: Some(mailbox.display_name.clone()),
                    contact_source: Some("ActiveDirectory".to_owned()),
                    ..Contact::default()
                });
                resolutions.push(Resolution {
                    mailbox: EmailAddress {
                        mailbox_type: Some(MailboxType::Mailbox),
                        ..EmailAddress::named(mailbox.display_name.clone(), mailbox.address.clone())
                    },
                    contact,
                });
            }
        }
    }
    if contacts {
        if let Ok(mailbox) = ews.mailbox() {
            let folder = mailbox
                .distinguished(&DistinguishedFolderName::Contacts)
                .and_then(|k| mailbox.folder(k));
            for stored in folder
                .iter()
                .flat_map(|f| f.items.iter())
                .filter_map(|k| mailbox.items.get(k))
            {
                let Item::Contact(c) = &stored.item else {
                    continue;
                };
                let address = c
                    .email_addresses
                    .iter()
                    .flatten()
                    .next()
                    .map(|e| e.address.as_str());
                if matches(
                    entry,
                    &[
                        c.display_name.as_deref(),
                        c.given_name.as_deref(),
                        c.surname.as_deref(),
                        address,
                    ],
                ) {
                    resolutions.push(Resolution {
                        mailbox: EmailAddress {
                            name: c.display_name.clone(),
                            email_address: address.map(str::to_owned),
                            routing_type: Some("SMTP".to_owned()),
                            mailbox_type: Some(MailboxType::Contact),
                            item_id: Some(mailbox.item_id(stored)),
                            original_display_name: None,
                        },
                        contact: op.return_full_contact_data.then(|| (**c).clone()),
                    });
                }
            }
        }
    }
    if resolutions.is_empty() {
        return ResponseMessages::new(vec![error_with(
            ResponseCode::ErrorNameResolutionNoResults,
            "No results were found.",
        )]);
    }
    let count = resolutions.len();
    let body = ResolveNamesMessage {
        resolution_set: Some(ResolutionSet {
            paging: PagingInfo {
                includes_last_item_in_range: Some(true),
                total_items_in_view: i32::try_from(count).ok(),
                ..PagingInfo::default()
            },
            resolutions,
        }),
    };
    let mut message = ResponseMessage::success(body);
    if count > 1 {
        message.class = Some(ResponseClass::Warning);
        message.code = Some(ResponseCode::ErrorNameResolutionMultipleResults);
        message.text = Some("Multiple results were found.".to_owned());
    }
    ResponseMessages::new(vec![message])
}
