//! Replays the audit trail into the state it says the review is in, and
//! compares that with the current rows: a claim, source, link, evidence item
//! or note edited, added or deleted without going through Factdesk shows up
//! as a [`Disagreement`].
//!
//! Only what the trail records is compared (see [`AUDITED_TABLES`](crate::store::audit::AUDITED_TABLES)); rows created
//! before the database had an audit trail (schema 5) are not expected in it.
//! A removal is any action ending `.remove`, `.rm` or `.delete` on the
//! entity, and `.restore` brings it back; a removed entity's row is not
//! checked, whether the row was deleted or only marked removed.

use super::{AuditAction, AuditEntry, Disagreement};
use crate::store::audit::{AuditedRow, LiveLink, AUDITED_TABLES};
use crate::store::{Store, StoreError};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A claim's link to a source, `(claim, source)`, with its role.
type Link = ((i64, i64), String);

#[derive(Default)]
struct EntityState {
    fields: Map<String, Value>,
    removed: bool,
}

/// The review as the trail tells it.
#[derive(Default)]
pub(super) struct Replay {
    entities: BTreeMap<(String, i64), EntityState>,
    links: BTreeMap<(i64, i64), String>,
    /// The links of a removed claim, which come back when it is restored.
    suspended_links: BTreeMap<i64, Vec<Link>>,
}

/// The `(claim, role)` pairs listed under `links` in a source's removal or
/// restore entry: the links that went or came back with it.
fn links_listed(value: Option<&Value>) -> Vec<(i64, String)> {
    value
        .and_then(|v| v.get("links")?.as_array())
        .map(|links| {
            links
                .iter()
                .filter_map(|link| Some((link.get("claim")?.as_i64()?, link.get("role")?.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a row made at `created` should be in the trail, begun at `began`.
fn recorded_since(created: &str, began: Option<&str>) -> bool {
    match began {
        Some(began) => created >= began,
        None => true,
    }
}

fn is_removal(action: &str) -> bool {
    [".remove", ".rm", ".delete"].iter().any(|suffix| action.ends_with(suffix))
}

impl Replay {
    pub(super) fn apply(&mut self, entry: &AuditEntry) {
        let Some((kind, id)) = entry.entity.split_once(':') else { return };
        let Ok(id) = id.parse::<i64>() else { return };
        if !AUDITED_TABLES.iter().any(|t| t.kind == kind) {
            return;
        }
        let after: Option<Value> = entry.after.as_deref().and_then(|a| serde_json::from_str(a).ok());
        match AuditAction::parse(&entry.action) {
            // A refused change changed nothing: its "after" is what was refused.
            Some(AuditAction::ChangeRefused) => return,
            Some(AuditAction::ClaimLink | AuditAction::ClaimLinkRestore) => {
                if let Some((source, role)) =
                    after.as_ref().and_then(|a| Some((a.get("source")?.as_i64()?, a.get("role")?.as_str()?)))
                {
                    self.links.insert((id, source), role.to_owned());
                }
                return;
            }
            Some(AuditAction::ClaimUnlink) => {
                let before: Option<Value> = entry.before.as_deref().and_then(|b| serde_json::from_str(b).ok());
                if let Some(source) = before.as_ref().and_then(|b| b.get("source")?.as_i64()) {
                    self.links.remove(&(id, source));
                }
                return;
            }
            Some(AuditAction::SourceRemove) => {
                let before: Option<Value> = entry.before.as_deref().and_then(|b| serde_json::from_str(b).ok());
                for (claim, _) in links_listed(before.as_ref()) {
                    self.links.remove(&(claim, id));
                }
            }
            Some(AuditAction::SourceRestore) => {
                for (claim, role) in links_listed(after.as_ref()) {
                    self.links.insert((claim, id), role);
                }
            }
            Some(AuditAction::ClaimRemove) => {
                // A removed claim's links go with it, and come back with it.
                let (gone, kept) =
                    std::mem::take(&mut self.links).into_iter().partition(|((claim, _), _)| *claim == id);
                self.links = kept;
                self.suspended_links.insert(id, gone.into_iter().collect());
            }
            Some(AuditAction::ClaimRestore) => {
                self.links.extend(self.suspended_links.remove(&id).unwrap_or_default());
            }
            _ => {}
        }
        let state = self.entities.entry((kind.to_owned(), id)).or_default();
        if is_removal(&entry.action) {
            state.removed = true;
            if kind == "claim" {
                self.links.retain(|(claim, _), _| *claim != id);
            }
            return;
        }
        if entry.action.ends_with(".restore") {
            state.removed = false;
        }
        if entry.action.ends_with(".resolve") || entry.action.ends_with(".reopen") {
            state.fields.insert("resolved".to_owned(), Value::Bool(entry.action.ends_with(".resolve")));
        }
        if let Some(Value::Object(after)) = after {
            state.fields.extend(after);
        }
    }

    pub(super) fn compare(&self, store: &Store) -> Result<Vec<Disagreement>, StoreError> {
        // Rows older than the trail itself are not expected in it.
        let trail_began = store.audit_trail_began();
        let mut found = Vec::new();
        let differs = |entity: String, field: &str, trail: &Value, current: &Value| Disagreement {
            entity,
            field: field.to_owned(),
            trail: trail.to_string(),
            current: current.to_string(),
        };
        for table in AUDITED_TABLES {
            let mut seen = BTreeSet::new();
            for AuditedRow { id, created, values } in store.audited_rows(table)? {
                seen.insert(id);
                let entity = format!("{}:{id}", table.kind);
                let Some(state) = self.entities.get(&(table.kind.to_owned(), id)) else {
                    if recorded_since(&created, trail_began.as_deref()) {
                        found.push(differs(entity, "row", &Value::Null, &Value::String("present".into())));
                    }
                    continue;
                };
                if state.removed {
                    continue;
                }
                for ((key, _, _), current) in table.fields.iter().zip(&values) {
                    let Some(expected) = state.fields.get(*key) else { continue };
                    if current != expected {
                        found.push(differs(entity.clone(), key, expected, current));
                    }
                }
            }
            for ((kind, id), state) in &self.entities {
                if kind == table.kind && !state.removed && !seen.contains(id) {
                    found.push(differs(format!("{kind}:{id}"), "row", &Value::String("present".into()), &Value::Null));
                }
            }
        }
        let mut linked = BTreeSet::new();
        for LiveLink { claim, source, role, linked_at: at } in store.live_links()? {
            linked.insert((claim, source));
            let entity = format!("link:{claim}/{source}");
            if self.entities.get(&("claim".to_owned(), claim)).is_some_and(|c| c.removed) {
                continue;
            }
            match self.links.get(&(claim, source)) {
                Some(expected) if *expected == role => {}
                Some(expected) => {
                    found.push(differs(entity, "role", &Value::from(expected.as_str()), &Value::from(role)))
                }
                None if recorded_since(&at, trail_began.as_deref()) => {
                    found.push(differs(entity, "row", &Value::Null, &Value::String("present".into())));
                }
                None => {}
            }
        }
        for ((claim, source), role) in &self.links {
            if !linked.contains(&(*claim, *source)) {
                found.push(differs(format!("link:{claim}/{source}"), "row", &Value::from(role.as_str()), &Value::Null));
            }
        }
        Ok(found)
    }
}
