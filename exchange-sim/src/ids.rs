//! Opaque identifiers: item and folder ids, change keys, EWS sync states and Graph delta tokens.
//!
//! Each is a few bytes behind base64, as Exchange's are. Ids and change keys are not secret, but sync
//! states and delta tokens carry an HMAC tag under a key made when the simulator starts, so a garbled,
//! truncated or forged state is refused (`ErrorInvalidSyncStateData`, `syncStateNotFound`) instead of
//! being read as some other position.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;

/// Where an item lives: its mailbox, its key in the mailbox, and how often it has moved (a move gives
/// it a new EWS id, as Exchange does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ItemAddress {
    pub(crate) mailbox: u32,
    pub(crate) item: u64,
    pub(crate) generation: u32,
}

/// A folder: its mailbox and its key in the mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FolderAddress {
    pub(crate) mailbox: u32,
    pub(crate) folder: u32,
}

struct Bytes {
    buf: Vec<u8>,
}

impl Bytes {
    fn new(kind: u8) -> Self {
        Bytes {
            buf: vec![kind, VERSION],
        }
    }
    fn u32(mut self, v: u32) -> Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn u64(mut self, v: u64) -> Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    fn i64(mut self, v: i64) -> Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
}

/// Reads fields back from decoded bytes, refusing anything of the wrong kind, version or length.
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    fn open(bytes: &'a [u8], kind: u8, len: usize) -> Option<Self> {
        match bytes {
            [k, VERSION, rest @ ..] if *k == kind && rest.len() == len => Some(Fields { rest }),
            _ => None,
        }
    }
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, tail) = self.rest.split_first_chunk::<N>()?;
        self.rest = tail;
        Some(*head)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_be_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_be_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.take().map(i64::from_be_bytes)
    }
}

/// The EWS id of an item (standard base64, as EWS ids are).
pub(crate) fn ews_item_id(address: ItemAddress) -> String {
    STANDARD.encode(item_bytes(address))
}

/// The Graph REST id of an item: the EWS id's bytes in URL-safe base64, so it changes on move too.
pub(crate) fn rest_item_id(address: ItemAddress) -> String {
    URL_SAFE.encode(item_bytes(address))
}

/// The Graph immutable id of an item: stable across moves within the mailbox.
pub(crate) fn immutable_item_id(mailbox: u32, item: u64) -> String {
    URL_SAFE.encode(Bytes::new(b'M').u32(mailbox).u64(item).buf)
}

fn item_bytes(address: ItemAddress) -> Vec<u8> {
    Bytes::new(b'I')
        .u32(address.mailbox)
        .u64(address.item)
        .u32(address.generation)
        .buf
}

/// The id of occurrence `index` (1-based, as `OccurrenceItemId` counts) of the series at `master`.
pub(crate) fn ews_occurrence_id(master: ItemAddress, index: u32) -> String {
    STANDARD.encode(occurrence_bytes(master, index))
}

/// The Graph id of an occurrence (URL-safe alphabet).
pub(crate) fn rest_occurrence_id(master: ItemAddress, index: u32) -> String {
    URL_SAFE.encode(occurrence_bytes(master, index))
}

fn occurrence_bytes(master: ItemAddress, index: u32) -> Vec<u8> {
    Bytes::new(b'O')
        .u32(master.mailbox)
        .u64(master.item)
        .u32(master.generation)
        .u32(index)
        .buf
}

/// Any item id the simulator issued, in any of its forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParsedItemId {
    /// An EWS or REST id: names one generation of the item.
    Moving(ItemAddress),
    /// An occurrence of a recurring series: the master's address and the occurrence's index.
    Occurrence(ItemAddress, u32),
    /// An immutable id.
    Immutable {
        /// The mailbox.
        mailbox: u32,
        /// The item.
        item: u64,
    },
}

/// Reads an EWS, REST or immutable item id; `None` when it is malformed.
pub(crate) fn parse_item_id(id: &str) -> Option<ParsedItemId> {
    let bytes = STANDARD.decode(id).or_else(|_| URL_SAFE.decode(id)).ok()?;
    if let Some(mut f) = Fields::open(&bytes, b'I', 16) {
        return Some(ParsedItemId::Moving(ItemAddress {
            mailbox: f.u32()?,
            item: f.u64()?,
            generation: f.u32()?,
        }));
    }
    if let Some(mut f) = Fields::open(&bytes, b'O', 20) {
        let master = ItemAddress {
            mailbox: f.u32()?,
            item: f.u64()?,
            generation: f.u32()?,
        };
        return Some(ParsedItemId::Occurrence(master, f.u32()?));
    }
    let mut f = Fields::open(&bytes, b'M', 12)?;
    Some(ParsedItemId::Immutable {
        mailbox: f.u32()?,
        item: f.u64()?,
    })
}

/// The EWS id of a folder.
pub(crate) fn ews_folder_id(address: FolderAddress) -> String {
    STANDARD.encode(folder_bytes(address))
}

/// The Graph id of a folder (folder ids are stable, so there is one form).
pub(crate) fn graph_folder_id(address: FolderAddress) -> String {
    URL_SAFE.encode(folder_bytes(address))
}

fn folder_bytes(address: FolderAddress) -> Vec<u8> {
    Bytes::new(b'F')
        .u32(address.mailbox)
        .u32(address.folder)
        .buf
}

/// Reads a folder id in either form; `None` when it is malformed.
pub(crate) fn parse_folder_id(id: &str) -> Option<FolderAddress> {
    let bytes = STANDARD.decode(id).or_else(|_| URL_SAFE.decode(id)).ok()?;
    let mut f = Fields::open(&bytes, b'F', 8)?;
    Some(FolderAddress {
        mailbox: f.u32()?,
        folder: f.u32()?,
    })
}

/// The change key of the version written at mailbox sequence number `seq`.
pub(crate) fn change_key(seq: u64) -> String {
    STANDARD.encode(Bytes::new(b'C').u64(seq).buf)
}

/// Reads a change key; `None` when it is malformed (`ErrorInvalidChangeKey`).
pub(crate) fn parse_change_key(key: &str) -> Option<u64> {
    let bytes = STANDARD.decode(key).ok()?;
    Fields::open(&bytes, b'C', 8)?.u64()
}

/// The Graph `@odata.etag` of a version: `W/"<change key>"`.
pub(crate) fn etag(seq: u64) -> String {
    format!("W/\"{}\"", change_key(seq))
}

/// Reads an `If-Match` value (`W/"..."`, `"..."` or a bare change key).
pub(crate) fn parse_etag(value: &str) -> Option<u64> {
    let value = value.trim();
    let value = value.strip_prefix("W/").unwrap_or(value);
    let value = value.trim_matches('"');
    parse_change_key(value)
}

/// The marker byte of an alternate id format (ConvertId), `None` for the EWS id itself.
fn alternate_marker(format: &ews_types::operations::IdFormat) -> Option<Option<u8>> {
    use ews_types::operations::IdFormat as F;
    Some(match format {
        F::EwsId => None,
        F::EwsLegacyId => Some(b'L'),
        F::EntryId | F::HexEntryId => Some(b'E'),
        F::StoreId => Some(b'T'),
        F::OwaId => Some(b'W'),
        _ => return None,
    })
}

/// An EWS id (item, occurrence or folder) written in another format: the id's bytes behind a marker
/// byte, in base64 (hex for `HexEntryId`, URL-safe base64 for `OwaId`). `None` for a format the
/// simulator does not know or an id it did not issue.
pub(crate) fn to_alternate(
    ews_id: &str,
    format: &ews_types::operations::IdFormat,
) -> Option<String> {
    use ews_types::operations::IdFormat as F;
    let bytes = STANDARD.decode(ews_id).ok()?;
    let mut out = match alternate_marker(format)? {
        None => return Some(ews_id.to_owned()),
        Some(marker) => vec![marker],
    };
    out.extend_from_slice(&bytes);
    Some(match format {
        F::HexEntryId => out.iter().map(|b| format!("{b:02X}")).collect(),
        F::OwaId => URL_SAFE.encode(out),
        _ => STANDARD.encode(out),
    })
}

/// The EWS id behind an id in `format`; `None` when it is not one the simulator wrote.
pub(crate) fn from_alternate(id: &str, format: &ews_types::operations::IdFormat) -> Option<String> {
    use ews_types::operations::IdFormat as F;
    let id = id.trim();
    let bytes = match format {
        F::HexEntryId => {
            if id.len() % 2 != 0 {
                return None;
            }
            let pairs = id.as_bytes().chunks(2);
            pairs
                .map(|pair| {
                    std::str::from_utf8(pair)
                        .ok()
                        .and_then(|p| u8::from_str_radix(p, 16).ok())
                })
                .collect::<Option<Vec<u8>>>()?
        }
        F::OwaId => URL_SAFE.decode(id).ok()?,
        _ => STANDARD.decode(id).ok()?,
    };
    let ews = match alternate_marker(format)? {
        None => bytes,
        Some(marker) => match bytes.split_first() {
            Some((first, rest)) if *first == marker => rest.to_vec(),
            _ => return None,
        },
    };
    let ews = STANDARD.encode(ews);
    let known = parse_item_id(&ews).is_some() || parse_folder_id(&ews).is_some();
    known.then_some(ews)
}

/// The mailbox an EWS id (item, occurrence or folder) belongs to.
pub(crate) fn mailbox_of(ews_id: &str) -> Option<u32> {
    match parse_item_id(ews_id) {
        Some(ParsedItemId::Moving(a) | ParsedItemId::Occurrence(a, _)) => Some(a.mailbox),
        Some(ParsedItemId::Immutable { mailbox, .. }) => Some(mailbox),
        None => parse_folder_id(ews_id).map(|f| f.mailbox),
    }
}

/// Signs and checks sync states and delta tokens.
#[derive(Clone)]
pub(crate) struct StateKey {
    key: [u8; 32],
}

impl std::fmt::Debug for StateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StateKey(..)")
    }
}

/// A position in an EWS folder's item changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ItemSyncState {
    pub(crate) folder: FolderAddress,
    pub(crate) position: u64,
}

/// What a Graph delta token resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeltaToken {
    /// The scope's kind (see `graph::delta`).
    pub(crate) scope: u8,
    pub(crate) folder: FolderAddress,
    pub(crate) position: u64,
    /// The calendar window in seconds since the epoch (zero for other scopes).
    pub(crate) window: (i64, i64),
}

impl StateKey {
    /// A key from 32 bytes of seed material.
    pub(crate) fn new(key: [u8; 32]) -> Self {
        StateKey { key }
    }

    fn tag(&self, payload: &[u8]) -> [u8; TAG_LEN] {
        let mut out = [0u8; TAG_LEN];
        // HMAC accepts keys of any length, so this cannot fail.
        if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) {
            mac.update(payload);
            let full = mac.finalize().into_bytes();
            out.copy_from_slice(&full[..TAG_LEN]);
        }
        out
    }

    fn seal(&self, mut payload: Vec<u8>) -> Vec<u8> {
        let tag = self.tag(&payload);
        payload.extend_from_slice(&tag);
        payload
    }

    fn open<'a>(&self, bytes: &'a [u8]) -> Option<&'a [u8]> {
        let split = bytes.len().checked_sub(TAG_LEN)?;
        let (payload, tag) = bytes.split_at(split);
        // Constant time is not a concern in a simulator; equality is.
        (self.tag(payload) == tag).then_some(payload)
    }

    /// An EWS item sync state.
    pub(crate) fn item_state(&self, state: ItemSyncState) -> String {
        let payload = Bytes::new(b'S')
            .u32(state.folder.mailbox)
            .u32(state.folder.folder)
            .u64(state.position)
            .buf;
        STANDARD.encode(self.seal(payload))
    }

    /// Reads an EWS item sync state; `None` when it is garbled or was not issued by this simulator.
    pub(crate) fn parse_item_state(&self, text: &str) -> Option<ItemSyncState> {
        let bytes = STANDARD.decode(text.trim()).ok()?;
        let mut f = Fields::open(self.open(&bytes)?, b'S', 16)?;
        Some(ItemSyncState {
            folder: FolderAddress {
                mailbox: f.u32()?,
                folder: f.u32()?,
            },
            position: f.u64()?,
        })
    }

    /// An EWS folder hierarchy sync state.
    pub(crate) fn hierarchy_state(&self, mailbox: u32, position: u64) -> String {
        let payload = Bytes::new(b'H').u32(mailbox).u64(position).buf;
        STANDARD.encode(self.seal(payload))
    }

    /// Reads a hierarchy sync state: `(mailbox, position)`.
    pub(crate) fn parse_hierarchy_state(&self, text: &str) -> Option<(u32, u64)> {
        let bytes = STANDARD.decode(text.trim()).ok()?;
        let mut f = Fields::open(self.open(&bytes)?, b'H', 12)?;
        Some((f.u32()?, f.u64()?))
    }

    /// An EWS notification watermark: a position in a mailbox's event journal.
    pub(crate) fn watermark(&self, mailbox: u32, position: u64) -> String {
        let payload = Bytes::new(b'W').u32(mailbox).u64(position).buf;
        STANDARD.encode(self.seal(payload))
    }

    /// Reads a watermark: `(mailbox, position)`; `None` when garbled or foreign.
    pub(crate) fn parse_watermark(&self, text: &str) -> Option<(u32, u64)> {
        let bytes = STANDARD.decode(text.trim()).ok()?;
        let mut f = Fields::open(self.open(&bytes)?, b'W', 12)?;
        Some((f.u32()?, f.u64()?))
    }

    /// An EWS subscription id: the mailbox and the subscription's number.
    pub(crate) fn subscription_id(&self, mailbox: u32, number: u64) -> String {
        let payload = Bytes::new(b'N').u32(mailbox).u64(number).buf;
        STANDARD.encode(self.seal(payload))
    }

    /// Reads a subscription id: `(mailbox, number)`; `None` when garbled or foreign.
    pub(crate) fn parse_subscription_id(&self, text: &str) -> Option<(u32, u64)> {
        let bytes = STANDARD.decode(text.trim()).ok()?;
        let mut f = Fields::open(self.open(&bytes)?, b'N', 12)?;
        Some((f.u32()?, f.u64()?))
    }

    /// A Graph delta or skip token (URL-safe base64).
    pub(crate) fn delta_token(&self, token: DeltaToken) -> String {
        let payload = Bytes::new(b'D')
            .u32(u32::from(token.scope))
            .u32(token.folder.mailbox)
            .u32(token.folder.folder)
            .u64(token.position)
            .i64(token.window.0)
            .i64(token.window.1)
            .buf;
        URL_SAFE_NO_PAD.encode(self.seal(payload))
    }

    /// Reads a Graph delta or skip token.
    pub(crate) fn parse_delta_token(&self, text: &str) -> Option<DeltaToken> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let mut f = Fields::open(self.open(&bytes)?, b'D', 36)?;
        Some(DeltaToken {
            scope: u8::try_from(f.u32()?).ok()?,
            folder: FolderAddress {
                mailbox: f.u32()?,
                folder: f.u32()?,
            },
            position: f.u64()?,
            window: (f.i64()?, f.i64()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_forms_differ_by_alphabet_only() {
        let address = ItemAddress {
            mailbox: 7,
            item: u64::MAX - 3,
            generation: 2,
        };
        let ews = ews_item_id(address);
        let rest = rest_item_id(address);
        assert_eq!(parse_item_id(&ews), Some(ParsedItemId::Moving(address)));
        assert_eq!(parse_item_id(&rest), Some(ParsedItemId::Moving(address)));
        assert_eq!(
            parse_item_id(&immutable_item_id(7, 9)),
            Some(ParsedItemId::Immutable {
                mailbox: 7,
                item: 9
            })
        );
        assert_eq!(
            parse_item_id(&ews_occurrence_id(address, 4)),
            Some(ParsedItemId::Occurrence(address, 4))
        );
        assert_eq!(
            parse_item_id(&rest_occurrence_id(address, 4)),
            Some(ParsedItemId::Occurrence(address, 4))
        );
        assert_eq!(parse_item_id("AAMkAGI1AAAt9AHjAAA="), None);
        assert_eq!(parse_item_id(""), None);
    }

    #[test]
    fn alternate_ids_convert_both_ways_and_refuse_foreign_ones() {
        use ews_types::operations::IdFormat;
        let id = ews_item_id(ItemAddress {
            mailbox: 2,
            item: 40,
            generation: 1,
        });
        for format in [
            IdFormat::EwsId,
            IdFormat::EwsLegacyId,
            IdFormat::EntryId,
            IdFormat::HexEntryId,
            IdFormat::StoreId,
            IdFormat::OwaId,
        ] {
            let other = to_alternate(&id, &format).unwrap();
            assert_eq!(
                from_alternate(&other, &format).as_deref(),
                Some(id.as_str())
            );
        }
        let entry = to_alternate(&id, &IdFormat::EntryId).unwrap();
        assert_eq!(from_alternate(&entry, &IdFormat::StoreId), None);
        assert_eq!(from_alternate("not an id", &IdFormat::EntryId), None);
        assert_eq!(from_alternate("ABC", &IdFormat::HexEntryId), None);
        assert_eq!(mailbox_of(&id), Some(2));
    }

    #[test]
    fn a_changed_byte_makes_a_state_invalid() {
        let key = StateKey::new([3; 32]);
        let state = ItemSyncState {
            folder: FolderAddress {
                mailbox: 1,
                folder: 4,
            },
            position: 512,
        };
        let text = key.item_state(state);
        assert_eq!(key.parse_item_state(&text), Some(state));
        let mut bytes = STANDARD.decode(&text).unwrap();
        bytes[10] ^= 1;
        assert_eq!(key.parse_item_state(&STANDARD.encode(bytes)), None);
        assert_eq!(key.parse_item_state(&text[..text.len() - 4]), None);
        assert_eq!(StateKey::new([4; 32]).parse_item_state(&text), None);
    }
}
