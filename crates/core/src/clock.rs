//! Where "now" comes from. Production code asks a [`Clock`]; tests hand in a
//! [`FixedClock`] so timestamps in the store are predictable.

use chrono::{DateTime, SecondsFormat, Utc};
use std::sync::Mutex;

/// A source of the current time, passed in wherever a timestamp is stored.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told; for tests.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    /// Moves the clock forward by `seconds`.
    pub fn advance(&self, seconds: i64) {
        if let Ok(mut now) = self.0.lock() {
            *now += chrono::Duration::seconds(seconds);
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|now| *now).unwrap_or_else(|poisoned| *poisoned.into_inner())
    }
}

/// Timestamps are stored as UTC RFC 3339 with second precision, e.g.
/// `2026-11-29T05:03:13Z`, which sorts correctly as text.
pub fn to_rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
