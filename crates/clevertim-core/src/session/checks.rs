//! The checks before a write: nothing is sent when one fails.

use super::Session;
use crate::error::{Error, Result, ValidationError};
use crate::key::Id;
use crate::model::codec::WriteMode;
use crate::model::{CustomField, Origin, Resource};

impl Session {
    /// Checks `object` before a save: its resource is writable, its values are valid, a new
    /// one has the fields the API requires, its own rules hold, and its custom field values
    /// suit their definitions. Returns whether the save creates or updates.
    pub(super) async fn check_before_save<R: Resource>(&self, object: &R) -> Result<WriteMode> {
        refuse_read_only::<R>()?;
        let mode = match object.wire_id() {
            Some(_) => WriteMode::Update,
            None => WriteMode::Create,
        };
        object.check_fields(R::PATH, mode)?;
        if mode == WriteMode::Create {
            crate::model::check_required(object)?;
        }
        object.check(mode)?;
        let Some((scope, values, original)) = object.custom_fields_to_check(mode) else {
            return Ok(mode);
        };
        if values.is_empty() {
            return Ok(mode);
        }
        self.judge_list(|definitions: Vec<CustomField>| {
            Ok(values.check_against(R::PATH, &scope, &definitions, original)?)
        })
        .await?;
        Ok(mode)
    }
}

/// Refuses writes to the resources the API only reads (users, groups), before any request.
pub(super) fn refuse_read_only<R: Resource>() -> Result<()> {
    if R::WRITABLE {
        Ok(())
    } else {
        Err(Error::Unsupported {
            message: format!("the API does not let clients write a {}", R::PATH),
            site: None,
        })
    }
}

/// The id of `object`, which must be saved for a delete or a reload.
pub(super) fn saved_id<R: Resource>(object: &R) -> Result<Id> {
    object.wire_id().cloned().ok_or_else(|| {
        ValidationError::new(R::PATH, "id", "", "the object is not saved (it has no key)").into()
    })
}

/// Refuses to `operation` an object that came from another account or endpoint than this
/// session's, before anything is sent; an object with no origin (built by hand) passes.
pub(super) fn same_origin<R: Resource>(
    operation: &'static str,
    object: &R,
    session: &Origin,
) -> Result<()> {
    match object.origin() {
        Some(origin) if origin != session => Err(Error::OtherAccount {
            operation,
            resource: R::PATH,
            key: object
                .wire_id()
                .map(ToString::to_string)
                .unwrap_or_default(),
            from: origin.describe(),
            to: session.describe(),
        }),
        _ => Ok(()),
    }
}
