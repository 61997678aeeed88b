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
        url: input.to_owned(),
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
