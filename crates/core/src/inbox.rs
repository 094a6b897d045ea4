//! Each person's inbox: the claims and drafts assigned to them
//! ([`crate::assignment`]) and the notes that mention them (`@name`), each
//! read or unread. The person is the one acting: on a team store the
//! database login, on SQLite the reviewer name set in Factdesk (see
//! [`Review::reviewer_name`]).
//!
//! Who counts as a person on a desk is decided in one place,
//! [`person_on_desk`]: assignments refuse anyone else, and a mention of
//! anyone else notifies nobody. Nor does a mention of a person who may not
//! open the draft ([`person_sees_draft`]: a reporter, on another reporter's
//! draft): a mention is not a hand-off, so the note is saved and the others
//! it names are told, while `assign` refuses such a person, naming why.

use crate::clock::to_rfc3339;
use crate::review::Review;
use crate::rights::{Action, Refused, ReviewerRights, RightsError};
use crate::store::assignments::{InboxRow, NewInboxEntry};
use crate::store::{lock, AssignmentId, ClaimId, DeskId, DraftId, InboxId, NoteId, Store, StoreError};
use serde::{Deserialize, Serialize};

/// Errors from the inbox.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("no inbox entry {id} for {person}")]
    EntryNotFound { id: InboxId, person: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an entry is in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum InboxKind {
    /// A claim or a draft was assigned to the person.
    Assignment,
    /// A note mentions the person.
    Mention,
}

impl InboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assignment => "assignment",
            Self::Mention => "mention",
        }
    }
}

/// One entry of a person's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InboxEntry {
    pub id: InboxId,
    pub kind: InboxKind,
    /// The claim it is about; `None` for a whole draft.
    pub claim: Option<ClaimId>,
    /// The draft it opens (a claim's own draft).
    pub draft: DraftId,
    /// The draft's path in its desk.
    pub draft_path: String,
    pub draft_title: String,
    /// The claim's words.
    pub quote: Option<String>,
    /// The mentioning note's text.
    pub note: Option<String>,
    /// The assignment's due date (YYYY-MM-DD).
    pub due: Option<String>,
    /// Who assigned or mentioned.
    pub from: String,
    pub at: String,
    pub read: bool,
}

fn entry_of(row: InboxRow) -> Result<InboxEntry, StoreError> {
    let kind = match row.kind.as_str() {
        "assignment" => InboxKind::Assignment,
        "mention" => InboxKind::Mention,
        other => return Err(StoreError::Malformed(format!("inbox entry {} has kind {other:?}", row.id))),
    };
    Ok(InboxEntry {
        id: row.id,
        kind,
        claim: row.claim,
        draft: row.draft,
        draft_path: row.draft_path,
        draft_title: row.draft_title,
        quote: row.quote,
        note: row.note_text,
        due: row.due,
        from: row.from,
        at: row.at,
        read: row.read_at.is_some(),
    })
}

/// Whether `name` is a person on `desk`, who can be assigned work and be
/// mentioned: the one place that decides it. Returns the name as it is
/// stored (trimmed), or `None` for no one.
///
/// On a desk with people (`factdesk people add`), only those on its list
/// are; on a desk without (one reviewer, as before people existed), any
/// name that is not blank.
pub fn person_on_desk(store: &Store, desk: DeskId, name: &str) -> Result<Option<String>, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if store.desk_has_people(desk)? && store.role_on_desk(desk, name)?.is_none() {
        return Ok(None);
    }
    Ok(Some(name.to_owned()))
}

/// Whether `person`, one of `desk`'s people ([`person_on_desk`]), may open the
/// draft at `draft_path` and read its claims (on a desk with people, a
/// reporter only their own drafts). An inbox entry about a draft they may not
/// open would lead only to a refusal (and on a team store the server refuses
/// to file it, migrations/postgres/0045).
pub fn person_sees_draft(store: &Store, desk: DeskId, person: &str, draft_path: &str) -> Result<bool, RightsError> {
    match ReviewerRights::on_desk(store, desk, || person.to_owned())?.check(Action::ReadClaims, Some(draft_path)) {
        Ok(()) => Ok(true),
        Err(Refused::Role { .. } | Refused::NotAPerson { .. }) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// The names `text` mentions, each once, in the order they first appear:
/// `@` then letters, digits, `.`, `_` or `-`, at the start of the text or
/// after a character that is not part of a word (so an e-mail address
/// mentions no one); a `.` or `-` ending the name is punctuation ("ask
/// @ben.").
pub fn mentions(text: &str) -> Vec<String> {
    let is_name = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-');
    let mut found: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        if c == '@' && !previous.is_some_and(|p| p.is_alphanumeric() || matches!(p, '_' | '@')) {
            let rest = &text[at + 1..];
            let end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
            let name = rest[..end].trim_end_matches(['.', '-']);
            if !name.is_empty() && !found.iter().any(|f| f == name) {
                found.push(name.to_owned());
            }
        }
        previous = Some(c);
    }
    found
}

/// Where a note is, for the inbox entries its mentions make.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotePlace {
    pub desk: DeskId,
    pub draft: DraftId,
    pub claim: Option<ClaimId>,
    pub note: NoteId,
}

/// Adds an inbox entry for each person `text` mentions that `earlier` (the
/// note's text before an edit) did not already mention and who may open the
/// note's draft; part of the caller's transaction.
pub(crate) fn notify_mentions(
    store: &Store,
    place: NotePlace,
    text: &str,
    earlier: Option<&str>,
    from: &str,
    at: &str,
) -> Result<(), RightsError> {
    let already = earlier.map(mentions).unwrap_or_default();
    let mut draft_path = None;
    for name in mentions(text).into_iter().filter(|name| !already.contains(name)) {
        let Some(person) = person_on_desk(store, place.desk, &name)? else { continue };
        let path = match &draft_path {
            Some(path) => path,
            None => draft_path.insert(
                store
                    .draft(place.draft)?
                    .ok_or_else(|| StoreError::Malformed(format!("note {} is on no draft", place.note)))?
                    .path,
            ),
        };
        if person_sees_draft(store, place.desk, &person, path)? {
            store.insert_inbox_entry(&NewInboxEntry {
                person: &person,
                kind: InboxKind::Mention.as_str(),
                draft: place.draft,
                claim: place.claim,
                assignment: None,
                note: Some(place.note),
                from,
                at,
            })?;
        }
    }
    Ok(())
}

/// Tells `person` of an assignment made to them; part of the caller's transaction.
pub(crate) fn notify_assignment(
    store: &Store,
    person: &str,
    draft: DraftId,
    claim: Option<ClaimId>,
    assignment: AssignmentId,
    from: &str,
    at: &str,
) -> Result<(), StoreError> {
    store.insert_inbox_entry(&NewInboxEntry {
        person,
        kind: InboxKind::Assignment.as_str(),
        draft,
        claim,
        assignment: Some(assignment),
        note: None,
        from,
        at,
    })?;
    Ok(())
}

impl Review {
    /// The inbox of the person acting, newest first; with `desk`, only that
    /// desk's entries.
    pub fn inbox(&self, desk: Option<DeskId>) -> Result<Vec<InboxEntry>, InboxError> {
        let store = lock(self.store());
        Ok(store.inbox_of(self.reviewer(), desk)?.into_iter().map(entry_of).collect::<Result<_, _>>()?)
    }

    /// Marks an entry of the acting person's inbox read (opening it does).
    pub fn mark_inbox_read(&self, id: InboxId) -> Result<(), InboxError> {
        let store = lock(self.store());
        if store.mark_inbox_read(id, self.reviewer(), &to_rfc3339(self.now()))? {
            Ok(())
        } else {
            Err(InboxError::EntryNotFound { id, person: self.reviewer().to_owned() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn a_mention_is_an_at_sign_and_a_name_not_an_email_address() {
        assert_eq!(mentions("@ben please check, and @ana.lopez too."), ["ben", "ana.lopez"]);
        assert_eq!(mentions("ask (@ben) or @ben again; write to ben@example.org"), ["ben"]);
        assert_eq!(mentions("@ and @@ and @- mention no one"), Vec::<String>::new());
        assert_eq!(mentions("Zoë: @zoë-martín-"), ["zoë-martín"]);
    }
}
