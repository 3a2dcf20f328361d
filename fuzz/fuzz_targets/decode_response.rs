//! The response decoder end to end: envelope and every model, driven through a `Session`
//! whose transport answers every request with the fuzz input.
//!
//! Input layout (see fuzz/README.md):
//!
//! | byte | meaning |
//! | --- | --- |
//! | 0 | resource (index into `RESOURCES`, modulo) |
//! | 1 | operation (index into `Op`, modulo) |
//! | 2 | HTTP status (index into `STATUSES`, modulo) |
//! | 3 | bits 0-2: an extra response header; bit 3: the new object carries a custom field value |
//! | 4 | bits 0-4: key length L; bit 7: the key is sent as an integer when it parses as one |
//! | 5..5+L | the key's text |
//! | rest | the response body |
//!
//! Beyond "no panic" it asserts: the API key (or its Basic credential) appears in no error's
//! `Display` or `Debug` text; an `Ok` load (and `load_many`, `customer`, `reload`) returns the
//! object whose key was asked for; a saved object has a key; every decoded object
//! re-serializes without duplicate field names and decodes again to an equal object.
#![no_main]

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use clevertim_core::model::codec::WriteMode;
use clevertim_core::{
    transport_fn, BoxFuture, Cache, CacheKey, Case, Comment, Company, Contact, CustomField,
    CustomFieldValues, Error, File, Folder, Group, Id, Key, LinkedFile, Note, Opportunity,
    Resource, RetryPolicy, Scope, Session, Sleeper, Task, User,
};
use futures_executor::block_on;
use libfuzzer_sys::fuzz_target;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// Longer than any key the input can spell (31 bytes), so a key asked for never contains it.
const API_KEY: &str = "FzK3yq8Zr2mWx8LpV4nYc6HdJ1aGe5Bu0sT9vQpL";
/// base64("FzK3…:X"), the Basic credential of `API_KEY`.
fn credential() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| base64_encode(format!("{API_KEY}:X").as_bytes()))
}

const STATUSES: &[u16] = &[
    200, 201, 204, 299, 400, 401, 403, 404, 409, 413, 429, 500, 501, 502, 503, 504, 301, 304, 100,
    999, 202, 206, 422, 418,
];

#[derive(Debug, Clone, Copy)]
enum Op {
    Load,
    All,
    SaveNew,
    SaveExisting,
    DeleteKey,
    LoadMany,
    Reload,
    Customer,
    LoadThenSave,
    SaveThenLoad,
    Delete,
}

const OPS: &[Op] = &[
    Op::Load,
    Op::All,
    Op::SaveNew,
    Op::SaveExisting,
    Op::DeleteKey,
    Op::LoadMany,
    Op::Reload,
    Op::Customer,
    Op::LoadThenSave,
    Op::SaveThenLoad,
    Op::Delete,
];

struct Plan {
    op: Op,
    status: u16,
    header: u8,
    with_custom_field: bool,
    key: Id,
    body: Bytes,
}

fn plan(data: &[u8]) -> Option<(u8, Plan)> {
    let (&[resource, op, status, flags, key_byte], rest) = data.split_first_chunk::<5>()?;
    let len = usize::from(key_byte & 0x1f).min(rest.len());
    let (key_text, body) = rest.split_at(len);
    let key_text = String::from_utf8_lossy(key_text).into_owned();
    let key = match key_text.parse::<i64>() {
        Ok(n) if key_byte & 0x80 != 0 => Id::Int(n),
        _ => Id::from(key_text),
    };
    Some((
        resource,
        Plan {
            op: OPS[usize::from(op) % OPS.len()],
            status: STATUSES[usize::from(status) % STATUSES.len()],
            header: flags & 0x07,
            with_custom_field: flags & 0x08 != 0,
            key,
            body: Bytes::copy_from_slice(body),
        },
    ))
}

/// A cache that is a plain map, so that cached paths run without the memory cache's eviction work.
#[derive(Debug, Default)]
struct MapCache(Mutex<HashMap<CacheKey, Bytes>>);

impl Cache for MapCache {
    fn get(&self, key: &CacheKey) -> Option<Bytes> {
        self.0.lock().ok()?.get(key).cloned()
    }
    fn insert(&self, key: CacheKey, json: Bytes) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(key, json);
        }
    }
    fn remove(&self, key: &CacheKey) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(key);
        }
    }
    fn clear(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }
}

/// Never waits: retries happen at once.
#[derive(Debug)]
struct NoWait;

impl Sleeper for NoWait {
    fn sleep(&self, _duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(std::future::ready(()))
    }
}

fn session(plan: &Plan) -> Session {
    let body = plan.body.clone();
    let status = http::StatusCode::from_u16(plan.status).unwrap_or(http::StatusCode::OK);
    let header = plan.header;
    let transport = transport_fn(move |_request: http::Request<Bytes>| {
        let mut response = http::Response::new(body.clone());
        *response.status_mut() = status;
        let headers = response.headers_mut();
        let extra = match header {
            1 => Some(("content-type", "application/json")),
            2 => Some(("content-type", "text/html; charset=utf-8")),
            3 => Some(("content-length", "0")),
            4 => Some(("content-length", "99999999999")),
            5 => Some(("retry-after", "0")),
            6 => Some(("content-encoding", "gzip")),
            _ => None,
        };
        if let Some((name, value)) = extra {
            headers.insert(name, http::HeaderValue::from_static(value));
        }
        async move { Ok(response) }
    });
    Session::builder(API_KEY)
        .endpoint("https://fuzz.invalid/api")
        .transport(transport)
        .cache(MapCache::default())
        .retry(RetryPolicy::default().max_retries(1))
        .sleeper(NoWait)
        .build()
        .expect("a valid session")
}

/// The key must not leak into any error text.
fn check_error(error: &Error) {
    let shown = format!("{error}");
    let debugged = format!("{error:?}");
    let mut chain = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push_str(&format!("{cause} {cause:?}\n"));
        source = cause.source();
    }
    for text in [&shown, &debugged, &chain] {
        assert!(
            !text.contains(API_KEY) && !text.contains(credential()),
            "the API key leaks into an error: {text}"
        );
    }
    let _ = error.status();
}

fn check<T>(result: &Result<T, Error>) {
    if let Err(e) = result {
        check_error(e);
    }
}

/// A JSON object's keys, to find duplicates.
struct Keys(Vec<String>);

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(V)
    }
}

/// What every decoded object must survive: printing, re-encoding without duplicate fields,
/// decoding again to an equal object, and the checks a save would run.
fn touch_object<R: FuzzResource>(object: &R) {
    let _ = format!("{object:?}");
    let encoded = serde_json::to_vec(object).expect("a decoded object encodes");
    let Keys(mut keys) = serde_json::from_slice(&encoded).expect("an object");
    let count = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(
        keys.len(),
        count,
        "duplicate field names in {}",
        String::from_utf8_lossy(&encoded)
    );
    let again: R = serde_json::from_slice(&encoded).expect("a re-encoded object decodes");
    assert!(
        again == *object,
        "decode(encode(x)) != x: {object:?} vs {again:?}"
    );
    let _ = object.key();
    let _ = object.related();
    let _ = object.clone() == *object;
    for mode in [WriteMode::Create, WriteMode::Update] {
        let _ = object.check_fields(R::PATH, mode);
        let _ = object.check(mode);
        if let Some((scope, values, original)) = object.custom_fields_to_check(mode) {
            let _ = values.check_against(R::PATH, &scope, &[], original);
        }
    }
    let _ = object.originals();
    object.touch();
}

/// The per-type parts: a valid new object, a change, and the getters beyond plain fields.
trait FuzzResource: Resource + PartialEq {
    fn fresh(with_custom_field: bool) -> Self;
    fn keyed(id: Id) -> Self;
    fn change(&mut self);
    fn touch(&self) {}
}

macro_rules! fuzz_resource {
    ($name:ident, |$new:ident, $cf:ident| $fresh:expr, |$this:ident| $touch:expr) => {
        impl FuzzResource for $name {
            fn fresh($cf: bool) -> Self {
                let mut $new = $name::new();
                let _ = $cf;
                $fresh;
                $new
            }
            fn keyed(id: Id) -> Self {
                $name::with_key(Key::new(id))
            }
            fn change(&mut self) {
                let _ = self.set_extra("x_fuzz", serde_json::json!(1));
            }
            fn touch(&self) {
                let $this = self;
                let _ = $this.extra();
                let _ = $this.has_changes();
                let _ = ($this.added_on(), $this.last_modified(), $this.key());
                $touch;
            }
        }
    };
}

fn touch_customer_values(values: Option<&CustomFieldValues>, scope: Scope) {
    if let Some(values) = values {
        for (key, value) in values.iter() {
            let _ = (values.get(&key), value.to_string());
        }
        let _ = values.check_against("fuzz", &scope, &[], None);
    }
}

macro_rules! touch_customer {
    ($c:ident, $scope:expr) => {{
        let _ = $c.visibility();
        let _ = $c.contact_photo("https://fuzz.invalid/api/");
        for phone in $c.phone_numbers() {
            let _ = (
                phone.number(),
                phone.kind().map(|k| (k.is_known(), k.to_string())),
            );
        }
        for id in $c.social_media_ids() {
            let _ = (id.id(), id.venue().map(|v| (v.is_known(), v.to_string())));
        }
        let _ = $c.customer_type().map(|t| (t.is_known(), t.to_string()));
        touch_customer_values($c.custom_field_values(), $scope);
    }};
}

fuzz_resource!(
    Contact,
    |c, cf| {
        c.set_first_name("F");
        if cf {
            c.set_custom_field(1, "X");
        }
    },
    |c| {
        touch_customer!(c, Scope::Customers);
        let _ = clevertim_core::Customer::Contact(c.clone()).display_name();
    }
);
fuzz_resource!(
    Company,
    |c, cf| {
        c.set_name("C");
        if cf {
            c.set_custom_field(2, vec!["a", "b"]);
        }
    },
    |c| {
        touch_customer!(c, Scope::Companies);
        let _ = clevertim_core::Customer::Company(c.clone()).display_name();
    }
);
fuzz_resource!(
    Case,
    |c, cf| {
        c.set_name("C");
        if cf {
            c.set_custom_field(3, "2024-02-29");
        }
    },
    |c| {
        let _ = c.visibility();
        touch_customer_values(c.custom_field_values(), Scope::Cases);
    }
);
fuzz_resource!(
    Opportunity,
    |o, cf| {
        o.set_name("O").set_value("10.5");
        if cf {
            o.set_custom_field(4, "17");
        }
    },
    |o| {
        let _ = o.visibility();
        touch_customer_values(o.custom_field_values(), Scope::Opportunities);
    }
);
fuzz_resource!(
    Task,
    |t, _cf| {
        t.set_name("T");
    },
    |t| {
        let _ = t.visibility();
        let _ = (t.start_date(), t.start_time(), t.end_date(), t.end_time());
        for d in [t.start_date(), t.end_date()].into_iter().flatten() {
            let _ = (d.is_valid(), d.to_string());
        }
        for time in [t.start_time(), t.end_time()].into_iter().flatten() {
            let _ = time.to_string();
        }
        let _ = t.recurrence_options().map(|r| (r.skips_weekends(), r.kind()));
        let _ = t.task_type().map(|k| k.to_string());
    }
);
fuzz_resource!(
    Note,
    |n, _cf| {
        n.set_description("D");
    },
    |n| {
        let _ = n.visibility();
        let _ = n.who();
        let _ = n.note_type().map(|t| t.is_settable());
        if let Some(email) = n.email_info() {
            for r in email.to().iter().chain(email.cc()).chain(email.bcc()) {
                let _ = (r.address(), r.status(), r.bounce_reason());
            }
            let _ = (email.from(), email.subject());
        }
    }
);
fuzz_resource!(
    Comment,
    |c, _cf| {
        c.set_comment("c").set_note(1);
    },
    |c| {
        let _ = (c.note(), c.task(), c.created_by());
    }
);
fuzz_resource!(
    CustomField,
    |f, _cf| {
        f.set_name("N")
            .set_elem_type(clevertim_core::ElemType::Input)
            .set_scopes(vec![Scope::Customers]);
    },
    |f| {
        let _ = f.elem_type().map(|e| (e.is_known(), e.to_string()));
    }
);
fuzz_resource!(User, |_u, _cf| {}, |u| {
    let _ = (u.name(), u.permissions());
});
fuzz_resource!(Group, |_g, _cf| {}, |g| {
    let _ = (g.bit(), g.users());
});
fuzz_resource!(
    Folder,
    |f, _cf| {
        f.set_name("F");
    },
    |f| {
        let _ = f.visibility();
    }
);
fuzz_resource!(
    File,
    |f, _cf| {
        f.set_name("F");
    },
    |f| {
        let _ = f.visibility();
    }
);
fuzz_resource!(
    LinkedFile,
    |f, _cf| {
        f.set_name("F");
    },
    |f| {
        let _ = (f.visibility(), f.store().map(|s| s.to_string()));
    }
);

/// Checks custom field definitions decoded from the input against values made of their
/// own choices, names and the input's strings.
fn check_definitions(definitions: &[CustomField]) {
    for definition in definitions.iter().take(8) {
        let Some(key) = definition.key() else {
            continue;
        };
        let mut candidates: Vec<String> = definition.values().iter().take(4).cloned().collect();
        candidates.extend(definition.name().map(str::to_owned));
        candidates.push("2024-02-29".into());
        candidates.push("17".into());
        for candidate in candidates {
            for many in [false, true] {
                let mut values = CustomFieldValues::default();
                if many {
                    values.insert(key.clone(), vec![candidate.clone()]);
                } else {
                    values.insert(key.clone(), candidate.clone());
                }
                for scope in Scope::KNOWN {
                    let _ = values.check_against("fuzz", scope, definitions, None);
                }
            }
        }
    }
}

fn run<R: FuzzResource>(plan: &Plan) {
    let session = session(plan);
    let key: Key<R> = Key::new(plan.key.clone());
    let expect_key = |object: &R| {
        assert!(
            object.wire_id() == Some(key.id()),
            "an Ok load of {key:?} returned {:?}",
            object.wire_id()
        );
        touch_object(object);
    };
    match plan.op {
        Op::Load => {
            let loaded = block_on(session.load::<R>(key.clone()));
            check(&loaded);
            if let Ok(object) = &loaded {
                expect_key(object);
                // Again: from the cache this time.
                let again = block_on(session.load::<R>(key.clone()));
                check(&again);
                if let Ok(object) = &again {
                    expect_key(object);
                }
            }
        }
        Op::All => {
            let all = block_on(session.all::<R>());
            check(&all);
            if let Ok(list) = &all {
                list.iter().take(64).for_each(touch_object);
                if R::PATH == CustomField::PATH {
                    let definitions: Result<Vec<CustomField>, _> =
                        serde_json::to_value(list).and_then(serde_json::from_value);
                    if let Ok(definitions) = definitions {
                        check_definitions(&definitions);
                    }
                }
            }
        }
        Op::SaveNew => {
            let mut object = R::fresh(plan.with_custom_field);
            let saved = block_on(session.save(&mut object));
            check(&saved);
            if saved.is_ok() {
                assert!(object.wire_id().is_some(), "a saved object has a key");
                touch_object(&object);
            }
        }
        Op::SaveExisting => {
            let mut object = R::keyed(plan.key.clone());
            object.change();
            let saved = block_on(session.save(&mut object));
            check(&saved);
            if saved.is_ok() {
                assert!(object.wire_id().is_some(), "a saved object has a key");
                assert!(
                    object.wire_id() == Some(key.id()),
                    "an Ok update of {key:?} turned the object into {:?}",
                    object.wire_id()
                );
                touch_object(&object);
            }
        }
        Op::DeleteKey => check(&block_on(session.delete_key::<R>(key.clone()))),
        Op::Delete => {
            let mut object = R::keyed(plan.key.clone());
            let deleted = block_on(session.delete(&mut object));
            check(&deleted);
            if deleted.is_ok() {
                assert!(object.wire_id().is_none(), "a deleted object has no key");
            }
        }
        Op::LoadMany => {
            let keys = [key.clone(), key.clone()];
            let many = block_on(session.load_many::<R, _>(keys));
            check(&many);
            if let Ok(list) = &many {
                assert_eq!(list.len(), 2);
                list.iter().for_each(expect_key);
            }
        }
        Op::Reload => {
            let mut object = R::keyed(plan.key.clone());
            let reloaded = block_on(session.reload(&mut object));
            check(&reloaded);
            if reloaded.is_ok() {
                expect_key(&object);
            }
        }
        Op::Customer => {
            let customer = block_on(session.customer(key.id().clone()));
            check(&customer);
            if let Ok(customer) = &customer {
                assert!(
                    customer.key().as_ref().map(Key::id) == Some(key.id()),
                    "customer {key:?} came back as {:?}",
                    customer.key()
                );
                let _ = customer.display_name();
            }
        }
        Op::LoadThenSave => {
            let loaded = block_on(session.load::<R>(key.clone()));
            check(&loaded);
            if let Ok(mut object) = loaded {
                expect_key(&object);
                object.change();
                let saved = block_on(session.save(&mut object));
                check(&saved);
                if saved.is_ok() {
                    touch_object(&object);
                }
            }
        }
        Op::SaveThenLoad => {
            let mut object = R::fresh(plan.with_custom_field);
            let saved = block_on(session.save(&mut object));
            check(&saved);
            if let (Ok(()), Some(id)) = (&saved, object.wire_id()) {
                // Served from the cache the save filled.
                let loaded = block_on(session.load::<R>(Key::new(id.clone())));
                check(&loaded);
                if let Ok(again) = &loaded {
                    assert!(again.wire_id() == Some(id));
                    touch_object(again);
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((resource, plan)) = plan(data) else {
        return;
    };
    match resource % 13 {
        0 => run::<Contact>(&plan),
        1 => run::<Company>(&plan),
        2 => run::<Case>(&plan),
        3 => run::<Opportunity>(&plan),
        4 => run::<Task>(&plan),
        5 => run::<Note>(&plan),
        6 => run::<Comment>(&plan),
        7 => run::<CustomField>(&plan),
        8 => run::<User>(&plan),
        9 => run::<Group>(&plan),
        10 => run::<Folder>(&plan),
        11 => run::<File>(&plan),
        _ => run::<LinkedFile>(&plan),
    }
});

fn base64_encode(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
