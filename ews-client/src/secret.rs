//! [`Secret`]: a string that never shows itself in `Debug` output, logs or errors.

use std::fmt;

/// A secret string: a password, an access token, a client secret.
///
/// `Debug` prints `Secret([redacted])`, and there is no `Display`: the only way to the value is
/// [`Secret::expose`], so every place that reveals it is easy to find.
///
/// ```
/// use ews_client::Secret;
/// let password = Secret::new("Pa55w0rd!");
/// assert_eq!(format!("{password:?}"), "Secret([redacted])");
/// assert_eq!(password.expose(), "Pa55w0rd!");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Call this only where the value goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}
