//! A Microsoft Graph delta page for the parse benchmark: 1,000 messages as `/messages/delta` returns
//! them (full representations with the properties a CRM sync selects), written by `graph-client`'s own
//! `Message` model, and a `@odata.nextLink`.
//!
//! ```
//! use benches::graph_fixtures::{DELTA_MESSAGES, message_delta_page_1000};
//! use graph_client::model::Message;
//!
//! let bytes = message_delta_page_1000();
//! let (page, _) = graph_client::delta::parse_delta_page::<Message>(&bytes).unwrap();
//! assert_eq!(page.entries.len(), DELTA_MESSAGES);
//! ```

use graph_client::model::Message;
use serde_json::{Value, json};

/// The number of messages in [`message_delta_page_1000`].
pub const DELTA_MESSAGES: usize = 1_000;

const NEXT_LINK: &str = "https://graph.microsoft.com/v1.0/users/adele@contoso.example/mailFolders/inbox/messages/delta?$skiptoken=MSZZVlJBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE";

/// The serialized delta page with [`DELTA_MESSAGES`] messages.
pub fn message_delta_page_1000() -> Vec<u8> {
    message_delta_page(DELTA_MESSAGES)
}

/// A delta page of `messages` messages (every tenth one reported as removed) and a nextLink.
pub fn message_delta_page(messages: usize) -> Vec<u8> {
    let value: Vec<Value> = (0..messages).map(entry).collect();
    let page = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(message)",
        "@odata.nextLink": NEXT_LINK,
        "value": value,
    });
    serde_json::to_vec(&page).unwrap_or_default()
}

const PEOPLE: [(&str, &str); 6] = [
    ("Mara Whitfield", "mara@contoso.example"),
    ("Bj\u{f6}rn Ek", "bjorn.ek@fabrikam.example"),
    ("Fran\u{e7}ois Dubois", "francois@northwind.example"),
    ("Hiro Tanaka", "hiro@adatum.example"),
    ("Ines Garc\u{ed}a", "ines@contoso.example"),
    ("Sales Operations", "sales@fabrikam.example"),
];
const TOPICS: [&str; 5] = [
    "Renewal quote",
    "Invoice overdue",
    "Kick-off meeting notes",
    "Contract redlines",
    "Q3 forecast <draft>",
];

fn recipient(n: usize) -> Value {
    let (name, address) = PEOPLE[n % PEOPLE.len()];
    json!({"emailAddress": {"name": name, "address": address}})
}

fn entry(n: usize) -> Value {
    if n % 10 == 9 {
        return json!({"id": format!("AAMkADQ5ZTJmNGE3LTk4ZGQtNDI1Ni1hMzFkLWE2YzdiNWYzZDE3MwBGAAAAAAD{n:06}AAA="), "@removed": {"reason": "deleted"}});
    }
    let topic = TOPICS[n % TOPICS.len()];
    let raw = json!({
        "@odata.etag": format!("W/\"CQAAABYAAAD{n:06}Hb7TLw\""),
        "id": format!("AAMkADQ5ZTJmNGE3LTk4ZGQtNDI1Ni1hMzFkLWE2YzdiNWYzZDE3MwBGAAAAAAD{n:06}AAA="),
        "createdDateTime": format!("2026-11-{:02}T09:{:02}:00Z", 1 + n % 28, n % 60),
        "lastModifiedDateTime": format!("2026-11-{:02}T10:{:02}:00Z", 1 + n % 28, n % 60),
        "changeKey": format!("CQAAABYAAAD{n:06}Hb7TLw"),
        "categories": if n % 3 == 0 { json!(["Tracked to CRM", "Customer/Gold"]) } else { json!(["Tracked to CRM"]) },
        "receivedDateTime": format!("2026-11-{:02}T09:{:02}:00Z", 1 + n % 28, n % 60),
        "sentDateTime": format!("2026-11-{:02}T09:{:02}:00Z", 1 + n % 28, n % 60),
        "hasAttachments": n % 4 == 0,
        "internetMessageId": format!("<{n}.thread@contoso.example>"),
        "subject": format!("RE: {topic} #{n}"),
        "bodyPreview": format!("Hi, following up on {topic} (ref #{n}): the revised total is \u{20ac}{}.00 net.", 1_000 + n * 37),
        "importance": "normal",
        "parentFolderId": "AAMkADQ5ZTJmNGE3LTk4ZGQtNDI1Ni1hMzFkLWE2YzdiNWYzZDE3MwAuAAAAAAC7",
        "conversationId": format!("AAQkADQ5ZTJmNGE3LTk4ZGQtNDI1Ni1{:06}=", n / 3),
        "isRead": n % 3 != 0,
        "isDraft": false,
        "webLink": format!("https://outlook.office365.com/owa/?ItemID=AAMkAD{n:06}&exvsurl=1&viewmodel=ReadMessageItem"),
        "inferenceClassification": "focused",
        "body": {
            "contentType": "html",
            "content": format!("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><p>Hi,</p><p>Following up on <b>{topic}</b> (ref #{n}). Terms &amp; conditions as agreed.</p><p>Best regards,<br>Sales Operations</p></body></html>")
        },
        "sender": recipient(n),
        "from": recipient(n),
        "toRecipients": [recipient(n + 1), recipient(n + 2)],
        "ccRecipients": [recipient(n + 3)],
        "bccRecipients": [],
        "replyTo": [],
        "flag": {"flagStatus": "notFlagged"},
        "singleValueExtendedProperties": [
            {"id": "String {6a1c3f52-8d0e-4b8f-9a41-5d3e2c7b9f10} Name CrmRecordId", "value": format!("opportunity:{:08x}", n * 7_919)}
        ]
    });
    // The model is the builder: what Graph sends, as `Message` writes it.
    serde_json::from_value::<Message>(raw.clone())
        .ok()
        .and_then(|m| serde_json::to_value(m).ok())
        .unwrap_or(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use graph_client::delta::{DeltaEntry, PageLink, parse_delta_page};

    #[test]
    fn the_page_parses_into_messages_and_removals() {
        let bytes = message_delta_page_1000();
        assert!(bytes.len() > 1_500_000, "{} bytes", bytes.len());
        let (page, link) = parse_delta_page::<Message>(&bytes).expect("parses");
        assert_eq!(link, PageLink::Next(NEXT_LINK.to_owned()));
        let removed = page
            .entries
            .iter()
            .filter(|e| matches!(e, DeltaEntry::Removed { .. }))
            .count();
        assert_eq!(removed, DELTA_MESSAGES / 10);
        let DeltaEntry::Changed(first) = &page.entries[0] else {
            panic!("the first entry is a message")
        };
        assert_eq!(first.to_recipients.value().map(Vec::len), Some(2));
        assert!(
            first.extra.contains_key("flag"),
            "unmodelled properties are kept"
        );
        assert_eq!(message_delta_page_1000(), bytes);
    }
}
