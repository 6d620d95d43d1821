//! What dfharden knows about images, as dated data with its sources: the minimal final images
//! it moves applications onto ([`final_images`]), when releases stop being supported
//! ([`lifecycle`]), and how official images start ([`official`]). Everything here was checked
//! on [`DATA_CHECKED`]; [`staleness`] tells a caller when that is too long ago to trust.
//!
//! Core has no clock: callers pass today's date in the settings ([`Date`]).

pub mod date;
pub mod final_images;
pub mod lifecycle;
pub mod official;

pub use date::Date;
pub use final_images::{final_image, FinalImage, NoImage, Runtime, FINAL_IMAGES};

/// When the image data was last checked against the publishers' sources.
pub const DATA_CHECKED: Date = Date::ymd(2026, 12, 1);

/// After this many months the data may name images that have since reached their end of life.
pub const STALE_AFTER_MONTHS: i32 = 6;

/// A one-line notice when the image data is more than [`STALE_AFTER_MONTHS`] old on `today`
/// (the CLI prints it once on standard error, as browserslist does for its data).
pub fn staleness(today: Date) -> Option<String> {
    let months = DATA_CHECKED.months_until(today);
    (months >= STALE_AFTER_MONTHS).then(|| {
        format!(
            "dfharden's image data was checked on {DATA_CHECKED}, {months} months ago: end-of-life dates and the images it moves to may be out of date. Update dfharden."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_data_announces_itself() {
        assert_eq!(staleness(DATA_CHECKED), None);
        assert_eq!(staleness(Date::ymd(2027, 5, 31)), None);
        let notice = staleness(Date::ymd(2027, 6, 1)).unwrap();
        assert!(notice.contains("2026-12-01, 6 months ago"), "{notice}");
    }
}
