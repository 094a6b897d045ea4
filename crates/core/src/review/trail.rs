//! The review's audit trail: reading it, a claim's history, checking the chain.

use super::{Review, ReviewError};
use crate::audit::{AuditEntry, AuditReport};
use crate::store::{ClaimId, StoreError};

impl Review {
    /// The audit trail, oldest first; only the entries about `entity` (e.g. `claim:3`) when given.
    pub fn audit_trail(&self, entity: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
        crate::audit::entries(&crate::store::lock(self.store()), entity)
    }

    /// A claim's history (see [`crate::audit::claim_history`]), for whom may see the claim.
    pub fn claim_history(&self, claim: ClaimId) -> Result<Vec<AuditEntry>, ReviewError> {
        let store = crate::store::lock(self.store());
        // A claim the login may not see is not there for it on a team store (row-level security): not found.
        let draft = store.claim(claim)?.ok_or(ReviewError::ClaimNotFound(claim))?.draft_id;
        self.require_on_draft(&store, draft, crate::rights::Action::ReadClaims)?;
        Ok(crate::audit::claim_history(&store, claim)?)
    }

    /// Checks the whole audit trail's chain.
    pub fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        crate::audit::verify(&crate::store::lock(self.store()))
    }
}
