//! A per-scope-set token cache in front of a [`TokenSource`].

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;

use super::{AccessToken, AuthError, Secret, TokenSource};
use crate::meta::SecurityScheme;

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
    /// One entry per scope set. A list, not a map: there are a handful of
    /// scope sets, and comparing in place avoids building a key per request.
    slots: std::sync::Mutex<Vec<Entry>>,
}

/// The cache entry of one scope set, as the list holds it.
struct Entry {
    /// The scope set, sorted and without duplicates.
    key: Vec<String>,
    /// The token the slot holds, readable under this list's lock, so that a
    /// call whose token is not due for refresh takes one short lock and no
    /// `await` ([`TokenCache::get`]); `None` when the slot holds none.
    /// Written under the slot's `state` lock whenever `state.token`
    /// changes; a due token here sends the caller to the slot.
    fresh: Option<Arc<Stored>>,
    slot: Arc<Slot>,
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
    token: Option<Arc<Stored>>,
    /// The error of the latest fetch, if it failed.
    failure: Option<AuthError>,
}

/// A cached token with its `Authorization` header value, built once so that
/// requests clone a shared buffer instead of formatting the token each time.
struct Stored {
    token: AccessToken,
    header: HeaderValue,
}

impl Stored {
    fn new(token: AccessToken) -> Result<Self, AuthError> {
        let mut header = HeaderValue::from_str(&format!("Bearer {}", token.secret().expose()))
            .map_err(|_| AuthError::UnusableToken)?;
        header.set_sensitive(true);
        Ok(Stored { token, header })
    }
}

/// The `Authorization: Bearer <token>` value for a request, marked
/// sensitive; its `Debug` does not show the token.
#[derive(Clone)]
pub struct BearerHeader(HeaderValue);

impl BearerHeader {
    /// The header value to send.
    pub fn value(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Debug for BearerHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerHeader(***)")
    }
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
                slots: std::sync::Mutex::new(Vec::new()),
            }),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
        }
    }

    /// The security scheme the cached source was made for, if it says
    /// ([`TokenSource::security_scheme`]).
    pub fn security_scheme(&self) -> Option<&SecurityScheme> {
        self.shared.source.security_scheme()
    }

    /// Replaces cached tokens `margin` before they expire instead of 60 s.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// A valid access token for `scopes`, from the cache or freshly fetched.
    pub async fn token(&self, scopes: &[&str]) -> Result<Secret, AuthError> {
        self.get(scopes, |stored| stored.token.secret().clone())
            .await
    }

    /// Like [`token`](Self::token), as the ready `Authorization` header
    /// value; cheap to call per request.
    pub async fn bearer(&self, scopes: &[&str]) -> Result<BearerHeader, AuthError> {
        self.get(scopes, |stored| BearerHeader(stored.header.clone()))
            .await
    }

    /// The `Authorization` header value of a cached token for `scopes`
    /// that is not due for refresh, without waiting for anything; `None`
    /// when [`bearer`](Self::bearer) has to fetch or wait for a fetch.
    /// The send path tries this first, so that the common case needs no
    /// future of the cache's.
    pub(crate) fn fresh_bearer(&self, scopes: &[&str]) -> Option<BearerHeader> {
        self.fresh(scopes, |stored| BearerHeader(stored.header.clone()))
            .ok()
    }

    /// `pick` of the cached token for `scopes` if it is not due for
    /// refresh; otherwise the slot to fetch one in.
    fn fresh<T>(&self, scopes: &[&str], pick: impl Fn(&Stored) -> T) -> Result<T, Arc<Slot>> {
        let now = Instant::now();
        let due = |stored: &Stored| now >= self.refresh_at(&stored.token);
        self.shared.fresh_or_slot(scopes, due, pick)
    }

    async fn get<T>(&self, scopes: &[&str], pick: impl Fn(&Stored) -> T) -> Result<T, AuthError> {
        // The common case: a token that is not due for refresh yet.
        let slot = match self.fresh(scopes, &pick) {
            Ok(picked) => return Ok(picked),
            Err(slot) => slot,
        };
        let finished_before = slot.finished_fetches.load(Ordering::Acquire);
        let mut state = slot.state.lock().await;
        // True when another task's fetch finished while this one waited for
        // the lock: its outcome is the freshest there is, so it is shared
        // rather than repeated.
        let joined = slot.finished_fetches.load(Ordering::Acquire) != finished_before;
        let now = Instant::now();

        if let Some(stored) = &state.token {
            if now < self.refresh_at(&stored.token) || (joined && now < stored.token.expires_at()) {
                return Ok(pick(stored));
            }
        }
        if joined {
            if let Some(error) = &state.failure {
                return Err(error.clone());
            }
        }

        let result = self.shared.source.fetch(scopes).await.and_then(Stored::new);
        slot.finished_fetches.fetch_add(1, Ordering::Release);
        match result {
            Ok(stored) => {
                let stored = Arc::new(stored);
                let picked = pick(&stored);
                self.shared.set_fresh(&slot, Some(Arc::clone(&stored)));
                state.token = Some(stored);
                state.failure = None;
                Ok(picked)
            }
            Err(error) => {
                state.failure = Some(error.clone());
                // A token inside its refresh margin is still valid; using it
                // rides out a brief outage of the token endpoint.
                match &state.token {
                    Some(stored) if Instant::now() < stored.token.expires_at() => Ok(pick(stored)),
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
        self.drop_if(scopes, |stored| stored.token.secret() == rejected)
            .await;
    }

    /// [`invalidate`](Self::invalidate) for a token sent as a
    /// [`BearerHeader`].
    pub async fn invalidate_bearer(&self, scopes: &[&str], rejected: &BearerHeader) {
        self.drop_if(scopes, |stored| stored.header == rejected.0)
            .await;
    }

    async fn drop_if(&self, scopes: &[&str], stale: impl Fn(&Stored) -> bool) {
        let Some(slot) = self.shared.existing_slot(scopes) else {
            return;
        };
        let mut state = slot.state.lock().await;
        if state.token.as_deref().is_some_and(stale) {
            state.token = None;
            self.shared.set_fresh(&slot, None);
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
    fn lock_slots(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `pick` of the token for `scopes` if one is cached and not `due` for
    /// refresh; otherwise the slot of `scopes` (made if new), to fetch one
    /// in.
    fn fresh_or_slot<T>(
        &self,
        scopes: &[&str],
        due: impl Fn(&Stored) -> bool,
        pick: impl Fn(&Stored) -> T,
    ) -> Result<T, Arc<Slot>> {
        let mut slots = self.lock_slots();
        if let Some(entry) = slots.iter().find(|e| same_set(&e.key, scopes)) {
            return match &entry.fresh {
                Some(stored) if !due(stored) => Ok(pick(stored)),
                _ => Err(Arc::clone(&entry.slot)),
            };
        }
        let slot = Arc::new(Slot::default());
        slots.push(Entry {
            key: scope_key(scopes),
            fresh: None,
            slot: Arc::clone(&slot),
        });
        Err(slot)
    }

    /// Records the token `slot` now holds for the short path (`None`: none).
    fn set_fresh(&self, slot: &Arc<Slot>, stored: Option<Arc<Stored>>) {
        let mut slots = self.lock_slots();
        if let Some(entry) = slots.iter_mut().find(|e| Arc::ptr_eq(&e.slot, slot)) {
            entry.fresh = stored;
        }
    }

    fn existing_slot(&self, scopes: &[&str]) -> Option<Arc<Slot>> {
        self.lock_slots()
            .iter()
            .find(|e| same_set(&e.key, scopes))
            .map(|e| Arc::clone(&e.slot))
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope_sets = self.lock_slots().len();
        f.debug_struct("Shared")
            .field("source", &self.source)
            .field("scope_sets", &scope_sets)
            .finish()
    }
}

/// Whether `scopes` is the set `key` (sorted, without duplicates) holds.
fn same_set(key: &[String], scopes: &[&str]) -> bool {
    scopes.iter().all(|s| key.iter().any(|k| k == s))
        && key.iter().all(|k| scopes.contains(&k.as_str()))
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
    use super::{same_set, scope_key};

    #[test]
    fn scope_sets_ignore_order_and_duplicates() {
        assert_eq!(scope_key(&["b", "a", "b"]), scope_key(&["a", "b"]));
        assert_ne!(scope_key(&["a"]), scope_key(&["a", "b"]));
        let key = scope_key(&["a", "b"]);
        assert!(same_set(&key, &["b", "a", "b"]));
        assert!(!same_set(&key, &["a"]));
        assert!(!same_set(&key, &["a", "b", "c"]));
        assert!(same_set(&scope_key(&[]), &[]));
    }
}
