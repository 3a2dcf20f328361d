//! The values of typed flags (`KEY`, `TYPE:NUMBER`, `2026-12-01T09:30`) and how each becomes
//! the JSON value of an SDK field.

use std::str::FromStr;

use clevertim::{Id, PhoneNumber, PhoneType, TaskDate, TaskDateTime, TaskTime};
use serde_json::Value;

/// An object key on the command line: an integer (`367`) or a string (`f1`, folders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyArg(pub(crate) Id);

impl FromStr for KeyArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err("a key cannot be empty".into());
        }
        Ok(KeyArg(key_id(s)))
    }
}

/// The id a key spells: an integer when it is one, else the text.
pub(crate) fn key_id(s: &str) -> Id {
    match s.parse::<i64>() {
        Ok(n) if n.to_string() == s => Id::Int(n),
        _ => Id::from(s),
    }
}

impl KeyArg {
    fn to_json(&self) -> Value {
        serde_json::to_value(&self.0).unwrap_or(Value::Null)
    }
}

/// A phone number as `TYPE:NUMBER`, e.g. `Mobile:+44 7700 900123`.
#[derive(Debug, Clone)]
pub(crate) struct PhoneArg(PhoneNumber);

impl FromStr for PhoneArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let known = || {
            PhoneType::KNOWN
                .iter()
                .map(PhoneType::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (kind, number) = s.split_once(':').ok_or_else(|| {
            format!(
                "expected TYPE:NUMBER, e.g. Mobile:+44 7700 900123 (TYPE is one of {})",
                known()
            )
        })?;
        let kind = PhoneType::KNOWN
            .iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(kind.trim()))
            .cloned()
            .ok_or_else(|| format!("unknown phone type {:?}: one of {}", kind.trim(), known()))?;
        let number = number.trim();
        if number.is_empty() {
            return Err("the phone number is empty".into());
        }
        Ok(PhoneArg(PhoneNumber::new(number, kind)))
    }
}

/// A task's date and optional time: `2026-12-01` or `2026-12-01T09:30` (a space works too).
#[derive(Debug, Clone)]
pub(crate) struct WhenArg(TaskDateTime);

impl FromStr for WhenArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, got {s:?}");
        let (date, time) = match s.trim().split_once(['T', ' ']) {
            Some((d, t)) => (d, Some(t)),
            None => (s.trim(), None),
        };
        let mut parts = date.splitn(3, '-').map(str::parse::<u32>);
        let (Some(Ok(y)), Some(Ok(mo)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let date = TaskDate::new(i32::try_from(y).map_err(|_| bad())?, mo, d);
        if !date.is_valid() {
            return Err(format!("{date} is not a calendar date"));
        }
        let mut when = TaskDateTime::default();
        when.set_date(date);
        if let Some(time) = time {
            let (h, mi) = time.split_once(':').ok_or_else(bad)?;
            let (h, mi) = (
                h.parse::<u32>().map_err(|_| bad())?,
                mi.parse::<u32>().map_err(|_| bad())?,
            );
            if h > 23 || mi > 59 {
                return Err(format!("{h:02}:{mi:02} is not a time of day"));
            }
            when.set_time(TaskTime::new(h, mi));
        }
        Ok(WhenArg(when))
    }
}

/// A typed flag's value as the JSON value of its field, when the flag was given.
pub(crate) trait FlagValue {
    /// `None` when the flag was not given.
    fn to_json(&self) -> Option<Value>;
}

impl FlagValue for Option<String> {
    fn to_json(&self) -> Option<Value> {
        self.clone().map(Value::String)
    }
}

impl FlagValue for Vec<String> {
    fn to_json(&self) -> Option<Value> {
        (!self.is_empty()).then(|| Value::from(self.clone()))
    }
}

impl FlagValue for Option<KeyArg> {
    fn to_json(&self) -> Option<Value> {
        self.as_ref().map(KeyArg::to_json)
    }
}

/// Several keys: one is sent as one id, more as a list (a note's customers).
impl FlagValue for Vec<KeyArg> {
    fn to_json(&self) -> Option<Value> {
        match self.as_slice() {
            [] => None,
            [one] => Some(one.to_json()),
            many => Some(Value::Array(many.iter().map(KeyArg::to_json).collect())),
        }
    }
}

impl FlagValue for Vec<PhoneArg> {
    fn to_json(&self) -> Option<Value> {
        (!self.is_empty()).then(|| {
            Value::Array(
                self.iter()
                    .filter_map(|p| serde_json::to_value(&p.0).ok())
                    .collect(),
            )
        })
    }
}

impl FlagValue for Option<WhenArg> {
    fn to_json(&self) -> Option<Value> {
        self.as_ref().and_then(|w| serde_json::to_value(&w.0).ok())
    }
}

impl FlagValue for Option<bool> {
    fn to_json(&self) -> Option<Value> {
        self.map(Value::Bool)
    }
}

impl FlagValue for Option<u32> {
    fn to_json(&self) -> Option<Value> {
        self.map(Value::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_values() {
        assert_eq!("12".parse::<KeyArg>().map(|k| k.0), Ok(Id::Int(12)));
        assert_eq!("f1".parse::<KeyArg>().map(|k| k.0), Ok(Id::from("f1")));
        let phone: Option<Value> =
            vec!["mobile:+1 555".parse::<PhoneArg>().expect("phone")].to_json();
        assert_eq!(
            phone,
            Some(serde_json::json!([{"no": "+1 555", "type": "Mobile"}]))
        );
        assert!("Cell:1".parse::<PhoneArg>().is_err());
        let when: Option<Value> =
            Some("2026-12-01T09:30".parse::<WhenArg>().expect("when")).to_json();
        assert_eq!(
            when,
            Some(serde_json::json!({"y": 2026, "mo": 12, "d": 1, "h": 9, "mi": 30}))
        );
        assert!("2026-02-30".parse::<WhenArg>().is_err());
        assert!("2026-12-01T25:00".parse::<WhenArg>().is_err());
    }
}
