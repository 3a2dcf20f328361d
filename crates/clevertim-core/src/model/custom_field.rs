//! Custom field definitions (`/customfield`).

use super::slot::WriteMode;
use super::{ElemType, Resource, Scope};
use crate::error::ValidationError;

resource! {
    /// A custom field definition: a typed extra field for contacts, companies, cases or
    /// opportunities.
    ///
    /// ```
    /// use clevertim_core::{CustomField, ElemType, Scope};
    /// let mut tier = CustomField::new();
    /// tier.set_name("Tier").set_elem_type(ElemType::Select);
    /// tier.set_scopes([Scope::Customers]).set_values(["Gold", "Silver"]);
    /// ```
    struct CustomField {
        /// The name shown to users.
        rw name: text<String> = "name";
        /// The name with an application prefix.
        rw full_name: text<String> = "fullname";
        /// The kind of input.
        rw elem_type: val<ElemType> = "elemType";
        /// Where it applies.
        rw scopes: list<Scope> = "modelType";
        /// Whether it holds a list of values.
        rw multiple: val<bool> = "multiple";
        /// The allowed values of a select.
        rw values: list<String> = "values";
        /// The owning application.
        rw app: text<String> = "app";
    }
}

impl Resource for CustomField {
    const PATH: &'static str = "customfield";
    const LIST_ONLY: bool = true;

    fn check(&self, mode: WriteMode) -> Result<(), ValidationError> {
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
