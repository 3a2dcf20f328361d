//! The closed value sets: the strings an enumerated field accepts.

/// Customer type codes (`ctype`).
pub(crate) const CTYPES: &[&str] = &[
    "C", "P", "S", "R", "E", "O", "N", "T", "D", "X", "I", "M", "A", "V", "W", "L", "F", "H",
];
/// Phone types.
pub(crate) const PHONE_TYPES: &[&str] = &["Work", "Home", "Mobile", "Fax", "Pager"];
/// Social media venues.
pub(crate) const VENUES: &[&str] = &[
    "BitBucket",
    "Facebook",
    "Github",
    "Google+",
    "Instagram",
    "Kik",
    "LinkedIn",
    "MSN",
    "Pinterest",
    "Reddit",
    "Skype",
    "Snapchat",
    "Telegram",
    "Twitter",
    "Whatsapp",
    "YouTube",
];
/// Task types (`atype`).
pub(crate) const TASK_TYPES: &[&str] = &[
    "Appointment",
    "Email",
    "Meeting",
    "Call",
    "Follow up",
    "TO DO",
    "Not set",
];
/// Note types a client may set (`E` is made by the mail drop only).
pub(crate) const NOTE_TYPES: &[&str] = &["N", "S", "M"];
/// Task recurrence codes (`rec`).
pub(crate) const RECURRENCES: &[&str] = &["N", "D", "W", "M", "Y"];
/// Custom field element types.
pub(crate) const ELEM_TYPES: &[&str] = &[
    "input",
    "select",
    "date",
    "user",
    "country",
    "state",
    "region",
    "contact",
    "company",
    "case",
    "opportunity",
    "currency",
];
/// Custom field scopes (`modelType`).
pub(crate) const MODEL_TYPES: &[&str] = &["customers", "companies", "cases", "opportunities"];
