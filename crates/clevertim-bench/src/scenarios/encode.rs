//! encode: the bodies of `save` for many changed contacts (each loaded, then given a new
//! title and one more email), built as `Session::save` builds them (`WireFields::
//! write_fields` into `serde_json`), beside `serde_json::to_vec` of the same changed fields
//! held in a prepared `Value`. Validation, which `save` runs first, is not in the figure.

use std::time::Instant;

use clevertim::Contact;
use clevertim::model::codec::{WireFields, WriteMode};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::{Config, Scenario};
use crate::Result;
use crate::report::{Row, Speed, Target, rows};
use crate::runner::{Plan, Sample, compare};

/// The scenario.
pub(crate) const SCENARIO: Scenario = Scenario {
    name: "encode",
    about: "save bodies of 10,000 changed contacts vs serde_json::to_vec of the same Value",
    run,
};

/// The body of a `PUT`, exactly as the session's private `WriteBody` writes it.
struct UpdateBody<'a>(&'a Contact);

impl Serialize for UpdateBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.0.write_fields(&mut map, WriteMode::Update)?;
        map.end()
    }
}

fn run(config: &Config) -> Result<Vec<Row>> {
    let n = config.size(10_000, 200);
    let mut contacts: Vec<Contact> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    for id in 1..=n {
        let mut contact: Contact = serde_json::from_value(crate::data::contact(id))?;
        contact.set_title("Head of Sales");
        contact.emails_mut().push(format!("new{id}@example.com"));
        values.push(json!({
            "id": id,
            "title": "Head of Sales",
            "email": [format!("person{id}@example.com"), "other@example.com", format!("new{id}@example.com")],
        }));
        contacts.push(contact);
    }
    // Both sides must write the same fields, or the comparison means nothing.
    let first: Value = serde_json::from_slice(&serde_json::to_vec(&UpdateBody(&contacts[0]))?)?;
    if first != values[0] {
        return Err(format!("the SDK's body {first} is not the baseline's {}", values[0]).into());
    }
    let mut sdk = || {
        let started = Instant::now();
        let mut bytes = 0;
        for contact in &contacts {
            bytes += serde_json::to_vec(&UpdateBody(contact))?.len();
        }
        let elapsed = started.elapsed();
        std::hint::black_box(bytes);
        Ok(Sample {
            elapsed,
            ..Sample::default()
        })
    };
    let mut baseline = || {
        let started = Instant::now();
        let mut bytes = 0;
        for value in &values {
            bytes += serde_json::to_vec(value)?.len();
        }
        let elapsed = started.elapsed();
        std::hint::black_box(bytes);
        Ok(Sample {
            elapsed,
            ..Sample::default()
        })
    };
    let plan = Plan {
        rounds: config.rounds(15),
        ops_per_round: 1,
    };
    let (s, b) = compare(plan, &mut sdk, &mut baseline)?;
    Ok(rows(
        SCENARIO.name,
        &s,
        &b,
        Speed::Millis("ms/batch"),
        Target::RatioAtMost(1.0),
        false,
        Target::Info,
    ))
}
