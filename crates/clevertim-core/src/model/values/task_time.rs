//! The time part of a task's start or end.

/// The time part of a task's start or end.
///
/// ```
/// use clevertim::{Task, TaskTime};
/// let mut call = Task::new();
/// call.set_start_time(TaskTime::new(9, 30));
/// assert_eq!(call.start_time().map(|t| t.to_string()).as_deref(), Some("09:30"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskTime {
    /// The hour, 0 to 23.
    pub hour: u32,
    /// The minute, 0 to 59.
    pub minute: u32,
}

impl TaskTime {
    /// A time of day; checked when the task is saved.
    ///
    /// ```
    /// use clevertim::TaskTime;
    /// let lunch = TaskTime::new(12, 30);
    /// assert_eq!((lunch.hour, lunch.minute), (12, 30));
    /// ```
    pub fn new(hour: u32, minute: u32) -> Self {
        TaskTime { hour, minute }
    }
}

impl std::fmt::Display for TaskTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}
