//! The facade's `Session` offers every method of the core's on its own page (no `Deref`),
//! and its futures can be spawned.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use clevertim::bytes::Bytes;
use clevertim::{CacheKey, Company, Contact, Customer, Session, Task, http, transport_fn};

/// A session over a closure that answers like the API and logs each request.
fn session() -> (Session, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let transport = transport_fn(move |request: http::Request<Bytes>| {
        let line = format!("{} {}", request.method(), request.uri().path());
        seen.lock().unwrap().push(line.clone());
        async move {
            let content = match line.as_str() {
                "GET /api/contact" => {
                    r#"[{"id":1,"fn":"Ann","companyId":9,"tasks":[5]},{"id":2,"fn":"Bo"}]"#
                }
                "GET /api/contact/1" => r#"[{"id":1,"fn":"Ann","companyId":9,"tasks":[5]}]"#,
                "GET /api/contact/2" => r#"[{"id":2,"fn":"Bo"}]"#,
                "GET /api/company/9" => r#"[{"id":9,"cn":"Acme"}]"#,
                "GET /api/task/5" => r#"[{"id":5,"name":"Call","cust":1}]"#,
                "GET /api/customfield" => {
                    r#"[{"id":3,"name":"Tier","elemType":"input","modelType":["customers"]}]"#
                }
                "PUT /api/contact/1" => r#"[{"id":1,"fn":"Ann","tags":["vip"]}]"#,
                "DELETE /api/contact/1" | "DELETE /api/task/5" => "[]",
                other => panic!("unexpected request {other}"),
            };
            let body = format!(r#"{{"status":"OK","content":{content}}}"#);
            Ok(http::Response::new(Bytes::from(body)))
        }
    });
    let session = Session::builder("KEY")
        .transport(transport)
        .build()
        .unwrap();
    (session, log)
}

#[tokio::test]
async fn every_core_method_is_on_the_facade() {
    let (session, log) = session();
    assert_eq!(session.endpoint(), "https://www.clevertim.com/api");

    let ann: Contact = session.load(1).await.unwrap();
    assert_eq!(ann.to_string(), "Ann");
    assert!(
        session
            .cache()
            .get(&CacheKey::object("contact", 1.into()))
            .is_some()
    );
    let lazy = session.lazy::<Contact>(1);
    assert_eq!(lazy.get().await.unwrap().first_name(), Some("Ann"));

    let both: Vec<Contact> = session.load_many([2, 1]).await.unwrap();
    assert_eq!(both[0].first_name(), Some("Bo"));
    let all: Vec<Contact> = session.all().await.unwrap();
    let companies: Vec<Vec<Company>> = session.load_for(&all, Contact::company).await.unwrap();
    assert_eq!(companies[0][0].to_string(), "Acme");

    let task: Task = session.load(5).await.unwrap();
    let who = session.customer(task.who().unwrap()).await.unwrap();
    assert!(matches!(who, Customer::Contact(c) if c.first_name() == Some("Ann")));
    let tier = session.custom_field_named("Tier").await.unwrap();
    assert_eq!(tier.key(), Some(3.into()));

    let mut ann = ann;
    ann.add_to_tags("vip");
    session.save(&mut ann).await.unwrap();
    session.reload(&mut ann).await.unwrap();
    session.delete(&mut ann).await.unwrap();
    assert_eq!(ann.key(), None);
    session.delete_key::<Task>(5).await.unwrap();

    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            "GET /api/contact/1",
            "GET /api/contact/2",
            "GET /api/contact",
            "GET /api/company/9",
            "GET /api/task/5",
            "GET /api/customfield",
            "PUT /api/contact/1",
            "GET /api/contact/1",
            "DELETE /api/contact/1",
            "DELETE /api/task/5",
        ]
    );
}

#[tokio::test]
async fn the_facade_futures_are_send() {
    let (session, _) = session();
    let loaded = tokio::spawn(async move {
        let all: Vec<Contact> = session.all().await?;
        session.load_for(&all, Contact::tasks).await
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(loaded[0][0].name(), Some("Call"));
}
