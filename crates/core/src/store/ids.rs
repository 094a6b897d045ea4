//! The ID newtypes: one per kind of row, so a claim's ID cannot be passed
//! where a source's is wanted. Each binds and reads in SQL as its integer.

#[allow(unused_imports)]
use super::engine::Column as _;
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map(Self)
            }
        }

        impl super::engine::Param for $name {
            fn value(&self) -> super::engine::Value<'_> {
                super::engine::Value::Int(self.0)
            }
        }

        impl super::engine::Column for $name {
            fn from_column(value: super::engine::ValueRef<'_>) -> Result<Self, String> {
                i64::from_column(value).map(Self)
            }
        }
    };
}

id_type!(
    /// A watched folder.
    DeskId
);
id_type!(
    /// A draft; stable across renames, moves and deletions.
    DraftId
);
id_type!(
    /// One distinct content of a draft.
    VersionId
);
id_type!(
    /// A claim tagged on a draft.
    ClaimId
);
id_type!(
    /// A source in a desk's register.
    SourceId
);
id_type!(
    /// An evidence item on a claim.
    EvidenceId
);
id_type!(
    /// A note in a comment thread on a claim or a draft.
    NoteId
);
id_type!(
    /// An editor's override of sourcing-rule findings.
    OverrideId
);
id_type!(
    /// An assignment of a claim or a draft to a person.
    AssignmentId
);
id_type!(
    /// An entry in a person's inbox.
    InboxId
);
