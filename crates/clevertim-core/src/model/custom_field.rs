//! Custom field definitions (`/customfield`).

use super::codec::WriteMode;
use super::{ElemType, Scope};
use crate::error::ValidationError;

resource! {
    /// A custom field definition: a typed extra field for contacts, companies, cases or
    /// opportunities.
    ///
    /// ```
    /// use clevertim::{CustomField, ElemType, Scope};
    /// let mut tier = CustomField::new();
    /// tier.set_name("Tier").set_elem_type(ElemType::Select);
    /// tier.set_scopes([Scope::Customers]).set_values(["Gold", "Silver"]);
    /// ```
    struct CustomField at "customfield", list_only, check(CustomField::check_definition) {
        /// The name shown to users.
        rw name: text = "name";
        /// The name with an application prefix.
        rw full_name: text = "fullname";
        /// The kind of input.
        rw elem_type: scalar<ElemType> = "elemType";
        /// Where it applies.
        rw scopes: list<Scope> = "modelType";
        /// Whether it holds a list of values.
        rw multiple: scalar<bool> = "multiple";
        /// The allowed values of a select.
        rw values: list<String> = "values";
        /// The owning application.
        rw app: text = "app";
    }
}

impl CustomField {
    /// A new definition has a name, a kind, a scope, and a select its choices.
    fn check_definition(&self, mode: WriteMode) -> Result<(), ValidationError> {
        if mode != WriteMode::Create {
            return Ok(());
        }
        let missing = |field: &str, what: &str| {
            ValidationError::new("customfield", field, "", format!("is required: {what}"))
        };
        if self.name().is_none_or(str::is_empty) {
            return Err(missing("name", "the name shown to users"));
        }
        let Some(kind) = self.elem_type() else {
            return Err(missing("elemType", "the kind of input"));
        };
        if self.scopes().is_empty() {
            return Err(missing("modelType", "where the field applies"));
        }
        if kind == ElemType::Select && self.values().is_empty() {
            return Err(ValidationError::new(
                "customfield",
                "values",
                "[]",
                "must list the choices of a select",
            ));
        }
        Ok(())
    }
}
