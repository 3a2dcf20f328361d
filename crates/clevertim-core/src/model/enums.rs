//! The enumerations of the API (REST-API.md, "Enumerations"), each able to carry a value the
//! server sends that this SDK does not know.

wire_enum! {
    /// The kind of customer (`ctype`).
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
    RecipientStatus {
        /// Sent.
        Sent = "s",
        /// Bounced.
        Bounced = "b",
    }
}

wire_enum! {
    /// The external store of a linked file (`sys`).
    FileStore {
        /// Dropbox.
        Dropbox = "D",
        /// Google Drive.
        GoogleDrive = "G",
    }
}

impl NoteType {
    /// Whether a client may set this note type (the mail drop's is the server's alone).
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
