//! The reading phase: every resource listed in turn, while a thread of its own makes the
//! canonical JSON of the ones already listed (CPU work that would otherwise wait for each
//! list, and each list for it).

use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use clevertim_core::Session;
use tokio::sync::oneshot;

use crate::canonical::Canonical;
use crate::error::{Error, Result};
use crate::options::{Options, Progress};
use crate::spec::{Listed, Objects, Table};

/// What was read of one resource: its objects, or why it could not be read.
pub(crate) type Read = std::result::Result<Objects, String>;

/// One resource's objects, being made by the worker; or why it could not be read.
type Pending = std::result::Result<oneshot::Receiver<Result<Objects>>, String>;

/// Reads every table's resource, in order. A resource that cannot be read is a [`Read`]
/// error, except the users, which identify the account.
///
/// # Errors
///
/// [`Error::Read`] when the users cannot be read; [`Error::Json`] when an object cannot be
/// encoded.
pub(crate) async fn read_all(
    session: &Session,
    tables: &[Table],
    options: &Options,
) -> Result<Vec<Read>> {
    let mut worker = Worker::start();
    let mut pending: Vec<Pending> = Vec::with_capacity(tables.len());
    for table in tables {
        options.tell(Progress::Reading {
            resource: table.resource,
        });
        let started = Instant::now();
        match (table.read)(session).await {
            Ok(listed) => {
                tracing::debug!(
                    target: "clevertim_sync",
                    resource = table.resource,
                    objects = listed.count,
                    ms = started.elapsed().as_secs_f64() * 1000.0,
                    "read"
                );
                options.tell(Progress::Read {
                    resource: table.resource,
                    objects: listed.count,
                });
                pending.push(Ok(worker.make(listed)));
            }
            Err(Error::Read { resource, source }) => {
                let reason = source.to_string();
                tracing::warn!(target: "clevertim_sync", "{resource} not mirrored: {reason}");
                if resource == "user" {
                    // The users identify the account: without them nothing can be checked.
                    return Err(Error::Read { resource, source });
                }
                options.tell(Progress::Unreadable {
                    resource,
                    reason: reason.clone(),
                });
                pending.push(Err(reason));
            }
            Err(other) => return Err(other),
        }
    }
    let mut read = Vec::with_capacity(pending.len());
    for resource in pending {
        read.push(match resource {
            Ok(objects) => Ok(worker.wait(objects).await?),
            Err(reason) => Err(reason),
        });
    }
    Ok(read)
}

/// A job: a resource's listing and where its objects go.
type Job = (Listed, oneshot::Sender<Result<Objects>>);

/// The thread that makes the canonical JSON, one resource after another; or, where no
/// thread could be started, the caller itself. Dropped, it closes the queue first (the
/// thread then ends once it has made what it holds), then lets the thread go.
struct Worker {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Worker {
    fn start() -> Worker {
        let (jobs, queue) = mpsc::channel::<Job>();
        let spawned = thread::Builder::new()
            .name("clevertim-sync-json".to_owned())
            .spawn(move || {
                let mut canonical = Canonical::default();
                for (listed, done) in queue {
                    // A closed receiver: the run has stopped, and nobody waits for this.
                    if !done.is_closed() {
                        let _ = done.send(listed.objects(&mut canonical));
                    }
                }
            });
        match spawned {
            Ok(thread) => Worker {
                jobs: Some(jobs),
                thread: Some(thread),
            },
            Err(error) => {
                tracing::debug!(target: "clevertim_sync", "no JSON thread ({error}): the JSON is made in turn");
                Worker {
                    jobs: None,
                    thread: None,
                }
            }
        }
    }

    /// Hands `listed` to the thread (or makes its objects now, without one).
    fn make(&self, listed: Listed) -> oneshot::Receiver<Result<Objects>> {
        let (done, objects) = oneshot::channel();
        let job = (listed, done);
        let job = match &self.jobs {
            Some(jobs) => match jobs.send(job) {
                Ok(()) => return objects,
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let (listed, done) = job;
        let _ = done.send(listed.objects(&mut Canonical::default()));
        objects
    }

    /// The objects of one resource handed over by [`Worker::make`].
    async fn wait(&mut self, objects: oneshot::Receiver<Result<Objects>>) -> Result<Objects> {
        if let Ok(objects) = objects.await {
            return objects;
        }
        // The thread ended without answering: it panicked. So does the run, with its payload.
        if let Some(Err(payload)) = self.thread.take().map(thread::JoinHandle::join) {
            std::panic::resume_unwind(payload);
        }
        Err(Error::Json(serde::ser::Error::custom(
            "the sync's JSON thread ended early",
        )))
    }
}
