//! Small value types that live inside the resources: phone numbers, social media ids, task
//! dates and times, recurrence options, email details and visibility.
//!
//! Each keeps the fields the server sends that it does not know, so nothing is lost.

//! One file per value type.

mod email;
mod phone;
mod recurrence;
mod social_media;
mod task_date;
mod task_date_time;
mod task_time;
mod visibility;

pub use email::{EmailInfo, EmailRecipient};
pub use phone::PhoneNumber;
pub use recurrence::RecurrenceOptions;
pub use social_media::SocialMediaId;
pub use task_date::TaskDate;
pub use task_date_time::TaskDateTime;
pub use task_time::TaskTime;
pub use visibility::Visibility;
