//! Task (`/task`).

use super::codec::WriteMode;
use super::{
    Case, Comment, Customer, Opportunity, Recurrence, RecurrenceOptions, TaskDate, TaskDateTime,
    TaskTime, TaskType, User,
};
use crate::error::ValidationError;
use crate::key::Key;

resource! {
    /// A task: something to do, for a customer, a case or an opportunity.
    ///
    /// ```
    /// use clevertim::{Task, TaskDate, TaskTime, TaskType};
    /// let mut call = Task::new();
    /// call.set_name("Call Mike").set_task_type(TaskType::Call);
    /// call.set_start_date(TaskDate::new(2026, 12, 1)).set_start_time(TaskTime::new(9, 30));
    /// assert_eq!(call.start_time(), Some(TaskTime::new(9, 30)));
    /// ```
    shared struct Task at "task", related(who, case, opportunity), check(Task::check_recurrence),
        required(["name"]) {
        /// The headline.
        rw name: text = "name";
        /// The kind of task.
        rw task_type: scalar<TaskType> = "atype";
        /// Where.
        rw location: text = "location";
        /// The customer it is for.
        ///
        /// A contact or a company: load it with
        /// [`Session::customer`](crate::Session::customer)`(who)` (or `load::<Contact>(who.cast())`
        /// when you know it is a person).
        rw who: scalar<Key<Customer>> = "cust";
        /// The case it belongs to.
        rw case: scalar<Key<Case>> = "case";
        /// The opportunity it belongs to.
        rw opportunity: scalar<Key<Opportunity>> = "opp";
        /// Start: date and time parts.
        rw start: record<TaskDateTime> = "startDate";
        /// End: date and time parts.
        rw end: record<TaskDateTime> = "endDate";
        /// The user it is assigned to.
        rw assigned_to: scalar<Key<User>> = "aUserId";
        /// The user who created it.
        ro created_by: scalar<Key<User>> = "userId";
        /// Whether it is done.
        rw is_completed: scalar<bool> = "is_completed";
        /// Whether it is deleted.
        rw is_deleted: scalar<bool> = "is_deleted";
        /// How often it recurs.
        rw recurrence: scalar<Recurrence> = "rec";
        /// Every how many periods it recurs (default 1).
        rw recurrence_every: scalar<u32> = "recevery";
        /// Recurrence options (skip weekends).
        rw recurrence_options: record<RecurrenceOptions> = "recopts";
        /// Comments on it.
        ro comments: list<Key<Comment>> = "comments";
    }
}

impl Task {
    /// The date part of the start, when year, month and day are all set.
    ///
    /// ```
    /// use clevertim::{Task, TaskDate};
    /// let task: Task = serde_json::from_str(r#"{"id":3,"startDate":{"y":2026,"mo":12,"d":1}}"#)?;
    /// assert_eq!(task.start_date(), Some(TaskDate::new(2026, 12, 1)));
    /// assert_eq!(task.start_time(), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn start_date(&self) -> Option<TaskDate> {
        self.start()?.date()
    }

    /// The time part of the start, when hour and minute are both set.
    ///
    /// ```
    /// use clevertim::{Task, TaskTime};
    /// let task: Task = serde_json::from_str(r#"{"id":3,"startDate":{"h":9,"mi":30}}"#)?;
    /// assert_eq!(task.start_time(), Some(TaskTime::new(9, 30)));
    /// assert_eq!(task.start_date(), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn start_time(&self) -> Option<TaskTime> {
        self.start()?.time()
    }

    /// The date part of the end, when year, month and day are all set.
    ///
    /// ```
    /// use clevertim::{Task, TaskDate};
    /// let task: Task = serde_json::from_str(r#"{"id":3,"endDate":{"y":2026,"mo":12,"d":2}}"#)?;
    /// assert_eq!(task.end_date(), Some(TaskDate::new(2026, 12, 2)));
    /// assert_eq!(Task::new().end_date(), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn end_date(&self) -> Option<TaskDate> {
        self.end()?.date()
    }

    /// The time part of the end, when hour and minute are both set.
    ///
    /// ```
    /// use clevertim::{Task, TaskTime};
    /// let task: Task = serde_json::from_str(r#"{"id":3,"endDate":{"h":17,"mi":0}}"#)?;
    /// assert_eq!(task.end_time(), Some(TaskTime::new(17, 0)));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn end_time(&self) -> Option<TaskTime> {
        self.end()?.time()
    }

    /// Sets the start's date part; its time part stays.
    ///
    /// ```
    /// use clevertim::{Task, TaskDate, TaskTime};
    /// let mut call = Task::new();
    /// call.set_start_time(TaskTime::new(9, 30));
    /// call.set_start_date(TaskDate::new(2026, 12, 1));
    /// assert_eq!(call.start_time(), Some(TaskTime::new(9, 30)), "kept");
    /// ```
    pub fn set_start_date(&mut self, date: TaskDate) -> &mut Self {
        self.start_mut().set_date(date);
        self
    }

    /// Sets the start's time part; its date part stays.
    ///
    /// ```
    /// use clevertim::{Task, TaskDate, TaskTime};
    /// let mut call = Task::new();
    /// call.set_start_date(TaskDate::new(2026, 12, 1));
    /// call.set_start_time(TaskTime::new(14, 0));
    /// assert_eq!(call.start_date(), Some(TaskDate::new(2026, 12, 1)), "kept");
    /// ```
    pub fn set_start_time(&mut self, time: TaskTime) -> &mut Self {
        self.start_mut().set_time(time);
        self
    }

    /// Sets the end's date part; its time part stays.
    ///
    /// ```
    /// use clevertim::{Task, TaskDate, TaskTime};
    /// let mut trip = Task::new();
    /// trip.set_end_time(TaskTime::new(18, 0))
    ///     .set_end_date(TaskDate::new(2026, 12, 3));
    /// assert_eq!(trip.end_time(), Some(TaskTime::new(18, 0)), "kept");
    /// ```
    pub fn set_end_date(&mut self, date: TaskDate) -> &mut Self {
        self.end_mut().set_date(date);
        self
    }

    /// Sets the end's time part; its date part stays.
    ///
    /// ```
    /// use clevertim::{Task, TaskDate, TaskTime};
    /// let mut trip = Task::new();
    /// trip.set_end_date(TaskDate::new(2026, 12, 3))
    ///     .set_end_time(TaskTime::new(18, 0));
    /// assert_eq!(trip.end_date(), Some(TaskDate::new(2026, 12, 3)), "kept");
    /// ```
    pub fn set_end_time(&mut self, time: TaskTime) -> &mut Self {
        self.end_mut().set_time(time);
        self
    }
}

impl Task {
    /// A task recurs every one period or more.
    fn check_recurrence(&self, mode: WriteMode) -> Result<(), ValidationError> {
        let sent = self.sends(TaskField::recurrence_every, mode);
        match self.recurrence_every() {
            Some(0) if sent => Err(ValidationError::new(
                "task",
                "recevery",
                "0",
                "must be at least 1",
            )),
            _ => Ok(()),
        }
    }
}
