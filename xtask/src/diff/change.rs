//! One reported change, and the collector that merges the same change seen through
//! several operations into one line.

use std::collections::BTreeMap;

/// Whether existing callers keep working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Callers (their code or their requests) may break.
    Breaking,
    /// Additions and documentation.
    NonBreaking,
}

/// Which way a schema travels, which decides whether some changes break callers:
/// a new required field breaks requests, a field made optional breaks responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Sent by the client.
    Request,
    /// Received by the client.
    Response,
}

/// One change, with every operation it reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Breaking or not: breaking when it breaks any of its uses.
    pub severity: Severity,
    /// What changed, as Markdown: `` `create_payout` ``, `` `Payout.amount` ``.
    pub subject: String,
    /// How it changed: `removed`, `added (required)`, `type changed from ...`.
    pub what: String,
    /// Where a shared schema's change is felt: `` `create_payout` request ``.
    pub uses: Vec<String>,
}

/// Collects changes; the same (subject, change) reached through several operations
/// becomes one [`Change`] listing them.
#[derive(Default)]
pub struct Changes {
    merged: BTreeMap<(String, String), (Severity, Vec<String>)>,
}

impl Changes {
    /// Records `what` happened to `subject`, felt by `used_by` (when the subject is a
    /// shared schema).
    pub fn add(
        &mut self,
        severity: Severity,
        subject: String,
        what: String,
        used_by: Option<&str>,
    ) {
        let entry = self
            .merged
            .entry((subject, what))
            .or_insert((severity, Vec::new()));
        entry.0 = entry.0.min(severity);
        if let Some(used_by) = used_by {
            if !entry.1.iter().any(|seen| seen == used_by) {
                entry.1.push(used_by.to_string());
            }
        }
    }

    /// Every change: breaking first; within each, changes to one operation before
    /// changes to shared schemas (those list their uses), then by subject.
    pub fn into_sorted(self) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .merged
            .into_iter()
            .map(|((subject, what), (severity, uses))| Change {
                severity,
                subject,
                what,
                uses,
            })
            .collect();
        changes.sort_by_key(|change| (change.severity, !change.uses.is_empty()));
        changes
    }
}
