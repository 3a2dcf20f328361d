//! `list`, `get`, `create`, `update` and `delete` of any resource.

use clevertim::{Error, Id, Key};
use serde_json::Map;

use crate::args::Action;
use crate::commands::{filter, input};
use crate::connect::Context;
use crate::exit::{Failure, Kind};
use crate::lookup;
use crate::output;
use crate::resources::{Act, CliResource, TypedFlags, Writes};

/// Runs resources' actions: what `clevertim RESOURCE ACTION` does.
pub(crate) struct Crud<'a>(pub(crate) &'a Context);

impl Act for Crud<'_> {
    type Output = Result<(), Failure>;

    async fn act<R: CliResource, F: TypedFlags>(self, action: Action<F>) -> Self::Output {
        run::<R, F>(self.0, action).await
    }
}

/// Runs one action on the resource `R`.
async fn run<R: CliResource, F: TypedFlags>(
    ctx: &Context,
    action: Action<F>,
) -> Result<(), Failure> {
    match action {
        Action::List(filters) => {
            let mut all = ctx
                .session
                .all::<R>()
                .await
                .map_err(|e| ctx.failure_of_list::<R>(e))?;
            sort_by_key(&mut all);
            let names = lookup::load(ctx, R::REFERS).await;
            let all = filter::keep(&filters, all, &names)?;
            output::list(ctx.format, &all, &names, filters.columns.as_deref())
        }
        Action::Get { keys } => {
            let mut found = Vec::new();
            let mut failed = Vec::new();
            for key in keys {
                match ctx.session.load::<R>(Key::new(key.0.clone())).await {
                    Ok(object) => found.push(object),
                    Err(e) => failed.push((key.0, e)),
                }
            }
            if !found.is_empty() {
                output::detail(ctx, &found).await?;
            }
            each_key::<R>(ctx, "shown", found.len(), failed).await
        }
        Action::Create { fields, write } => {
            refuse_write::<R>("create")?;
            let inputs = match &write.json {
                Some(path) => input::json_objects(path, true)?,
                None => vec![Map::new()],
            };
            let custom = input::custom_fields::<R>(ctx, &write).await?;
            let mut created = Vec::new();
            for input in inputs {
                let made = async {
                    let mut object =
                        input::new_object::<R, F>(input, &fields, &write, custom.clone())?;
                    ctx.session.save(&mut object).await?;
                    Ok::<R, Failure>(object)
                };
                match made.await {
                    Ok(object) => created.push(object),
                    Err(e) => {
                        // Those created before the failure are shown: nothing goes unsaid.
                        if !created.is_empty() {
                            output::detail(ctx, &created).await?;
                        }
                        return Err(e);
                    }
                }
            }
            output::detail(ctx, &created).await
        }
        Action::Update { key, fields, write } => {
            refuse_write::<R>("update")?;
            let custom = input::custom_fields::<R>(ctx, &write).await?;
            let current = match ctx.session.load::<R>(Key::new(key.0.clone())).await {
                Ok(current) => current,
                Err(e) => return Err(ctx.failure_of_key::<R>(e).await),
            };
            let before = serde_json::to_value(&current)
                .map_err(|e| Failure::other(format!("cannot encode the {}: {e}", R::NAME)))?;
            let mut object = current;
            let mut changed = 0;
            if let Some(path) = &write.json {
                for input in input::json_objects(path, false)? {
                    changed += input::apply_json(&mut object, &before, input, &key.0)?;
                }
            }
            changed += input::apply(&mut object, Some(&before), &fields, &write, custom)?;
            if changed == 0 {
                eprintln!(
                    "nothing to change: the {} {} already has these values",
                    R::NAME,
                    key.0
                );
            } else {
                ctx.session.save(&mut object).await?;
            }
            output::detail(ctx, std::slice::from_ref(&object)).await
        }
        Action::Delete { keys } => {
            refuse_write::<R>("delete")?;
            let mut deleted = Vec::new();
            let mut failed = Vec::new();
            for key in keys {
                match ctx.session.delete_key::<R>(Key::new(key.0.clone())).await {
                    Ok(()) => {
                        // A table says each as it happens: a Ctrl-C leaves nothing unsaid.
                        if ctx.format == output::Format::Table {
                            output::print(&format!("deleted {} {}\n", R::NAME, key.0))?;
                        }
                        deleted.push(key.0);
                    }
                    Err(e) => failed.push((key.0, e)),
                }
            }
            print_deleted::<R>(ctx, &deleted)?;
            each_key::<R>(ctx, "deleted", deleted.len(), failed).await
        }
    }
}

/// The end of a command on several keys: every failed key is reported on stderr; the exit
/// code says whether all (0), some (8) or none (that failure's own code) succeeded.
async fn each_key<R: CliResource>(
    ctx: &Context,
    verb: &str,
    done: usize,
    failed: Vec<(Id, Error)>,
) -> Result<(), Failure> {
    let count = failed.len();
    let mut failures = Vec::new();
    let mut probed = false;
    for (_, error) in failed {
        // One "not found" is checked against the list: a wrong endpoint is one message.
        let failure = match error {
            error @ Error::NotFound { .. } if !probed => {
                probed = true;
                ctx.failure_of_key::<R>(error).await
            }
            other => other.into(),
        };
        if failure.kind == Kind::Usage {
            return Err(failure);
        }
        failures.push(failure);
    }
    let mut failures = failures.into_iter();
    let Some(first) = failures.next() else {
        return Ok(());
    };
    if done == 0 && count == 1 {
        return Err(first);
    }
    let kind = if done == 0 { first.kind } else { Kind::Partial };
    for failure in std::iter::once(first).chain(failures) {
        eprintln!("{}", failure.line());
    }
    Err(Failure::new(
        kind,
        format!(
            "{count} of {} {}s not {verb} (each is listed above)",
            done + count,
            R::NAME
        ),
    ))
}

/// Refuses, before anything is sent, a write the API does not allow on `R`.
fn refuse_write<R: CliResource>(verb: &str) -> Result<(), Failure> {
    let reason = match (R::WRITES, verb) {
        (Writes::All, _) | (Writes::NoUpdate, "create" | "delete") => return Ok(()),
        (Writes::NoUpdate, _) => format!(
            "the API cannot {verb} a {} (it answers 501): delete it and create it again",
            R::NAME
        ),
        (Writes::None, _) => format!(
            "the API does not let clients {verb} a {}: {}s are read-only (managed in Clevertim's web app)",
            R::NAME,
            R::NAME
        ),
    };
    Err(Failure::refused(format!(
        "refused before sending: {reason}"
    )))
}

/// Orders objects by key: integer keys by value, then string keys (shorter first).
pub(crate) fn sort_by_key<R: CliResource>(objects: &mut [R]) {
    objects.sort_by_cached_key(|o| key_order(o.key().map(|k| k.id().clone())));
}

/// A sort key for an id.
pub(crate) fn key_order(id: Option<Id>) -> (u8, i64, usize, String) {
    match id {
        None => (2, 0, 0, String::new()),
        Some(id) => match id.as_int() {
            Some(n) => (0, n, 0, String::new()),
            None => {
                let s = id.to_string();
                (1, 0, s.len(), s)
            }
        },
    }
}

fn print_deleted<R: CliResource>(ctx: &Context, keys: &[Id]) -> Result<(), Failure> {
    match ctx.format {
        output::Format::Json => output::print(&output::json_text(&serde_json::json!({
            "resource": R::NAME,
            "deleted": keys,
        }))?),
        output::Format::Csv => {
            let mut text = String::from("resource,deleted\n");
            for key in keys {
                text.push_str(&format!("{},{key}\n", R::NAME));
            }
            output::print(&text)
        }
        // Said as each was deleted.
        output::Format::Table => Ok(()),
    }
}
