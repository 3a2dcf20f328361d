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
//!
//! Its parts: `input.rs` (the layout read into a plan), `session.rs` (the session that answers
//! with the input), `resources.rs` (each resource's fresh object and getters), `checks.rs` (what
//! every outcome must satisfy), and here the operations run.

#![no_main]

mod checks;
mod input;
mod resources;
mod session;

use clevertim_core::{
    Case, Comment, Company, Contact, CustomField, File, Folder, Group, Key, LinkedFile, Note,
    Opportunity, Resource, Task, User,
};
use futures_executor::block_on;
use libfuzzer_sys::fuzz_target;

use checks::{check, check_definitions, touch_object};
use input::{plan, Op, Plan};
use resources::FuzzResource;
use session::session;

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
