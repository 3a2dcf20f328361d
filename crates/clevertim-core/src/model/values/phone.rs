//! A phone number and its kind.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::codec::{InvalidValue, Validate};
use super::super::enums::PhoneType;

/// A phone number and its kind.
///
/// ```
/// use clevertim::{Contact, PhoneNumber, PhoneType};
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
    /// use clevertim::{PhoneNumber, PhoneType};
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
    /// use clevertim::{PhoneNumber, PhoneType};
    /// assert_eq!(PhoneNumber::new("555-0100", PhoneType::Home).number(), Some("555-0100"));
    /// ```
    pub fn number(&self) -> Option<&str> {
        self.number.as_deref()
    }
    /// Its kind (work, home, …).
    ///
    /// ```
    /// use clevertim::{PhoneNumber, PhoneType};
    /// assert_eq!(PhoneNumber::new("555-0100", "Fax").kind(), Some(&PhoneType::Fax));
    /// ```
    pub fn kind(&self) -> Option<&PhoneType> {
        self.kind.as_ref()
    }
}

/// The number and its kind, e.g. `+44 20 7946 0000 (Work)`.
///
/// ```
/// use clevertim::{PhoneNumber, PhoneType};
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
