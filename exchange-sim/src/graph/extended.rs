//! Graph's `singleValueExtendedProperties`: the same MAPI properties EWS reads as `ExtendedProperty`,
//! addressed by Graph's id strings (`String {GUID} Name CrmId`, `String 0x007D`).

use ews_types::items::Item;
use ews_types::types::{ExtendedFieldUri, ExtendedProperty, MapiPropertyType};
use serde_json::{Value, json};

use super::Call;
use crate::store::props::same_property;

/// The property set the simulator keeps event `transactionId`s in.
const SIM_SET: &str = "3C4D7E4F-5A1B-4C2D-8E9F-0A1B2C3D4E5F";

/// Reads a Graph extended property id.
pub(crate) fn parse_id(id: &str) -> Option<ExtendedFieldUri> {
    let mut parts = id.split_whitespace();
    let property_type = MapiPropertyType::from_wire(parts.next()?);
    let second = parts.next()?;
    if second.starts_with("0x") || second.starts_with("0X") {
        return Some(ExtendedFieldUri::tagged(second, property_type));
    }
    let guid = second
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_owned();
    match (parts.next()?, parts.collect::<Vec<_>>().join(" ")) {
        (kind, name) if kind.eq_ignore_ascii_case("Name") => {
            Some(ExtendedFieldUri::named(guid, name, property_type))
        }
        (kind, number) if kind.eq_ignore_ascii_case("Id") => {
            let n = number.trim();
            let id = match n.strip_prefix("0x").or_else(|| n.strip_prefix("0X")) {
                Some(hex) => i32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            Some(ExtendedFieldUri {
                property_set_id: Some(guid),
                property_id: Some(id),
                ..ExtendedFieldUri::tagged("", property_type)
            })
            .map(|mut uri| {
                uri.property_tag = None;
                uri
            })
        }
        _ => None,
    }
}

/// The ids `$expand=singleValueExtendedProperties($filter=id eq '...')` asks for.
fn expanded(call: &Call<'_>) -> Vec<(String, ExtendedFieldUri)> {
    let Some(expand) = call.param("$expand") else {
        return Vec::new();
    };
    expand
        .split("id eq '")
        .skip(1)
        .filter_map(|rest| rest.split('\'').next())
        .filter_map(|id| parse_id(id).map(|uri| (id.to_owned(), uri)))
        .collect()
}

/// Adds the requested extended properties to an item's JSON.
pub(crate) fn expand(call: &Call<'_>, item: &Item, value: &mut Value) {
    let wanted = expanded(call);
    if wanted.is_empty() {
        return;
    }
    let found: Vec<Value> = wanted
        .iter()
        .filter_map(|(id, uri)| {
            item.fields()
                .extended_properties
                .iter()
                .find(|p| p.field_uri.as_ref().is_some_and(|u| same_property(u, uri)))
                .and_then(|p| p.value.clone())
                .map(|v| json!({"id": id, "value": v}))
        })
        .collect();
    if let Value::Object(map) = value {
        map.insert(
            "singleValueExtendedProperties".to_owned(),
            Value::Array(found),
        );
    }
}

/// Writes the `singleValueExtendedProperties` of a create or PATCH body.
pub(crate) fn write(body: &[u8], item: &mut Item) -> Result<(), String> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Ok(());
    };
    let Some(list) = value
        .get("singleValueExtendedProperties")
        .and_then(Value::as_array)
    else {
        return Ok(());
    };
    for entry in list {
        let id = entry.get("id").and_then(Value::as_str).unwrap_or_default();
        let uri =
            parse_id(id).ok_or_else(|| format!("the extended property id {id:?} is not valid"))?;
        let props = &mut item.fields_mut().extended_properties;
        props.retain(|p| !p.field_uri.as_ref().is_some_and(|u| same_property(u, &uri)));
        if let Some(v) = entry.get("value").and_then(Value::as_str) {
            props.push(ExtendedProperty::new(uri, v));
        }
    }
    Ok(())
}

fn transaction_uri() -> ExtendedFieldUri {
    ExtendedFieldUri::named(SIM_SET, "TransactionId", MapiPropertyType::String)
}

/// The `transactionId` an event was created with.
pub(crate) fn transaction_of(item: &Item) -> Option<String> {
    let uri = transaction_uri();
    item.fields()
        .extended_properties
        .iter()
        .find(|p| p.field_uri.as_ref().is_some_and(|u| same_property(u, &uri)))
        .and_then(|p| p.value.clone())
}

/// Remembers the `transactionId` of a new event.
pub(crate) fn set_transaction(item: &mut Item, transaction: &str) {
    item.fields_mut()
        .extended_properties
        .push(ExtendedProperty::new(transaction_uri(), transaction));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_property_ids_read_as_ews_addresses() {
        let named = parse_id("String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color").unwrap();
        assert_eq!(named.property_name.as_deref(), Some("Color"));
        assert_eq!(
            named.property_set_id.as_deref(),
            Some("66f5a359-4659-4830-9070-00047ec6ac6e")
        );
        let tagged = parse_id("String 0x007D").unwrap();
        assert_eq!(tagged.property_tag.as_deref(), Some("0x007D"));
        let numbered =
            parse_id("Integer {00062008-0000-0000-C000-000000000046} Id 0x8501").unwrap();
        assert_eq!(numbered.property_id, Some(0x8501));
        assert!(parse_id("nonsense").is_none());
    }
}
