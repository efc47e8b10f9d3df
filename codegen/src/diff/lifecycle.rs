//! Lifecycle: deprecation, sunset dates (`x-sunset`) and stability levels
//! (`x-stability-level`) of operations, parameters and properties, and what
//! they mean for a removal. Dates are compared with today's date (UTC), as
//! oasdiff does, so corpus cases use dates far in the past or future.

use std::fmt;

use serde_json::Value;

use super::engine::is_true;
use super::DeprecationPolicy;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Date {
    year: i64,
    month: u32,
    day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Today, in UTC.
    pub(super) fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        Self::from_days(i64::try_from(secs / 86_400).unwrap_or_default())
    }

    /// The number of days from 1970-01-01 to the date (Howard Hinnant's
    /// algorithm, the inverse of [`Date::from_days`]).
    fn to_days(self) -> i64 {
        let month = i64::from(self.month);
        let year = self.year - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// How many days from today the date is (negative when past).
    pub(super) fn days_from_today(self) -> i64 {
        self.to_days() - Self::today().to_days()
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
        let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, or the date of an RFC 3339 date-time.
    pub(super) fn parse(text: &str) -> Option<Self> {
        let date = match text.split_once('T') {
            Some((date, time)) if !time.is_empty() => date,
            Some(_) => return None,
            None => text,
        };
        let mut parts = date.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let (year, month, day) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Self { year, month, day })
    }
}

/// An element's `x-sunset`: absent, a date, or unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sunset {
    /// No `x-sunset`.
    None,
    /// A date.
    Date(Date),
    /// Not a date; the text is for messages.
    Invalid(String),
}

/// The element's `x-sunset`.
pub(super) fn sunset(value: &Value) -> Sunset {
    match value.get("x-sunset") {
        None => Sunset::None,
        Some(Value::String(text)) => {
            Date::parse(text).map_or_else(|| Sunset::Invalid(text.clone()), Sunset::Date)
        }
        Some(other) => Sunset::Invalid(other.to_string()),
    }
}

/// What removing a deprecatable element means, from its state in the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Removal {
    /// It was not deprecated.
    WithoutDeprecation,
    /// It was deprecated, with no sunset date or one already past.
    WithDeprecation,
    /// It was deprecated, but its sunset date is still ahead.
    BeforeSunset(Date),
    /// It was deprecated with a sunset date that cannot be read.
    SunsetUnreadable(String),
}

/// How removing `element` (as the base has it) is judged.
pub(super) fn removal(element: &Value) -> Removal {
    if !is_true(element, "deprecated") {
        return Removal::WithoutDeprecation;
    }
    match sunset(element) {
        Sunset::None => Removal::WithDeprecation,
        Sunset::Invalid(text) => Removal::SunsetUnreadable(text),
        Sunset::Date(date) if Date::today() < date => Removal::BeforeSunset(date),
        // oasdiff reports nothing once the sunset has passed; this differ
        // still reports the removal (as an expected one) so that the crate's
        // SemVer verdict sees the method or field go.
        Sunset::Date(_) => Removal::WithDeprecation,
    }
}

/// Stability levels, least stable first.
const LEVELS: [&str; 4] = ["draft", "alpha", "beta", "stable"];

/// The element's `x-stability-level` as a rank in [`LEVELS`] (absent counts
/// as stable), or the unreadable value.
pub(super) fn stability(value: &Value) -> Result<usize, String> {
    match value.get("x-stability-level") {
        None => Ok(LEVELS.len() - 1),
        Some(Value::String(s)) => LEVELS.iter().position(|l| l == s).ok_or_else(|| s.clone()),
        Some(other) => Err(other.to_string()),
    }
}

/// The minimum number of days between deprecation and sunset that
/// `policy` asks of elements of the operation `op` (as the revision has
/// it), by its stability level, as oasdiff decides it: none for draft and
/// alpha, the beta minimum for beta, and the stable minimum otherwise.
pub(super) fn min_sunset_days(op: &Value, policy: &DeprecationPolicy) -> u32 {
    match stability(op).map(stability_name) {
        Ok("draft" | "alpha") => 0,
        Ok("beta") => policy.beta_days,
        _ => policy.stable_days,
    }
}

/// Whether a sunset `date` is too soon under a minimum of `min_days`: with
/// no minimum, whether it is already past.
fn too_soon(date: Date, min_days: u32) -> bool {
    date.days_from_today() < i64::from(min_days)
}

/// Why a sunset date is too soon, for messages.
pub(super) fn too_soon_note(min_days: u32) -> String {
    if min_days == 0 {
        "which is already past".to_owned()
    } else {
        format!("less than the {min_days} days the deprecation policy asks for")
    }
}

/// The name of a stability rank.
pub(super) fn stability_name(rank: usize) -> &'static str {
    LEVELS.get(rank).copied().unwrap_or("stable")
}

/// How a newly deprecated element is reported, under a policy asking for
/// at least `min_days` between deprecation and sunset.
pub(super) enum Deprecation {
    /// Deprecated without a sunset date, which the policy allows.
    Plain,
    /// Deprecated without a sunset date, which the policy does not allow.
    SunsetMissing,
    /// Deprecated with a sunset date far enough ahead.
    WithSunset(Date),
    /// The sunset date cannot be read.
    Unreadable(String),
    /// The sunset date is past, or sooner than the policy allows.
    TooSoon(Date),
}

/// Judges the deprecation of `element` (as the revision has it) under a
/// minimum of `min_days` (see [`min_sunset_days`]).
pub(super) fn deprecation(element: &Value, min_days: u32) -> Deprecation {
    match sunset(element) {
        Sunset::None if min_days > 0 => Deprecation::SunsetMissing,
        Sunset::None => Deprecation::Plain,
        Sunset::Invalid(text) => Deprecation::Unreadable(text),
        Sunset::Date(date) if too_soon(date, min_days) => Deprecation::TooSoon(date),
        Sunset::Date(date) => Deprecation::WithSunset(date),
    }
}

/// For an element deprecated in both documents: its sunset date was
/// dropped (`Err(())`), or moved earlier to a date that is too soon under
/// a minimum of `min_days` (`Ok(Some((old, new)))`).
pub(super) fn sunset_moved(
    a: &Value,
    b: &Value,
    min_days: u32,
) -> Result<Option<(Date, Date)>, ()> {
    if !is_true(a, "deprecated") || !is_true(b, "deprecated") {
        return Ok(None);
    }
    match (sunset(a), sunset(b)) {
        (Sunset::None, _) => Ok(None),
        (_, Sunset::None) => Err(()),
        (Sunset::Date(old), Sunset::Date(new)) if new < old && too_soon(new, min_days) => {
            Ok(Some((old, new)))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(19_723).to_string(), "2024-01-01");
        for days in [-800_000, -1, 0, 59, 60, 19_723, 2_932_896] {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(Date::today().days_from_today(), 0);
        assert_eq!(
            Date::parse("2030-02-03").map(|d| d.to_string()),
            Some("2030-02-03".into())
        );
        assert_eq!(
            Date::parse("2030-02-03T10:00:00Z").map(|d| d.to_string()),
            Some("2030-02-03".into())
        );
        assert_eq!(Date::parse("soon"), None);
        assert!(Date::parse("1999-12-31") < Some(Date::today()));
    }
}
