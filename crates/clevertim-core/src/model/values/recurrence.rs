//! How a recurring task repeats.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::codec::{InvalidValue, Validate};

/// A task's recurrence options (`recopts`): `{}` or `{"type": "weekday"}`.
///
/// ```
/// use clevertim::{Recurrence, RecurrenceOptions, Task};
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
    /// use clevertim::RecurrenceOptions;
    /// assert!(!RecurrenceOptions::none().skips_weekends());
    /// assert_eq!(RecurrenceOptions::none().kind(), None);
    /// ```
    pub fn none() -> Self {
        Self::default()
    }
    /// Recur on weekdays only (skip weekends).
    ///
    /// ```
    /// use clevertim::RecurrenceOptions;
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
    /// use clevertim::RecurrenceOptions;
    /// assert!(RecurrenceOptions::weekdays_only().skips_weekends());
    /// ```
    pub fn skips_weekends(&self) -> bool {
        self.kind.as_deref() == Some("weekday")
    }
    /// The option's type as sent, if any.
    ///
    /// ```
    /// use clevertim::RecurrenceOptions;
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
