//! The public-API comparison: one small before/after pair per SemVer rule.
//! `codegen`'s tests run it on the real generator's output.

use api_surface::{api_diff, api_semver, ApiChange, ApiChangeKind, Semver};

use ApiChangeKind::{Added, Changed, Removed};
use Semver::{Major, Minor, Patch};

/// The changes between two snippets, as (item, kind, level).
fn changes(before: &str, after: &str) -> Vec<(String, ApiChangeKind, Semver)> {
    api_diff(before, after)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|c| (c.item, c.kind, c.semver))
        .collect()
}

fn one(item: &str, kind: ApiChangeKind, semver: Semver) -> Vec<(String, ApiChangeKind, Semver)> {
    vec![(item.to_owned(), kind, semver)]
}

// --- Removals and signature changes: major. --------------------------------

#[test]
fn field_removed_is_major() {
    let before = "pub mod types { pub struct Customer { pub id: String, pub tags: Vec<String> } }";
    let after = "pub mod types { pub struct Customer { pub id: String } }";
    assert_eq!(
        changes(before, after),
        one("types::Customer::tags", Removed, Major)
    );
}

#[test]
fn field_type_changed_is_major() {
    let before = "pub mod types { pub struct Customer { pub tags: Vec<String> } }";
    let after = "pub mod types { pub struct Customer { pub tags: Option<Vec<String>> } }";
    assert_eq!(
        changes(before, after),
        one("types::Customer::tags", Changed, Major)
    );
}

#[test]
fn variant_removed_is_major() {
    let before = "pub mod types { pub enum RelationshipToPartner { None, Reseller } }";
    let after = "pub mod types { pub enum RelationshipToPartner { None } }";
    assert_eq!(
        changes(before, after),
        one("types::RelationshipToPartner::Reseller", Removed, Major)
    );
}

#[test]
fn type_removed_is_major_once() {
    let before = "pub mod types { pub struct Customer { pub id: String } \
                  impl Customer { pub fn builder() -> u8 { 0 } } \
                  impl Default for Customer { fn default() -> Self { todo!() } } }";
    let after = "pub mod types {}";
    assert_eq!(
        changes(before, after),
        one("types::Customer", Removed, Major)
    );
}

#[test]
fn inherent_method_removed_is_major() {
    let before =
        "pub struct Client; impl Client { pub fn get_customer(&self) {} pub fn other(&self) {} }";
    let after = "pub struct Client; impl Client { pub fn other(&self) {} }";
    assert_eq!(
        changes(before, after),
        one("Client::get_customer", Removed, Major)
    );
}

#[test]
fn builder_method_signature_changed_is_major() {
    let before = "pub mod builder { pub struct GetCustomer<'a> { client: &'a u8 } \
                  impl<'a> GetCustomer<'a> { pub fn page_index<V>(mut self, value: V) -> Self \
                  where V: std::convert::TryInto<i32> { self } } }";
    let after = "pub mod builder { pub struct GetCustomer<'a> { client: &'a u8 } \
                 impl<'a> GetCustomer<'a> { pub fn page_index<V>(mut self, value: V) -> Self \
                 where V: std::convert::TryInto<i64> { self } } }";
    let found = api_diff(before, after).expect("parses");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].item, "builder::GetCustomer::page_index");
    assert_eq!(found[0].kind, Changed);
    assert_eq!(found[0].semver, Major);
    assert!(
        found[0].detail.contains("TryInto<i64>"),
        "{}",
        found[0].detail
    );
}

#[test]
fn enum_changed_to_struct_is_major() {
    let before = "pub mod types { pub enum Value { A, B } }";
    let after = "pub mod types { pub struct Value { pub a: bool } }";
    assert_eq!(changes(before, after), one("types::Value", Changed, Major));
}

#[test]
fn becoming_non_exhaustive_is_major() {
    let before = "pub struct Page { pub items: Vec<u8> }";
    let after = "#[non_exhaustive] pub struct Page { pub items: Vec<u8> }";
    assert_eq!(changes(before, after), one("Page", Changed, Major));
}

#[test]
fn private_field_added_to_all_public_struct_is_major() {
    let before = "pub struct Page { pub items: Vec<u8> }";
    let after = "pub struct Page { pub items: Vec<u8>, cursor: u32 }";
    assert_eq!(changes(before, after), one("Page", Changed, Major));
}

// --- Fields and variants added. --------------------------------------------

#[test]
fn pub_field_added_to_exhaustive_struct_is_major() {
    let before = "pub mod types { pub struct Customer { pub id: String } }";
    let after =
        "pub mod types { pub struct Customer { pub id: String, pub email: Option<String> } }";
    assert_eq!(
        changes(before, after),
        one("types::Customer::email", Added, Major)
    );
}

#[test]
fn pub_field_added_to_struct_with_private_field_is_minor() {
    let before = "pub struct Client { pub(crate) baseurl: String }";
    let after = "pub struct Client { pub(crate) baseurl: String, pub timeout: u64 }";
    assert_eq!(changes(before, after), one("Client::timeout", Added, Minor));
}

#[test]
fn pub_field_added_to_non_exhaustive_struct_is_minor() {
    let before = "#[non_exhaustive] pub struct Page { pub items: Vec<u8> }";
    let after =
        "#[non_exhaustive] pub struct Page { pub items: Vec<u8>, pub next: Option<String> }";
    assert_eq!(changes(before, after), one("Page::next", Added, Minor));
}

#[test]
fn variant_added_to_exhaustive_enum_is_major() {
    let before = "pub mod types { pub enum Status { Active, Inactive } }";
    let after = "pub mod types { pub enum Status { Active, Inactive, Suspended } }";
    assert_eq!(
        changes(before, after),
        one("types::Status::Suspended", Added, Major)
    );
}

#[test]
fn variant_added_to_non_exhaustive_enum_is_minor() {
    let before = "pub mod types { #[non_exhaustive] pub enum Status { Active } }";
    let after = "pub mod types { #[non_exhaustive] pub enum Status { Active, Suspended } }";
    assert_eq!(
        changes(before, after),
        one("types::Status::Suspended", Added, Minor)
    );
}

// --- New items: minor. -----------------------------------------------------

#[test]
fn new_type_is_minor() {
    let before = "pub mod types { pub struct A; }";
    let after = "pub mod types { pub struct A; pub struct B { pub x: u8 } }";
    assert_eq!(changes(before, after), one("types::B", Added, Minor));
}

#[test]
fn new_function_is_minor() {
    let after = "pub fn version() -> &'static str { \"1\" }";
    assert_eq!(changes("", after), one("version", Added, Minor));
}

#[test]
fn new_inherent_method_is_minor() {
    let before = "pub struct Client; impl Client { pub fn new() -> Self { Client } }";
    let after = "pub struct Client; impl Client { pub fn new() -> Self { Client } \
                 pub fn get_customer(&self) -> u8 { 0 } }";
    assert_eq!(
        changes(before, after),
        one("Client::get_customer", Added, Minor)
    );
}

#[test]
fn new_builder_method_is_minor() {
    let before = "pub mod builder { pub struct GetCustomer<'a> { client: &'a u8 } \
                  impl<'a> GetCustomer<'a> { pub fn id(self) -> Self { self } } }";
    let after = "pub mod builder { pub struct GetCustomer<'a> { client: &'a u8, page: Option<i32> } \
                 impl<'a> GetCustomer<'a> { pub fn id(self) -> Self { self } \
                 pub fn page_index<V>(mut self, value: V) -> Self where V: TryInto<i32> { self } } }";
    assert_eq!(
        changes(before, after),
        one("builder::GetCustomer::page_index", Added, Minor)
    );
}

#[test]
fn new_module_is_minor_once() {
    let after = "pub mod prelude { pub use super::Client; } pub struct Client;";
    let before = "pub struct Client;";
    assert_eq!(changes(before, after), one("prelude", Added, Minor));
}

#[test]
fn reexport_spelling_is_nothing_and_removal_is_major() {
    let before = "pub struct Client; pub mod types {} \
                  pub mod prelude { pub use self::super::Client; pub use super::types::*; }";
    let same = "pub struct Client; pub mod types {} \
                pub mod prelude { pub use super::Client; pub use crate::types::*; }";
    assert!(changes(before, same).is_empty());
    let after = "pub struct Client; pub mod types {} pub mod prelude {}";
    assert_eq!(
        changes(before, after),
        vec![
            ("prelude::* from crate::types".to_owned(), Removed, Major),
            ("prelude::Client".to_owned(), Removed, Major),
        ]
    );
}

#[test]
fn trait_method_added_is_major_without_default_and_minor_with_one() {
    let before = "pub trait Hooks { fn pre(&self); }";
    let required = "pub trait Hooks { fn pre(&self); fn post(&self); }";
    let provided = "pub trait Hooks { fn pre(&self); fn post(&self) {} }";
    assert_eq!(changes(before, required), one("Hooks::post", Added, Major));
    assert_eq!(changes(before, provided), one("Hooks::post", Added, Minor));
}

// --- Trait impls. ----------------------------------------------------------

#[test]
fn trait_impl_removed_is_major() {
    let before =
        "pub mod types { #[derive(Clone, Default)] pub struct Customer { pub id: String } }";
    let after = "pub mod types { #[derive(Clone)] pub struct Customer { pub id: String } }";
    assert_eq!(
        changes(before, after),
        one("impl Default for types::Customer", Removed, Major)
    );
}

#[test]
fn trait_impl_added_is_minor() {
    let before = "pub mod types { pub struct Customer { pub id: String } }";
    let after = "pub mod types { pub struct Customer { pub id: String } \
                 impl ::std::default::Default for Customer { \
                 fn default() -> Self { Customer { id: String::new() } } } }";
    assert_eq!(
        changes(before, after),
        one("impl Default for types::Customer", Added, Minor)
    );
}

#[test]
fn derived_and_written_impls_are_the_same_impl() {
    let before = "pub mod types { #[derive(::serde::Deserialize)] pub struct Name(String); }";
    let after = "pub mod types { pub struct Name(String); \
                 impl<'de> ::serde::Deserialize<'de> for Name { \
                 fn deserialize<D>(d: D) -> Result<Self, D::Error> where D: ::serde::Deserializer<'de> \
                 { todo!() } } }";
    assert_eq!(
        changes(before, after),
        one("impl Deserialize for types::Name", Changed, Patch)
    );
}

#[test]
fn associated_type_changed_is_major() {
    let before = "pub struct Grade(i32); impl std::ops::Deref for Grade { \
                  type Target = i32; fn deref(&self) -> &i32 { &self.0 } }";
    let after = "pub struct Grade(i64); impl std::ops::Deref for Grade { \
                 type Target = i64; fn deref(&self) -> &i64 { &self.0 } }";
    assert_eq!(
        changes(before, after),
        one("impl Deref for Grade", Changed, Major)
    );
}

// --- Bodies. ---------------------------------------------------------------

const INT_ENUM: &str = "pub mod types {
    pub struct JobStatus(i32);
    impl ::std::convert::TryFrom<i32> for JobStatus {
        type Error = self::error::ConversionError;
        fn try_from(value: i32) -> ::std::result::Result<Self, self::error::ConversionError> {
            if ![VALUES].contains(&value) {
                Err(\"invalid value\".into())
            } else {
                Ok(Self(value))
            }
        }
    }
    pub mod error { pub struct ConversionError(String); }
}";

fn int_enum(values: &str) -> String {
    INT_ENUM.replace("VALUES", values)
}

#[test]
fn integer_enum_values_added_is_minor() {
    let found = api_diff(
        &int_enum("0_i32, 1_i32, 2_i32"),
        &int_enum("0_i32, 1_i32, 2_i32, 3_i32"),
    )
    .expect("parses");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].item, "impl TryFrom<i32> for types::JobStatus");
    assert_eq!((found[0].kind, found[0].semver), (Changed, Minor));
    assert_eq!(found[0].detail, "accepts more values: 3");
}

#[test]
fn integer_enum_values_removed_is_major() {
    let found = api_diff(
        &int_enum("0_i32, 1_i32, 2_i32"),
        &int_enum("0_i32, 2_i32, 7_i32"),
    )
    .expect("parses");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].item, "impl TryFrom<i32> for types::JobStatus");
    assert_eq!((found[0].kind, found[0].semver), (Changed, Major));
    assert!(
        found[0].detail.contains("no longer accepts 1"),
        "{}",
        found[0].detail
    );
}

#[test]
fn integer_enum_values_reordered_is_patch() {
    assert_eq!(
        changes(&int_enum("0_i32, 1_i32"), &int_enum("1_i32, 0_i32")),
        one("impl TryFrom<i32> for types::JobStatus", Changed, Patch)
    );
}

#[test]
fn other_body_change_is_patch() {
    let before =
        "pub struct Client; impl Client { pub fn url(&self) -> String { \"/v1\".into() } }";
    let after = "pub struct Client; impl Client { pub fn url(&self) -> String { \"/v2\".into() } }";
    assert_eq!(changes(before, after), one("Client::url", Changed, Patch));
}

#[test]
fn serde_attribute_change_is_patch() {
    let before = "pub struct C { #[serde(rename = \"a\")] pub a: u8 }";
    let after = "pub struct C { #[serde(rename = \"A\")] pub a: u8 }";
    assert_eq!(changes(before, after), one("C::a", Changed, Patch));
}

#[test]
fn doc_comment_change_is_nothing() {
    let before = "/// Old.\npub struct Client { /// Old field.\n pub a: u8 }\n\
                  impl Client { /** Old method. */ pub fn get(&self) {} }";
    let after = "/// New.\npub struct Client { /// New field.\n pub a: u8 }\n\
                 impl Client { /** New method. */ pub fn get(&self) {} }";
    assert!(changes(before, after).is_empty());
}

#[test]
fn private_and_crate_items_are_ignored() {
    let before = "pub struct Client { pub(crate) a: u8 } struct Hidden; \
                  impl Client { fn helper(&self) {} pub(crate) fn internal(&self) {} } \
                  impl Hidden { pub fn x(&self) {} } mod inner { pub struct X; } \
                  pub(crate) fn f() {}";
    let after = "pub struct Client { pub(crate) a: u16, b: u8 } \
                 impl Client { pub(crate) fn internal(&self, x: u8) {} } mod other {} \
                 pub(crate) fn g() {} pub(crate) struct Y;";
    assert!(changes(before, after).is_empty());
}

#[test]
fn formatting_and_trailing_commas_are_nothing() {
    let before =
        "pub struct C { pub a: Option<Vec<String>> } impl C { pub fn f(self) -> Self { self } }";
    let after = "pub struct C {\n    pub a: Option<\n        Vec<String>,\n    >,\n}\n\
                 impl C {\n    pub fn f(\n        self,\n    ) -> Self {\n        self\n    }\n}";
    assert!(changes(before, after).is_empty());
}

// --- The API itself. -------------------------------------------------------

#[test]
fn parse_error_is_err_naming_the_side() {
    let err = api_diff("pub struct A;", "pub struct {").expect_err("invalid Rust");
    assert!(err.to_string().starts_with("after:"), "{err}");
    let err = api_diff("fn (", "").expect_err("invalid Rust");
    assert!(err.to_string().starts_with("before:"), "{err}");
}

#[test]
fn changes_are_sorted_and_deterministic() {
    let before = "pub mod types { pub struct B { pub x: u8 } pub enum A { X } }";
    let after = "pub mod types { pub struct B { pub y: u8 } pub enum A { X, Y } pub struct C; }";
    let first = api_diff(before, after).expect("parses");
    let items: Vec<&str> = first.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(
        items,
        ["types::A::Y", "types::B::x", "types::B::y", "types::C"]
    );
    assert_eq!(first, api_diff(before, after).expect("parses"));
    assert_eq!(api_semver(&first), Major);
}

#[test]
fn semver_is_the_highest_and_patch_when_empty() {
    assert_eq!(api_semver(&[]), Patch);
    let change = |semver| ApiChange {
        item: "x".to_owned(),
        kind: Changed,
        semver,
        detail: String::new(),
    };
    assert_eq!(api_semver(&[change(Patch), change(Minor)]), Minor);
    assert_eq!(api_semver(&[change(Major), change(Minor)]), Major);
}
