//! The vault, sources' identities and the register of sources.

use crate::fixtures::*;
use factdesk_core::review::{ClaimStatus, Review};
use factdesk_core::rights::{RightsError, Role};
use factdesk_core::sourcing::source::SourceRole;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind};
use factdesk_core::sourcing::SourcingError;
use factdesk_core::store::{ClaimId, SourceId};
use factdesk_core::vault::KdfParams;
use secrecy::SecretString;

#[test]
fn only_standards_editors_and_the_named_editor_reveal_an_identity() {
    let team = Team::staffed();
    let sue = team.as_person(&team.standards);
    let unnamed = |editor: &str, identity: &str| NewSource {
        descriptor: "a council official".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential {
            identity: Some(identity.into()),
            editor_knows: Some(editor.into()),
            ..Confidential::default()
        }),
    };
    let named_for_ed = sue.add_source(team.desk, &unnamed(&team.editor, "Ottoline Vasquez")).expect("source");
    let not_for_ed = sue.add_source(team.desk, &unnamed(&team.standards, "Ivo Brand")).expect("source");
    assert_eq!(sue.reveal_source(not_for_ed).expect("standards editor").identity.as_deref(), Some("Ivo Brand"));
    let ed = team.as_person(&team.editor);
    assert_eq!(ed.reveal_source(named_for_ed).expect("named editor").identity.as_deref(), Some("Ottoline Vasquez"));
    refused_naming(
        ed.reveal_source(not_for_ed),
        "standards editor role, or to be the editor named as knowing the source",
    );
    // Naming oneself as the editor who knows someone else's source is refused: it would reveal it next.
    let claim_it = Confidential { editor_knows: Some(team.editor.clone()), ..Confidential::default() };
    refused_naming(
        ed.set_confidential(not_for_ed, &claim_it),
        "standards editor role, or to be the editor named as knowing the source",
    );
    refused_naming(
        ed.reveal_source(not_for_ed),
        "standards editor role, or to be the editor named as knowing the source",
    );
    for name in [&team.reporter, &team.lawyer, &ADMIN.to_owned()] {
        let err = team.as_person(name).reveal_source(named_for_ed).expect_err("refused").to_string();
        assert!(err.contains("needs the standards editor role") && !err.contains("Ottoline"), "{err}");
    }
    // Everyone's register shows which fields are recorded, never what they hold.
    let listed = team.as_person(&team.reporter).sources(team.desk).expect("a reporter lists the register");
    assert!(listed.iter().all(|source| source.confidential.identity && source.confidential.editor_knows));
    // Recording an identity is the standards editor's and editors' too.
    let bo = team.as_person(&team.reporter);
    refused_naming(bo.add_source(team.desk, &unnamed(&team.reporter, "Someone")), "standards editor role");
    bo.add_source(team.desk, &NewSource { confidential: None, ..unnamed("", "") })
        .expect("a reporter adds a source by descriptor");
}

#[test]
fn only_standards_editors_and_the_named_editor_unlock_the_vault() {
    let team = Team::staffed();
    let sue = team.as_person(&team.standards);
    let kdf = KdfParams::DEFAULT;
    let passphrase = SecretString::from("correct horse battery");
    sue.init_vault_with(team.desk, &passphrase, kdf).expect("vault");
    for name in [&team.reporter, &team.lawyer, &ADMIN.to_owned()] {
        let err = team.as_person(name).unlock_vault(team.desk, &passphrase).expect_err("refused");
        assert!(matches!(err, SourcingError::Rights(RightsError::Refused(_))), "{err}");
        // The named editor may too (only one a source names): "or editor role" would send any editor to try.
        assert!(
            err.to_string().contains(
                "may not unlock the vault here: it needs the standards editor role, or to be the editor named as \
                 knowing one of the desk's sources"
            ),
            "{err}"
        );
    }
    // Refused as setting the vault up (what was tried), not as unlocking it, even with one there already.
    let Err(err) = team.as_person(&team.reporter).init_vault_with(team.desk, &passphrase, kdf) else {
        panic!("a reporter set a vault up")
    };
    assert!(
        err.to_string()
            .contains("(reporter) may not set up the vault here: it needs the standards editor or editor role"),
        "{err}"
    );
    // An editor unlocks only once a source names them as the editor who knows it.
    let ed = team.as_person(&team.editor);
    refused_naming(
        ed.unlock_vault(team.desk, &passphrase),
        "standards editor role, or to be the editor named as knowing one of the desk's sources",
    );
    assert!(!ed.is_vault_unlocked(team.desk), "the key is dropped on a refusal");
    sue.add_source(
        team.desk,
        &NewSource {
            descriptor: "a council official".into(),
            kind: SourceKind::Unnamed,
            notes: String::new(),
            confidential: Some(Confidential { editor_knows: Some(team.editor.clone()), ..Confidential::default() }),
        },
    )
    .expect("a source naming the editor");
    // Named, but the desk key is wrapped only for whom a holder gave it: not yet for the editor.
    refused_naming(
        ed.unlock_vault(team.desk, &passphrase),
        "standards editor role, or to be the editor named as knowing one of the desk's sources",
    );
    let own = SecretString::from("the editor's own passphrase");
    sue.grant_vault(team.desk, &team.editor, &own).expect("the standards editor wraps the key for the editor");
    ed.unlock_vault(team.desk, &own).expect("the named editor unlocks with their own passphrase");
    sue.unlock_vault(team.desk, &passphrase).expect("the standards editor unlocks");
}

/// Security review after 0021, finding 1: deleting a vault's row (or a source) cascaded as the tables' owner past
/// every rule, taking every wrapping of the desk's key, the recovery key's too, or a source's sealed identity and
/// its links to claims the login may not see. Factdesk never deletes those rows (0022): the server refuses it; a
/// vault's generation is changed only by whom may give its key, and sealed fields only on one's own desk.
#[test]
fn on_a_team_store_no_group_deletes_a_vault_a_source_or_what_cascades_from_them() {
    let trail = TeamTrail::new();
    // A standards editor sets the vault up and holds its key; the editor holds no wrapping of it.
    let standards = unique("sue");
    owner_adds(&trail.owner, trail.desk, &[(&standards, Role::StandardsEditor)]);
    let passphrase = SecretString::from("correct horse battery");
    let holder = trail.as_login(&standards);
    holder.init_vault_with(trail.desk, &passphrase, KdfParams::DEFAULT).expect("vault");
    let mut editor = connect_as(&trail, &trail.editor);
    for sql in [
        "DELETE FROM vaults",
        "UPDATE vaults SET created_by = 'ed'",
        "DELETE FROM sources",
        "DELETE FROM claim_sources",
        "DELETE FROM source_confidential",
    ] {
        denied(&mut editor, sql);
    }
    let mut reporter = connect_as(&trail, &trail.reporter);
    for sql in ["DELETE FROM sources", "DELETE FROM claim_sources", "DELETE FROM vaults"] {
        denied(&mut reporter, sql);
    }
    // The editor holds no wrapping of this vault's key: a new generation would lock every holder out.
    let moved = editor
        .execute("UPDATE vaults SET generation = generation + 1 WHERE desk_id = $1", &[&trail.desk.0])
        .expect("update");
    assert_eq!(moved, 0, "an editor without the key changed the vault's generation");
    // The holder's Factdesk still rotates the key (a new generation, after its wrappings were forgotten).
    holder.rotate_vault_key(trail.desk, &passphrase).expect("the holder rotates the key");
    let generation: i64 = editor
        .query_one("SELECT generation FROM vaults WHERE desk_id = $1", &[&trail.desk.0])
        .expect("generation")
        .get(0);
    assert_eq!(generation, 2);

    // Another desk's sealed fields, which this editor is not on.
    let mut superuser = postgres::Client::connect(&trail.db.url, postgres::NoTls).expect("superuser");
    let other_desk: i64 = superuser
        .query_one("INSERT INTO desks (path, created_at, last_opened_at) VALUES ('/other', 'x', 'x') RETURNING id", &[])
        .expect("desk")
        .get(0);
    superuser
        .execute(
            "INSERT INTO people (desk_id, name, role, added_by, added_at) VALUES ($1, 'zoe', 'standards-editor', 'x', 'x')",
            &[&other_desk],
        )
        .expect("person");
    let source: i64 = superuser
        .query_one(
            "INSERT INTO sources (desk_id, descriptor, kind, created_by, created_at, updated_by, updated_at)
             VALUES ($1, 'a clerk', 'unnamed', 'zoe', 'x', 'zoe', 'x') RETURNING id",
            &[&other_desk],
        )
        .expect("source")
        .get(0);
    superuser
        .execute(
            "INSERT INTO source_sealed (source_id, field, nonce, ciphertext)
             VALUES ($1, 'identity', decode(repeat('00', 24), 'hex'), '\\x01')",
            &[&source],
        )
        .expect("sealed");
    let gone = editor.execute("DELETE FROM source_sealed WHERE source_id = $1", &[&source]).expect("delete");
    assert_eq!(gone, 0, "an editor deleted another desk's sealed identity");
    let gone = editor
        .execute("UPDATE source_sealed SET ciphertext = '\\x02' WHERE source_id = $1", &[&source])
        .expect("update");
    assert_eq!(gone, 0, "an editor rewrote another desk's sealed identity");
}

/// A team desk whose editor, `ed`, tags a claim on each reporter's draft and cites one source, "a council clerk",
/// on both (attributed on bo's, corroborating on cy's).
struct CitedOnBothDrafts {
    team: TeamDesk,
    ed: String,
    editor: Review,
    own_claim: ClaimId,
    others_claim: ClaimId,
    source: SourceId,
}

fn a_source_cited_on_both_reporters_drafts() -> CitedOnBothDrafts {
    let team = TeamDesk::new();
    let ed = unique("ed");
    team.staff(&[(&ed, Role::Editor)]);
    let editor = team.review_as(&ed);
    let own_claim = editor.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let others_claim = editor.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let clerk = NewSource {
        descriptor: "a council clerk".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: None,
    };
    let source = editor.add_source(team.desk.id(), &clerk).expect("source");
    editor.link_source(own_claim, source, SourceRole::Attributed).expect("link");
    editor.link_source(others_claim, source, SourceRole::Corroborates).expect("link");
    CitedOnBothDrafts { team, ed, editor, own_claim, others_claim, source }
}

/// Issue 13, left by the last session: a source's removal and restore entries listed the claims its links went
/// from and came back to, another reporter's among them, in entries about the source that every login reads. Each
/// such link now has its own entry about its claim (`claim.unlink` / `claim.link-restore`, `with` the source),
/// which the server holds to those who may see that claim; the source's entries name no claim, and undoing the
/// removal, each claim's history and `audit verify` work as before, for the editor and for the reporter.
/// Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_a_sources_removal_tells_a_reporter_nothing_of_the_claims_they_may_not_see() {
    let CitedOnBothDrafts { team, ed, editor, own_claim, others_claim, source } =
        a_source_cited_on_both_reporters_drafts();
    editor.remove_source(source, true).expect("remove with its links");
    editor.restore_source(source).expect("and undo it");
    assert_eq!(editor.claim_sources(others_claim).expect("links").len(), 1, "the link came back with the source");

    let reporter = team.review_as(&team.bo);
    let trail = reporter.audit_trail(None).expect("the trail the reporter reads");
    let hidden = others_claim.0.to_string();
    for entry in &trail {
        let side = |side: &Option<String>| side.clone().unwrap_or_default();
        let text = format!("{} {} {}", entry.entity, side(&entry.before), side(&entry.after));
        assert!(
            !text.contains(&format!("claim:{hidden}")) && !text.contains(&format!("\"claim\":{hidden}")),
            "entry {} ({}) names the other reporter's claim: {text}",
            entry.seq,
            entry.action
        );
    }
    let source_entity = format!("source:{}", source.0);
    let about_source: Vec<&str> =
        trail.iter().filter(|e| e.entity == source_entity).map(|e| e.action.as_str()).collect();
    assert_eq!(about_source, ["source.add", "source.remove", "source.restore"], "the register's entries");
    let history: Vec<String> = factdesk_core::audit_labels::claim_changes(&reporter, own_claim)
        .expect("their own claim's history")
        .into_iter()
        .map(|change| change.sentence)
        .collect();
    assert_eq!(
        history[history.len() - 2..],
        [
            format!("Link to a council clerk removed with the source by {ed}"),
            format!("Link to a council clerk restored with the source by {ed}")
        ],
        "{history:?}"
    );
    let others_history: Vec<String> = factdesk_core::audit_labels::claim_changes(&editor, others_claim)
        .expect("history")
        .into_iter()
        .map(|c| c.action)
        .collect();
    assert_eq!(others_history[others_history.len() - 2..], ["claim.unlink", "claim.link-restore"]);
    for (who, review) in [("editor", &editor), ("reporter", &reporter)] {
        let report = review.verify_audit().expect("verify");
        assert!(report.is_intact(), "{who}: {report:?}");
    }
}

/// Review session 8, finding 2 (its first half): `source_confidential` was read by every editor's and standards
/// editor's login, whatever desk they are on, so an editor of one desk read the plain identity and contact of
/// every unnamed source of every other desk of the server (a desk without a vault). Now (0028) a login reads a
/// source's confidential row only where it may record it: as an editor or standards editor of the source's desk.
/// The register's "which fields are recorded" (the view) and Factdesk's reveal work as before for the desk's
/// own people. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_an_editor_of_one_desk_reads_no_identity_of_another_desks_sources() {
    let team = TeamDesk::new();
    let (ed, sue, xed, xsue) = (unique("ed"), unique("sue"), unique("xed"), unique("xsue"));
    let secret = "Jane Roe, deputy clerk";
    let unnamed = NewSource {
        descriptor: "a council clerk".into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential {
            identity: Some(secret.into()),
            contact: Some("0100 200".into()),
            editor_knows: Some(ed.clone()),
            ..Confidential::default()
        }),
    };
    let source = team.owner_review().add_source(team.desk.id(), &unnamed).expect("source");
    team.staff(&[(&ed, Role::Editor), (&sue, Role::StandardsEditor)]);
    // An editor and a standards editor of another desk of the server only.
    let (_other_tmp, _other, _other_draft) =
        another_desk(&team, &[(&xed, Role::Editor), (&xsue, Role::StandardsEditor)]);

    let identities_read = |login: &str| -> Vec<Option<String>> {
        team.connect(login)
            .query(
                "SELECT c.identity FROM source_confidential c JOIN sources s ON s.id = c.source_id
                 WHERE s.desk_id = $1",
                &[&team.desk.id().0],
            )
            .expect("read")
            .iter()
            .map(|row| row.get(0))
            .collect()
    };
    for login in [&xed, &xsue] {
        assert_eq!(identities_read(login), Vec::<Option<String>>::new(), "{login} read another desk's identities");
    }
    assert_eq!(identities_read(&ed), vec![Some(secret.to_owned())]);
    assert_eq!(identities_read(&sue), vec![Some(secret.to_owned())]);
    // Factdesk's own reads on the source's desk: the named editor and the standards editor reveal it; the
    // register tells the reporter an identity is recorded (never what).
    assert_eq!(team.review_as(&ed).reveal_source(source).expect("reveal").identity.as_deref(), Some(secret));
    assert_eq!(team.review_as(&sue).reveal_source(source).expect("reveal").contact.as_deref(), Some("0100 200"));
    let seen_by_reporter = team.review_as(&team.bo).source(source).expect("the register");
    assert!(seen_by_reporter.confidential.identity && seen_by_reporter.confidential.contact);
    assert!(team.review_as(&xsue).reveal_source(source).is_err(), "another desk's standards editor reveals nothing");
}

/// Security review session 8, finding 5: a reporter's "in use" check counted only the links it sees, so it
/// removed a source other reporters' claims cite. The server refuses the removal while any live claim cites the
/// source (counted as the tables' owner), and Factdesk says so before trying, with counts and no ids; with its
/// links, a reporter cannot unlink claims it does not see either. The reporter who sees every citing claim does.
#[test]
fn on_a_team_store_a_reporter_cannot_remove_a_source_cited_by_claims_they_cannot_see() {
    let team = TeamDesk::new();
    let review = team.owner_review();
    let own_claim = review.add_claim(team.own, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let others_claim = review.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    let source = council_source(&team);
    review.link_source(own_claim, source, SourceRole::Attributed).expect("link own");
    review.link_source(others_claim, source, SourceRole::Attributed).expect("link other's");
    team.staff(&[]);
    let bo = team.review_as(&team.bo);

    for with_links in [false, true] {
        let refused = bo.remove_source(source, with_links).expect_err("cited by a claim bo does not see");
        let message = refused.to_string();
        assert!(message.contains("cited by 2 claims, 1 of which you may not see"), "{message}");
        assert!(!message.contains(&format!("claim {others_claim}")), "no id of a hidden claim: {message}");
    }
    // Straight at the tables, as with psql: refused by the server, with counts and no ids.
    let mut reporter = team.connect(&team.bo);
    let error = reporter
        .execute("UPDATE sources SET removed_at = 'x', removed_by = 'x' WHERE id = $1", &[&source.0])
        .expect_err("the server refuses the removal");
    assert_eq!(sqlstate(&error), Some("23001"), "{error}");
    let message = error.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("cited by 2 claims, 1 of which you may not see"), "{message}");
    reporter
        .execute(
            "UPDATE claim_sources SET removed_at = 'x', removed_by = 'x' WHERE source_id = $1 AND claim_id = $2",
            &[&source.0, &own_claim.0],
        )
        .expect("bo unlinks their own claim");
    let error = reporter
        .execute("UPDATE sources SET removed_at = 'x', removed_by = 'x' WHERE id = $1", &[&source.0])
        .expect_err("still cited by the other reporter's claim");
    assert_eq!(sqlstate(&error), Some("23001"), "{error}");
    let message = error.as_db_error().map(|e| e.message().to_owned()).unwrap_or_default();
    assert!(message.contains("cited by 1 claim, 1 of which you may not see"), "{message}");
    reporter
        .execute("UPDATE claim_sources SET removed_at = NULL, removed_by = NULL WHERE claim_id = $1", &[&own_claim.0])
        .expect("bo links their claim again");
    let live: i64 = team
        .connect(&team.cy)
        .query_one("SELECT count(*) FROM sources WHERE id = $1 AND removed_at IS NULL", &[&source.0])
        .expect("source")
        .get(0);
    assert_eq!(live, 1, "the source is still on the register");

    // The other reporter sees only their own citing claim too: refused the same way.
    let cy = team.review_as(&team.cy);
    let refused = cy.remove_source(source, true).expect_err("bo's claim is hidden from cy");
    assert!(refused.to_string().contains("cited by 2 claims, 1 of which you may not see"), "{refused}");
    // Once bo's claim no longer cites it, cy removes it with their link.
    bo.unlink_source(own_claim, source).expect("bo unlinks");
    let refused = cy.remove_source(source, false).expect_err("cy's own claim cites it");
    assert!(matches!(refused, SourcingError::SourceInUse { .. }), "{refused:?}");
    cy.remove_source(source, true).expect("cy sees every citing claim");
}

/// Issue 13, left by the last session: a source removed with its links by an editor and restored by a reporter came
/// back with the links the reporter sees only (the server's row security held the restore's UPDATE to their own
/// claims): another reporter's claim stayed unlinked from a source that was back on the register. The restore now
/// brings back every link the removal took (`factdesk_restore_links_removed_with_source`, migrations/postgres/0034,
/// as the tables' owner, recording each link's entry about its claim as the restorer), and tells the reporter
/// nothing of which claims: their restore, their trail and their view show only their own. Always on a real
/// PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_a_reporter_restoring_a_source_brings_back_every_link_its_removal_took() {
    let CitedOnBothDrafts { team, editor, own_claim, others_claim, source, .. } =
        a_source_cited_on_both_reporters_drafts();
    // A link unlinked on its own before stays unlinked: only what the removal took comes back.
    let unlinked_claim = editor.add_claim(team.others, &quote(), ClaimStatus::NeedsCorroboration).expect("claim");
    editor.link_source(unlinked_claim, source, SourceRole::Attributed).expect("link");
    editor.unlink_source(unlinked_claim, source).expect("unlinked on its own");
    editor.remove_source(source, true).expect("the editor removes it with its links");

    let reporter = team.review_as(&team.bo);
    let view = reporter.restore_source(source).expect("the reporter restores it");
    assert_eq!(view.id, source);
    assert_eq!(reporter.claim_sources(own_claim).expect("links").len(), 1, "their own claim's link is back");
    let mut superuser = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("superuser");
    let live: Vec<(i64, String)> = superuser
        .query(
            "SELECT claim_id, role FROM claim_sources WHERE source_id = $1 AND removed_at IS NULL ORDER BY claim_id",
            &[&source.0],
        )
        .expect("links")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(
        live,
        [(own_claim.0, "attributed".to_owned()), (others_claim.0, "corroborates".to_owned())],
        "every link the removal took is back, the other reporter's claim's too, and no other"
    );
    let removed_with: i64 = superuser
        .query_one("SELECT count(*) FROM claim_sources WHERE removed_with IS NOT NULL", &[])
        .expect("count")
        .get(0);
    assert_eq!(removed_with, 0);
    assert_eq!(editor.claim_sources(others_claim).expect("links").len(), 1, "the editor sees it linked again");

    // The reporter is told nothing of the other claim: not in their trail, yet the trail records its link's restore,
    // in the reporter's name, about that claim.
    let hidden = others_claim.0.to_string();
    for entry in reporter.audit_trail(None).expect("the reporter's trail") {
        let side = |side: &Option<String>| side.clone().unwrap_or_default();
        let text = format!("{} {} {}", entry.entity, side(&entry.before), side(&entry.after));
        assert!(!text.contains(&format!("claim:{hidden}")), "entry {} names the other claim: {text}", entry.seq);
    }
    let restored: Vec<(String, String)> = editor
        .audit_trail(Some(&format!("claim:{hidden}")))
        .expect("the editor's view of that claim's trail")
        .into_iter()
        .map(|entry| (entry.action, entry.actor))
        .collect();
    assert_eq!(restored.last(), Some(&("claim.link-restore".to_owned(), team.bo.clone())), "{restored:?}");
    let history: Vec<String> = factdesk_core::audit_labels::claim_changes(&editor, others_claim)
        .expect("history")
        .into_iter()
        .map(|change| change.sentence)
        .collect();
    assert_eq!(
        history.last(),
        Some(&format!("Link to a council clerk restored with the source by {}", team.bo)),
        "{history:?}"
    );
    for (who, review) in [("editor", &editor), ("reporter", &reporter), ("owner", &team.owner_review())] {
        let report = review.verify_audit().expect("verify");
        assert!(report.is_intact(), "{who}: {report:?}");
    }

    // Only a login that may restore the source has the server bring its links back; a live source is not "restored"
    // again by calling the function.
    let mut other_reporter = team.connect(&team.cy);
    other_reporter
        .execute("SELECT factdesk_restore_links_removed_with_source($1, 'x')", &[&source.0])
        .expect("a live source: nothing to bring back");
    // It answers nothing: not even how many claims (some hidden from the caller) it brought back.
    let answers: String = superuser
        .query_one(
            "SELECT prorettype::regtype::text FROM pg_proc WHERE proname = 'factdesk_restore_links_removed_with_source'",
            &[],
        )
        .expect("the function")
        .get(0);
    assert_eq!(answers, "void");
    editor.remove_source(source, true).expect("removed again");
    let lawyer = unique("lou");
    owner_adds(&team.owner, team.desk.id(), &[(&lawyer, Role::Lawyer)]);
    let mut lawyers = team.connect(&lawyer);
    let refused = lawyers
        .query_one("SELECT factdesk_restore_links_removed_with_source($1, 'x')", &[&source.0])
        .expect_err("a removed source's links, by a lawyer");
    assert_eq!(sqlstate(&refused), Some("42501"), "{refused}");
    // Nor any other login of the server that may connect, in no Factdesk group and with no right on the tables.
    let stranger = unique("stranger");
    superuser.batch_execute(&format!("CREATE ROLE \"{stranger}\" LOGIN")).expect("a bare login");
    let refused = team
        .connect(&stranger)
        .execute("SELECT factdesk_restore_links_removed_with_source($1, 'x')", &[&source.0])
        .expect_err("a removed source's links, by a login with no right on the tables");
    assert_eq!(sqlstate(&refused), Some("42501"), "{refused}");
    let still_removed: i64 = superuser
        .query_one("SELECT count(*) FROM claim_sources WHERE source_id = $1 AND removed_at IS NULL", &[&source.0])
        .expect("count")
        .get(0);
    assert_eq!(still_removed, 0, "nothing brought back by the lawyer's call");
}
