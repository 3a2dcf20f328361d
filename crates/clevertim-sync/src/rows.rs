//! From an object's wire JSON to the values of its row, child rows and custom field rows.

use serde_json::Value;

use crate::db::Val;
use crate::spec::{Field, SqlType};

/// One JSON value as a typed SQL value.
pub(crate) fn typed(value: Option<&Value>, ty: SqlType) -> Val {
    let value = value.filter(|v| !v.is_null());
    match ty {
        SqlType::Text => Val::Text(value.map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })),
        SqlType::Int => Val::Int(value.and_then(|v| match v {
            Value::String(s) => s.parse().ok(),
            other => other.as_i64(),
        })),
        SqlType::Bool => Val::Bool(value.and_then(Value::as_bool)),
        SqlType::Json => Val::Json(value.cloned()),
    }
}

/// The value of a typed column.
pub(crate) fn column(wire: &Value, field: &Field, ty: SqlType) -> Val {
    typed(wire.get(field.wire), ty)
}

/// The items of a list field: none for null, one for a single value (a note's one customer).
pub(crate) fn items(wire: &Value, field: &Field, ty: SqlType) -> Vec<Val> {
    match wire.get(field.wire) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(|v| typed(Some(v), ty)).collect(),
        Some(one) => vec![typed(Some(one), ty)],
    }
}

/// The custom field values: (field id, position, value as text; JSON for what is not text).
pub(crate) fn custom_values(wire: &Value, field: &Field) -> Vec<(String, i64, Val)> {
    let Some(Value::Object(map)) = wire.get(field.wire) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, value) in map {
        match value {
            Value::Null => {}
            Value::Array(values) => {
                for (position, value) in (0_i64..).zip(values) {
                    out.push((id.clone(), position, typed(Some(value), SqlType::Text)));
                }
            }
            one => out.push((id.clone(), 0, typed(Some(one), SqlType::Text))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec::Kind;

    fn field(wire: &'static str) -> Field {
        Field {
            name: wire,
            wire,
            column: wire.to_owned(),
            kind: Kind::Column(SqlType::Text),
        }
    }

    #[test]
    fn values_take_their_column_type() {
        let wire = json!({"n": 7, "s": "7", "b": true, "o": {"y": 2026}, "z": null});
        assert_eq!(column(&wire, &field("n"), SqlType::Text), Val::text("7"));
        assert_eq!(column(&wire, &field("s"), SqlType::Int), Val::Int(Some(7)));
        assert_eq!(
            column(&wire, &field("b"), SqlType::Bool),
            Val::Bool(Some(true))
        );
        assert_eq!(
            column(&wire, &field("o"), SqlType::Json),
            Val::Json(Some(json!({"y": 2026})))
        );
        assert_eq!(column(&wire, &field("z"), SqlType::Int), Val::Int(None));
        assert_eq!(
            column(&wire, &field("missing"), SqlType::Bool),
            Val::Bool(None)
        );
    }

    #[test]
    fn a_single_value_is_a_list_of_one() {
        let wire = json!({"one": 5, "many": [5, 6], "none": null});
        assert_eq!(items(&wire, &field("one"), SqlType::Text), [Val::text("5")]);
        assert_eq!(items(&wire, &field("many"), SqlType::Text).len(), 2);
        assert!(items(&wire, &field("none"), SqlType::Text).is_empty());
    }

    #[test]
    fn custom_values_are_rows() {
        let wire = json!({"cf": {"3": "Gold", "4": ["a", "b"], "5": null}});
        let rows = custom_values(&wire, &field("cf"));
        assert_eq!(
            rows,
            [
                ("3".to_owned(), 0, Val::text("Gold")),
                ("4".to_owned(), 0, Val::text("a")),
                ("4".to_owned(), 1, Val::text("b")),
            ]
        );
    }
}
