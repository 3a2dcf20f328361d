//! `list --tag/--company/--search`: which objects a list keeps.

use serde_json::Value;

use crate::args::ListArgs;
use crate::exit::Failure;
use crate::names::Names;
use crate::resources::CliResource;

/// The wire value of the field `name` of `object`.
fn field_value<R: CliResource>(object: &R, name: &str) -> Option<Value> {
    let wire = R::field(name)?.wire;
    serde_json::to_value(object).ok()?.get(wire).cloned()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The objects the filters keep, in their order.
///
/// # Errors
///
/// A usage failure for a filter the resource has no field for.
pub(crate) fn keep<R: CliResource>(
    filters: &ListArgs,
    objects: Vec<R>,
    names: &Names,
) -> Result<Vec<R>, Failure> {
    if !filters.tag.is_empty() && R::field("tags").is_none() {
        return Err(Failure::usage(format!(
            "a {} has no tags: drop --tag",
            R::NAME
        )));
    }
    if filters.company.is_some() && R::field("company").is_none() {
        return Err(Failure::usage(format!(
            "a {} has no company: drop --company",
            R::NAME
        )));
    }
    let search = filters.search.as_ref().map(|s| s.to_lowercase());
    let columns = R::columns();
    Ok(objects
        .into_iter()
        .filter(|object| {
            let tags_ok = filters.tag.iter().all(|wanted| {
                matches!(field_value(object, "tags"), Some(Value::Array(tags))
                    if tags.iter().any(|t| text(t).eq_ignore_ascii_case(wanted)))
            });
            let company_ok = filters.company.as_ref().is_none_or(|wanted| {
                field_value(object, "company")
                    .filter(|v| !v.is_null())
                    .is_some_and(|key| {
                        let key = text(&key);
                        key == *wanted || {
                            let shown = names.one("company", Some(&key));
                            shown
                                .to_lowercase()
                                .starts_with(&format!("{} (", wanted.to_lowercase()))
                        }
                    })
            });
            let search_ok = search.as_ref().is_none_or(|needle| {
                let key = object.key().map(|k| k.to_string()).unwrap_or_default();
                std::iter::once(key)
                    .chain(columns.iter().map(|c| (c.cell)(object, names)))
                    .any(|cell| cell.to_lowercase().contains(needle))
            });
            tags_ok && company_ok && search_ok
        })
        .collect())
}
