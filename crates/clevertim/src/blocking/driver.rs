//! What runs the blocking session's futures: a small tokio runtime of its own for transports
//! that need tokio (hyper), the calling thread for those driven by their own threads (isahc).

use std::fmt;
use std::future::Future;

use clevertim_core::Result;

use crate::Backend;

/// What drives the session's futures to completion.
pub(super) enum Driver {
    /// A runtime of our own, for transports that need tokio (hyper).
    #[cfg(feature = "hyper")]
    OwnRuntime(Option<tokio::runtime::Runtime>),
    /// The calling thread, for transports driven by their own threads (isahc).
    #[cfg_attr(all(feature = "hyper", not(feature = "isahc")), allow(dead_code))]
    CallingThread,
}

impl Driver {
    pub(super) fn for_backend(backend: Option<Backend>) -> Result<Driver> {
        match backend {
            #[cfg(feature = "isahc")]
            Some(Backend::Isahc) => Ok(Driver::CallingThread),
            // hyper, or a transport of the user's that may need tokio.
            #[cfg(feature = "hyper")]
            _ => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("clevertim-blocking")
                .enable_all()
                .build()
                .map(|rt| Driver::OwnRuntime(Some(rt)))
                .map_err(|e| {
                    clevertim_core::Error::Config(format!("cannot start a tokio runtime: {e}"))
                }),
            #[cfg(not(feature = "hyper"))]
            _ => Ok(Driver::CallingThread),
        }
    }

    pub(super) fn run<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        match self {
            #[cfg(feature = "hyper")]
            Driver::OwnRuntime(Some(rt)) => {
                if tokio::runtime::Handle::try_current().is_err() {
                    return rt.block_on(future);
                }
                // Inside another runtime, `block_on` would panic: block a helper thread instead.
                std::thread::scope(|scope| match scope.spawn(|| rt.block_on(future)).join() {
                    Ok(output) => output,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
            }
            #[cfg(feature = "hyper")]
            Driver::OwnRuntime(None) => unreachable!("the runtime is only taken on drop"),
            Driver::CallingThread => futures_executor::block_on(future),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        #[cfg(feature = "hyper")]
        if let Driver::OwnRuntime(rt) = self {
            // A plain drop blocks, which panics inside an async context; this never blocks.
            if let Some(rt) = rt.take() {
                rt.shutdown_background();
            }
        }
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "hyper")]
            Driver::OwnRuntime(_) => f.write_str("tokio runtime"),
            Driver::CallingThread => f.write_str("calling thread"),
        }
    }
}
