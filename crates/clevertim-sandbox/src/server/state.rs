//! What every request handler shares: the store behind a lock, the counters, and the
//! database a write is committed to before it is answered.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard};

use crate::error::ApiError;
use crate::persist::database::{Batch, Database};
use crate::store::Store;

/// Counters shared by the server and its [`Sandbox`](crate::Sandbox) handle.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) connections: AtomicU64,
    pub(crate) requests: AtomicU64,
}

/// Everything a request handler needs.
#[derive(Debug)]
pub(crate) struct State {
    store: RwLock<Store>,
    pub(crate) prefix: String,
    pub(crate) body_limit: usize,
    pub(crate) stats: Arc<Stats>,
    /// With `--data`: the database, `None` once closed. Its lock is held from a write's
    /// change to its commit, so that writes are saved in the order they were made.
    database: Option<Mutex<Option<Database>>>,
}

impl State {
    pub(crate) fn new(
        store: Store,
        prefix: String,
        body_limit: usize,
        database: Option<Database>,
    ) -> Self {
        State {
            store: RwLock::new(store),
            prefix,
            body_limit,
            stats: Arc::new(Stats::default()),
            database: database.map(|db| Mutex::new(Some(db))),
        }
    }

    /// A copy of the state with its own copy of the store, counters reset, and no
    /// persistence.
    pub(crate) fn fork(&self) -> Self {
        State::new(
            self.read().clone(),
            self.prefix.clone(),
            self.body_limit,
            None,
        )
    }

    /// A read view of the store.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs a change of the store. With persistence, the objects it changed are committed
    /// to the database (off the async threads) before this returns; in memory, it never
    /// waits.
    pub(crate) async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        if self.database.is_none() {
            let mut store = self.store.write().unwrap_or_else(PoisonError::into_inner);
            let out = change(&mut store);
            store.take_changes();
            return out;
        }
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || state.write_and_save(change))
            .await
            .map_err(|e| ApiError::new(500, format!("Could not save the data: {e}")))?
    }

    fn write_and_save<T>(
        &self,
        change: impl FnOnce(&mut Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let Some(database) = &self.database else {
            return Err(ApiError::new(500, "Could not save the data: no database"));
        };
        let database = database.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(db) = database.as_ref() else {
            return Err(ApiError::new(
                500,
                "Could not save the data: the sandbox is stopping",
            ));
        };
        let (out, batch) = {
            let mut store = self.store.write().unwrap_or_else(PoisonError::into_inner);
            let out = change(&mut store);
            let changed = store.take_changes();
            (out, Batch::of(&store, &changed, false))
        };
        let batch =
            batch.map_err(|e| ApiError::new(500, format!("Could not encode the data: {e}")))?;
        // Readers go on while the commit waits for the disk.
        if !batch.is_empty() {
            db.commit(&batch)
                .map_err(|e| ApiError::new(500, format!("Could not save the data: {e}")))?;
        }
        out
    }

    /// Closes the database (releasing its file for the next sandbox); later writes fail.
    pub(crate) fn close_database(&self) {
        if let Some(database) = &self.database {
            database
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
        }
    }
}
