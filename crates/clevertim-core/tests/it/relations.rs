//! Walking relations without one request per object: `load_many` and `load_for` switch to one
//! list fetch from the threshold on, and `list_after_misses` does so for single loads.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clevertim_core::{
    Company, Contact, Error, RetryPolicy, Session, SessionBuilder, Task, transport_fn,
};
use common::API_KEY;
use serde_json::{Value, json};

/// 20 contacts, each working for one of 4 companies and with 2 tasks of its own and one task
/// shared with every other contact (task 1).
fn data(path: &str) -> Option<Value> {
    let contact = |id: i64| {
        json!({"id": id, "fn": format!("c{id}"), "companyId": 100 + id % 4,
               "tasks": [1, 1000 + 2 * id, 1001 + 2 * id]})
    };
    let company = |id: i64| json!({"id": id, "cn": format!("co{id}")});
    let task = |id: i64| json!({"id": id, "name": format!("t{id}")});
    let tasks = || std::iter::once(1).chain((1..=20).flat_map(|c| [1000 + 2 * c, 1001 + 2 * c]));
    let one = |id: &str| id.parse::<i64>().ok();
    Some(match path.trim_start_matches("/api/").split_once('/') {
        None if path.ends_with("/contact") => json!((1..=20).map(contact).collect::<Vec<_>>()),
        None if path.ends_with("/company") => json!((100..104).map(company).collect::<Vec<_>>()),
        None if path.ends_with("/task") => json!(tasks().map(task).collect::<Vec<_>>()),
        Some(("contact", id)) => json!([contact(one(id)?)]),
        Some(("company", id)) => json!([company(one(id)?)]),
        Some(("task", id)) => {
            let id = one(id)?;
            tasks().any(|t| t == id).then(|| json!([task(id)]))?
        }
        _ => return None,
    })
}

/// A session over `data`, and the request lines it sent.
fn session(
    configure: impl FnOnce(SessionBuilder) -> SessionBuilder,
) -> (Session, Arc<Mutex<Vec<String>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let log = sent.clone();
    let transport = transport_fn(move |request: http::Request<Bytes>| {
        let path = request.uri().path().to_owned();
        log.lock()
            .unwrap()
            .push(format!("{} {path}", request.method()));
        async move {
            let (status, body) = match data(&path) {
                Some(content) => (200, json!({"status": "OK", "content": content})),
                None => (404, json!({"status": "ERROR", "error": "not found"})),
            };
            let mut response = http::Response::new(Bytes::from(body.to_string()));
            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
            Ok(response)
        }
    });
    let builder = Session::builder(API_KEY)
        .endpoint("https://crm.example.test/api")
        .retry(RetryPolicy::none())
        .transport(transport);
    (configure(builder).build().unwrap(), sent)
}

fn repeated_gets(sent: &[String]) -> usize {
    let mut seen = std::collections::HashSet::new();
    sent.iter()
        .filter(|line| !seen.insert(line.as_str()))
        .count()
}

#[tokio::test]
async fn relations_of_many_parents_cost_one_list_each() {
    let (session, sent) = session(|b| b);
    let contacts: Vec<Contact> = session.all().await.unwrap();
    let companies: Vec<Vec<Company>> = session.load_for(&contacts, Contact::company).await.unwrap();
    let tasks: Vec<Vec<Task>> = session.load_for(&contacts, Contact::tasks).await.unwrap();

    assert_eq!(companies.len(), 20);
    assert_eq!(companies[3][0].name(), Some("co100")); // contact 4
    assert_eq!(tasks[2].len(), 3);
    assert_eq!(tasks[2][0].name(), Some("t1"));
    assert_eq!(tasks[2][2].name(), Some("t1007"));
    // 20 companies keys but 4 companies: fewer than the threshold, one GET each; 41 tasks:
    // one list.
    let first_walk = sent.lock().unwrap().clone();
    let company_gets = first_walk
        .iter()
        .filter(|l| l.starts_with("GET /api/company/"));
    assert_eq!(company_gets.count(), 4);
    assert_eq!(
        first_walk.iter().filter(|l| *l == "GET /api/task").count(),
        1
    );
    assert_eq!(first_walk.len(), 1 + 4 + 1, "{first_walk:?}");
    assert_eq!(repeated_gets(&first_walk), 0);

    // Everything is cached now: walking again costs nothing.
    let again: Vec<Vec<Task>> = session.load_for(&contacts, Contact::tasks).await.unwrap();
    let companies_again: Vec<Vec<Company>> =
        session.load_for(&contacts, Contact::company).await.unwrap();
    assert_eq!((again, companies_again), (tasks, companies));
    assert_eq!(sent.lock().unwrap().len(), first_walk.len());
}

#[tokio::test]
async fn below_the_threshold_objects_are_fetched_one_by_one_and_once() {
    let (session, sent) = session(|b| b.list_threshold(usize::MAX));
    let contacts: Vec<Contact> = session.all().await.unwrap();
    let tasks: Vec<Vec<Task>> = session.load_for(&contacts, Contact::tasks).await.unwrap();
    assert_eq!(tasks.iter().map(Vec::len).sum::<usize>(), 60);
    let sent = sent.lock().unwrap().clone();
    // 41 distinct tasks, each fetched once although task 1 is listed by all 20 contacts.
    assert_eq!(
        sent.iter()
            .filter(|l| l.starts_with("GET /api/task/"))
            .count(),
        41
    );
    assert_eq!(repeated_gets(&sent), 0);
}

#[tokio::test]
async fn a_key_missing_from_the_list_is_asked_for_and_reported() {
    let (session, _) = session(|b| b.list_threshold(2));
    let keys = [1, 1002, 999_999];
    let err = session.load_many::<Task, _>(keys).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                resource: "task",
                ..
            }
        ),
        "{err}"
    );
    let found: Vec<Task> = session.load_many([1002, 1]).await.unwrap();
    assert_eq!(found[0].name(), Some("t1002"));
}

#[tokio::test]
async fn after_enough_single_misses_one_list_caches_the_resource() {
    let (session, sent) = session(|b| b.list_after_misses(3));
    for id in [1002, 1003] {
        let _: Task = session.load(id).await.unwrap();
    }
    // The third miss fetches the list instead.
    let third: Task = session.load(1004).await.unwrap();
    assert_eq!(third.name(), Some("t1004"));
    for id in 1005..1020 {
        let _: Task = session.load(id).await.unwrap();
    }
    let sent = sent.lock().unwrap().clone();
    assert_eq!(
        sent,
        ["GET /api/task/1002", "GET /api/task/1003", "GET /api/task"],
    );
}
