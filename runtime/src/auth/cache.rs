//! A per-scope-set token cache in front of a [`TokenSource`].

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use super::{AccessToken, AuthError, Secret, TokenSource};

/// How long before expiry a cached token is replaced, unless configured.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Caches access tokens per set of scopes and fetches a new one shortly before
/// the cached one expires.
///
/// A token is reused until `refresh_margin` (60 s unless set with
/// [`with_refresh_margin`](Self::with_refresh_margin)) before it expires; for
/// tokens that live less than twice the margin, until half their lifetime, so
/// a short-lived token is still reused rather than fetched on every call.
///
/// Fetches are single-flight: however many tasks ask for the same scope set
/// while no usable token is cached, the source is asked once, and every task
/// that waited gets that fetch's token or its error. Scope sets are compared
/// as sets, so `["a", "b"]` and `["b", "a"]` share a token.
///
/// Cloning is cheap and clones share the cache.
#[derive(Clone, Debug)]
pub struct TokenCache {
    shared: Arc<Shared>,
    refresh_margin: Duration,
}

struct Shared {
    source: Arc<dyn TokenSource>,
    slots: std::sync::Mutex<HashMap<Vec<String>, Arc<Slot>>>,
}

/// The cache entry of one scope set.
#[derive(Default)]
struct Slot {
    /// Number of fetches that have finished, read before waiting for `state`
    /// so that a waiter can tell whether a fetch completed while it waited.
    finished_fetches: AtomicU64,
    /// Held for the whole of a fetch: this lock is what makes fetches
    /// single-flight.
    state: tokio::sync::Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    token: Option<AccessToken>,
    /// The error of the latest fetch, if it failed.
    failure: Option<AuthError>,
}

impl TokenCache {
    /// A cache in front of `source`.
    pub fn new(source: impl TokenSource + 'static) -> Self {
        Self::from_arc(Arc::new(source))
    }

    /// A cache in front of a shared source, for callers that keep a handle to
    /// it (for example to read a rotated refresh token).
    pub fn from_arc(source: Arc<dyn TokenSource>) -> Self {
        Self {
            shared: Arc::new(Shared {
                source,
                slots: std::sync::Mutex::new(HashMap::new()),
            }),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
        }
    }

    /// Replaces cached tokens `margin` before they expire instead of 60 s.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// A valid access token for `scopes`, from the cache or freshly fetched.
    pub async fn token(&self, scopes: &[&str]) -> Result<Secret, AuthError> {
        let slot = self.shared.slot(scopes);
        let finished_before = slot.finished_fetches.load(Ordering::Acquire);
        let mut state = slot.state.lock().await;
        // True when another task's fetch finished while this one waited for
        // the lock: its outcome is the freshest there is, so it is shared
        // rather than repeated.
        let joined = slot.finished_fetches.load(Ordering::Acquire) != finished_before;
        let now = Instant::now();

        if let Some(token) = &state.token {
            if now < self.refresh_at(token) || (joined && now < token.expires_at()) {
                return Ok(token.secret().clone());
            }
        }
        if joined {
            if let Some(error) = &state.failure {
                return Err(error.clone());
            }
        }

        let result = self.shared.source.fetch(scopes).await;
        slot.finished_fetches.fetch_add(1, Ordering::Release);
        match result {
            Ok(token) => {
                let secret = token.secret().clone();
                state.token = Some(token);
                state.failure = None;
                Ok(secret)
            }
            Err(error) => {
                state.failure = Some(error.clone());
                // A token inside its refresh margin is still valid; using it
                // rides out a brief outage of the token endpoint.
                match &state.token {
                    Some(token) if Instant::now() < token.expires_at() => {
                        Ok(token.secret().clone())
                    }
                    _ => Err(error),
                }
            }
        }
    }

    /// Forgets the cached token for `scopes` if it is still `rejected`.
    ///
    /// Call this after the API answered 401 to a request that carried
    /// `rejected`. When many requests fail with the same stale token, the
    /// first call drops it, the next [`token`](Self::token) fetches a new one
    /// and the remaining calls find a different token cached and leave it
    /// alone: one refresh, not one per failed request.
    pub async fn invalidate(&self, scopes: &[&str], rejected: &Secret) {
        let Some(slot) = self.shared.existing_slot(scopes) else {
            return;
        };
        let mut state = slot.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|token| token.secret() == rejected)
        {
            state.token = None;
        }
    }

    /// When a cached token should be replaced.
    fn refresh_at(&self, token: &AccessToken) -> Instant {
        let margin = self.refresh_margin.min(token.lifetime() / 2);
        token
            .expires_at()
            .checked_sub(margin)
            .unwrap_or_else(|| token.expires_at())
    }
}

impl Shared {
    fn slot(&self, scopes: &[&str]) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slots.entry(scope_key(scopes)).or_default())
    }

    fn existing_slot(&self, scopes: &[&str]) -> Option<Arc<Slot>> {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.get(&scope_key(scopes)).cloned()
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope_sets = self
            .slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        f.debug_struct("Shared")
            .field("source", &self.source)
            .field("scope_sets", &scope_sets)
            .finish()
    }
}

/// The cache key of a scope set: sorted and without duplicates.
fn scope_key(scopes: &[&str]) -> Vec<String> {
    let mut key: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    key.sort_unstable();
    key.dedup();
    key
}

#[cfg(test)]
mod tests {
    use super::scope_key;

    #[test]
    fn scope_sets_ignore_order_and_duplicates() {
        assert_eq!(scope_key(&["b", "a", "b"]), scope_key(&["a", "b"]));
        assert_ne!(scope_key(&["a"]), scope_key(&["a", "b"]));
    }
}
