//! The one clock of the process: every write, audit entry and rule reads "now" here. Instants
//! are stored in UTC to the millisecond (both backends then hold the same value); "today" is
//! the calendar date in `Europe/Brussels`, where the newcomers live (between midnight and 02:00
//! the UTC date is still yesterday). Tests pin the clock per application instance.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// The time zone dates are judged in.
pub const ZONE: Tz = chrono_tz::Europe::Brussels;

const NOT_PINNED: i64 = i64::MIN;

/// Cheap to clone; clones share the pin.
#[derive(Clone, Debug)]
pub struct Clock {
    pinned_ms: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock { pinned_ms: Arc::new(AtomicI64::new(NOT_PINNED)) }
    }

    /// Stops the clock at `at` (tests); `unpin` lets it run again.
    pub fn pin(&self, at: DateTime<Utc>) {
        self.pinned_ms.store(at.timestamp_millis(), Ordering::SeqCst);
    }

    pub fn unpin(&self) {
        self.pinned_ms.store(NOT_PINNED, Ordering::SeqCst);
    }

    /// Now, to the millisecond.
    pub fn now_utc(&self) -> DateTime<Utc> {
        let ms = match self.pinned_ms.load(Ordering::SeqCst) {
            NOT_PINNED => Utc::now().timestamp_millis(),
            ms => ms,
        };
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }

    /// Now as `TIMESTAMP` columns hold it (UTC, no offset): what every write stores.
    pub fn now(&self) -> NaiveDateTime {
        self.now_utc().naive_utc()
    }

    /// Today's date in Brussels.
    pub fn today(&self) -> NaiveDate {
        date_in_brussels(self.now_utc())
    }
}

/// The Brussels date of instant `t`.
pub fn date_in_brussels(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&ZONE).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_brussels_date() {
        // 23:30 UTC on 31 March is 01:30 on 1 April in Brussels (summer time).
        let t = Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).unwrap();
        assert_eq!(date_in_brussels(t), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
        // 22:30 UTC on 5 January is 23:30 in Brussels (winter time): still the 5th.
        let t = Utc.with_ymd_and_hms(2026, 1, 5, 22, 30, 0).unwrap();
        assert_eq!(date_in_brussels(t), NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
    }

    #[test]
    fn a_pinned_clock_stands_still_and_clones_share_the_pin() {
        let clock = Clock::system();
        let copy = clock.clone();
        let t = Utc.with_ymd_and_hms(2020, 12, 1, 0, 30, 0).unwrap();
        clock.pin(t);
        assert_eq!(copy.now_utc(), t);
        assert_eq!(copy.today(), NaiveDate::from_ymd_opt(2020, 12, 1).unwrap());
        clock.unpin();
        assert_ne!(copy.now_utc(), t, "unpinned, the clock runs again");
    }
}
