//! The wrappers a [`SessionBuilder`](crate::SessionBuilder) puts around the session's
//! transport (`wrap_transport`).

use std::sync::Arc;

use clevertim_core::Transport;

/// One wrapper: takes the transport so far, gives the one to use.
type Wrap = Box<dyn FnOnce(Arc<dyn Transport>) -> Arc<dyn Transport> + Send>;

/// The wrappers, in the order they were added (the first one wraps the transport itself).
#[derive(Default)]
pub(crate) struct Layers(Vec<Wrap>);

impl Layers {
    /// Adds a wrapper around what the ones before it make.
    pub(crate) fn push<T, W>(&mut self, wrap: W)
    where
        T: Transport + 'static,
        W: FnOnce(Arc<dyn Transport>) -> T + Send + 'static,
    {
        self.0.push(Box::new(move |inner| Arc::new(wrap(inner))));
    }

    /// `transport` inside every wrapper, the last one added outermost.
    pub(crate) fn apply(self, transport: Arc<dyn Transport>) -> Arc<dyn Transport> {
        self.0
            .into_iter()
            .fold(transport, |inner, wrap| wrap(inner))
    }
}

impl std::fmt::Debug for Layers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} transport wrapper(s)", self.0.len())
    }
}
