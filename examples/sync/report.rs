//! Plain-text tables of what the sync did: per mailbox and kind, created/updated/deleted on each
//! side, conflicts with the rule that decided them, errors, and the activity log.

use std::fmt::Write as _;

use sync_core::{ConflictRecord, RecordKind, Side};

use super::round::{RoundReport, kind_name};

/// Renders rows as a table with a header and aligned columns.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut out = String::new();
        for (i, cell) in cells.enumerate() {
            let width = widths.get(i).copied().unwrap_or(0);
            let _ = write!(out, "{}{cell:<width$}", if i == 0 { "" } else { "  " });
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(&mut header.iter().copied());
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out += &line(&mut rule.iter().map(String::as_str));
    for row in rows {
        out += &line(&mut row.iter().map(String::as_str));
    }
    out
}

/// One row per kind: `created/updated/deleted` in the CRM and in Exchange.
pub fn counts_table(mailbox: &str, report: &RoundReport) -> String {
    let cell = |c: sync_core::KindCounts| format!("{}/{}/{}", c.created, c.updated, c.deleted);
    let rows: Vec<Vec<String>> = RecordKind::ALL
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            vec![
                mailbox.to_owned(),
                kind_name(*kind).to_owned(),
                cell(report.crm.get(i).copied().unwrap_or_default()),
                cell(report.exchange.get(i).copied().unwrap_or_default()),
            ]
        })
        .collect();
    table(&["mailbox", "kind", "CRM c/u/d", "Exchange c/u/d"], &rows)
}

/// One row per conflict: field, both values, the winner and the rule.
pub fn conflicts_table(mailbox: &str, conflicts: &[ConflictRecord]) -> String {
    let value = |v: &Option<sync_core::Value>| match v {
        Some(sync_core::Value::Text(t)) => format!("{t:?}"),
        Some(other) => format!("{other:?}"),
        None => "(deleted)".to_owned(),
    };
    let rows: Vec<Vec<String>> = conflicts
        .iter()
        .map(|c| {
            vec![
                mailbox.to_owned(),
                c.field.map_or("(record)".to_owned(), |f| format!("{f:?}")),
                value(&c.crm_value),
                value(&c.exchange_value),
                match c.winner {
                    Side::Crm => "CRM".to_owned(),
                    Side::Exchange => "Exchange".to_owned(),
                },
                format!("{:?}", c.decided_by),
            ]
        })
        .collect();
    table(
        &[
            "mailbox",
            "field",
            "CRM value",
            "Exchange value",
            "kept",
            "rule",
        ],
        &rows,
    )
}
