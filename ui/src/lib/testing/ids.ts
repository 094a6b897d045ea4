// IDs for tests and fakes. The window takes every ID from the core's answers: the generated bindings
// brand each kind (a DraftId is not a ClaimId, and a bare number is neither), so production code has no
// way to make one. A test or a fake stands in for the core, so it makes them here, in one place.

import type { AssignmentId, ClaimId, DeskId, DraftId, EvidenceId, InboxId, NoteId, OverrideId, SourceId, VersionId } from "$lib/ipc";

export const assignmentId = (id: number) => id as AssignmentId;
export const claimId = (id: number) => id as ClaimId;
export const deskId = (id: number) => id as DeskId;
export const draftId = (id: number) => id as DraftId;
export const evidenceId = (id: number) => id as EvidenceId;
export const inboxId = (id: number) => id as InboxId;
export const noteId = (id: number) => id as NoteId;
export const overrideId = (id: number) => id as OverrideId;
export const sourceId = (id: number) => id as SourceId;
export const versionId = (id: number) => id as VersionId;
