#![doc = include_str!("../README.md")]

// The generated module is formatted by prettyplease, not rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::*;
