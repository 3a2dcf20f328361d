//! A social media id and its venue.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::super::codec::{InvalidValue, Validate};
use super::super::enums::SocialMediaVenue;

/// An id on a social media venue.
///
/// ```
/// use clevertim::{Company, SocialMediaId, SocialMediaVenue};
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
    /// use clevertim::{SocialMediaId, SocialMediaVenue};
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
    /// use clevertim::{SocialMediaId, SocialMediaVenue};
    /// assert_eq!(SocialMediaId::new("janedoe", SocialMediaVenue::LinkedIn).id(), Some("janedoe"));
    /// ```
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    /// The venue.
    ///
    /// ```
    /// use clevertim::{SocialMediaId, SocialMediaVenue};
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
