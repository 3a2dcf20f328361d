//! Sandboxes for the scenarios that need the API's real behaviour (ids, derived lists).

use clevertim_sandbox::Sandbox;
use serde_json::{Value, json};

use crate::Result;

/// An empty sandbox (no demo data) on its own thread and runtime.
pub(crate) fn empty() -> Result<Sandbox> {
    Ok(Sandbox::builder().empty(true).spawn()?)
}

/// The shape of the relations data: `contacts` people spread over `companies` companies,
/// each with `per_contact` tasks and `per_contact` notes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Crm {
    pub(crate) contacts: u64,
    pub(crate) companies: u64,
    pub(crate) per_contact: u64,
}

impl Crm {
    /// Requests of the object-by-object way: the contact list, then one GET per company,
    /// task and note (each company once: the cache serves it after its first load).
    pub(crate) fn one_by_one_requests(&self) -> u64 {
        1 + self.companies + 2 * self.contacts * self.per_contact
    }
}

/// A sandbox holding `crm`: companies `1..=companies`, then the contacts (customers share
/// one id space), the tasks and the notes, each task and note for one contact.
pub(crate) fn with_crm(crm: Crm) -> Result<Sandbox> {
    let first_contact = crm.companies + 1;
    let companies: Vec<Value> = (1..=crm.companies)
        .map(|id| json!({"id": id, "cn": format!("Company {id}"), "is_company": true}))
        .collect();
    let contacts: Vec<Value> = (0..crm.contacts)
        .map(|i| {
            json!({
                "id": first_contact + i, "fn": format!("First{i}"), "ln": format!("Last{i}"),
                "companyId": 1 + i % crm.companies.max(1),
                "email": [format!("person{i}@example.com")],
            })
        })
        .collect();
    let children = |name: &str, field: &str, list: bool| -> Vec<Value> {
        (0..crm.contacts * crm.per_contact)
            .map(|k| {
                let customer = first_contact + k / crm.per_contact.max(1);
                let who = if list {
                    json!([customer])
                } else {
                    json!(customer)
                };
                json!({"id": k + 1, field: format!("{name} {k}"), "cust": who})
            })
            .collect()
    };
    let seed = json!({
        "company": companies,
        "contact": contacts,
        "task": children("Task", "name", false),
        "note": children("Note", "desc", true),
    });
    Ok(Sandbox::builder().empty(true).seed_json(seed).spawn()?)
}
