//! Creating the export's objects, each at most once: what the key map records is not created
//! again, and an object whose creation was cut short is looked for in the account first.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::commands::crud::key_order;
use crate::exit::{Failure, Kind, with_causes};
use crate::flags::key_id;
use crate::resources::{CliResource, Visitor};

use super::Importer;
use super::journal::Entry;
use super::references::{Pending, key_json, text_of};

/// A [`Pending`] value of an object now created.
#[derive(Debug)]
pub(super) struct Later {
    resource: &'static str,
    old_key: String,
    new_key: Value,
    pending: Pending,
}

impl Importer<'_> {
    /// Imports each object of `R` that is not imported yet.
    ///
    /// # Errors
    ///
    /// When the key map cannot be written, or the API cannot be reached (whether the last
    /// object was created is then unknown: the next run finds out).
    pub(super) async fn create_all<R: CliResource>(
        &mut self,
        objects: Vec<Map<String, Value>>,
    ) -> Result<(), Failure> {
        for mut object in objects {
            let old = object.get("id").map(text_of).unwrap_or_default();
            let (pending, dropped) = self.keys.remap::<R>(&mut object);
            for reason in dropped {
                self.problem(R::NAME, &old, reason, false);
            }
            if let Some(new_key) = self.create_one::<R>(object).await? {
                self.later.extend(pending.into_iter().map(|pending| Later {
                    resource: R::NAME,
                    old_key: old.clone(),
                    new_key: new_key.clone(),
                    pending,
                }));
            }
        }
        Ok(())
    }

    /// Creates one object (from its writable fields) unless an earlier run did; its new key,
    /// `None` when the API refused it (reported).
    ///
    /// # Errors
    ///
    /// As [`create_all`](Self::create_all).
    pub(super) async fn create_one<R: CliResource>(
        &mut self,
        mut object: Map<String, Value>,
    ) -> Result<Option<Value>, Failure> {
        self.bar.inc(1);
        let old = object.remove("id").map(|v| text_of(&v)).unwrap_or_default();
        if let Some(new) = self.keys.get(R::NAME, &old).cloned() {
            self.tally().earlier += 1;
            return Ok(Some(new));
        }
        object.retain(|name, _| R::field(name).is_none_or(|f| f.writable));
        let unfinished = self
            .unfinished
            .as_ref()
            .is_some_and(|(r, k, _)| r == R::NAME && *k == old);
        if unfinished {
            self.unfinished = None;
            if let Some(new) = self.find_created::<R>(&object).await? {
                self.tally().earlier += 1;
                self.record(&Entry::Created {
                    resource: R::NAME.to_owned(),
                    key: old.clone(),
                    new: new.clone(),
                })?;
                self.keys.insert(R::NAME, old, new.clone());
                return Ok(Some(new));
            }
        }
        if self.dry_run {
            self.tally().created += 1;
            let new = Value::String(format!("new-{old}"));
            self.keys.insert(R::NAME, old, new.clone());
            return Ok(Some(new));
        }
        let mut new: R = match serde_json::from_value(Value::Object(object.clone())) {
            Ok(new) => new,
            Err(e) => {
                self.tally().failed += 1;
                self.problem(R::NAME, &old, format!("not a {}: {e}", R::NAME), true);
                return Ok(None);
            }
        };
        self.record(&Entry::Creating {
            resource: R::NAME.to_owned(),
            key: old.clone(),
            sent: object,
        })?;
        match self.ctx.session.save(&mut new).await {
            Ok(()) => {
                self.tally().created += 1;
                let Some(key) = key_json(new.key()) else {
                    return Ok(None);
                };
                self.record(&Entry::Created {
                    resource: R::NAME.to_owned(),
                    key: old.clone(),
                    new: key.clone(),
                })?;
                self.keys.insert(R::NAME, old, key.clone());
                Ok(Some(key))
            }
            Err(e) => {
                let reason = with_causes(&e);
                let failure = Failure::from(e);
                // Not reached, or no answer: it may have been created. Stop; the next run
                // looks for it before creating it.
                if matches!(failure.kind, Kind::Network | Kind::Server | Kind::Auth) {
                    return Err(failure);
                }
                self.record(&Entry::Failed {
                    resource: R::NAME.to_owned(),
                    key: old.clone(),
                })?;
                self.tally().failed += 1;
                self.problem(R::NAME, &old, reason, true);
                Ok(None)
            }
        }
    }

    /// The object of `R` that an interrupted run created from `sent`, if the account has it:
    /// the newest not in the key map whose text, number and yes/no fields are those sent.
    async fn find_created<R: CliResource>(
        &self,
        sent: &Map<String, Value>,
    ) -> Result<Option<Value>, Failure> {
        let objects = self.ctx.session.all::<R>().await?;
        let mapped: HashSet<String> = self
            .keys
            .keys
            .get(R::NAME)
            .map(|m| m.values().map(text_of).collect())
            .unwrap_or_default();
        let scalars: Vec<(&String, &Value)> = sent
            .iter()
            .filter(|(_, v)| v.is_string() || v.is_number() || v.is_boolean())
            .collect();
        Ok(objects
            .iter()
            .filter_map(|o| Some((key_json(o.key())?, serde_json::to_value(o).ok()?)))
            .filter(|(key, _)| !mapped.contains(&text_of(key)))
            .filter(|(_, value)| scalars.iter().all(|(k, v)| value.get(*k) == Some(*v)))
            .map(|(key, _)| key)
            .max_by_key(|key| key_order(Some(key_id(&text_of(key))))))
    }
}

/// The second pass: sets the custom field values that named objects imported after their
/// owner.
pub(super) struct Finish<'a, 'b>(pub(super) &'a mut Importer<'b>);

impl Visitor for Finish<'_, '_> {
    type Output = ();

    async fn visit<R: CliResource>(&mut self) {
        let importer = &mut *self.0;
        let (mine, rest): (Vec<Later>, Vec<Later>) = std::mem::take(&mut importer.later)
            .into_iter()
            .partition(|l| l.resource == R::NAME);
        importer.later = rest;
        for later in mine {
            let Later {
                old_key,
                new_key,
                pending,
                ..
            } = later;
            let value = match importer.keys.translate(pending.target, &pending.value) {
                Ok(value) => value,
                Err(why) => {
                    let reason = format!("custom field {} dropped: {why}", pending.old_field);
                    importer.problem(R::NAME, &old_key, reason, false);
                    continue;
                }
            };
            if importer.dry_run {
                continue;
            }
            let outcome = async {
                let mut object: R = serde_json::from_value(serde_json::json!({ "id": new_key }))
                    .map_err(|e| e.to_string())?;
                object
                    .set_field(
                        "custom_field_values",
                        serde_json::json!({ pending.field.clone(): value }),
                    )
                    .map_err(|e| e.to_string())?;
                importer
                    .ctx
                    .session
                    .save(&mut object)
                    .await
                    .map_err(|e| with_causes(&e))
            };
            if let Err(why) = outcome.await {
                let reason = format!("custom field {} not set: {why}", pending.old_field);
                importer.problem(R::NAME, &old_key, reason, false);
            }
        }
    }
}
