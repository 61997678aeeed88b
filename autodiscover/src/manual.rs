//! Validation of a manually configured EWS URL, so callers can skip discovery.

use url::Url;

use crate::Error;

/// Checks a manually configured EWS URL: `https://`, a host, no user info, and a path ending in
/// `/EWS/Exchange.asmx` (case-insensitive, as IIS treats it).
///
/// ```
/// use autodiscover::validate_ews_url;
/// assert!(validate_ews_url("https://mail.contoso.com/EWS/Exchange.asmx").is_ok());
/// let err = validate_ews_url("http://mail.contoso.com/EWS/Exchange.asmx").unwrap_err();
/// assert!(err.to_string().contains("https://"));
/// let err = validate_ews_url("https://mail.contoso.com/owa").unwrap_err();
/// assert!(err.to_string().contains("/EWS/Exchange.asmx"));
/// ```
pub fn validate_ews_url(input: &str) -> Result<Url, Error> {
    let invalid = |reason: String| Error::InvalidEwsUrl {
        url: without_user_info(input),
        reason,
    };
    let example = "for example https://mail.contoso.com/EWS/Exchange.asmx";
    let url = Url::parse(input.trim())
        .map_err(|e| invalid(format!("not an absolute URL ({e}); {example}")))?;
    if url.scheme() != "https" {
        return Err(invalid(format!(
            "the URL must start with https:// (credentials are never sent over {}://); {example}",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(format!("the URL has no host; {example}")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "the URL must not contain a user name or password; configure credentials separately"
                .into(),
        ));
    }
    if !url
        .path()
        .to_ascii_lowercase()
        .ends_with("/ews/exchange.asmx")
    {
        return Err(invalid(format!(
            "the path must end in /EWS/Exchange.asmx (got {:?}); {example}",
            url.path()
        )));
    }
    Ok(url)
}

/// `input` with any user name and password between `scheme://` and the host replaced by `***`, so an
/// error message never repeats credentials a caller put in a URL (even one that does not parse).
fn without_user_info(input: &str) -> String {
    let Some(scheme_end) = input.find("://") else {
        return input.to_owned();
    };
    let authority_start = scheme_end + 3;
    let rest = &input[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_len].rfind('@') {
        Some(at) => format!(
            "{}***{}",
            &input[..authority_start],
            &input[authority_start + at..]
        ),
        None => input.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_repeat_credentials_written_into_the_url() {
        for input in [
            "https://alice:Secret123@mail.contoso.com/EWS/Exchange.asmx",
            "http://alice:Secret123@mail.contoso.com/EWS/Exchange.asmx",
            "https://alice:Secret123@mail.contoso.com/owa",
            "https://alice:Secret123@[bad host/EWS/Exchange.asmx",
            "https://CONTOSO%5Calice:Secret123@mail.contoso.com/EWS/Exchange.asmx",
        ] {
            let err = validate_ews_url(input).unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("Secret123"), "{shown}");
            assert!(!shown.contains("alice"), "{shown}");
            assert!(shown.contains("***@"), "{shown}");
        }
    }

    #[test]
    fn urls_without_user_info_are_shown_as_given() {
        let err = validate_ews_url("https://mail.contoso.com/owa?user=a@b").unwrap_err();
        assert!(
            err.to_string()
                .contains("https://mail.contoso.com/owa?user=a@b"),
            "{err}"
        );
    }
}
