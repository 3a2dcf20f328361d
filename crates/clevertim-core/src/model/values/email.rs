//! The email details of an email note and its recipients.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::codec::Validate;
use super::super::enums::RecipientStatus;

/// The sender, subject and recipients of an email note (`email`, read-only).
///
/// ```
/// use clevertim::Note;
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
    /// use clevertim::Note;
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
    /// use clevertim::Note;
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
    /// use clevertim::Note;
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
    /// use clevertim::Note;
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
    /// use clevertim::Note;
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
/// use clevertim::RecipientStatus;
/// use clevertim::Note;
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
    /// use clevertim::Note;
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
    /// use clevertim::RecipientStatus;
    /// use clevertim::Note;
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
    /// use clevertim::Note;
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
