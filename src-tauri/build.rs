//! Builds the desktop shell's Tauri context. Our commands are declared to
//! Tauri's access control, so the window may call only those a capability in
//! src-tauri/capabilities/ grants.

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let manifest = tauri_build::AppManifest::new().commands(factdesk_commands());
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/*.json")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}

/// Must match the commands registered in src-tauri/commands.rs.
fn factdesk_commands() -> &'static [&'static str] {
    &[
        "current_desk",
        "open_desk",
        "list_drafts",
        "get_draft",
        "tag_claim",
        "list_claims",
        "set_claim_status",
        "resolve_claim",
        "desk_attention",
        "draft_history",
        "compare_versions",
        "draft_suggestions",
        "accept_suggestion",
        "dismiss_suggestion",
        "reviewer_name",
        "set_reviewer_name",
        "render_report",
        "save_report",
        "list_sources",
        "add_source",
        "update_source",
        "set_source_confidential",
        "reveal_source",
        "link_source",
        "unlink_source",
        "claim_sources",
        "add_evidence",
        "list_evidence",
        "claim_corroboration",
        "claim_opinion",
        "set_opinion",
        "claim_personal_attack",
        "set_personal_attack",
        "list_notes",
        "add_note",
        "edit_note",
        "resolve_note",
        "reopen_note",
        "editor_note",
        "save_editor_note",
        "propose_editor_note",
        "draft_status",
        "set_draft_status",
        "check_draft",
        "sourcing_matrix",
        "claim_history",
        "move_claim",
        "remove_claim",
        "restore_claim",
        "removed_claims",
        "restore_source_link",
        "link_new_source",
        "remove_source",
        "restore_source",
        "remove_evidence",
        "restore_evidence",
        "remove_note",
        "restore_note",
        "restore_suggestion",
        "desk_overview",
        "reopens_when_changed",
        "set_reopens_when_changed",
        "unresolve_claim",
        "search",
        "desk_dashboard",
        "vault_status",
        "unlock_vault",
        "lock_vault",
        "unlock_vault_from_keyring",
        "forget_vault",
        "set_up_vault",
        "set_vault_idle_minutes",
        "reviewer_is_set",
        "back_up_database",
    ]
}
