//! The suggestion engine against hand-labelled drafts (the shared fixtures and our own set), scored
//! exactly as `shared/tools/eval_suggest.py` scores the `factdesk suggest --json` output, plus one test
//! per attribution phrasing family.

use factdesk_core::ingest::read_draft;
use factdesk_core::suggest::{profile, suggest, AttributionKind, Suggestion};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------------
// Canonical text, exactly as the app and the CLI get it.

fn canonical_text(path: &Path) -> String {
    let draft = read_draft(path);
    draft.content.unwrap_or_else(|| panic!("{} did not ingest: {:?}", path.display(), draft.reason)).text
}

// ---------------------------------------------------------------------------------------------------
// The judge's matching, as in eval_suggest.py.

fn fold(s: &str) -> String {
    let s = s.replace('\u{2019}', "'").replace(['\u{201c}', '\u{201d}'], "\"");
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn shares(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a.contains(&b) || b.contains(&a) {
        return true;
    }
    let (short, long) = if a.chars().count() < b.chars().count() { (a, b) } else { (b, a) };
    let chars: Vec<char> = short.chars().collect();
    let n = 24;
    let windows = chars.len().saturating_sub(n) + 1;
    (0..windows.max(1)).any(|i| {
        let window: String = chars[i..(i + n).min(chars.len())].iter().collect();
        long.contains(&window)
    })
}

#[derive(serde::Deserialize)]
struct Label {
    key: String,
    level: String,
    attribution: String,
}

#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    req: usize,
    req_hit: usize,
    sugg: usize,
    sugg_ok: usize,
    anon: usize,
    anon_hit: usize,
    anon_flag: usize,
    anon_flag_ok: usize,
}

impl Tally {
    fn ratio(a: usize, b: usize) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let r = a as f64 / b.max(1) as f64;
        r
    }
    fn recall(&self) -> f64 {
        Self::ratio(self.req_hit, self.req)
    }
    fn precision(&self) -> f64 {
        Self::ratio(self.sugg_ok, self.sugg)
    }
    fn anon_recall(&self) -> f64 {
        Self::ratio(self.anon_hit, self.anon)
    }
    fn anon_precision(&self) -> f64 {
        Self::ratio(self.anon_flag_ok, self.anon_flag)
    }
}

fn kind_name(kind: AttributionKind) -> &'static str {
    match kind {
        AttributionKind::Anonymous => "anonymous",
        AttributionKind::Named => "named",
        AttributionKind::Document => "document",
        AttributionKind::None => "none",
    }
}

fn evaluate(set: &str, labels: &Path, drafts: &Path) -> Tally {
    let labels: BTreeMap<String, Vec<Label>> =
        serde_json::from_str(&std::fs::read_to_string(labels).expect("labels readable")).expect("labels parse");
    let mut t = Tally::default();
    for (name, claims) in &labels {
        let text = canonical_text(&drafts.join(name));
        let got = suggest(&text);
        let sugg: Vec<(&str, &str)> = got.iter().map(|s| (s.quote.as_str(), kind_name(s.attribution.kind))).collect();
        if std::env::var_os("SUGGEST_DEBUG").is_some() {
            for s in &got {
                println!(
                    "  {:.2} {:?} {:?} {:?} | {}",
                    s.score, s.attribution.kind, s.attribution.cue, s.reasons, s.quote
                );
            }
        }
        let req: Vec<&Label> = claims.iter().filter(|c| c.level == "required").collect();
        let hit: Vec<&&Label> = req.iter().filter(|c| sugg.iter().any(|(q, _)| shares(&c.key, q))).collect();
        let ok: Vec<&str> =
            sugg.iter().filter(|(q, _)| claims.iter().any(|c| shares(&c.key, q))).map(|(q, _)| *q).collect();
        let anon: Vec<&&Label> = req.iter().filter(|c| c.attribution == "anonymous").collect();
        let anon_hit = anon.iter().filter(|c| sugg.iter().any(|(q, k)| *k == "anonymous" && shares(&c.key, q))).count();
        let flagged: Vec<&str> = sugg.iter().filter(|(_, k)| *k == "anonymous").map(|(q, _)| *q).collect();
        let flagged_ok =
            flagged.iter().filter(|q| claims.iter().any(|c| c.attribution == "anonymous" && shares(&c.key, q))).count();
        t.req += req.len();
        t.req_hit += hit.len();
        t.sugg += sugg.len();
        t.sugg_ok += ok.len();
        t.anon += anon.len();
        t.anon_hit += anon_hit;
        t.anon_flag += flagged.len();
        t.anon_flag_ok += flagged_ok;
        println!(
            "[{set}] {name}: recall {}/{} precision {}/{} anon {}/{} anon flags ok {}/{}",
            hit.len(),
            req.len(),
            ok.len(),
            sugg.len(),
            anon_hit,
            anon.len(),
            flagged_ok,
            flagged.len()
        );
        for c in &req {
            if !hit.iter().any(|h| std::ptr::eq(**h, *c)) {
                println!("    missed: {}", c.key);
            }
        }
        for (q, k) in &sugg {
            if !ok.contains(q) {
                println!("    extra ({k}): {q}");
            }
        }
        for c in &anon {
            if !sugg.iter().any(|(q, k)| *k == "anonymous" && shares(&c.key, q)) {
                println!("    anonymous not flagged: {}", c.key);
            }
        }
        for q in &flagged {
            if !claims.iter().any(|c| c.attribution == "anonymous" && shares(&c.key, q)) {
                println!("    flagged anonymous wrongly: {q}");
            }
        }
    }
    println!(
        "[{set}] claims recall {:.2} precision {:.2}; anonymous-sourcing recall {:.2} precision {:.2}",
        t.recall(),
        t.precision(),
        t.anon_recall(),
        t.anon_precision()
    );
    t
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared fixtures live beside the repository (`../shared`), not in it.
#[test]
fn scores_on_the_shared_fixtures() {
    let fixtures = manifest().join("../../../shared/fixtures");
    if !fixtures.join("claims.json").exists() {
        println!("shared fixtures not found at {}; skipped", fixtures.display());
        return;
    }
    let t = evaluate("shared", &fixtures.join("claims.json"), &fixtures.join("drafts"));
    // Floors a little under what the engine achieves, so a regression fails.
    assert!(t.recall() >= 0.90, "recall {:.2}", t.recall());
    assert!(t.precision() >= 0.90, "precision {:.2}", t.precision());
    assert!(t.anon_recall() >= 0.85, "anonymous recall {:.2}", t.anon_recall());
    assert!(t.anon_precision() >= 0.85, "anonymous precision {:.2}", t.anon_precision());
}

#[test]
fn scores_on_our_own_labelled_drafts() {
    let dir = manifest().join("tests/fixtures/suggest");
    let t = evaluate("own", &dir.join("labels.json"), &dir);
    assert!(t.recall() >= 0.90, "recall {:.2}", t.recall());
    assert!(t.precision() >= 0.90, "precision {:.2}", t.precision());
    assert!(t.anon_recall() >= 0.85, "anonymous recall {:.2}", t.anon_recall());
    assert!(t.anon_precision() >= 0.85, "anonymous precision {:.2}", t.anon_precision());
}

/// Harder copy (issue 18): wire copy with nested attribution, hard-wrapped emailed copy, CMS HTML with
/// figures, captions and related links, a Markdown feature with long quotes, a Q&A transcript, a live
/// blog, an opinion column, diplomacy, courts and science; the floors are issue 18's goals. The engine
/// was tuned on `tuning/`. `held-out/` was written and labelled before any tuning and only its totals
/// were meant to be looked at (a few of its per-draft lines were seen by mistake while tuning).
fn hard_set(part: &str) -> Tally {
    let dir = manifest().join("tests/fixtures/suggest-hard").join(part);
    evaluate(&format!("hard {part}"), &dir.join("labels.json"), &dir)
}

#[test]
fn scores_on_the_hard_styles_tuning_set() {
    let t = hard_set("tuning");
    assert!(t.recall() >= 0.95, "recall {:.2}", t.recall());
    assert!(t.precision() >= 0.95, "precision {:.2}", t.precision());
    assert!(t.anon_recall() >= 0.90, "anonymous recall {:.2}", t.anon_recall());
    assert!(t.anon_precision() >= 0.90, "anonymous precision {:.2}", t.anon_precision());
}

/// Written after the tuning was done and scored once (recall 0.97, precision 0.90, anonymous 1.00 and
/// 1.00); the four mistakes it showed were then fixed, so it is no longer unseen.
#[test]
fn scores_on_the_hard_styles_second_held_out_set() {
    let t = hard_set("held-out-2");
    assert!(t.recall() >= 0.95, "recall {:.2}", t.recall());
    assert!(t.precision() >= 0.95, "precision {:.2}", t.precision());
    assert!(t.anon_recall() >= 0.90, "anonymous recall {:.2}", t.anon_recall());
    assert!(t.anon_precision() >= 0.90, "anonymous precision {:.2}", t.anon_precision());
}

#[test]
fn scores_on_the_hard_styles_held_out_set() {
    let t = hard_set("held-out");
    assert!(t.recall() >= 0.95, "recall {:.2}", t.recall());
    assert!(t.precision() >= 0.95, "precision {:.2}", t.precision());
    assert!(t.anon_recall() >= 0.90, "anonymous recall {:.2}", t.anon_recall());
    assert!(t.anon_precision() >= 0.90, "anonymous precision {:.2}", t.anon_precision());
}

// ---------------------------------------------------------------------------------------------------
// Attribution phrasing families. Each draft opens with a headline, as drafts do.

fn only(text: &str) -> Suggestion {
    let body = format!("Headline\n\n{text}");
    let mut got = suggest(&body);
    assert_eq!(got.len(), 1, "expected one suggestion for {text:?}, got {got:#?}");
    got.remove(0)
}

fn assert_kind(text: &str, kind: AttributionKind) {
    let s = only(text);
    assert_eq!(s.attribution.kind, kind, "{text:?}: {s:#?}");
    if kind == AttributionKind::None {
        assert_eq!(s.attribution.cue, None);
    } else {
        assert!(s.attribution.cue.is_some(), "{text:?} has no cue");
    }
}

#[test]
fn anonymous_sources_say_and_tell() {
    for text in [
        "Sources tell the Post that Taliban leaders meet at the Chinese embassy every day.",
        "Sources in Kabul also say that the minister met the envoy on Sunday.",
        "Two sources said the company lost $40 million in the third quarter.",
    ] {
        assert_kind(text, AttributionKind::Anonymous);
    }
}

#[test]
fn anonymous_according_to_sources_and_information() {
    for text in [
        "Additionally, according to sources, the government is providing technological support for the agency.",
        "According to information provided to the Post, the delegation met on Sunday, September 26, 2021.",
        "The board met on Sunday to discuss the proposal, according to one person close to the board.",
        "The council received 14 bids, according to two officials briefed on the process.",
    ] {
        assert_kind(text, AttributionKind::Anonymous);
    }
}

#[test]
fn anonymous_people_familiar_with() {
    for text in [
        "The two hospitals are in talks to merge in a $6 billion deal, people familiar with the negotiations said.",
        "A district employee familiar with the contracts said several consultants were former administrators.",
        "Executives with direct knowledge of the plan said the company would sell the unit for $400 million.",
    ] {
        assert_kind(text, AttributionKind::Anonymous);
    }
}

#[test]
fn anonymous_condition_of_anonymity() {
    for text in [
        "A worker at the plant, who spoke on condition of anonymity, said a sprinkler system had been broken for weeks.",
        "An engineer, who spoke on the condition that he not be named, said crews replaced fewer than 300 lines.",
        "A nurse, who requested anonymity because she feared retaliation, said the clinic ran out of vaccine on Tuesday.",
        "An administration official, speaking on background, said the secretary met executives on Sept. 12.",
    ] {
        assert_kind(text, AttributionKind::Anonymous);
    }
}

#[test]
fn anonymous_not_named_or_not_authorized() {
    for text in [
        "A Bayline executive, who asked not to be named, said the company won the contract because it submitted the lowest bid.",
        "A county official who was not authorized to discuss the case said the board would meet next week.",
        "Two officers, who declined to be identified, said the unit received orders on Friday night.",
    ] {
        assert_kind(text, AttributionKind::Anonymous);
    }
}

#[test]
fn anonymous_unnamed_officials_and_people() {
    for text in [
        "A senior official said the ministry had moved 3,000 troops to the border last week.",
        "Several officers said overtime shifts were handed out to a small group of favored officers in 2023.",
        "Two people who attended the closed session said board members were told that the channel needed dredging.",
        "A diplomat involved in the talks said the delegations had not met since Aug. 9.",
    ] {
        assert_kind(text, AttributionKind::Anonymous);
    }
}

#[test]
fn anonymous_carries_over_to_the_next_sentence() {
    let text = "Headline\n\nSources in Kabul say the two men met on Sunday, September 26, 2021. The meeting took place in the minister’s office, not the embassy.";
    let got = suggest(text);
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|s| s.attribution.kind == AttributionKind::Anonymous), "{got:#?}");
    assert_eq!(got[1].attribution.cue.as_deref(), Some("Sources in"));
}

#[test]
fn anonymous_continues_with_the_people_said() {
    let text = "Headline\n\nThe talks broke down on Thursday, according to three people familiar with the talks.\n\nThe proposal came from the governor’s office on Wednesday, the people said.";
    let got = suggest(text);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[1].attribution.kind, AttributionKind::Anonymous, "{got:#?}");
}

#[test]
fn sourcing_explanation_is_not_a_claim_but_marks_the_sentence_before() {
    let text = "Headline\n\nBoard members were told on Monday that a larger channel was needed, attendees said. They spoke on condition of anonymity because the session was closed.";
    let got = suggest(text);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].attribution.kind, AttributionKind::Anonymous);
}

#[test]
fn unnamed_groups_are_anonymous() {
    for text in [
        "U.S. officials said the talks would resume in Geneva on Monday.",
        "Western diplomats said the embassy had closed its consular section on Friday.",
        "According to U.S. officials, Washington pressed both governments to sign the deal on Wednesday.",
        "Administration officials said the plan would cost about $4 billion over five years.",
        "Officials in the mayor's office said the proposal would go to the council in January.",
        "Israeli military officials said 40 rockets were fired from Gaza on Sunday night.",
        "Analysts said the merger would cut about 2,000 jobs by 2027.",
        "Residents said the water had been brown for at least three weeks.",
        "Harbor residents said the dredging ran until 3 a.m. on most nights.",
    ] {
        assert_kind(text, AttributionKind::Anonymous);
    }
}

#[test]
fn spokespeople_statements_and_bodies_are_named() {
    for text in [
        "A spokesperson for the foreign ministry said the talks would resume on Monday.",
        "The ministry said in a statement that 40 people had been detained since Friday.",
        "Analysts at Energy Aspects said in a note that output fell 3 percent in May.",
        "State environmental officials said about 3,000 gallons leaked from the tank on Saturday.",
        "A Medlink spokesperson said the company had spent $40 million on security upgrades.",
        "Scientists at the Australian Institute of Marine Science said the bleaching was the worst they had recorded since 1998.",
    ] {
        assert_kind(text, AttributionKind::Named);
    }
}

#[test]
fn a_named_speaker_relaying_unnamed_sources_stays_named() {
    let s = only(
        "Senator Lisa Grant said administration officials who asked not to be named had told her that China buys 90 percent of the oil.",
    );
    assert_eq!(s.attribution.kind, AttributionKind::Named, "{s:#?}");
    assert!(s.reasons.iter().any(|r| r.starts_with("+ the named source relays unnamed sources")), "{s:#?}");
    // A second attribution after a clause break is not relayed.
    let s = only("Mayor Ines Castillo said the plant would close in March, two officials said.");
    assert_eq!(s.attribution.kind, AttributionKind::Anonymous, "{s:#?}");
}

#[test]
fn attribution_given_in_the_next_sentence() {
    let text = "Headline\n\nRescuers pulled a seven-year-old girl from the rubble after 30 hours. That is according to two rescue workers at the scene.";
    let got = suggest(text);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].attribution.kind, AttributionKind::Anonymous, "{got:#?}");
    assert!(got[0].reasons.iter().any(|r| r.starts_with("+ attributed in the next sentence")), "{got:#?}");
}

#[test]
fn hard_wrapped_copy_is_reflowed_with_offsets_into_the_original() {
    let text = "SLUG: schools\nEDS: Please hold until the board posts its agenda. Photos to\nfollow.\n\nThe plan was proposed by Gov. Dana Whitfield's office in March and would\nclose three schools. It would move 1,150 students, according to a\ndraft obtained by the Tribune. Three people who were briefed on the plan\nlast month said the district would close two more schools in 2028.\nThey asked not to be named because the plan is not public.\n\nCall me if the vote count changes -- Dana";
    let got = suggest(text);
    let quotes: Vec<&str> = got.iter().map(|s| s.quote.as_str()).collect();
    assert_eq!(
        quotes,
        [
            "The plan was proposed by Gov. Dana Whitfield's office in March and would\nclose three schools.",
            "It would move 1,150 students, according to a\ndraft obtained by the Tribune.",
            "Three people who were briefed on the plan\nlast month said the district would close two more schools in 2028."
        ],
        "{got:#?}"
    );
    assert_eq!(got[1].attribution.kind, AttributionKind::Document);
    assert_eq!(got[2].attribution.kind, AttributionKind::Anonymous);
    for s in &got {
        let quote: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(quote, s.quote);
    }
}

#[test]
fn qa_questions_are_not_claims_and_answers_are_the_interviewees() {
    let text = "Q&A: The health commissioner on measles\n\nInterview by Carla Nunes\n\nQ: Some parents say the vaccine has caused 40 deaths. What do you tell them?\n\nA: The vaccine has been used for more than 60 years. We confirmed 87 cases in six counties this week.\n\nSixty-one of them are children under ten.\n\nQ: Will schools close?\n\nA: I think every parent would hope not.";
    let got = suggest(text);
    let quotes: Vec<&str> = got.iter().map(|s| s.quote.as_str()).collect();
    assert_eq!(
        quotes,
        [
            "The vaccine has been used for more than 60 years.",
            "We confirmed 87 cases in six counties this week.",
            "Sixty-one of them are children under ten."
        ],
        "{got:#?}"
    );
    assert!(got
        .iter()
        .all(|s| s.attribution.kind == AttributionKind::Named && s.attribution.cue.as_deref() == Some("A:")));
}

#[test]
fn live_blog_time_stamps_and_housekeeping_are_not_claims() {
    let text = "Storm Ines: live\n\nUpdated 9:58 a.m.\n\n7:05 a.m.\n\nGood morning and welcome to our live coverage. This page will be updated throughout the day.\n\n09:41 GMT — At least 214 people have been killed, the disaster agency said.\n\nPhoto: A fallen tree blocks Harbour Road in Kestry. (Marta Lind/The Courier)\n\n10:30 GMT — A quick recap for those just joining us.\n\nRefresh this page for the latest.";
    let got = suggest(text);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].quote, "At least 214 people have been killed, the disaster agency said.");
}

#[test]
fn bylines_with_dates_case_captions_and_photo_captions_are_not_claims() {
    let text = "Former clinic owner gets 7 years for fraud\n\nUnited States v. Halvorsen, No. 3:24-cr-00187 (D. Or.)\n\nBy Jenna Whit | Dec. 1, 2026, 10:04 a.m.\n\nCommuters board a train at Central Station on Monday. (Photo by Kim Ames / The Ledger)\n\nTenants protest outside the housing office on Nov. 12. Photo: Ben Ortiz for the Courier\n\nA federal judge on Monday sentenced the former owner of three clinics to seven years in prison.";
    let got = suggest(text);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].quote.starts_with("A federal judge"));
}

#[test]
fn a_columns_own_voice_and_rhetoric_are_not_claims_but_its_figures_are() {
    let text = "Opinion: The stadium deal is a bad bet\n\nBy Rachel Stone, Columnist\n\nLet's be honest about what the council approved last week. I have lived in this city for 30 years, and I have never seen a worse deal. The council voted 7-2 to give the Hawks $350 million in public money. Who really benefits here? The mayor should veto it.";
    let got = suggest(text);
    let quotes: Vec<&str> = got.iter().map(|s| s.quote.as_str()).collect();
    assert_eq!(quotes, ["The council voted 7-2 to give the Hawks $350 million in public money."], "{got:#?}");
}

#[test]
fn quoted_feelings_are_not_claims() {
    for text in [
        "“I just want the trains to come on time,” said Carla Diaz, a nurse.",
        "“We are so grateful to everyone who helped us,” said Rosa Ferrer.",
    ] {
        let body = format!("Headline\n\n{text}");
        let got = suggest(&body);
        assert!(got.is_empty(), "{text:?} was suggested: {got:#?}");
    }
}

#[test]
fn named_people_and_organisations() {
    for text in [
        "Fire Chief Omar Little said the blaze started in a storage building at about 9:40 p.m.",
        "A fire at the plant injured six workers on Tuesday night, the county fire department said.",
        "Corvane said in a statement that the sprinkler system was inspected in March.",
        "State law requires agencies to disclose amendments of more than 10 percent, according to the state comptroller's office.",
        "Artillery fire struck a market on Saturday, killing nine civilians, according to the regional governor, Ivan Petrosyan.",
        "Dr. Anita Shah, a pathologist hired by the families, testified that the man had gone without insulin for three days.",
        "Brecker's spokesman, Jim Lott, denied that Brecker agreed to the $900 million shift.",
    ] {
        assert_kind(text, AttributionKind::Named);
    }
}

#[test]
fn named_pronoun_follows_the_named_speaker() {
    let text = "Headline\n\nFire Chief Omar Little said the blaze started at 9:40 p.m. Three workers were taken to Lakeview General Hospital, he said.";
    let got = suggest(text);
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|s| s.attribution.kind == AttributionKind::Named), "{got:#?}");
}

#[test]
fn documents_records_reports_minutes_videos() {
    for text in [
        "The authority approved $48 million in January, according to meeting minutes reviewed by the Tribune.",
        "The company has donated $85,000 to three board members since 2018, state campaign finance records show.",
        "A state audit released Thursday found the district paid consultants $3.7 million.",
        "Videos verified by the Gazette show at least three impacts near the market at 7:10 a.m.",
        "Jail medical logs reviewed by the Ledger show no insulin was given after Aug. 14.",
        "The company reported a net loss of $143.5 million, according to a filing with the Securities and Exchange Commission.",
        "A study by the attorney general's office found that prices rose 11 percent after the 2015 acquisition.",
    ] {
        assert_kind(text, AttributionKind::Document);
    }
}

#[test]
fn unattributed_statements_of_fact() {
    for text in [
        "It was the second fire at the plant in eleven months.",
        "Ceasefire talks in Geneva were suspended on Thursday.",
        "In 2008, the government agreed to a thirty-year lease on the Mes Aynak Copper Mine.",
    ] {
        assert_kind(text, AttributionKind::None);
    }
}

#[test]
fn opinion_exhortation_prediction_and_rhetoric_are_not_claims() {
    for text in [
        "Harbor residents deserve better answers than this from the Port Authority.",
        "It is time for both sides to stop posturing and do their jobs.",
        "Perhaps the real problem is that nobody in the Capitol wants a tax increase.",
        "The ruling is a grim reminder that justice delayed is justice denied.",
        "As China has a vested interest in Afghanistan, there will be much further cooperation between both countries.",
        "Regulators should look hard at the deal before approving it.",
        "Is this the beginning of a new trade war between Washington and Beijing?",
        "The Commerce Department declined to comment on Monday.",
    ] {
        let body = format!("Headline\n\n{text}");
        let got = suggest(&body);
        assert!(got.is_empty(), "{text:?} was suggested: {got:#?}");
    }
}

#[test]
fn headline_byline_credit_subhead_are_never_claims() {
    let text = "Shelling kills 9 in border town as ceasefire talks falter\n\nBy Maria Chen, Staff Writer\nImage Credit: Photo by AP, via Google Maps 2021\n\nThe Takeaway\n\nArtillery fire struck a market in Korvany on Saturday, killing nine civilians.";
    let got = suggest(text);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].quote.starts_with("Artillery"));
}

#[test]
fn reasons_explain_the_score() {
    let s = only("The Eastport Port Authority approved $48 million for harbor dredging in January.");
    for reason in ["+ figure", "+ money", "+ date or time"] {
        assert!(s.reasons.iter().any(|r| r == reason), "{reason} missing from {:?}", s.reasons);
    }
    assert!((0.5..=1.0).contains(&s.score));
}

#[test]
fn profile_of_the_kabul_draft() {
    let path = manifest().join("../../../shared/fixtures/drafts/kabul-embassy.txt");
    if !path.exists() {
        return;
    }
    let text = canonical_text(&path);
    let got = suggest(&text);
    let p = profile(&text, &got);
    println!("{}", serde_json::to_string_pretty(&p).expect("serialises"));
    assert!(p.anonymous >= 5);
    assert!(p.unnamed_share > 0.3);
    assert!(p.figures_without_unit.iter().any(|f| f.text == "50 billion"));
    assert!(p.editors_note.as_ref().is_some_and(|n| n.text.starts_with("Editor’s Note")));
    assert!(!p.unattributed_claims.is_empty());
    for s in &got {
        let quote: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(quote, s.quote);
    }
}

/// The fuzz target's invariants, on every cut of the hard drafts (a cut lands mid-label, mid-time
/// stamp, mid-quotation and mid-character-run): no panic, quotes exactly their code points, in order,
/// scores in range, cues from the text.
#[test]
fn invariants_hold_on_cuts_of_the_hard_drafts() {
    let root = manifest().join("tests/fixtures/suggest-hard");
    let mut checked = 0;
    for part in ["tuning", "held-out", "held-out-2"] {
        for entry in std::fs::read_dir(root.join(part)).expect("fixtures readable") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n == "labels.json") {
                continue;
            }
            let text = canonical_text(&path);
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(29).collect();
            for &cut in &bounds {
                let mut window_end = (cut + 180).min(text.len());
                while !text.is_char_boundary(window_end) {
                    window_end += 1;
                }
                for piece in [&text[..cut], &text[cut..], &text[cut..window_end]] {
                    let got = suggest(piece);
                    let mut previous_end = 0;
                    for s in &got {
                        assert!(s.start < s.end && s.start >= previous_end, "{piece:?}: {got:#?}");
                        previous_end = s.end;
                        let quote: String = piece.chars().skip(s.start).take(s.end - s.start).collect();
                        assert_eq!(quote, s.quote, "{piece:?}");
                        assert!((0.5..=1.0).contains(&s.score));
                        if let Some(cue) = &s.attribution.cue {
                            assert!(piece.contains(cue.as_str()), "cue {cue:?} not in {piece:?}");
                        }
                    }
                    let p = profile(piece, &got);
                    assert_eq!(p.named + p.anonymous + p.document + p.unattributed, got.len());
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} pieces");
}

/// usertest F13: the popover said "names people or organisations (5)" for a sentence whose names were all
/// places. The count is of capitalised words (no entity classes here), so the reason says so and names places
/// too.
#[test]
fn the_names_reason_says_what_it_counted() {
    let s = only("The delegation flew from Kabul to Beijing via Islamabad on 26 September 2021.");
    let names: Vec<&String> = s.reasons.iter().filter(|r| r.contains("names")).collect();
    assert_eq!(names, ["+ names people, places or organisations (3 capitalised words)"], "{:?}", s.reasons);
}
