//! The date part of a task's start or end.

use super::super::codec::InvalidValue;

/// The date part of a task's start or end.
///
/// ```
/// use clevertim::{Task, TaskDate};
/// let mut call = Task::new();
/// call.set_start_date(TaskDate::new(2026, 3, 2));
/// assert_eq!(call.start_date().map(|d| d.to_string()).as_deref(), Some("2026-03-02"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskDate {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

impl TaskDate {
    /// A date; checked when the task is saved.
    ///
    /// ```
    /// use clevertim::TaskDate;
    /// let leap_day = TaskDate::new(2024, 2, 29);
    /// assert_eq!((leap_day.year, leap_day.month, leap_day.day), (2024, 2, 29));
    /// ```
    pub fn new(year: i32, month: u32, day: u32) -> Self {
        TaskDate { year, month, day }
    }

    /// Whether this is a real calendar date.
    ///
    /// ```
    /// use clevertim::TaskDate;
    /// assert!(TaskDate::new(2024, 2, 29).is_valid());
    /// assert!(!TaskDate::new(2023, 2, 29).is_valid());
    /// assert!(!TaskDate::new(2023, 13, 1).is_valid());
    /// ```
    pub fn is_valid(&self) -> bool {
        self.check().is_ok()
    }

    pub(super) fn check(&self) -> Result<(), InvalidValue> {
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap(self.year) => 29,
            2 => 28,
            _ => return Err(InvalidValue::new(self, "has no such month")),
        };
        if (1..=days).contains(&self.day) {
            Ok(())
        } else {
            Err(InvalidValue::new(self, "has no such day"))
        }
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl std::fmt::Display for TaskDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}
