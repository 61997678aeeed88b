//! Evaluating FindItem and FindFolder restrictions against properties read as text.

use ews_types::restriction::{
    Comparison, ContainmentComparison, ContainmentMode, Operand, SearchExpression,
};
use ews_types::types::PropertyPath;
use jiff::Timestamp;

/// Whether the entity whose properties `values` reads matches `expression`.
pub(crate) fn matches(
    expression: &SearchExpression,
    values: &dyn Fn(&PropertyPath) -> Vec<String>,
) -> bool {
    match expression {
        SearchExpression::Exists(path) => !values(path).is_empty(),
        SearchExpression::Compare {
            comparison,
            path,
            operand,
        } => {
            let right: Vec<String> = match operand {
                Operand::Constant(c) => vec![c.clone()],
                Operand::Path(p) => values(p),
            };
            let left = values(path);
            if *comparison == Comparison::IsNotEqualTo {
                return !left.iter().any(|l| {
                    right
                        .iter()
                        .any(|r| compare(l, r) == std::cmp::Ordering::Equal)
                });
            }
            left.iter().any(|l| {
                right.iter().any(|r| {
                    let order = compare(l, r);
                    match comparison {
                        Comparison::IsEqualTo => order.is_eq(),
                        Comparison::IsGreaterThan => order.is_gt(),
                        Comparison::IsGreaterThanOrEqualTo => order.is_ge(),
                        Comparison::IsLessThan => order.is_lt(),
                        Comparison::IsLessThanOrEqualTo => order.is_le(),
                        _ => false,
                    }
                })
            })
        }
        SearchExpression::Contains {
            path,
            value,
            mode,
            comparison,
        } => {
            let ignore_case = !matches!(
                comparison,
                Some(ContainmentComparison::Exact) | Some(ContainmentComparison::Loose)
            );
            let fold = |s: &str| {
                if ignore_case {
                    s.to_lowercase()
                } else {
                    s.to_owned()
                }
            };
            let needle = fold(value);
            values(path).iter().any(|v| {
                let hay = fold(v);
                match mode {
                    Some(ContainmentMode::FullString) => hay == needle,
                    Some(ContainmentMode::Prefixed) => hay.starts_with(&needle),
                    Some(ContainmentMode::PrefixOnWords) => {
                        hay.split_whitespace().any(|w| w.starts_with(&needle))
                    }
                    _ => hay.contains(&needle),
                }
            })
        }
        SearchExpression::Excludes { path, value } => {
            let mask = parse_int(value).unwrap_or(0);
            values(path)
                .iter()
                .filter_map(|v| parse_int(v))
                .all(|v| v & mask == 0)
        }
        SearchExpression::Not(inner) => !matches(inner, values),
        SearchExpression::And(all) => all.iter().all(|e| matches(e, values)),
        SearchExpression::Or(any) => any.iter().any(|e| matches(e, values)),
        _ => false,
    }
}

fn parse_int(text: &str) -> Option<i64> {
    let t = text.trim();
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}

/// Compares two property values: as instants, numbers or booleans when both read as such, otherwise
/// as text ignoring case (as Exchange compares strings).
pub(crate) fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    if let (Ok(x), Ok(y)) = (a.trim().parse::<Timestamp>(), b.trim().parse::<Timestamp>()) {
        return x.cmp(&y);
    }
    if let (Ok(x), Ok(y)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        return x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
    }
    if let (Ok(x), Ok(y)) = (a.trim().parse::<bool>(), b.trim().parse::<bool>()) {
        return x.cmp(&y);
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}
