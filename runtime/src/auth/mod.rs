//! OAuth2 access tokens for the generated clients.
//!
//! A [`TokenSource`] obtains tokens from an identity service; a
//! [`TokenCache`] in front of it reuses each token until shortly before it
//! expires and makes sure concurrent requests cause one fetch, not many.
//!
//! Two sources cover both vendors:
//!
//! - [`ClientCredentials`]: an app acting as itself, proving its identity
//!   with a client secret or with a certificate's private key (a signed JWT
//!   client assertion). AvePoint Elements asks for a `scope`; Microsoft Entra
//!   ID v1, which issues Partner Center tokens, asks for a `resource` instead.
//! - [`RefreshToken`]: an app acting for a user (Partner Center's app + user
//!   model), redeeming a stored refresh token and keeping the rotated one the
//!   server returns.
//!
//! Token URLs must be `https`. Secrets travel as [`Secret`], whose `Debug` and
//! `Display` print `***`, and no [`AuthError`] ever contains a secret, key or
//! token.
//!
//! ```no_run
//! use partner_api_runtime::auth::{ClientCredential, ClientCredentials, Secret, TokenCache};
//!
//! # async fn example(client_secret: String) -> Result<(), partner_api_runtime::auth::AuthError> {
//! let source = ClientCredentials::builder(
//!     "https://login.microsoftonline.com/{tenantId}/oauth2/token",
//!     "00000000-0000-0000-0000-000000000000",
//!     ClientCredential::Secret(Secret::new(client_secret)),
//! )
//! .url_parameter("tenantId", "contoso.onmicrosoft.com")
//! .resource("https://api.partnercenter.microsoft.com")
//! .build()?;
//! let tokens = TokenCache::new(source);
//! let bearer = tokens.token(&[]).await?;
//! # let _ = bearer;
//! # Ok(())
//! # }
//! ```

mod cache;
mod endpoint;
mod error;
mod oauth;
mod secret;
mod token;

pub use cache::{BearerHeader, TokenCache};
pub use error::AuthError;
pub use oauth::{
    Certificate, ClientCredential, ClientCredentials, ClientCredentialsBuilder, RefreshToken,
    RefreshTokenBuilder,
};
pub use secret::Secret;
pub use token::{AccessToken, TokenSource};
