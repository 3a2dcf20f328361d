//! What a run did.

use serde::Serialize;

/// What a run did to one resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ResourceReport {
    /// The resource's path (`contact`).
    pub resource: &'static str,
    /// Its table (`contacts`).
    pub table: &'static str,
    /// How many objects the API gave; `None` when it could not be read.
    pub read: Option<usize>,
    /// New objects.
    pub inserted: u64,
    /// Changed objects.
    pub updated: u64,
    /// Objects gone from the API (each recorded in `_deletions`).
    pub deleted: u64,
    /// Why the resource was not read (its tables were left as they were).
    pub skipped: Option<String>,
}

/// What a run did.
///
/// ```
/// let report = clevertim_sync::Report::default();
/// assert!(report.is_complete() && report.changed() == 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The run's row in `_sync_runs`.
    pub run_id: i64,
    /// The endpoint mirrored.
    pub endpoint: String,
    /// The account mirrored (its owner's user key).
    pub account: String,
    /// One entry per resource.
    pub resources: Vec<ResourceReport>,
}

impl Report {
    /// Whether every resource was read.
    ///
    /// ```
    /// let mut report = clevertim_sync::Report::default();
    /// report.resources.push(clevertim_sync::ResourceReport {
    ///     skipped: Some("HTTP 403".into()),
    ///     ..Default::default()
    /// });
    /// assert!(!report.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        self.resources.iter().all(|r| r.skipped.is_none())
    }

    /// How many objects were inserted, updated or deleted.
    ///
    /// ```
    /// let mut report = clevertim_sync::Report::default();
    /// report.resources.push(clevertim_sync::ResourceReport { inserted: 2, deleted: 1, ..Default::default() });
    /// assert_eq!(report.changed(), 3);
    /// ```
    pub fn changed(&self) -> u64 {
        self.resources
            .iter()
            .map(|r| r.inserted + r.updated + r.deleted)
            .sum()
    }
}
