//! ExpandDL: the members of a distribution list configured with
//! [`SimulatorBuilder::distribution_list`](crate::SimulatorBuilder::distribution_list), in order, in one
//! page. A member that is a user is named with the user's display name and `MailboxType` `Mailbox`;
//! one that is itself a list is `PublicDL` (not expanded further, as Exchange does); any other address
//! is `OneOff`. An address that is not a list is `ErrorNameResolutionNoResults`; private lists in a
//! contacts folder (by `ItemId`) are not modeled (`ErrorInvalidItemForOperationExpandDL`).

use ews_types::operations::{DLExpansion, ExpandDL, ExpandDLMessage, ExpandDLResponse, PagingInfo};
use ews_types::response::ResponseCode;
use ews_types::types::{EmailAddress, MailboxType};

use super::{Ews, Refusal, single};

pub(crate) fn run(ews: &Ews<'_>, op: &ExpandDL) -> ExpandDLResponse {
    single(expand(ews, op))
}

fn expand(ews: &Ews<'_>, op: &ExpandDL) -> Result<ExpandDLMessage, Refusal> {
    let Some(address) = op.mailbox.email_address.as_deref() else {
        return Err(Refusal::Code(
            ResponseCode::ErrorInvalidItemForOperationExpandDL,
            "Private distribution lists are not supported by the simulator.",
        ));
    };
    let list = ews.config.distribution_list(address).ok_or(Refusal::Code(
        ResponseCode::ErrorNameResolutionNoResults,
        "No distribution list has this address.",
    ))?;
    let mailboxes: Vec<EmailAddress> = list
        .members
        .iter()
        .map(|member| member_address(ews, member))
        .collect();
    let total = i32::try_from(mailboxes.len()).unwrap_or(i32::MAX);
    Ok(ExpandDLMessage {
        dl_expansion: Some(DLExpansion {
            paging: PagingInfo {
                includes_last_item_in_range: Some(true),
                total_items_in_view: Some(total),
                ..PagingInfo::default()
            },
            mailboxes,
        }),
    })
}

fn member_address(ews: &Ews<'_>, member: &str) -> EmailAddress {
    let (name, kind) = if let Some(list) = ews.config.distribution_list(member) {
        (list.display_name.clone(), MailboxType::PublicDL)
    } else if let Some(user) = ews.config.user(member).filter(|u| u.has_mailbox) {
        (user.display_name.clone(), MailboxType::Mailbox)
    } else {
        (member.to_owned(), MailboxType::OneOff)
    };
    EmailAddress {
        routing_type: Some("SMTP".to_owned()),
        mailbox_type: Some(kind),
        ..EmailAddress::named(name, member)
    }
}
