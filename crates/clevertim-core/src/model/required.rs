//! The fields a new object must have before it is created ([`Resource::REQUIRED`]).

use serde_json::Value;

use super::Resource;
use crate::error::ValidationError;

/// Checks that a new `object` has one of each of its resource's required field lists, set
/// and not empty (`null`, a blank text and an empty list count as missing, as on the server).
///
/// # Errors
///
/// A [`ValidationError`] on the first field of the first list with none of its fields set,
/// whose reason names them all.
pub(crate) fn check_required<R: Resource>(object: &R) -> Result<(), ValidationError> {
    if R::REQUIRED.is_empty() {
        return Ok(());
    }
    // The object as it would be sent, so that a field counts however it was set.
    let written = serde_json::to_value(object)
        .map_err(|e| ValidationError::new(R::PATH, "", "", format!("cannot be written: {e}")))?;
    for fields in R::REQUIRED {
        if !fields.iter().any(|f| written.get(f).is_some_and(filled)) {
            let named: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            return Err(ValidationError::new(
                R::PATH,
                fields.first().copied().unwrap_or_default(),
                "",
                format!("is missing: a new {} needs {}", R::PATH, named.join(" or ")),
            ));
        }
    }
    Ok(())
}

/// Whether a value counts as set.
fn filled(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Case, Comment, Company, Contact, Note, Opportunity, Task, User};

    #[test]
    fn a_contact_needs_a_first_or_a_last_name() {
        let mut jane = Contact::new();
        jane.add_to_emails("jane@example.com");
        let err = check_required(&jane).unwrap_err();
        assert_eq!((err.resource, err.field.as_str()), ("contact", "fn"));
        assert_eq!(err.reason, "is missing: a new contact needs `fn` or `ln`");
        jane.set_last_name("   ");
        assert!(check_required(&jane).is_err(), "a blank name is no name");
        jane.set_last_name("Doe");
        assert!(check_required(&jane).is_ok());
    }

    #[test]
    fn each_documented_resource_names_its_fields() {
        let cases = [
            (check_required(&Company::new()), "cn"),
            (check_required(&Case::new()), "name"),
            (check_required(&Opportunity::new()), "name"),
            (check_required(&Task::new()), "name"),
            (check_required(&Note::new()), "desc"),
            (check_required(&Comment::new()), "comment"),
        ];
        for (verdict, field) in cases {
            let err = verdict.unwrap_err();
            assert_eq!(err.field, field, "{err}");
            assert!(err.reason.contains(&format!("`{field}`")), "{err}");
        }
        assert!(
            check_required(&User::new()).is_ok(),
            "no rule: nothing required"
        );
    }

    #[test]
    fn set_fields_satisfy_the_rule() {
        let mut acme = Company::new();
        acme.set_name("Acme");
        let mut call = Task::new();
        call.set_name("Call Jane");
        let mut memo = Note::new();
        memo.set_description("Met at the fair");
        assert!(check_required(&acme).is_ok());
        assert!(check_required(&call).is_ok());
        assert!(check_required(&memo).is_ok());
    }
}
