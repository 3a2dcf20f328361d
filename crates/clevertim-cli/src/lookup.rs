//! Looks up the names a table shows beside keys: one list request per referenced resource (the
//! session's cache serves repeats).

use crate::connect::Context;
use crate::names::Names;
use crate::resources::{self, CliResource, Visitor};

struct Loader<'a> {
    ctx: &'a Context,
    names: &'a mut Names,
}

impl Visitor for Loader<'_> {
    type Output = ();

    async fn visit<R: CliResource>(&mut self) {
        // Names are a help, not the answer: a resource the key cannot list shows keys only.
        match self.ctx.session.all::<R>().await {
            Ok(objects) => {
                for object in &objects {
                    if let Some(key) = object.key() {
                        self.names.insert(R::NAME, key.to_string(), object.label());
                    }
                }
            }
            Err(e) => tracing::debug!("names of {}s not shown: {e}", R::NAME),
        }
    }
}

/// The names of the objects that `resources` hold.
pub(crate) async fn load(ctx: &Context, resources: &[&str]) -> Names {
    let mut names = Names::default();
    for name in resources {
        let mut loader = Loader {
            ctx,
            names: &mut names,
        };
        resources::visit(name, &mut loader).await;
    }
    names
}
