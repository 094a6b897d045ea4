//! Sources' identities on a team store, held per source by the server (migrations/postgres/0039): the plain row
//! to whom may reveal it, the sealed fields to whom holds the desk's key.

use crate::fixtures::*;
use factdesk_core::rights::Role;
use factdesk_core::sourcing::source::{Confidential, NewSource, SourceKind};
use factdesk_core::store::SourceId;
use factdesk_core::vault::KdfParams;
use secrecy::SecretString;
use std::collections::BTreeSet;

const NAMED: &str = "standards editor role, or to be the editor named as knowing the source";

fn unnamed(descriptor: &str, identity: &str, editor_knows: Option<&str>) -> NewSource {
    NewSource {
        descriptor: descriptor.into(),
        kind: SourceKind::Unnamed,
        notes: String::new(),
        confidential: Some(Confidential {
            identity: Some(identity.into()),
            contact: Some("0100 200".into()),
            editor_knows: editor_knows.map(str::to_owned),
            ..Confidential::default()
        }),
    }
}

/// The plain identities of the desk's sources `login` reads with psql, by source.
fn identities_read(team: &TeamDesk, login: &str) -> BTreeSet<(i64, String)> {
    team.connect(login)
        .query(
            "SELECT c.source_id, c.identity FROM source_confidential c JOIN sources s ON s.id = c.source_id
             WHERE s.desk_id = $1 AND c.identity IS NOT NULL",
            &[&team.desk.id().0],
        )
        .expect("read")
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect()
}

/// What the store's owner reads of a source's plain row: its identity and the editor it names.
fn plain_row(team: &TeamDesk, source: SourceId) -> (Option<String>, Option<String>) {
    let mut owner = postgres::Client::connect(&team.db.url, postgres::NoTls).expect("owner");
    let row = owner
        .query_one("SELECT identity, editor_knows FROM source_confidential WHERE source_id = $1", &[&source.0])
        .expect("the owner reads the row");
    (row.get(0), row.get(1))
}

/// Review session 10, finding 1 (a desk without a vault): an editor of the desk read every identity of its sources
/// with psql, and named themselves on any. Now an editor reads (and changes) only the rows naming them as the editor
/// who knows the source, those with nothing recorded, and the one they wrote last themselves (what they typed); a
/// standards editor reads every one. Factdesk's own paths work for each role as before, and its refusals are the
/// core's: an editor adding a source that names themselves, another editor or none; the named editor handing the
/// source to another; the standards editor. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_an_editor_reads_and_changes_only_the_identities_naming_them() {
    let team = TeamDesk::new();
    let (ed, eve, sue) = (unique("ed"), unique("eve"), unique("sue"));
    let desk = team.desk.id();
    let owner = team.owner_review();
    let for_ed = owner.add_source(desk, &unnamed("a council clerk", "Jane Roe", Some(&ed))).expect("source");
    let for_nobody = owner.add_source(desk, &unnamed("a treasurer", "Ivo Brand", None)).expect("source");
    team.staff(&[(&ed, Role::Editor), (&eve, Role::Editor), (&sue, Role::StandardsEditor)]);

    // Through Factdesk, an editor adds sources naming themselves, another editor, or none; the standards editor
    // one naming the editor.
    let as_eve = team.review_as(&eve);
    let eve_names_herself = as_eve.add_source(desk, &unnamed("a porter", "Al Pine", Some(&eve))).expect("source");
    let eve_names_ed = as_eve.add_source(desk, &unnamed("a driver", "Bea Cole", Some(&ed))).expect("source");
    let eve_names_none = as_eve.add_source(desk, &unnamed("a cook", "Cy Dunn", None)).expect("source");
    let sue_names_eve =
        team.review_as(&sue).add_source(desk, &unnamed("a guard", "Di Eck", Some(&eve))).expect("source");

    let every: BTreeSet<(i64, String)> = [
        (for_ed, "Jane Roe"),
        (for_nobody, "Ivo Brand"),
        (eve_names_herself, "Al Pine"),
        (eve_names_ed, "Bea Cole"),
        (eve_names_none, "Cy Dunn"),
        (sue_names_eve, "Di Eck"),
    ]
    .into_iter()
    .map(|(source, identity)| (source.0, identity.to_owned()))
    .collect();
    let only = |names: &[&str]| -> BTreeSet<(i64, String)> {
        every.iter().filter(|(_, identity)| names.contains(&identity.as_str())).cloned().collect()
    };
    assert_eq!(identities_read(&team, &sue), every, "the standards editor reads every identity");
    // Those naming her, and the ones she typed herself.
    assert_eq!(identities_read(&team, &eve), only(&["Al Pine", "Bea Cole", "Cy Dunn", "Di Eck"]));
    assert_eq!(identities_read(&team, &ed), only(&["Jane Roe", "Bea Cole"]), "those naming him");

    // With psql, eve names herself on a source naming ed, and on one naming nobody: the rows are not hers to change.
    let mut client = team.connect(&eve);
    for source in [for_ed, for_nobody] {
        let changed = client
            .execute("UPDATE source_confidential SET editor_knows = $2 WHERE source_id = $1", &[&source.0, &eve])
            .expect("update");
        assert_eq!(changed, 0, "eve changed source {source:?}'s row");
    }
    assert_eq!(plain_row(&team, for_ed), (Some("Jane Roe".into()), Some(ed.clone())));
    assert_eq!(plain_row(&team, for_nobody), (Some("Ivo Brand".into()), None));

    // Through Factdesk the core refuses first, with its own words, what the server holds too.
    let claim_it = Confidential { editor_knows: Some(eve.clone()), ..Confidential::default() };
    for source in [for_ed, for_nobody, eve_names_ed] {
        refused_naming(as_eve.reveal_source(source), NAMED);
        refused_naming(as_eve.set_confidential(source, &claim_it), NAMED);
    }
    assert_eq!(plain_row(&team, for_nobody), (Some("Ivo Brand".into()), None));
    assert_eq!(as_eve.reveal_source(sue_names_eve).expect("named").identity.as_deref(), Some("Di Eck"));
    let as_ed = team.review_as(&ed);
    assert_eq!(as_ed.reveal_source(eve_names_ed).expect("named").identity.as_deref(), Some("Bea Cole"));
    // The named editor changes their source, and hands it to another editor (then reveals it no more).
    let contact = Confidential { contact: Some("0100 300".into()), ..Confidential::default() };
    as_ed.set_confidential(for_ed, &contact).expect("the named editor changes the contact");
    as_ed.set_confidential(for_ed, &claim_it).expect("the named editor hands the source to eve");
    refused_naming(as_ed.reveal_source(for_ed), NAMED);
    assert_eq!(as_eve.reveal_source(for_ed).expect("now named").contact.as_deref(), Some("0100 300"));
    // The standards editor changes any.
    let sue_review = team.review_as(&sue);
    sue_review.set_confidential(for_nobody, &claim_it).expect("the standards editor names eve");
    assert_eq!(as_eve.reveal_source(for_nobody).expect("now named").identity.as_deref(), Some("Ivo Brand"));
}

/// Review session 10, finding 1 (a desk with a vault): every editor of the desk, holding no key, deleted or
/// overwrote every sealed identity (the ciphertext is the only copy). Now only a holder of the desk's key does,
/// as Factdesk itself only does with the key in hand: sealing a change, rotating the key. An editor named on no
/// source does not set the vault up over identities the server does not show them (the core refuses first); the
/// standards editor does. Always on a real PostgreSQL server, whatever engine the run is for.
#[test]
fn on_a_team_store_only_a_holder_of_the_desks_key_deletes_or_rewrites_its_sealed_identities() {
    let team = TeamDesk::new();
    let (ed, eve, sue) = (unique("ed"), unique("eve"), unique("sue"));
    let desk = team.desk.id();
    let source = team.owner_review().add_source(desk, &unnamed("a council clerk", "Jane Roe", Some(&ed))).expect("src");
    team.staff(&[(&ed, Role::Editor), (&eve, Role::Editor), (&sue, Role::StandardsEditor)]);
    let kdf = KdfParams::DEFAULT;
    let passphrase = SecretString::from("correct horse battery");

    let as_eve = team.review_as(&eve);
    refused_naming(as_eve.init_vault_with(desk, &SecretString::from("eve's own passphrase"), kdf), NAMED);
    assert_eq!(plain_row(&team, source), (Some("Jane Roe".into()), Some(ed.clone())), "nothing sealed, nothing lost");
    let as_sue = team.review_as(&sue);
    as_sue.init_vault_with(desk, &passphrase, kdf).expect("the standards editor sets the vault up");
    let sealed = |team: &TeamDesk| -> Vec<(String, Vec<u8>)> {
        postgres::Client::connect(&team.db.url, postgres::NoTls)
            .expect("owner")
            .query("SELECT field, ciphertext FROM source_sealed WHERE source_id = $1 ORDER BY field", &[&source.0])
            .expect("sealed")
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect()
    };
    let before = sealed(&team);
    assert_eq!(before.len(), 3, "identity, contact and the editor who knows, sealed");

    let mut client = team.connect(&eve);
    let deleted = client.execute("DELETE FROM source_sealed WHERE source_id = $1", &[&source.0]).expect("delete");
    let rewritten = client
        .execute("UPDATE source_sealed SET ciphertext = '\\x00'::bytea WHERE source_id = $1", &[&source.0])
        .expect("update");
    assert_eq!((deleted, rewritten), (0, 0), "an editor without the key deleted or rewrote sealed fields");
    assert_eq!(sealed(&team), before);

    // The holders' own paths: the named editor, given the key, changes the source (its fields sealed again); the
    // standards editor rotates the key (every field re-sealed).
    let own = SecretString::from("the editor's own passphrase");
    as_sue.grant_vault(desk, &ed, &own).expect("the standards editor wraps the key for the named editor");
    let as_ed = team.review_as(&ed);
    as_ed.unlock_vault(desk, &own).expect("the named editor unlocks");
    let contact = Confidential { contact: Some("0100 300".into()), ..Confidential::default() };
    as_ed.set_confidential(source, &contact).expect("the named editor changes the contact");
    as_sue.rotate_vault_key(desk, &passphrase).expect("the standards editor rotates the key");
    let fields = as_sue.reveal_source(source).expect("the standards editor reveals");
    assert_eq!((fields.identity.as_deref(), fields.contact.as_deref()), (Some("Jane Roe"), Some("0100 300")));
}
