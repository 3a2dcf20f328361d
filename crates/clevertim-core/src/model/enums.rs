//! The enumerations of the API (REST-API.md, "Enumerations"), each able to carry a value the
//! server sends that this SDK does not know.

wire_enum! {
    /// The kind of customer (`ctype`).
    ///
    /// ```
    /// use clevertim::{Contact, CustomerType};
    /// let mut jane = Contact::new();
    /// jane.set_customer_type(CustomerType::Lead);
    /// assert_eq!(jane.customer_type().map(|t| t.as_str().to_owned()).as_deref(), Some("L"));
    /// assert_eq!("P".parse::<CustomerType>(), Ok(CustomerType::Prospect));
    /// ```
    CustomerType {
        /// `C`
        Customer = "C",
        /// `P`
        Prospect = "P",
        /// `S`
        Supplier = "S",
        /// `R`
        Reseller = "R",
        /// `E`
        Employee = "E",
        /// `O`
        Competitor = "O",
        /// `N`
        Consultant = "N",
        /// `T`
        Contractor = "T",
        /// `D`
        Distributor = "D",
        /// `X`
        Influencer = "X",
        /// `I`
        Investor = "I",
        /// `M`
        Manufacturer = "M",
        /// `A`
        Retailer = "A",
        /// `V`
        Vendor = "V",
        /// `W`
        Wholesaler = "W",
        /// `L`
        Lead = "L",
        /// `F`
        Friend = "F",
        /// `H`
        OtherType = "H",
    }
}

wire_enum! {
    /// The kind of a phone number.
    ///
    /// ```
    /// use clevertim::PhoneType;
    /// assert_eq!(PhoneType::from("Mobile"), PhoneType::Mobile);
    /// // A kind this SDK does not know is kept as sent (and refused on save).
    /// let satellite = PhoneType::from("Satellite");
    /// assert!(!satellite.is_known());
    /// assert_eq!(satellite.to_string(), "Satellite");
    /// ```
    PhoneType {
        /// Work phone.
        Work = "Work",
        /// Home phone.
        Home = "Home",
        /// Mobile phone.
        Mobile = "Mobile",
        /// Fax.
        Fax = "Fax",
        /// Pager.
        Pager = "Pager",
    }
}

wire_enum! {
    /// A social media venue.
    ///
    /// ```
    /// use clevertim::SocialMediaVenue;
    /// assert_eq!(SocialMediaVenue::from("Google+"), SocialMediaVenue::GooglePlus);
    /// assert_eq!(SocialMediaVenue::GooglePlus.as_str(), "Google+");
    /// ```
    SocialMediaVenue {
        /// BitBucket.
        BitBucket = "BitBucket",
        /// Facebook.
        Facebook = "Facebook",
        /// Github.
        Github = "Github",
        /// Google+.
        GooglePlus = "Google+",
        /// Instagram.
        Instagram = "Instagram",
        /// Kik.
        Kik = "Kik",
        /// LinkedIn.
        LinkedIn = "LinkedIn",
        /// MSN.
        Msn = "MSN",
        /// Pinterest.
        Pinterest = "Pinterest",
        /// Reddit.
        Reddit = "Reddit",
        /// Skype.
        Skype = "Skype",
        /// Snapchat.
        Snapchat = "Snapchat",
        /// Telegram.
        Telegram = "Telegram",
        /// Twitter.
        Twitter = "Twitter",
        /// Whatsapp.
        Whatsapp = "Whatsapp",
        /// YouTube.
        YouTube = "YouTube",
    }
}

wire_enum! {
    /// The kind of a task (`atype`).
    ///
    /// ```
    /// use clevertim::{Task, TaskType};
    /// let mut call = Task::new();
    /// call.set_task_type(TaskType::FollowUp);
    /// assert_eq!(call.task_type().map(|t| t.to_string()).as_deref(), Some("Follow up"));
    /// ```
    TaskType {
        /// An appointment.
        Appointment = "Appointment",
        /// An email to write.
        Email = "Email",
        /// A meeting.
        Meeting = "Meeting",
        /// A call.
        Call = "Call",
        /// A follow-up.
        FollowUp = "Follow up",
        /// A to-do.
        ToDo = "TO DO",
        /// No type (the default).
        NotSet = "Not set",
    }
}

wire_enum! {
    /// The kind of a note (`type`).
    ///
    /// ```
    /// use clevertim::NoteType;
    /// assert_eq!(NoteType::from("S"), NoteType::Email);
    /// assert!(NoteType::Sms.is_settable());
    /// assert!(!NoteType::MailDrop.is_settable(), "the server's alone");
    /// ```
    NoteType {
        /// A plain note (the default).
        Plain = "N",
        /// An email dropped in by the mail drop; made by the server, not settable.
        MailDrop = "E",
        /// An email note.
        Email = "S",
        /// An SMS note.
        Sms = "M",
    }
}

wire_enum! {
    /// The external delivery state of an SMS note (`delvry`).
    ///
    /// ```
    /// use clevertim::DeliveryState;
    /// let state: DeliveryState = serde_json::from_str(r#""F""#)?;
    /// assert_eq!(state, DeliveryState::Failed);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    DeliveryState {
        /// No external delivery.
        None = "N",
        /// Delivery failed.
        Failed = "F",
        /// Delivery succeeded.
        Succeeded = "S",
    }
}

wire_enum! {
    /// How often a task recurs (`rec`).
    ///
    /// ```
    /// use clevertim::{Recurrence, Task};
    /// let mut review = Task::new();
    /// review.set_recurrence(Recurrence::Monthly);
    /// assert_eq!(review.recurrence(), Some(Recurrence::Monthly));
    /// ```
    Recurrence {
        /// It does not recur.
        Never = "N",
        /// Daily.
        Daily = "D",
        /// Weekly.
        Weekly = "W",
        /// Monthly.
        Monthly = "M",
        /// Yearly.
        Yearly = "Y",
    }
}

wire_enum! {
    /// The kind of input of a custom field (`elemType`).
    ///
    /// ```
    /// use clevertim::ElemType;
    /// assert_eq!(ElemType::from("select"), ElemType::Select);
    /// assert_eq!(ElemType::Date.as_str(), "date");
    /// assert!(ElemType::KNOWN.contains(&ElemType::Currency));
    /// ```
    ElemType {
        /// Free text.
        Input = "input",
        /// One of the field's `values`.
        Select = "select",
        /// A `YYYY-MM-DD` date.
        Date = "date",
        /// A user's id.
        User = "user",
        /// A country code.
        Country = "country",
        /// A state code.
        State = "state",
        /// A region code.
        Region = "region",
        /// A contact's id.
        Contact = "contact",
        /// A company's id.
        Company = "company",
        /// A case's id.
        Case = "case",
        /// An opportunity's id.
        Opportunity = "opportunity",
        /// A currency code.
        Currency = "currency",
    }
}

wire_enum! {
    /// Where a custom field applies (`modelType`).
    ///
    /// ```
    /// use clevertim::{CustomField, Scope};
    /// let mut deadline = CustomField::new();
    /// deadline.set_scopes([Scope::Cases, Scope::Opportunities]);
    /// assert!(deadline.scopes().contains(&Scope::Cases));
    /// assert!(!deadline.scopes().contains(&Scope::Customers));
    /// ```
    Scope {
        /// Contacts (people).
        Customers = "customers",
        /// Companies.
        Companies = "companies",
        /// Cases.
        Cases = "cases",
        /// Opportunities.
        Opportunities = "opportunities",
    }
}

wire_enum! {
    /// Whether an email reached a recipient.
    ///
    /// ```
    /// use clevertim::RecipientStatus;
    /// assert_eq!(RecipientStatus::from("b"), RecipientStatus::Bounced);
    /// assert_eq!(RecipientStatus::Sent.as_str(), "s");
    /// ```
    RecipientStatus {
        /// Sent.
        Sent = "s",
        /// Bounced.
        Bounced = "b",
    }
}

wire_enum! {
    /// The external store of a linked file (`sys`).
    ///
    /// ```
    /// use clevertim::FileStore;
    /// assert_eq!(FileStore::from("G"), FileStore::GoogleDrive);
    /// assert!(FileStore::Dropbox.is_known());
    /// ```
    FileStore {
        /// Dropbox.
        Dropbox = "D",
        /// Google Drive.
        GoogleDrive = "G",
    }
}

impl NoteType {
    /// Whether a client may set this note type (the mail drop's is the server's alone).
    ///
    /// ```
    /// use clevertim::NoteType;
    /// let settable: Vec<&str> = NoteType::KNOWN.iter().filter(|t| t.is_settable()).map(|t| t.as_str()).collect();
    /// assert_eq!(settable, ["N", "S", "M"]);
    /// ```
    pub fn is_settable(&self) -> bool {
        matches!(self, NoteType::Plain | NoteType::Email | NoteType::Sms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::codec::Validate;

    #[test]
    fn unknown_values_are_kept_and_refused_on_write() {
        let t: PhoneType = serde_json::from_str(r#""Satellite""#).unwrap();
        assert_eq!(t, PhoneType::Other("Satellite".into()));
        assert_eq!(serde_json::to_string(&t).unwrap(), r#""Satellite""#);
        let err = t.check().unwrap_err();
        assert!(
            err.reason.contains("Work, Home, Mobile, Fax, Pager"),
            "{err:?}"
        );
        assert!(PhoneType::Mobile.check().is_ok());
    }

    #[test]
    fn spellings_with_spaces_and_symbols_map_to_variants() {
        assert_eq!(TaskType::from("Follow up"), TaskType::FollowUp);
        assert_eq!(
            SocialMediaVenue::from("Google+"),
            SocialMediaVenue::GooglePlus
        );
        assert_eq!(TaskType::KNOWN.len(), 7);
    }
}
