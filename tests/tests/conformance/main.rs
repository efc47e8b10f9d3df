//! Conformance tests: the generated clients in `generated/` against the
//! samples documented in `specs/`, in one test binary.
//!
//! - [`avepoint`] and [`partner_center`]: every documented response sample
//!   round-trips through its generated type, and every operation is called
//!   through the generated client against a real HTTP server on loopback
//!   (httpmock) that checks the documented request and returns the sample;
//! - [`schemas`]: every sample matches its JSON Schema, and the validator
//!   rejects mutated samples.

mod avepoint;
mod partner_center;
mod schemas;
