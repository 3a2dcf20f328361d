//! The cases of the conformance suite, each run once per [`Flavour`] (`conformance_suite!`
//! names them here): `Env` is what each case starts from; the cases are grouped by what they
//! hold the transport to.

use std::time::{Duration, Instant};

use clevertim::{
    Case, Comment, Company, Contact, CustomField, CustomFieldValue, Customer, ElemType, Error,
    File, Folder, Group, Key, LinkedFile, Note, Opportunity, Resource, Scope, Task, TaskDate,
    TaskTime, TransportErrorKind, User,
};
use clevertim_sandbox::Sandbox;

use crate::{Api, Flavour};

/// A sandbox of its own for one case, and a cached session on it.
struct Env {
    sandbox: Sandbox,
    kind: Flavour,
    api: Api,
}

impl Env {
    async fn new(kind: Flavour) -> Env {
        let sandbox = Sandbox::builder().start().await.unwrap();
        let api = Api::new(kind, &sandbox.endpoint(), sandbox.api_key(), true).unwrap();
        Env { sandbox, kind, api }
    }

    /// Another session for the owner, without a cache: every load is a request.
    fn uncached(&self) -> Api {
        Api::new(
            self.kind,
            &self.sandbox.endpoint(),
            self.sandbox.api_key(),
            false,
        )
        .unwrap()
    }

    /// A session for another API key.
    fn with_key(&self, key: &str) -> Api {
        Api::new(self.kind, &self.sandbox.endpoint(), key, true).unwrap()
    }

    async fn first<R: Resource>(&self) -> Key<R> {
        let all: Vec<R> = self.api.all().await.unwrap();
        all.first()
            .and_then(Resource::key)
            .expect("the demo data has one")
    }
}

mod access;
mod connections;
mod crud;
mod objects;

pub use access::*;
pub use connections::*;
pub use crud::*;
pub use objects::*;
