//! A task's start or end: a date and a time of day.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::codec::{InvalidValue, Validate};
use super::{TaskDate, TaskTime};

/// A task's start or end as the wire has it: a date part and a time part, set independently.
///
/// ```
/// use clevertim::{Task, TaskDate, TaskTime};
/// let mut meeting = Task::new();
/// let start = meeting.start_mut();
/// start.set_date(TaskDate::new(2026, 3, 2));
/// start.set_time(TaskTime::new(14, 0));
/// assert_eq!(meeting.start().and_then(|s| s.time()), Some(TaskTime::new(14, 0)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskDateTime {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    y: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mo: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    h: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mi: Option<u32>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl TaskDateTime {
    /// The date part, when year, month and day are all set.
    ///
    /// ```
    /// use clevertim::{TaskDate, TaskDateTime};
    /// let mut when = TaskDateTime::default();
    /// assert_eq!(when.date(), None);
    /// when.set_date(TaskDate::new(2026, 3, 2));
    /// assert_eq!(when.date(), Some(TaskDate::new(2026, 3, 2)));
    /// ```
    pub fn date(&self) -> Option<TaskDate> {
        Some(TaskDate::new(self.y?, self.mo?, self.d?))
    }
    /// The time part, when hour and minute are both set.
    ///
    /// ```
    /// use clevertim::{TaskDateTime, TaskTime};
    /// let mut when = TaskDateTime::default();
    /// when.set_time(TaskTime::new(8, 15));
    /// assert_eq!(when.time(), Some(TaskTime::new(8, 15)));
    /// ```
    pub fn time(&self) -> Option<TaskTime> {
        Some(TaskTime::new(self.h?, self.mi?))
    }
    /// Sets the date part; the time part is left as it is.
    ///
    /// ```
    /// use clevertim::{TaskDate, TaskDateTime, TaskTime};
    /// let mut when = TaskDateTime::default();
    /// when.set_time(TaskTime::new(8, 15));
    /// when.set_date(TaskDate::new(2026, 3, 2));
    /// assert_eq!(when.time(), Some(TaskTime::new(8, 15)), "kept");
    /// ```
    pub fn set_date(&mut self, date: TaskDate) {
        (self.y, self.mo, self.d) = (Some(date.year), Some(date.month), Some(date.day));
    }
    /// Sets the time part; the date part is left as it is.
    ///
    /// ```
    /// use clevertim::{TaskDate, TaskDateTime, TaskTime};
    /// let mut when = TaskDateTime::default();
    /// when.set_date(TaskDate::new(2026, 3, 2));
    /// when.set_time(TaskTime::new(17, 45));
    /// assert_eq!(when.date(), Some(TaskDate::new(2026, 3, 2)), "kept");
    /// ```
    pub fn set_time(&mut self, time: TaskTime) {
        (self.h, self.mi) = (Some(time.hour), Some(time.minute));
    }
    /// Removes the time part (an all-day task).
    ///
    /// ```
    /// use clevertim::{TaskDate, TaskDateTime, TaskTime};
    /// let mut when = TaskDateTime::default();
    /// when.set_date(TaskDate::new(2026, 3, 2));
    /// when.set_time(TaskTime::new(9, 0));
    /// when.clear_time();
    /// assert_eq!((when.date().is_some(), when.time()), (true, None));
    /// ```
    pub fn clear_time(&mut self) {
        (self.h, self.mi) = (None, None);
    }
}

impl Validate for TaskDateTime {
    fn check(&self) -> Result<(), InvalidValue> {
        if let Some(date) = self.date() {
            date.check()?;
        } else if self.y.is_some() || self.mo.is_some() || self.d.is_some() {
            return Err(InvalidValue::new(
                format!("y={:?} mo={:?} d={:?}", self.y, self.mo, self.d),
                "is an incomplete date (year, month and day go together)",
            ));
        }
        match (self.h, self.mi) {
            (Some(h), Some(mi)) if h < 24 && mi < 60 => Ok(()),
            (None, None) => Ok(()),
            (h, mi) => Err(InvalidValue::new(
                format!("h={h:?} mi={mi:?}"),
                "is not a time of day (hour 0-23 and minute 0-59 go together)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_dates_are_checked() {
        let mut when = TaskDateTime::default();
        when.set_date(TaskDate::new(2024, 2, 29));
        assert!(when.check().is_ok());
        when.set_date(TaskDate::new(2023, 2, 29));
        assert!(when.check().unwrap_err().reason.contains("no such day"));
        when.set_date(TaskDate::new(2023, 13, 1));
        assert!(when.check().unwrap_err().reason.contains("month"));
        when.set_date(TaskDate::new(2023, 12, 1));
        when.set_time(TaskTime::new(24, 0));
        assert!(when.check().unwrap_err().reason.contains("time of day"));
    }

    #[test]
    fn date_and_time_parts_are_independent() {
        let mut when: TaskDateTime =
            serde_json::from_str(r#"{"y":2013,"mo":12,"d":29,"h":4,"mi":4}"#).unwrap();
        when.set_time(TaskTime::new(9, 30));
        assert_eq!(when.date(), Some(TaskDate::new(2013, 12, 29)));
        assert_eq!(when.time().map(|t| t.to_string()).as_deref(), Some("09:30"));
    }
}
