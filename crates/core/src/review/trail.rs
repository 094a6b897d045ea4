//! The review's audit trail: reading it, a claim's history, checking the chain.

use super::Review;
use crate::audit::{AuditEntry, AuditReport};
use crate::store::{ClaimId, StoreError};

impl Review {
    /// The audit trail, oldest first; only the entries about `entity` (e.g. `claim:3`) when given.
    pub fn audit_trail(&self, entity: Option<&str>) -> Result<Vec<AuditEntry>, StoreError> {
        crate::audit::entries(&crate::store::lock(self.store()), entity)
    }

    /// A claim's history (see [`crate::audit::claim_history`]).
    pub fn claim_history(&self, claim: ClaimId) -> Result<Vec<AuditEntry>, StoreError> {
        crate::audit::claim_history(&crate::store::lock(self.store()), claim)
    }

    /// Checks the whole audit trail's chain.
    pub fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        crate::audit::verify(&crate::store::lock(self.store()))
    }
}
