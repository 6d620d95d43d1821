//! Calendar dates, the only notion of time core has. Core has no clock: the caller passes
//! today's date in the settings (the CLI from the system clock, the page from the browser,
//! tests a fixed day), and without one core reasons as of the day its data was checked.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day, `YYYY-MM-DD`. Ordered as the calendar is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A date from constant data; panics at compile time on a malformed literal.
    pub const fn ymd(year: u16, month: u8, day: u8) -> Date {
        assert!(month >= 1 && month <= 12 && day >= 1 && day <= 31);
        Date { year, month, day }
    }

    /// Reads `YYYY-MM-DD` (a longer RFC 3339 timestamp is cut at its date).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let date = text.get(..10)?;
        let bytes = date.as_bytes();
        if bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &date[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Whole months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Date) -> i32 {
        let months = (i32::from(later.year) - i32::from(self.year)) * 12 + i32::from(later.month)
            - i32::from(self.month);
        if later.day < self.day {
            months - 1
        } else {
            months
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date (YYYY-MM-DD)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        assert_eq!(Date::parse("2026-12-01"), Some(Date::ymd(2026, 12, 1)));
        assert_eq!(
            Date::parse("2026-12-01T10:00:00Z"),
            Some(Date::ymd(2026, 12, 1))
        );
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("26-12-01"), None);
        assert_eq!(Date::parse("2026-1x-01"), None);
        assert!(Date::ymd(2026, 4, 30) < Date::ymd(2026, 5, 1));
        assert_eq!(Date::ymd(2026, 12, 1).to_string(), "2026-12-01");
    }

    #[test]
    fn counts_months() {
        assert_eq!(
            Date::ymd(2026, 5, 1).months_until(Date::ymd(2026, 11, 1)),
            6
        );
        assert_eq!(
            Date::ymd(2026, 5, 2).months_until(Date::ymd(2026, 11, 1)),
            5
        );
        assert_eq!(
            Date::ymd(2025, 12, 1).months_until(Date::ymd(2026, 12, 1)),
            12
        );
        assert_eq!(
            Date::ymd(2026, 12, 1).months_until(Date::ymd(2026, 11, 1)),
            -1
        );
    }
}
