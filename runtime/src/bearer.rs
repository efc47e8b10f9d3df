//! A token the caller already has.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::auth::{AccessToken, AuthError, Secret, TokenSource};

/// A fixed bearer token obtained elsewhere (for a `type: http, scheme:
/// bearer` security scheme). It is sent until it is rejected; after a 401 it
/// is offered once more and the 401 is then returned.
#[derive(Debug, Clone)]
pub struct BearerToken(Secret);

impl BearerToken {
    /// Wraps a token.
    pub fn new(token: Secret) -> Self {
        BearerToken(token)
    }
}

impl TokenSource for BearerToken {
    fn fetch<'a>(
        &'a self,
        _scopes: &'a [&'a str],
    ) -> Pin<Box<dyn Future<Output = Result<AccessToken, AuthError>> + Send + 'a>> {
        // A day: the cache should not treat it as expiring.
        let token = AccessToken::new(self.0.clone(), Duration::from_secs(24 * 3600));
        Box::pin(async move { Ok(token) })
    }
}
