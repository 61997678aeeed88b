//! Unsubscribe: ends a pull or streaming subscription of the acting mailbox. An open streaming
//! connection stops reporting it (and closes when it has nothing left to report).

use ews_types::operations::{Unsubscribe, UnsubscribeMessage, UnsubscribeResponse};

use super::notification::{find, not_found};
use super::{Ews, Refusal, single};

pub(crate) fn run(ews: &mut Ews<'_>, op: &Unsubscribe) -> UnsubscribeResponse {
    single(unsubscribe(ews, op).map(|()| UnsubscribeMessage))
}

fn unsubscribe(ews: &mut Ews<'_>, op: &Unsubscribe) -> Result<(), Refusal> {
    let (no, number) = find(ews, &op.subscription_id)?;
    if !ews.store.subscriptions.remove(no, number) {
        return Err(not_found());
    }
    Ok(())
}
