//! Comment threads on a claim or on a draft. A note opens a thread; replies
//! join it; the thread is resolved and reopened as a whole. Editing a note
//! keeps its earlier text in its history. Removing a note keeps its row,
//! marked with who removed it and when (a thread's replies go with its first
//! note), so restoring it brings back exactly what was there.

use super::{audit, desk_of_claim, existing_draft, required, SourcingError};
use crate::audit::{AuditAction, Entity};
use crate::clock::to_rfc3339;
use crate::conflict::{compare, write_or_refuse, Current, Guarded};
use crate::inbox::{notify_mentions, NotePlace};
use crate::review::{Review, Subject};
use crate::store::notes::NoteRemovalState;
pub use crate::store::notes::{NoteEdit, NoteTarget, NoteView};
use crate::store::{lock, NoteId, Store};
use serde_json::json;

fn with_history(store: &Store, mut note: NoteView) -> Result<NoteView, SourcingError> {
    note.history = store.note_edits(note.id)?;
    Ok(note)
}

fn note(store: &Store, id: NoteId) -> Result<NoteView, SourcingError> {
    // A note on a removed claim goes and comes back with its claim.
    let found = store.live_note(id)?;
    with_history(store, found.ok_or(SourcingError::NoteNotFound(id))?)
}

fn check_target(store: &Store, target: NoteTarget) -> Result<(), SourcingError> {
    match target {
        NoteTarget::Claim(claim) => desk_of_claim(store, claim).map(drop),
        NoteTarget::Draft(draft) => existing_draft(store, draft).map(drop),
    }
}

/// Where a note is, for the inbox entries of the people it mentions.
fn place_of(store: &Store, target: NoteTarget, note: NoteId) -> Result<NotePlace, SourcingError> {
    let (draft, claim) = match target {
        NoteTarget::Claim(claim) => {
            (store.draft_of_live_claim(claim)?.ok_or(SourcingError::ClaimNotFound(claim))?, Some(claim))
        }
        NoteTarget::Draft(draft) => (draft, None),
    };
    let desk = existing_draft(store, draft)?.desk_id;
    Ok(NotePlace { desk, draft, claim, note })
}

fn entity(target: NoteTarget) -> serde_json::Value {
    match target {
        NoteTarget::Claim(claim) => json!({ "claim": claim }),
        NoteTarget::Draft(draft) => json!({ "draft": draft }),
    }
}

impl Review {
    /// Adds a note to a claim or a draft, opening a thread or, with
    /// `reply_to`, joining the thread of that note.
    pub fn add_note(&self, target: NoteTarget, text: &str, reply_to: Option<NoteId>) -> Result<NoteId, SourcingError> {
        self.insert_note(target, text, reply_to, false)
    }

    /// Adds a note read by editors, standards editors and the lawyer only: it never appears in a desk-profile report.
    pub fn add_private_note(
        &self,
        target: NoteTarget,
        text: &str,
        reply_to: Option<NoteId>,
    ) -> Result<NoteId, SourcingError> {
        self.insert_note(target, text, reply_to, true)
    }

    fn insert_note(
        &self,
        target: NoteTarget,
        text: &str,
        reply_to: Option<NoteId>,
        private: bool,
    ) -> Result<NoteId, SourcingError> {
        let text = required(text, "note's text")?;
        let store = lock(self.store());
        check_target(&store, target)?;
        require_on_target(self, &store, target, crate::rights::Action::AddNote)?;
        // A private note, and a reply in a private thread (it answers what the private note said), are written
        // only by those who may read them. Asked before the thread is looked up: on a team store the server
        // hides a private note from the others' logins, so to them it would read as not found.
        let private_readable = match require_on_target(self, &store, target, crate::rights::Action::ReadPrivateNotes) {
            Ok(()) => Ok(()),
            Err(SourcingError::Rights(crate::rights::RightsError::Refused(refusal))) => Err(refusal),
            Err(other) => return Err(other),
        };
        let refused = |refusal| SourcingError::Rights(crate::rights::RightsError::Refused(refusal));
        if private {
            private_readable.clone().map_err(refused)?;
        }
        // A reply to a reply joins the thread's first note: threads stay flat.
        let mut read_by_few = private;
        let thread = match reply_to {
            Some(parent_id) => {
                let parent = match (note(&store, parent_id), &private_readable) {
                    (Err(SourcingError::NoteNotFound(_)), Err(refusal)) => return Err(refused(refusal.clone())),
                    (found, _) => found?,
                };
                if parent.target != target {
                    return Err(SourcingError::Invalid(format!("note {} is on another claim or draft", parent.id)));
                }
                let thread = parent.reply_to.unwrap_or(parent.id);
                let thread_private = if thread == parent.id { parent.private } else { note(&store, thread)?.private };
                if thread_private {
                    private_readable.map_err(refused)?;
                    read_by_few = true;
                }
                Some(thread)
            }
            None => None,
        };
        let now = self.now();
        self.write_as(&store, crate::rights::Action::AddNote, subject(target), |store| {
            // The rights asked above, asked again under the write lock (see `Review::write_as`).
            if read_by_few {
                require_on_target(self, store, target, crate::rights::Action::ReadPrivateNotes)?;
            }
            let at = to_rfc3339(now);
            let id = store.insert_note(target, thread, &text, self.reviewer(), &at, private)?;
            notify_mentions(store, place_of(store, target, id)?, &text, None, self.reviewer(), &at)?;
            let mut after = entity(target);
            after["text"] = json!(text);
            after["reply-to"] = json!(thread);
            after["private"] = json!(private);
            audit(store, self, now, AuditAction::NoteAdd, Entity::Note(id), None, Some(after))?;
            Ok(id)
        })
    }

    /// Replaces a note's text, keeping the earlier one in its history, over
    /// whatever text it has when the change lands (see [`crate::conflict`]).
    pub fn edit_note(&self, id: NoteId, text: &str) -> Result<NoteView, SourcingError> {
        self.change_note(id, text, None)
    }

    /// Replaces a note's text if it is still at `seen`, the version the
    /// person saw ([`NoteView::version`]); else refuses with
    /// [`SourcingError::Conflict`]: the text now and who wrote it.
    pub fn edit_note_expecting(&self, id: NoteId, text: &str, seen: i64) -> Result<NoteView, SourcingError> {
        self.change_note(id, text, Some(seen))
    }

    fn change_note(&self, id: NoteId, text: &str, seen: Option<i64>) -> Result<NoteView, SourcingError> {
        let text = required(text, "note's text")?;
        let store = lock(self.store());
        let given = note(&store, id)?;
        require_thread_readable(self, &store, &given)?;
        let now = self.now();
        let at = to_rfc3339(now);
        write_or_refuse(&store, |store| {
            // The role is read in the transaction that writes (see `Review::write_as`).
            require_on_target(self, store, given.target, crate::rights::Action::AddNote)?;
            // Read under the write lock: what this edit replaces, and whether it is what the person saw.
            let before = note(store, id)?;
            let current = Current {
                version: before.version,
                value: before.text.clone(),
                by: before.history.last().map_or_else(|| before.author.clone(), |edit| edit.edited_by.clone()),
                at: before.edited_at.clone().unwrap_or_else(|| before.created_at.clone()),
            };
            if let Some(conflict) = compare(store, self.reviewer(), now, Guarded::Note(id), seen, current, &text)? {
                return Ok(Err(conflict));
            }
            if before.text == text {
                return Ok(Ok(before));
            }
            store.edit_note(id, &before.text, &text, self.reviewer(), &at)?;
            // Only the people the edit newly mentions are told.
            notify_mentions(
                store,
                place_of(store, before.target, id)?,
                &text,
                Some(&before.text),
                self.reviewer(),
                &at,
            )?;
            audit(
                store,
                self,
                now,
                AuditAction::NoteEdit,
                Entity::Note(id),
                Some(json!({ "text": before.text })),
                Some(json!({ "text": text })),
            )?;
            note(store, id).map(Ok)
        })
    }

    /// Marks a note private (read by editors, standards editors and the lawyer only) or not.
    pub fn set_note_private(&self, id: NoteId, private: bool) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let before = note(&store, id)?;
        // A private note is for editors only: making one public (or private) is theirs to decide.
        require_on_target(self, &store, before.target, crate::rights::Action::ChangeDesk)?;
        if before.private == private {
            return Ok(before);
        }
        let now = self.now();
        self.write_as(&store, crate::rights::Action::ChangeDesk, subject(before.target), |store| {
            store.set_note_private(id, private)?;
            audit(
                store,
                self,
                now,
                AuditAction::NotePrivate,
                Entity::Note(id),
                Some(json!({ "private": before.private })),
                Some(json!({ "private": private })),
            )?;
            note(store, id)
        })
    }

    /// Resolves the thread the note belongs to.
    pub fn resolve_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        self.set_resolved(id, true)
    }

    /// Reopens a resolved thread.
    pub fn reopen_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        self.set_resolved(id, false)
    }

    fn set_resolved(&self, id: NoteId, resolved: bool) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let given = note(&store, id)?;
        require_thread_readable(self, &store, &given)?;
        let thread = given.reply_to.unwrap_or(given.id);
        let first = note(&store, thread)?;
        match (first.resolved_at.is_some(), resolved) {
            (true, true) => return Err(SourcingError::AlreadyResolved(thread)),
            (false, false) => return Err(SourcingError::NotResolved(thread)),
            _ => {}
        }
        let now = self.now();
        self.write_as(&store, crate::rights::Action::AddNote, subject(given.target), |store| {
            let (by, at) = if resolved { (Some(self.reviewer()), Some(to_rfc3339(now))) } else { (None, None) };
            store.set_note_resolved(thread, by, at.as_deref())?;
            audit(
                store,
                self,
                now,
                if resolved { AuditAction::NoteResolve } else { AuditAction::NoteReopen },
                Entity::Note(thread),
                Some(json!({ "resolved": !resolved })),
                Some(json!({ "resolved": resolved })),
            )?;
            note(store, thread)
        })
    }

    /// The notes on a claim or a draft, each thread's first note followed by
    /// its replies, threads oldest first.
    pub fn notes(&self, target: NoteTarget) -> Result<Vec<NoteView>, SourcingError> {
        let store = lock(self.store());
        check_target(&store, target)?;
        require_on_target(self, &store, target, crate::rights::Action::ReadClaims)?;
        let mut notes = store.notes_on(target)?;
        match require_on_target(self, &store, target, crate::rights::Action::ReadPrivateNotes) {
            Ok(()) => {}
            Err(SourcingError::Rights(crate::rights::RightsError::Refused(_))) => without_private(&mut notes),
            Err(other) => return Err(other),
        }
        notes.into_iter().map(|n| with_history(&store, n)).collect()
    }

    /// Removes a note; removing the note that opens a thread removes its
    /// replies with it. Kept in the audit trail (its text, author, thread)
    /// and restorable with [`Review::restore_note`].
    pub fn remove_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let view = note(&store, id)?;
        check_target(&store, view.target)?;
        require_thread_readable(self, &store, &view)?;
        let now = self.now();
        let at = to_rfc3339(now);
        self.write_as(&store, crate::rights::Action::AddNote, subject(view.target), |store| {
            // Only if still there: removed meanwhile from another window, it is not removed twice.
            if !store.remove_note(id, &at, self.reviewer())? {
                return Err(SourcingError::NoteNotFound(id));
            }
            // The replies as they are now (one may have been added meanwhile from another window),
            // so the audit trail names every reply that goes with the thread.
            let mut replies = store.remove_replies(id, &at, self.reviewer(), &Entity::Note(id).to_string())?;
            replies.sort_unstable();
            let mut before = snapshot(&view);
            before["replies"] = json!(replies);
            audit(store, self, now, AuditAction::NoteRemove, Entity::Note(id), Some(before), None)?;
            Ok(view)
        })
    }

    /// Brings back a removed note (with the replies removed along with it).
    pub fn restore_note(&self, id: NoteId) -> Result<NoteView, SourcingError> {
        let store = lock(self.store());
        let state = store.note_removal_state(id)?;
        let NoteRemovalState { removed, removed_with, reply_to, claim, draft } =
            state.ok_or(SourcingError::NoteNotFound(id))?;
        if !removed {
            return Err(SourcingError::NotRemoved(format!("note {id}")));
        }
        // A note is on a claim or on a draft (a note on a draft was restored by anyone: it was not asked).
        let target = match (claim, draft) {
            (Some(claim), _) => NoteTarget::Claim(claim),
            (None, Some(draft)) => NoteTarget::Draft(draft),
            (None, None) => return Err(SourcingError::NoteNotFound(id)),
        };
        require_on_target(self, &store, target, crate::rights::Action::AddNote)?;
        if let Some(with) = removed_with {
            return Err(SourcingError::RestoreRefused(format!(
                "note {id} was removed with its thread: restore {} instead",
                with.replace(':', " ")
            )));
        }
        if let Some(claim) = claim.filter(|c| desk_of_claim(&store, *c).is_err()) {
            return Err(SourcingError::RestoreRefused(format!(
                "note {id} is on claim {claim}, which was removed: restore the claim first"
            )));
        }
        if let Some(thread) = reply_to.filter(|t| note(&store, *t).is_err()) {
            return Err(SourcingError::RestoreRefused(format!(
                "note {id} replies to note {thread}, which was removed: restore note {thread} first"
            )));
        }
        let now = self.now();
        self.write_as(&store, crate::rights::Action::AddNote, subject(target), |store| {
            // Only if still removed: restored meanwhile from another window, it is not restored twice.
            if !store.restore_note(id)? {
                return Err(SourcingError::NotRemoved(format!("note {id}")));
            }
            let view = note(store, id)?;
            let replies = store.restore_notes_removed_with(&Entity::Note(id).to_string())?;
            let mut after = snapshot(&view);
            after["replies"] = json!(replies);
            audit(store, self, now, AuditAction::NoteRestore, Entity::Note(id), None, Some(after))?;
            Ok(view)
        })
    }
}

/// Refuses a change of a private note, or of a reply in a private thread, to whoever may not read it (on a team
/// store the server hides such a note from their login: there it is not found).
fn require_thread_readable(review: &Review, store: &Store, view: &NoteView) -> Result<(), SourcingError> {
    let thread_private = view.private
        || match view.reply_to {
            Some(thread) => store.live_note(thread)?.is_some_and(|first| first.private),
            None => false,
        };
    if thread_private {
        require_on_target(review, store, view.target, crate::rights::Action::ReadPrivateNotes)?;
    }
    Ok(())
}

/// Leaves out the private notes and the replies in their threads (a reply may quote or name what the
/// private note said). Threads are flat: a reply's `reply_to` is the thread's first note.
fn without_private(notes: &mut Vec<NoteView>) {
    let private: std::collections::HashSet<NoteId> = notes.iter().filter(|n| n.private).map(|n| n.id).collect();
    notes.retain(|n| !n.private && !n.reply_to.is_some_and(|thread| private.contains(&thread)));
}

/// What the audit trail keeps of a removed note.
fn snapshot(view: &NoteView) -> serde_json::Value {
    let mut value = entity(view.target);
    value["text"] = json!(view.text);
    value["reply-to"] = json!(view.reply_to);
    value["private"] = json!(view.private);
    value["author"] = json!(view.author);
    value["created-at"] = json!(view.created_at);
    value
}

/// What a write on a note's claim or draft acts on, for [`Review::write_as`].
fn subject(target: NoteTarget) -> Subject {
    match target {
        NoteTarget::Claim(claim) => Subject::Claim(claim),
        NoteTarget::Draft(draft) => Subject::Draft(draft),
    }
}

/// Refuses `action` on a note's claim or draft unless the reviewer's role allows it.
fn require_on_target(
    review: &Review,
    store: &crate::store::Store,
    target: NoteTarget,
    action: crate::rights::Action,
) -> Result<(), SourcingError> {
    match target {
        NoteTarget::Claim(claim) => review.require_on_claim(store, claim, action)?,
        NoteTarget::Draft(draft) => review.require_on_draft(store, draft, action)?,
    }
    Ok(())
}
