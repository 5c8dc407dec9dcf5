//! A front-matter date, and the ways the site writes one: ISO (`2015-07-08`),
//! British (`8 July 2015`), and as it was written (for messages).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

/// A front-matter date: a TOML date (midnight UTC) or datetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub at: DateTime<FixedOffset>,
    /// False for a bare date such as `2015-07-08`.
    pub has_time: bool,
}

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    pub fn day(&self) -> NaiveDate {
        self.at.date_naive()
    }

    /// "8 July 2015".
    pub fn display(&self) -> String {
        // By hand: chrono's strftime parses its pattern on every call, and
        // every story's dates are shown on several pages.
        let day = self.day();
        let month = MONTHS[day.month0() as usize];
        format!("{} {month} {}", day.day(), day.year())
    }

    /// "2015-07-08".
    pub fn iso(&self) -> String {
        let day = self.day();
        format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
    }

    /// As front matter writes it: the day, or the full date and time.
    pub fn written(&self) -> String {
        if self.has_time {
            self.at.to_rfc3339()
        } else {
            self.day().to_string()
        }
    }
}

/// The same day a year on (28 February for 29 February), as front matter
/// writes it: the example next date of a `review_by`.
pub fn a_year_on(day: NaiveDate) -> String {
    day.with_year(day.year() + 1)
        .or_else(|| day.pred_opt()?.with_year(day.year() + 1))
        .unwrap_or(day)
        .format("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_the_british_way() {
        let at = FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2015, 7, 8, 18, 30, 0)
            .unwrap();
        let d = Date { at, has_time: true };
        assert_eq!(d.display(), "8 July 2015");
        assert_eq!(d.iso(), "2015-07-08");
        assert_eq!(d.written(), "2015-07-08T18:30:00+01:00");
    }

    #[test]
    fn a_year_on_from_a_leap_day_is_the_last_of_february() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(a_year_on(day(2015, 10, 1)), "2016-10-01");
        assert_eq!(a_year_on(day(2016, 2, 29)), "2017-02-28");
    }
}
