//! Email addresses, their domains, and the `Domain\User` logon-name helper.

use std::fmt;

use crate::Error;

/// A validated email address whose domain is an IDNA A-label, lowercased.
///
/// The local part is kept as typed (Exchange compares it case-insensitively, but the address is echoed
/// back to the user, so it is not rewritten).
///
/// ```
/// use autodiscover::EmailAddress;
/// let a = EmailAddress::parse("Mara@Bücher.Example").unwrap();
/// assert_eq!(a.domain(), "xn--bcher-kva.example");
/// assert_eq!(a.to_string(), "Mara@xn--bcher-kva.example");
/// assert!(EmailAddress::parse("no-at-sign").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress {
    local: String,
    domain: String,
}

impl EmailAddress {
    /// Parses and normalizes an address: exactly one `@`, a non-empty local part without spaces,
    /// control characters or `<>()[],;:"\`, and a DNS host name as domain (converted to its
    /// lowercased A-label form).
    ///
    /// This checks syntax only; whether the domain may be used for discovery (public suffix,
    /// single label, IP literal) is decided by [`Config`](crate::Config) with its public-suffix
    /// predicate.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::InvalidEmailAddress {
            address: input.to_owned(),
            reason: reason.to_owned(),
        };
        let input_trimmed = input.trim();
        let mut parts = input_trimmed.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid("an address needs exactly one '@'"));
        };
        if local.is_empty() || local.len() > 64 {
            return Err(invalid("the part before '@' must be 1 to 64 characters"));
        }
        if local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c))
        {
            return Err(invalid(
                "the part before '@' contains a space or a character that is not allowed",
            ));
        }
        let domain = normalize_host_name(domain).map_err(|reason| invalid(&reason))?;
        Ok(Self {
            local: local.to_owned(),
            domain,
        })
    }

    /// The part before `@`, as typed.
    pub fn local_part(&self) -> &str {
        &self.local
    }

    /// The domain: lowercased IDNA A-label form, no trailing dot.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Case-insensitive comparison, the way Exchange compares SMTP addresses.
    pub fn same_mailbox(&self, other: &EmailAddress) -> bool {
        self.domain == other.domain && self.local.eq_ignore_ascii_case(&other.local)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmailAddress({self})")
    }
}

impl std::str::FromStr for EmailAddress {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

/// Converts a host name to lowercased A-label form and checks it is a DNS name (letters, digits,
/// hyphens; labels of 1 to 63 characters; at most 253 characters). IP literals are refused.
pub(crate) fn normalize_host_name(input: &str) -> Result<String, String> {
    if input.is_empty() {
        return Err("the domain is empty".into());
    }
    if input.starts_with('[') || input.parse::<std::net::IpAddr>().is_ok() {
        return Err("the domain is an IP address literal".into());
    }
    let host = match url::Host::parse(input) {
        Ok(url::Host::Domain(d)) => d,
        Ok(_) => return Err("the domain is an IP address literal".into()),
        Err(e) => return Err(format!("the domain is not a valid host name ({e})")),
    };
    let host = host.to_ascii_lowercase();
    if host.len() > 253 {
        return Err("the domain is longer than 253 characters".into());
    }
    for label in host.split('.') {
        let ldh = label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if label.is_empty()
            || label.len() > 63
            || !ldh
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Err(format!(
                "the domain label {label:?} is not a valid DNS label"
            ));
        }
    }
    Ok(host)
}

/// A logon name in one of the two forms Exchange accepts: down-level `DOMAIN\user` or a user
/// principal name `user@domain`.
///
/// ```
/// use autodiscover::LogonName;
/// let n = LogonName::parse(r"CONTOSO\mara").unwrap();
/// assert_eq!(n, LogonName::DownLevel { domain: "CONTOSO".into(), user: "mara".into() });
/// assert_eq!(n.to_string(), r"CONTOSO\mara");
/// let err = LogonName::parse("CONTOSO/mara").unwrap_err();
/// assert!(err.to_string().contains("backslash"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogonName {
    /// `DOMAIN\user` (NetBIOS domain, SAM account name).
    DownLevel {
        /// NetBIOS domain name.
        domain: String,
        /// Account name.
        user: String,
    },
    /// `user@domain` (user principal name).
    UserPrincipalName {
        /// Part before `@`.
        user: String,
        /// Part after `@`.
        domain: String,
    },
}

impl LogonName {
    /// Parses `DOMAIN\user` or `user@domain`. `DOMAIN/user` is refused with a message that says to
    /// use a backslash; empty parts, several separators and whitespace are refused.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidUsername {
            username: input.to_owned(),
            reason,
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid("the user name is empty".into()));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("the user name contains whitespace".into()));
        }
        let separators = s.matches(['\\', '@', '/']).count();
        if let Some((domain, user)) = s.split_once('/') {
            if separators == 1 && !domain.is_empty() && !user.is_empty() {
                return Err(invalid(format!(
                    "a forward slash is not a domain separator; use a backslash: {domain}\\{user}"
                )));
            }
        }
        if separators != 1 {
            return Err(invalid(
                r"use either DOMAIN\user or user@domain, with exactly one separator".into(),
            ));
        }
        if let Some((domain, user)) = s.split_once('\\') {
            if domain.is_empty() || user.is_empty() {
                return Err(invalid(
                    r"both DOMAIN and user are needed in DOMAIN\user".into(),
                ));
            }
            return Ok(Self::DownLevel {
                domain: domain.to_owned(),
                user: user.to_owned(),
            });
        }
        if let Some((user, domain)) = s.split_once('@') {
            if domain.is_empty() || user.is_empty() {
                return Err(invalid(
                    "both user and domain are needed in user@domain".into(),
                ));
            }
            return Ok(Self::UserPrincipalName {
                user: user.to_owned(),
                domain: domain.to_owned(),
            });
        }
        Err(invalid(
            r"use either DOMAIN\user or user@domain, with exactly one separator".into(),
        ))
    }
}

impl fmt::Display for LogonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DownLevel { domain, user } => write!(f, "{domain}\\{user}"),
            Self::UserPrincipalName { user, domain } => write!(f, "{user}@{domain}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses() {
        let ok = [
            ("user@example.com", "example.com"),
            ("  A.B+tag@Example.COM ", "example.com"),
            ("u@例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ];
        for (input, domain) in ok {
            assert_eq!(
                EmailAddress::parse(input).unwrap().domain(),
                domain,
                "{input}"
            );
        }
        let bad = [
            "",
            "user",
            "@example.com",
            "user@",
            "a@b@c.com",
            "us er@example.com",
            "user@[127.0.0.1]",
            "user@127.0.0.1",
            "user@exa mple.com",
            "user@-bad.com",
            "user@under_score.com",
            "user@example..com",
        ];
        for input in bad {
            let err = EmailAddress::parse(input).unwrap_err();
            assert!(
                matches!(err, Error::InvalidEmailAddress { .. }),
                "{input}: {err}"
            );
        }
    }

    #[test]
    fn logon_names() {
        assert_eq!(
            LogonName::parse("mara@contoso.com").unwrap(),
            LogonName::UserPrincipalName {
                user: "mara".into(),
                domain: "contoso.com".into()
            }
        );
        let slash = LogonName::parse("CONTOSO/mara").unwrap_err().to_string();
        assert!(slash.contains(r"use a backslash: CONTOSO\mara"), "{slash}");
        for bad in [
            "",
            "mara",
            r"\mara",
            r"CONTOSO\",
            "a@b@c",
            r"A\b@c",
            "x y@z",
        ] {
            assert!(LogonName::parse(bad).is_err(), "{bad}");
        }
    }
}
