//! `clevertim import DIR`: recreates the objects of an export in this account, with their
//! references remapped to the new keys.
//!
//! Resources are imported parents first. Users and groups are read-only in the API: they are
//! matched (users by email, then name; groups by name), not created. Custom fields are matched
//! by name and type, and created when missing. Every object is created with its writable
//! fields; a reference to an object that was not imported is dropped and reported.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use clevertim::{CustomField, Group, User};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::commands::crud::key_order;
use crate::connect::Context;
use crate::exit::{Failure, Kind};
use crate::flags::key_id;
use crate::output::{self, Format, Table};
use crate::resources::{self, CliResource, Visitor};

/// Parents before children.
const ORDER: &[&str] = &[
    "user",
    "group",
    "customfield",
    "folder",
    "file",
    "linkedfile",
    "company",
    "contact",
    "case",
    "opportunity",
    "task",
    "note",
    "comment",
];

/// What a reference field points to.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// An object of this resource.
    Resource(&'static str),
    /// A contact or a company (one id space).
    Customer,
    /// Group bits (`gid`).
    Groups,
}

/// The reference fields, by SDK field name; `*` is every resource that has the field.
const REFERENCES: &[(&str, &str, Target)] = &[
    ("contact", "company", Target::Resource("company")),
    ("case", "who", Target::Customer),
    ("case", "lead_user", Target::Resource("user")),
    ("opportunity", "who", Target::Customer),
    ("opportunity", "lead_user", Target::Resource("user")),
    ("task", "who", Target::Customer),
    ("task", "case", Target::Resource("case")),
    ("task", "opportunity", Target::Resource("opportunity")),
    ("task", "assigned_to", Target::Resource("user")),
    ("note", "customers", Target::Customer),
    ("note", "case", Target::Resource("case")),
    ("note", "opportunity", Target::Resource("opportunity")),
    ("comment", "note", Target::Resource("note")),
    ("comment", "task", Target::Resource("task")),
    ("folder", "parent_key", Target::Resource("folder")),
    ("file", "parent_key", Target::Resource("folder")),
    ("*", "private_user", Target::Resource("user")),
    ("*", "group_mask", Target::Groups),
];

/// The resource a custom field of this `elemType` refers to.
fn elem_target(elem_type: &str) -> Option<Target> {
    match elem_type {
        "user" => Some(Target::Resource("user")),
        "contact" => Some(Target::Resource("contact")),
        "company" => Some(Target::Resource("company")),
        "case" => Some(Target::Resource("case")),
        "opportunity" => Some(Target::Resource("opportunity")),
        _ => None,
    }
}

/// One resource's tally.
#[derive(Debug, Default, Serialize)]
struct Tally {
    resource: &'static str,
    /// Objects in the export's file.
    read: usize,
    /// Objects created.
    created: usize,
    /// Objects matched to one the account has (users, groups, custom fields).
    matched: usize,
    /// Objects that could not be imported.
    failed: usize,
}

/// Something not imported (or not wholly), and why.
#[derive(Debug, Serialize)]
struct Problem {
    resource: &'static str,
    /// The key in the export.
    key: String,
    /// What happened.
    reason: String,
    /// Whether the object itself was not imported (else: imported without a reference).
    failed: bool,
}

struct Importer<'a> {
    ctx: &'a Context,
    dir: &'a Path,
    /// Old key → new key, per resource.
    keys: HashMap<&'static str, BTreeMap<String, Value>>,
    /// Old group bit → new group bit.
    bits: HashMap<u64, u64>,
    /// Old custom field id → (new id, what its values refer to).
    custom: HashMap<String, (String, Option<Target>)>,
    /// Custom field values to set once every object is created.
    later: Vec<Later>,
    problems: Vec<Problem>,
}

/// A custom field value that names an object not imported yet.
#[derive(Debug)]
struct Pending {
    /// The custom field's new id.
    field: String,
    /// Its id in the export.
    old_field: String,
    /// The value as exported.
    value: Value,
    /// What it names.
    target: Target,
}

/// A [`Pending`] value of an object now created.
#[derive(Debug)]
struct Later {
    resource: &'static str,
    old_key: String,
    new_key: Value,
    pending: Pending,
}

/// The second pass: sets the custom field values that named objects imported after their
/// owner.
struct Finish<'a, 'b>(&'a mut Importer<'b>);

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
            let value = match importer.translate(pending.target, &pending.value) {
                Ok(value) => value,
                Err(why) => {
                    let reason = format!("custom field {} dropped: {why}", pending.old_field);
                    importer.problem(R::NAME, &old_key, reason, false);
                    continue;
                }
            };
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
                    .map_err(|e| e.to_string())
            };
            if let Err(why) = outcome.await {
                let reason = format!("custom field {} not set: {why}", pending.old_field);
                importer.problem(R::NAME, &old_key, reason, false);
            }
        }
    }
}

impl Visitor for Importer<'_> {
    type Output = Result<Tally, Failure>;

    async fn visit<R: CliResource>(&mut self) -> Self::Output {
        let mut tally = Tally {
            resource: R::NAME,
            ..Tally::default()
        };
        let path = self.dir.join(format!("{}.json", R::NAME));
        if !path.exists() {
            return Ok(tally);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::other(format!("cannot read {}: {e}", path.display())))?;
        let objects: Vec<Map<String, Value>> = serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!("{} is not a list of objects: {e}", path.display()))
        })?;
        tally.read = objects.len();
        match R::NAME {
            "user" => self.match_users(objects, &mut tally).await?,
            "group" => self.match_groups(objects, &mut tally).await?,
            "customfield" => self.custom_fields(objects, &mut tally).await?,
            "folder" => {
                let objects = parents_first(objects);
                self.create_all::<R>(objects, &mut tally).await;
            }
            _ => self.create_all::<R>(objects, &mut tally).await,
        }
        Ok(tally)
    }
}

impl Importer<'_> {
    fn problem(&mut self, resource: &'static str, key: &str, reason: String, failed: bool) {
        self.problems.push(Problem {
            resource,
            key: key.to_owned(),
            reason,
            failed,
        });
    }

    fn map_key(&mut self, resource: &'static str, old: &Value, new: Option<Value>) {
        if let Some(new) = new {
            self.keys
                .entry(resource)
                .or_default()
                .insert(text_of(old), new);
        }
    }

    async fn match_users(
        &mut self,
        objects: Vec<Map<String, Value>>,
        tally: &mut Tally,
    ) -> Result<(), Failure> {
        let users = self.ctx.session.all::<User>().await?;
        for object in objects {
            let old = object.get("id").cloned().unwrap_or(Value::Null);
            let source: User = decode(&object);
            let found = users
                .iter()
                .find(|u| same(u.email(), source.email()))
                .or_else(|| users.iter().find(|u| same(u.name(), source.name())));
            match found {
                Some(user) => {
                    tally.matched += 1;
                    self.map_key("user", &old, key_json(user.key()));
                }
                None => self.problem(
                    "user",
                    &text_of(&old),
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

    async fn match_groups(
        &mut self,
        objects: Vec<Map<String, Value>>,
        tally: &mut Tally,
    ) -> Result<(), Failure> {
        let groups = self.ctx.session.all::<Group>().await?;
        for object in objects {
            let old = object.get("id").cloned().unwrap_or(Value::Null);
            let source: Group = decode(&object);
            match groups.iter().find(|g| same(g.name(), source.name())) {
                Some(group) => {
                    tally.matched += 1;
                    if let (Some(from), Some(to)) = (source.bit(), group.bit()) {
                        self.bits.insert(from, to);
                    }
                    self.map_key("group", &old, key_json(group.key()));
                }
                None => self.problem(
                    "group",
                    &text_of(&old),
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

    async fn custom_fields(
        &mut self,
        objects: Vec<Map<String, Value>>,
        tally: &mut Tally,
    ) -> Result<(), Failure> {
        let existing = self.ctx.session.all::<CustomField>().await?;
        for object in objects {
            let old = object.get("id").cloned().unwrap_or(Value::Null);
            let source: CustomField = decode(&object);
            let target = source.elem_type().and_then(|t| elem_target(t.as_str()));
            let found = existing
                .iter()
                .find(|d| same(d.name(), source.name()) && d.elem_type() == source.elem_type());
            let new = match found {
                Some(definition) => {
                    tally.matched += 1;
                    key_json(definition.key())
                }
                None => match self.create::<CustomField>(object).await {
                    Ok(new) => {
                        tally.created += 1;
                        new
                    }
                    Err(reason) => {
                        tally.failed += 1;
                        self.problem("customfield", &text_of(&old), reason, true);
                        None
                    }
                },
            };
            if let Some(new) = &new {
                self.custom.insert(text_of(&old), (text_of(new), target));
            }
            self.map_key("customfield", &old, new);
        }
        Ok(())
    }

    async fn create_all<R: CliResource>(
        &mut self,
        objects: Vec<Map<String, Value>>,
        tally: &mut Tally,
    ) {
        for mut object in objects {
            let old = object.get("id").cloned().unwrap_or(Value::Null);
            let pending = self.remap::<R>(&mut object, &text_of(&old));
            match self.create::<R>(object).await {
                Ok(new) => {
                    tally.created += 1;
                    if let Some(new) = &new {
                        self.later.extend(pending.into_iter().map(|p| Later {
                            resource: R::NAME,
                            old_key: text_of(&old),
                            new_key: new.clone(),
                            pending: p,
                        }));
                    }
                    self.map_key(R::NAME, &old, new);
                }
                Err(reason) => {
                    tally.failed += 1;
                    self.problem(R::NAME, &text_of(&old), reason, true);
                }
            }
        }
    }

    /// Creates one object from its writable fields; its new key.
    async fn create<R: CliResource>(
        &self,
        mut object: Map<String, Value>,
    ) -> Result<Option<Value>, String> {
        object.remove("id");
        object.retain(|name, _| R::field(name).is_none_or(|f| f.writable));
        let mut new: R = serde_json::from_value(Value::Object(object))
            .map_err(|e| format!("not a {}: {e}", R::NAME))?;
        self.ctx
            .session
            .save(&mut new)
            .await
            .map_err(|e| e.to_string())?;
        Ok(key_json(new.key()))
    }

    /// Rewrites the references of `object` to the new keys; a reference that cannot be
    /// rewritten is dropped and reported. Custom field values that name an object not imported
    /// yet are taken out and returned, to be set once everything is created.
    fn remap<R: CliResource>(
        &mut self,
        object: &mut Map<String, Value>,
        key: &str,
    ) -> Vec<Pending> {
        let mut pending = Vec::new();
        let fields = REFERENCES
            .iter()
            .filter(|(resource, _, _)| *resource == R::NAME || *resource == "*")
            .filter_map(|(_, field, target)| R::field(field).map(|f| (f, *target)));
        let mut dropped = Vec::new();
        for (field, target) in fields {
            let Some(value) = object.get(field.wire) else {
                continue;
            };
            match self.translate(target, value) {
                Ok(new) => {
                    object.insert(field.wire.to_owned(), new);
                }
                Err(why) => {
                    object.remove(field.wire);
                    dropped.push(format!("{} dropped: {why}", field.name));
                }
            }
        }
        if let Some(cf) = R::field("custom_field_values").map(|f| f.wire) {
            if let Some(Value::Object(values)) = object.remove(cf) {
                let mut new_values = Map::new();
                for (id, value) in values {
                    let Some((new_id, target)) = self.custom.get(&id).cloned() else {
                        dropped.push(format!("custom field {id} dropped: it was not imported"));
                        continue;
                    };
                    match (
                        target,
                        target.map_or(Ok(value.clone()), |t| self.translate(t, &value)),
                    ) {
                        (_, Ok(new)) => {
                            new_values.insert(new_id, new);
                        }
                        (Some(target), Err(_)) => pending.push(Pending {
                            field: new_id,
                            old_field: id,
                            value,
                            target,
                        }),
                        (None, Err(why)) => {
                            dropped.push(format!("custom field {id} dropped: {why}"))
                        }
                    }
                }
                object.insert(cf.to_owned(), Value::Object(new_values));
            }
        }
        for reason in dropped {
            self.problem(R::NAME, key, reason, false);
        }
        pending
    }

    /// The new form of a reference: an id, a list of ids, or group bits.
    fn translate(&self, target: Target, value: &Value) -> Result<Value, String> {
        match (target, value) {
            (_, Value::Null) => Ok(Value::Null),
            (_, Value::Array(items)) => items.iter().map(|v| self.translate(target, v)).collect(),
            (Target::Groups, Value::Number(n)) => {
                let mask = n
                    .as_u64()
                    .ok_or_else(|| format!("{n} is not a group mask"))?;
                let mut new = 0;
                for bit in (0..64).map(|i| 1u64 << i).filter(|b| mask & b != 0) {
                    new |= self
                        .bits
                        .get(&bit)
                        .ok_or_else(|| format!("group bit {bit} has no group here"))?;
                }
                Ok(Value::from(new))
            }
            (Target::Groups, other) => Err(format!("{other} is not a group mask")),
            (Target::Customer, old) => self
                .lookup("contact", old)
                .or_else(|| self.lookup("company", old))
                .ok_or_else(|| format!("customer {} was not imported", text_of(old))),
            (Target::Resource(resource), old) => self
                .lookup(resource, old)
                .ok_or_else(|| format!("{resource} {} was not imported", text_of(old))),
        }
    }

    /// The new key of `old` in the form `old` had (a string stays a string).
    fn lookup(&self, resource: &str, old: &Value) -> Option<Value> {
        let new = self.keys.get(resource)?.get(&text_of(old))?;
        Some(match old {
            Value::String(_) => Value::String(text_of(new)),
            _ => new.clone(),
        })
    }
}

/// Folders sorted so that every parent comes before its children.
fn parents_first(objects: Vec<Map<String, Value>>) -> Vec<Map<String, Value>> {
    let parent_of =
        |o: &Map<String, Value>| o.get("parentId").filter(|p| !p.is_null()).map(text_of);
    let ids: Vec<String> = objects
        .iter()
        .filter_map(|o| o.get("id").map(text_of))
        .collect();
    let mut done: Vec<String> = Vec::new();
    let mut pending = objects;
    let mut sorted = Vec::new();
    while !pending.is_empty() {
        let (ready, rest): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|o| parent_of(o).is_none_or(|p| done.contains(&p) || !ids.contains(&p)));
        if ready.is_empty() {
            // A cycle: the rest go as they are (their parents are dropped as not imported).
            sorted.extend(rest);
            break;
        }
        done.extend(ready.iter().filter_map(|o| o.get("id").map(text_of)));
        sorted.extend(ready);
        pending = rest;
    }
    sorted
}

fn decode<T: serde::de::DeserializeOwned + Default>(object: &Map<String, Value>) -> T {
    serde_json::from_value(Value::Object(object.clone())).unwrap_or_default()
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

fn key_json<R>(key: Option<clevertim::Key<R>>) -> Option<Value> {
    key.and_then(|k| serde_json::to_value(k.id()).ok())
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Imports the export in `dir`.
pub(crate) async fn run(ctx: &Context, dir: &Path) -> Result<(), Failure> {
    if !dir.is_dir() {
        return Err(Failure::usage(format!(
            "{} is not a directory written by `clevertim export`",
            dir.display()
        )));
    }
    let mut importer = Importer {
        ctx,
        dir,
        keys: HashMap::new(),
        bits: HashMap::new(),
        custom: HashMap::new(),
        later: Vec::new(),
        problems: Vec::new(),
    };
    let mut tallies = Vec::new();
    let bar = output::progress("importing", ORDER.len() + 1);
    for name in ORDER {
        bar.set_message(*name);
        let tally = resources::visit(name, &mut importer)
            .await
            .ok_or_else(|| Failure::other(format!("unknown resource {name}")));
        match tally {
            Ok(Ok(tally)) => tallies.push(tally),
            Ok(Err(e)) | Err(e) => {
                bar.abandon();
                return Err(e);
            }
        }
        bar.inc(1);
    }
    bar.set_message("references");
    let mut finish = Finish(&mut importer);
    for name in ORDER {
        resources::visit(name, &mut finish).await;
    }
    bar.finish_and_clear();
    let failed: usize = tallies.iter().map(|t| t.failed).sum();
    print(ctx.format, &tallies, &importer)?;
    if failed > 0 {
        return Err(Failure::new(
            Kind::Partial,
            format!("{failed} objects could not be imported (listed above, with the reason)"),
        )
        .hint("fix them in the export's files and import those again, or create them by hand"));
    }
    Ok(())
}

fn print(format: Format, tallies: &[Tally], importer: &Importer<'_>) -> Result<(), Failure> {
    let keys: BTreeMap<&str, &BTreeMap<String, Value>> =
        importer.keys.iter().map(|(k, v)| (*k, v)).collect();
    match format {
        Format::Json => output::print(&output::json_text(&serde_json::json!({
            "resources": tallies,
            "keys": keys,
            "problems": importer.problems,
        }))?),
        Format::Csv => {
            let mut text = String::from("resource,read,created,matched,failed\n");
            for t in tallies {
                text.push_str(&format!(
                    "{},{},{},{},{}\n",
                    t.resource, t.read, t.created, t.matched, t.failed
                ));
            }
            output::print(&text)
        }
        Format::Table => {
            let mut table = Table::new(["RESOURCE", "IN FILE", "CREATED", "MATCHED", "FAILED"]);
            for t in tallies {
                table.row([
                    t.resource.to_owned(),
                    t.read.to_string(),
                    t.created.to_string(),
                    t.matched.to_string(),
                    t.failed.to_string(),
                ]);
            }
            let mut text = format!("{table}\n");
            let mut problems: Vec<&Problem> = importer.problems.iter().collect();
            problems.sort_by_key(|p| (p.resource, key_order(Some(key_id(&p.key)))));
            for p in problems {
                let what = if p.failed {
                    "not imported"
                } else {
                    "imported without a reference"
                };
                text.push_str(&format!("{} {}: {what}: {}\n", p.resource, p.key, p.reason));
            }
            output::print(&text)
        }
    }
}
