//! What a run may do, and what it tells while it runs.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Where a run is: given to the [`Options::on_progress`] callback.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// Reading a resource from the API (nothing is written while reading).
    Reading {
        /// The resource's path.
        resource: &'static str,
    },
    /// A resource was read.
    Read {
        /// The resource's path.
        resource: &'static str,
        /// How many objects.
        objects: usize,
    },
    /// A resource could not be read: its tables are left as they are.
    Unreadable {
        /// The resource's path.
        resource: &'static str,
        /// Why.
        reason: String,
    },
    /// The transaction began: the mirror is being written.
    Writing,
    /// A resource's difference was applied (inside the transaction, not yet committed).
    Applied {
        /// The resource's path.
        resource: &'static str,
    },
    /// The transaction committed.
    Committed,
}

/// A progress callback.
pub type OnProgress = Arc<dyn Fn(&Progress) + Send + Sync>;

/// A run's settings.
///
/// ```
/// use std::time::Duration;
/// use clevertim_sync::Options;
/// let options = Options::default()
///     .max_delete_share(0.2)
///     .busy_timeout(Duration::from_secs(30))
///     .on_progress(|p| eprintln!("{p:?}"));
/// assert!(!options.is_forced());
/// ```
#[derive(Clone)]
pub struct Options {
    pub(crate) max_delete_share: f64,
    pub(crate) force: bool,
    pub(crate) busy_timeout: Duration,
    pub(crate) on_progress: Option<OnProgress>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_delete_share: 0.5,
            force: false,
            busy_timeout: Duration::from_secs(10),
            on_progress: None,
        }
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("max_delete_share", &self.max_delete_share)
            .field("force", &self.force)
            .field("busy_timeout", &self.busy_timeout)
            .finish_non_exhaustive()
    }
}

impl Options {
    /// The largest share (0.0–1.0) of a resource's rows a run may delete; more stops the run
    /// with [`Error::MassDelete`](crate::Error::MassDelete) unless [forced](Self::force).
    /// Default 0.5.
    ///
    /// ```
    /// let strict = clevertim_sync::Options::default().max_delete_share(0.1);
    /// # let _ = strict;
    /// ```
    pub fn max_delete_share(mut self, share: f64) -> Self {
        self.max_delete_share = share.clamp(0.0, 1.0);
        self
    }

    /// Applies deletions whatever their share.
    ///
    /// ```
    /// assert!(clevertim_sync::Options::default().force(true).is_forced());
    /// ```
    pub fn force(mut self, yes: bool) -> Self {
        self.force = yes;
        self
    }

    /// Whether deletions are applied whatever their share.
    ///
    /// ```
    /// assert!(!clevertim_sync::Options::default().is_forced());
    /// ```
    pub fn is_forced(&self) -> bool {
        self.force
    }

    /// How long an SQLite run waits for another run's write lock before
    /// [`Error::Busy`](crate::Error::Busy) (PostgreSQL never waits). Default 10 s.
    ///
    /// ```
    /// let patient = clevertim_sync::Options::default().busy_timeout(std::time::Duration::from_secs(60));
    /// # let _ = patient;
    /// ```
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Calls `callback` at each step of the run (for a progress bar).
    ///
    /// ```
    /// let options = clevertim_sync::Options::default().on_progress(|step| eprintln!("{step:?}"));
    /// # let _ = options;
    /// ```
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(callback));
        self
    }

    pub(crate) fn tell(&self, progress: Progress) {
        if let Some(callback) = &self.on_progress {
            callback(&progress);
        }
    }
}
