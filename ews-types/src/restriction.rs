//! Search filters for FindItem and FindFolder (`Restriction`).
//!
//! ```
//! use ews_types::restriction::SearchExpression;
//! use ews_types::types::PropertyPath;
//!
//! // Items in the "CRM" category whose subject contains "invoice".
//! let filter = SearchExpression::And(vec![
//!     SearchExpression::is_equal_to(PropertyPath::field("item:Categories"), "CRM"),
//!     SearchExpression::contains(PropertyPath::field("item:Subject"), "invoice"),
//! ]);
//! # let _ = filter;
//! ```

use crate::error::{Error, Result};
use crate::types::PropertyPath;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, open_enum};
use crate::xml::{XmlChoice, read_one_choice};

open_enum! {
    /// Which part of a value a `Contains` filter matches.
    pub enum ContainmentMode {
        /// The whole value.
        FullString = "FullString",
        /// A prefix.
        Prefixed = "Prefixed",
        /// Any substring.
        Substring = "Substring",
        /// A prefix of any word.
        PrefixOnWords = "PrefixOnWords",
        /// A whole phrase.
        ExactPhrase = "ExactPhrase",
    }
}

open_enum! {
    /// How a `Contains` filter compares.
    pub enum ContainmentComparison {
        /// Exactly.
        Exact = "Exact",
        /// Ignoring case.
        IgnoreCase = "IgnoreCase",
        /// Ignoring non-spacing characters.
        IgnoreNonSpacingCharacters = "IgnoreNonSpacingCharacters",
        /// Loosely.
        Loose = "Loose",
        /// Ignoring case and non-spacing characters.
        IgnoreCaseAndNonSpacingCharacters = "IgnoreCaseAndNonSpacingCharacters",
        /// Loosely, ignoring case.
        LooseAndIgnoreCase = "LooseAndIgnoreCase",
        /// Loosely, ignoring non-spacing characters.
        LooseAndIgnoreNonSpace = "LooseAndIgnoreNonSpace",
        /// Loosely, ignoring case and non-spacing characters.
        LooseAndIgnoreCaseAndIgnoreNonSpace = "LooseAndIgnoreCaseAndIgnoreNonSpace",
    }
}

/// The right-hand side of a comparison: a constant or another property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// A constant value (dates as `xs:dateTime`, booleans as `true`/`false`).
    Constant(String),
    /// Another property.
    Path(PropertyPath),
}

/// The comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Comparison {
    /// `IsEqualTo`.
    IsEqualTo,
    /// `IsNotEqualTo`.
    IsNotEqualTo,
    /// `IsGreaterThan`.
    IsGreaterThan,
    /// `IsGreaterThanOrEqualTo`.
    IsGreaterThanOrEqualTo,
    /// `IsLessThan`.
    IsLessThan,
    /// `IsLessThanOrEqualTo`.
    IsLessThanOrEqualTo,
}

impl Comparison {
    fn element(self) -> &'static str {
        match self {
            Comparison::IsEqualTo => "IsEqualTo",
            Comparison::IsNotEqualTo => "IsNotEqualTo",
            Comparison::IsGreaterThan => "IsGreaterThan",
            Comparison::IsGreaterThanOrEqualTo => "IsGreaterThanOrEqualTo",
            Comparison::IsLessThan => "IsLessThan",
            Comparison::IsLessThanOrEqualTo => "IsLessThanOrEqualTo",
        }
    }

    fn from_element(name: &str) -> Option<Self> {
        Some(match name {
            "IsEqualTo" => Comparison::IsEqualTo,
            "IsNotEqualTo" => Comparison::IsNotEqualTo,
            "IsGreaterThan" => Comparison::IsGreaterThan,
            "IsGreaterThanOrEqualTo" => Comparison::IsGreaterThanOrEqualTo,
            "IsLessThan" => Comparison::IsLessThan,
            "IsLessThanOrEqualTo" => Comparison::IsLessThanOrEqualTo,
            _ => return None,
        })
    }
}

/// A search expression (the schema's `SearchExpression` substitution group).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SearchExpression {
    /// The property has a value.
    Exists(PropertyPath),
    /// `path <comparison> operand`.
    Compare {
        /// The operator.
        comparison: Comparison,
        /// The property compared.
        path: PropertyPath,
        /// What it is compared with.
        operand: Operand,
    },
    /// The string property contains `value`.
    Contains {
        /// The property.
        path: PropertyPath,
        /// The text sought.
        value: String,
        /// Which part of the value matches (default: substring).
        mode: Option<ContainmentMode>,
        /// How to compare (default: ignoring case).
        comparison: Option<ContainmentComparison>,
    },
    /// The bitmask property has none of the bits of `value` set.
    Excludes {
        /// The property.
        path: PropertyPath,
        /// The bitmask, as a decimal or `0x` hexadecimal string.
        value: String,
    },
    /// Negation.
    Not(Box<SearchExpression>),
    /// All of the expressions.
    And(Vec<SearchExpression>),
    /// Any of the expressions.
    Or(Vec<SearchExpression>),
}

impl SearchExpression {
    /// `path == value`.
    pub fn is_equal_to(path: PropertyPath, value: impl Into<String>) -> Self {
        SearchExpression::Compare {
            comparison: Comparison::IsEqualTo,
            path,
            operand: Operand::Constant(value.into()),
        }
    }

    /// `path` contains `value` as a substring, ignoring case.
    pub fn contains(path: PropertyPath, value: impl Into<String>) -> Self {
        SearchExpression::Contains {
            path,
            value: value.into(),
            mode: Some(ContainmentMode::Substring),
            comparison: Some(ContainmentComparison::IgnoreCase),
        }
    }
}

impl XmlChoice for SearchExpression {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            SearchExpression::Exists(path) => {
                w.open("t:Exists").close();
                path.write_choice(w);
                w.end("t:Exists");
            }
            SearchExpression::Compare {
                comparison,
                path,
                operand,
            } => {
                let tag = format!("t:{}", comparison.element());
                w.open(&tag).close();
                path.write_choice(w);
                w.open("t:FieldURIOrConstant").close();
                match operand {
                    Operand::Constant(value) => {
                        w.open("t:Constant").attr("Value", value).close_empty();
                    }
                    Operand::Path(other) => other.write_choice(w),
                }
                w.end("t:FieldURIOrConstant");
                w.end(&tag);
            }
            SearchExpression::Contains {
                path,
                value,
                mode,
                comparison,
            } => {
                w.open("t:Contains")
                    .attr_opt(
                        "ContainmentMode",
                        mode.as_ref().map(ContainmentMode::as_str),
                    )
                    .attr_opt(
                        "ContainmentComparison",
                        comparison.as_ref().map(ContainmentComparison::as_str),
                    )
                    .close();
                path.write_choice(w);
                w.open("t:Constant").attr("Value", value).close_empty();
                w.end("t:Contains");
            }
            SearchExpression::Excludes { path, value } => {
                w.open("t:Excludes").close();
                path.write_choice(w);
                w.open("t:Bitmask").attr("Value", value).close_empty();
                w.end("t:Excludes");
            }
            SearchExpression::Not(inner) => {
                w.open("t:Not").close();
                inner.write_choice(w);
                w.end("t:Not");
            }
            SearchExpression::And(all) | SearchExpression::Or(all) => {
                let tag = if matches!(self, SearchExpression::And(_)) {
                    "t:And"
                } else {
                    "t:Or"
                };
                w.open(tag).close();
                for expression in all {
                    expression.write_choice(w);
                }
                w.end(tag);
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let name = start.local_name().to_owned();
        if let Some(comparison) = Comparison::from_element(&name) {
            let mut path = None;
            let mut operand = None;
            r.children(start, |r, child| {
                if child.local_name() == "FieldURIOrConstant" {
                    r.children(child, |r, inner| {
                        if inner.local_name() == "Constant" {
                            operand = Some(Operand::Constant(inner.required_attr("Value")?));
                            r.skip(inner)?;
                            return Ok(true);
                        }
                        if let Some(other) = PropertyPath::read_choice(r, inner)? {
                            operand = Some(Operand::Path(other));
                            return Ok(true);
                        }
                        Ok(false)
                    })?;
                    return Ok(true);
                }
                Ok(match PropertyPath::read_choice(r, child)? {
                    Some(found) => {
                        path = Some(found);
                        true
                    }
                    None => false,
                })
            })?;
            return Ok(Some(SearchExpression::Compare {
                comparison,
                path: path.ok_or_else(|| Error::missing("FieldURI", &name))?,
                operand: operand.ok_or_else(|| Error::missing("FieldURIOrConstant", &name))?,
            }));
        }
        let expression = match name.as_str() {
            "Exists" => SearchExpression::Exists(read_one_choice(r, start, "FieldURI")?),
            "Contains" | "Excludes" => {
                let mode = start
                    .attr("ContainmentMode")?
                    .map(|m| ContainmentMode::from_wire(&m));
                let comparison = start
                    .attr("ContainmentComparison")?
                    .map(|c| ContainmentComparison::from_wire(&c));
                let mut path = None;
                let mut value = None;
                r.children(start, |r, child| {
                    if matches!(child.local_name(), "Constant" | "Bitmask") {
                        value = Some(child.required_attr("Value")?);
                        r.skip(child)?;
                        return Ok(true);
                    }
                    Ok(match PropertyPath::read_choice(r, child)? {
                        Some(found) => {
                            path = Some(found);
                            true
                        }
                        None => false,
                    })
                })?;
                let path = path.ok_or_else(|| Error::missing("FieldURI", &name))?;
                let value = value.ok_or_else(|| Error::missing("Constant", &name))?;
                if name == "Contains" {
                    SearchExpression::Contains {
                        path,
                        value,
                        mode,
                        comparison,
                    }
                } else {
                    SearchExpression::Excludes { path, value }
                }
            }
            "Not" => {
                SearchExpression::Not(Box::new(read_one_choice(r, start, "search expression")?))
            }
            "And" | "Or" => {
                let all = Vec::read_element(r, start)?;
                if name == "And" {
                    SearchExpression::And(all)
                } else {
                    SearchExpression::Or(all)
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(expression))
    }
}

/// A `Restriction` element: the wrapper around one search expression.
impl XmlElement for SearchExpression {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.write_choice(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_one_choice(r, start, "search expression")
    }
}
