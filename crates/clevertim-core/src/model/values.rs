//! Small value types that live inside the resources: phone numbers, social media ids, task
//! dates and times, recurrence options, email details and visibility.
//!
//! Each keeps the fields the server sends that it does not know, so nothing is lost.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codec::{InvalidValue, Validate};
use super::enums::{PhoneType, RecipientStatus, SocialMediaVenue};
use super::User;
use crate::key::Key;

/// A phone number and its kind.
///
/// ```
/// use clevertim_core::{Contact, PhoneNumber, PhoneType};
/// let mut jane = Contact::new();
/// jane.add_to_phone_numbers(PhoneNumber::new("+44 7700 900123", PhoneType::Mobile));
/// let mobile = jane.phone_numbers().iter().find(|p| p.kind() == Some(&PhoneType::Mobile));
/// assert_eq!(mobile.and_then(PhoneNumber::number), Some("+44 7700 900123"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumber {
    #[serde(rename = "no", default, skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<PhoneType>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl PhoneNumber {
    /// A phone number of the given kind.
    ///
    /// ```
    /// use clevertim_core::{PhoneNumber, PhoneType};
    /// let phone = PhoneNumber::new("+44 20 7946 0000", PhoneType::Work);
    /// assert_eq!(phone.number(), Some("+44 20 7946 0000"));
    /// ```
    pub fn new(number: impl Into<String>, kind: impl Into<PhoneType>) -> Self {
        PhoneNumber {
            number: Some(number.into()),
            kind: Some(kind.into()),
            extra: Map::new(),
        }
    }
    /// The number as written.
    ///
    /// ```
    /// use clevertim_core::{PhoneNumber, PhoneType};
    /// assert_eq!(PhoneNumber::new("555-0100", PhoneType::Home).number(), Some("555-0100"));
    /// ```
    pub fn number(&self) -> Option<&str> {
        self.number.as_deref()
    }
    /// Its kind (work, home, …).
    ///
    /// ```
    /// use clevertim_core::{PhoneNumber, PhoneType};
    /// assert_eq!(PhoneNumber::new("555-0100", "Fax").kind(), Some(&PhoneType::Fax));
    /// ```
    pub fn kind(&self) -> Option<&PhoneType> {
        self.kind.as_ref()
    }
}

/// The number and its kind, e.g. `+44 20 7946 0000 (Work)`.
///
/// ```
/// use clevertim_core::{PhoneNumber, PhoneType};
/// let phone = PhoneNumber::new("+44 20 7946 0000", PhoneType::Work);
/// assert_eq!(phone.to_string(), "+44 20 7946 0000 (Work)");
/// ```
impl std::fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.number().unwrap_or_default())?;
        match self.kind() {
            Some(kind) => write!(f, " ({kind})"),
            None => Ok(()),
        }
    }
}

impl Validate for PhoneNumber {
    fn check(&self) -> Result<(), InvalidValue> {
        let number = self.number.as_deref().unwrap_or_default();
        if number.trim().is_empty() {
            return Err(InvalidValue::new(number, "is an empty phone number"));
        }
        match &self.kind {
            Some(kind) => kind.check(),
            None => Err(InvalidValue::new(
                self.number.as_deref().unwrap_or_default(),
                "has no phone type",
            )),
        }
    }
}

/// An id on a social media venue.
///
/// ```
/// use clevertim_core::{Company, SocialMediaId, SocialMediaVenue};
/// let mut bees = Company::new();
/// bees.add_to_social_media_ids(SocialMediaId::new("busybee", SocialMediaVenue::Twitter));
/// assert_eq!(bees.social_media_ids()[0].id(), Some("busybee"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SocialMediaId {
    #[serde(rename = "smid", default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    venue: Option<SocialMediaVenue>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl SocialMediaId {
    /// An id on a venue.
    ///
    /// ```
    /// use clevertim_core::{SocialMediaId, SocialMediaVenue};
    /// let github = SocialMediaId::new("octocat", "Github"); // a venue from its wire spelling
    /// assert_eq!(github.venue(), Some(&SocialMediaVenue::Github));
    /// ```
    pub fn new(id: impl Into<String>, venue: impl Into<SocialMediaVenue>) -> Self {
        SocialMediaId {
            id: Some(id.into()),
            venue: Some(venue.into()),
            extra: Map::new(),
        }
    }
    /// The id on the venue, e.g. a user name.
    ///
    /// ```
    /// use clevertim_core::{SocialMediaId, SocialMediaVenue};
    /// assert_eq!(SocialMediaId::new("janedoe", SocialMediaVenue::LinkedIn).id(), Some("janedoe"));
    /// ```
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    /// The venue.
    ///
    /// ```
    /// use clevertim_core::{SocialMediaId, SocialMediaVenue};
    /// let id = SocialMediaId::new("janedoe", SocialMediaVenue::Skype);
    /// assert_eq!(id.venue().map(SocialMediaVenue::as_str), Some("Skype"));
    /// ```
    pub fn venue(&self) -> Option<&SocialMediaVenue> {
        self.venue.as_ref()
    }
}

impl Validate for SocialMediaId {
    fn check(&self) -> Result<(), InvalidValue> {
        let id = self.id.as_deref().unwrap_or_default();
        if id.trim().is_empty() {
            return Err(InvalidValue::new(id, "is an empty social media id"));
        }
        match &self.venue {
            Some(venue) => venue.check(),
            None => Err(InvalidValue::new(
                self.id.as_deref().unwrap_or_default(),
                "has no social media venue",
            )),
        }
    }
}

/// The date part of a task's start or end.
///
/// ```
/// use clevertim_core::{Task, TaskDate};
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
    /// use clevertim_core::TaskDate;
    /// let leap_day = TaskDate::new(2024, 2, 29);
    /// assert_eq!((leap_day.year, leap_day.month, leap_day.day), (2024, 2, 29));
    /// ```
    pub fn new(year: i32, month: u32, day: u32) -> Self {
        TaskDate { year, month, day }
    }

    /// Whether this is a real calendar date.
    ///
    /// ```
    /// use clevertim_core::TaskDate;
    /// assert!(TaskDate::new(2024, 2, 29).is_valid());
    /// assert!(!TaskDate::new(2023, 2, 29).is_valid());
    /// assert!(!TaskDate::new(2023, 13, 1).is_valid());
    /// ```
    pub fn is_valid(&self) -> bool {
        self.check().is_ok()
    }

    fn check(&self) -> Result<(), InvalidValue> {
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

/// The time part of a task's start or end.
///
/// ```
/// use clevertim_core::{Task, TaskTime};
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
    /// use clevertim_core::TaskTime;
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

/// A task's start or end as the wire has it: a date part and a time part, set independently.
///
/// ```
/// use clevertim_core::{Task, TaskDate, TaskTime};
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
    /// use clevertim_core::{TaskDate, TaskDateTime};
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
    /// use clevertim_core::{TaskDateTime, TaskTime};
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
    /// use clevertim_core::{TaskDate, TaskDateTime, TaskTime};
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
    /// use clevertim_core::{TaskDate, TaskDateTime, TaskTime};
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
    /// use clevertim_core::{TaskDate, TaskDateTime, TaskTime};
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

/// A task's recurrence options (`recopts`): `{}` or `{"type": "weekday"}`.
///
/// ```
/// use clevertim_core::{Recurrence, RecurrenceOptions, Task};
/// let mut standup = Task::new();
/// standup.set_recurrence(Recurrence::Daily).set_recurrence_options(RecurrenceOptions::weekdays_only());
/// assert!(standup.recurrence_options().is_some_and(|o| o.skips_weekends()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecurrenceOptions {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl RecurrenceOptions {
    /// No options.
    ///
    /// ```
    /// use clevertim_core::RecurrenceOptions;
    /// assert!(!RecurrenceOptions::none().skips_weekends());
    /// assert_eq!(RecurrenceOptions::none().kind(), None);
    /// ```
    pub fn none() -> Self {
        Self::default()
    }
    /// Recur on weekdays only (skip weekends).
    ///
    /// ```
    /// use clevertim_core::RecurrenceOptions;
    /// assert_eq!(RecurrenceOptions::weekdays_only().kind(), Some("weekday"));
    /// ```
    pub fn weekdays_only() -> Self {
        RecurrenceOptions {
            kind: Some("weekday".into()),
            extra: Map::new(),
        }
    }
    /// Whether weekends are skipped.
    ///
    /// ```
    /// use clevertim_core::RecurrenceOptions;
    /// assert!(RecurrenceOptions::weekdays_only().skips_weekends());
    /// ```
    pub fn skips_weekends(&self) -> bool {
        self.kind.as_deref() == Some("weekday")
    }
    /// The option's type as sent, if any.
    ///
    /// ```
    /// use clevertim_core::RecurrenceOptions;
    /// let sent: RecurrenceOptions = serde_json::from_str(r#"{"type":"weekday"}"#)?;
    /// assert_eq!(sent.kind(), Some("weekday"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn kind(&self) -> Option<&str> {
        self.kind.as_deref()
    }
}

impl Validate for RecurrenceOptions {
    fn check(&self) -> Result<(), InvalidValue> {
        match self.kind.as_deref() {
            None | Some("weekday") => Ok(()),
            Some(other) => Err(InvalidValue::new(
                other,
                "is not a recurrence option (only `weekday`)",
            )),
        }
    }
}

/// The sender, subject and recipients of an email note (`email`, read-only).
///
/// ```
/// use clevertim_core::Note;
/// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
///     "f":"jane@acme.example","s":"Renewal",
///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
/// }}"#)?;
/// let email = note.email_info().expect("an email note");
/// assert_eq!(email.subject(), Some("Renewal"));
/// assert_eq!(email.to()[0].address(), Some("sales@busybee.example"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailInfo {
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    to: Option<Vec<EmailRecipient>>,
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    cc: Option<Vec<EmailRecipient>>,
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    bcc: Option<Vec<EmailRecipient>>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl EmailInfo {
    /// The sender.
    ///
    /// ```
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert_eq!(email.from(), Some("jane@acme.example"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from(&self) -> Option<&str> {
        self.from.as_deref()
    }
    /// The subject.
    ///
    /// ```
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert_eq!(email.subject(), Some("Renewal"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }
    /// The `To` recipients.
    ///
    /// ```
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert_eq!(email.to().len(), 1);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn to(&self) -> &[EmailRecipient] {
        self.to.as_deref().unwrap_or_default()
    }
    /// The `Cc` recipients.
    ///
    /// ```
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert_eq!(email.cc()[0].address(), Some("old@acme.example"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn cc(&self) -> &[EmailRecipient] {
        self.cc.as_deref().unwrap_or_default()
    }
    /// The `Bcc` recipients.
    ///
    /// ```
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert!(email.bcc().is_empty());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn bcc(&self) -> &[EmailRecipient] {
        self.bcc.as_deref().unwrap_or_default()
    }
}

impl Validate for EmailInfo {}

/// One recipient of an email note.
///
/// ```
/// use clevertim_core::RecipientStatus;
/// use clevertim_core::Note;
/// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
///     "f":"jane@acme.example","s":"Renewal",
///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
/// }}"#)?;
/// let email = note.email_info().expect("an email note");
/// let bounced: Vec<_> = email.cc().iter().filter(|r| r.status() == Some(&RecipientStatus::Bounced)).collect();
/// assert_eq!(bounced[0].bounce_reason(), Some("no such mailbox"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailRecipient {
    #[serde(rename = "e", default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    status: Option<RecipientStatus>,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    bounce_reason: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl EmailRecipient {
    /// The email address.
    ///
    /// ```
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert_eq!(email.to()[0].address(), Some("sales@busybee.example"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }
    /// Whether the email was sent or bounced.
    ///
    /// ```
    /// use clevertim_core::RecipientStatus;
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert_eq!(email.to()[0].status(), Some(&RecipientStatus::Sent));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn status(&self) -> Option<&RecipientStatus> {
        self.status.as_ref()
    }
    /// Why it bounced (only when it did).
    ///
    /// ```
    /// use clevertim_core::Note;
    /// let note: Note = serde_json::from_str(r#"{"id":31,"type":"S","email":{
    ///     "f":"jane@acme.example","s":"Renewal",
    ///     "t":[{"e":"sales@busybee.example","s":"s"}],"c":[{"e":"old@acme.example","s":"b","t":"no such mailbox"}]
    /// }}"#)?;
    /// let email = note.email_info().expect("an email note");
    /// assert_eq!(email.to()[0].bounce_reason(), None);
    /// assert_eq!(email.cc()[0].bounce_reason(), Some("no such mailbox"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn bounce_reason(&self) -> Option<&str> {
        self.bounce_reason.as_deref()
    }
}

/// Who may see an object; derived from its `is_private`, `puser` and `gid` fields.
///
/// ```
/// use clevertim_core::{Contact, Key, Visibility};
/// let mut jane = Contact::new();
/// assert_eq!(jane.visibility(), Visibility::Everyone);
/// jane.set_visibility(Visibility::Private(Some(Key::new(2)))); // only user 2
/// assert_eq!(jane.is_private(), Some(true));
/// jane.set_visibility(Visibility::Groups(0b10));              // the group whose bit is 2
/// assert_eq!(jane.group_mask(), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone in the account.
    Everyone,
    /// The members of the groups whose bits are set in the mask.
    Groups(u64),
    /// Only the given user (or the owner, when the server did not say which user).
    Private(Option<Key<User>>),
}

impl Visibility {
    /// Visibility from the three wire fields (private first, then groups, else everyone).
    ///
    /// ```
    /// use clevertim_core::{Key, Visibility};
    /// assert_eq!(Visibility::from_parts(Some(true), Some(Key::new(2)), Some(4)), Visibility::Private(Some(Key::new(2))));
    /// assert_eq!(Visibility::from_parts(None, None, Some(4)), Visibility::Groups(4));
    /// assert_eq!(Visibility::from_parts(None, None, None), Visibility::Everyone);
    /// ```
    pub fn from_parts(
        is_private: Option<bool>,
        user: Option<Key<User>>,
        mask: Option<u64>,
    ) -> Self {
        match (is_private, mask) {
            (Some(true), _) => Visibility::Private(user),
            (_, Some(mask)) if mask != 0 => Visibility::Groups(mask),
            _ => Visibility::Everyone,
        }
    }

    /// The three wire fields for this visibility.
    ///
    /// ```
    /// use clevertim_core::{Key, Visibility};
    /// assert_eq!(Visibility::Groups(4).into_parts(), (false, None, 4));
    /// assert_eq!(Visibility::Private(Some(Key::new(2))).into_parts(), (true, Some(Key::new(2)), 0));
    /// ```
    pub fn into_parts(self) -> (bool, Option<Key<User>>, u64) {
        match self {
            Visibility::Everyone => (false, None, 0),
            Visibility::Groups(mask) => (false, None, mask),
            Visibility::Private(user) => (true, user, 0),
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

    #[test]
    fn visibility_is_derived_private_first() {
        assert_eq!(
            Visibility::from_parts(Some(true), Some(2.into()), Some(4)),
            Visibility::Private(Some(2.into()))
        );
        assert_eq!(
            Visibility::from_parts(Some(false), None, Some(4)),
            Visibility::Groups(4)
        );
        assert_eq!(
            Visibility::from_parts(None, None, Some(0)),
            Visibility::Everyone
        );
    }
}
