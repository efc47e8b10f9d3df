//! Access tokens and the trait of everything that can obtain one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use super::{AuthError, Secret};
use crate::meta::SecurityScheme;

/// An access token and the moment it stops being valid.
///
/// `Debug` shows how long the token has left, never its value.
#[derive(Clone)]
pub struct AccessToken {
    value: Secret,
    expires_at: Instant,
    lifetime: Duration,
}

impl AccessToken {
    /// A token that expires `expires_in` from now.
    pub fn new(value: Secret, expires_in: Duration) -> Self {
        let now = Instant::now();
        // A server can claim any lifetime; one too large for `Instant` is
        // treated as "a year", which outlives any process that would care.
        let expires_at = now
            .checked_add(expires_in)
            .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 60 * 60)))
            .unwrap_or(now);
        Self {
            value,
            expires_at,
            lifetime: expires_at - now,
        }
    }

    /// The bearer value.
    pub fn secret(&self) -> &Secret {
        &self.value
    }

    /// When the token stops being valid.
    pub fn expires_at(&self) -> Instant {
        self.expires_at
    }

    /// How long the token was valid for when it was issued.
    pub(crate) fn lifetime(&self) -> Duration {
        self.lifetime
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &self.value)
            .field(
                "expires_in",
                &self.expires_at.saturating_duration_since(Instant::now()),
            )
            .finish()
    }
}

/// Anything that can obtain a fresh access token for a set of scopes.
///
/// Implementations do one round trip per call and keep no cache of their own:
/// [`TokenCache`](super::TokenCache) decides when a new token is needed. The
/// trait is dyn-compatible, so a cache can hold any source as
/// `Arc<dyn TokenSource>`.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// Obtains a new token valid for `scopes` (which may be empty when the
    /// source asks for a fixed resource instead).
    fn fetch<'a>(
        &'a self,
        scopes: &'a [&'a str],
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>>;

    /// The security scheme this source was made for, when it knows (a
    /// source started from a scheme, such as
    /// [`SecurityScheme::client_credentials`], does; the default is `None`).
    /// The client builder refuses to use the source with another scheme.
    fn security_scheme(&self) -> Option<&SecurityScheme> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_lifetimes_do_not_overflow() {
        let token = AccessToken::new(Secret::new("t"), Duration::MAX);
        assert!(token.expires_at() > Instant::now());
    }

    #[test]
    fn debug_shows_remaining_time_not_value() {
        let token = AccessToken::new(Secret::new("sentinel-token"), Duration::from_secs(60));
        let debug = format!("{token:?}");
        assert!(!debug.contains("sentinel-token"), "{debug}");
        assert!(debug.contains("expires_in"), "{debug}");
    }
}
