//! Users and groups (read-only in the API) are matched to the account's; custom fields are
//! matched by name and type, and created when missing.

use clevertim::{CustomField, Group, User};
use serde_json::{Map, Value};

use crate::exit::Failure;

use super::Importer;
use super::references::{elem_target, key_json, text_of};

fn decode<T: serde::de::DeserializeOwned + Default>(object: &Map<String, Value>) -> T {
    serde_json::from_value(Value::Object(object.clone())).unwrap_or_default()
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

impl Importer<'_> {
    /// Matches users by email, then name.
    pub(super) async fn match_users(
        &mut self,
        objects: Vec<Map<String, Value>>,
    ) -> Result<(), Failure> {
        let users = self.ctx.session.all::<User>().await?;
        for object in objects {
            self.bar.inc(1);
            let old = object.get("id").map(text_of).unwrap_or_default();
            let source: User = decode(&object);
            let found = users
                .iter()
                .find(|u| same(u.email(), source.email()))
                .or_else(|| users.iter().find(|u| same(u.name(), source.name())));
            match found.and_then(|u| key_json(u.key())) {
                Some(new) => {
                    self.tally().matched += 1;
                    self.keys.insert("user", old, new);
                }
                None => self.problem(
                    "user",
                    &old,
                    format!(
                        "no user {} in this account (users cannot be created through the API): references to it are dropped",
                        source.email().or(source.name()).unwrap_or("?")
                    ),
                    false,
                ),
            }
        }
        Ok(())
    }

    /// Matches groups by name, and their bits.
    pub(super) async fn match_groups(
        &mut self,
        objects: Vec<Map<String, Value>>,
    ) -> Result<(), Failure> {
        let groups = self.ctx.session.all::<Group>().await?;
        for object in objects {
            self.bar.inc(1);
            let old = object.get("id").map(text_of).unwrap_or_default();
            let source: Group = decode(&object);
            match groups.iter().find(|g| same(g.name(), source.name())) {
                Some(group) => {
                    self.tally().matched += 1;
                    if let (Some(from), Some(to)) = (source.bit(), group.bit()) {
                        self.keys.bits.insert(from, to);
                    }
                    if let Some(new) = key_json(group.key()) {
                        self.keys.insert("group", old, new);
                    }
                }
                None => self.problem(
                    "group",
                    &old,
                    format!(
                        "no group {:?} in this account (groups cannot be created through the API): objects shared with it are shared with the others only",
                        source.name().unwrap_or("?")
                    ),
                    false,
                ),
            }
        }
        Ok(())
    }

    /// Matches custom fields by name and type; creates the missing ones.
    pub(super) async fn custom_fields(
        &mut self,
        objects: Vec<Map<String, Value>>,
    ) -> Result<(), Failure> {
        let existing = self.ctx.session.all::<CustomField>().await?;
        for object in objects {
            let old = object.get("id").map(text_of).unwrap_or_default();
            let source: CustomField = decode(&object);
            let target = source.elem_type().and_then(|t| elem_target(t.as_str()));
            let found = existing
                .iter()
                .find(|d| same(d.name(), source.name()) && d.elem_type() == source.elem_type());
            let new = match found {
                Some(definition) => {
                    self.bar.inc(1);
                    self.tally().matched += 1;
                    key_json(definition.key())
                }
                None => self.create_one::<CustomField>(object).await?,
            };
            if let Some(new) = new {
                self.keys
                    .custom
                    .insert(old.clone(), (text_of(&new), target));
                self.keys.insert("customfield", old, new);
            }
        }
        Ok(())
    }
}
