//! The cue phrases the engine looks for, found in one pass of an Aho-Corasick automaton over the whole
//! draft (ASCII case-insensitive), so the cost does not grow with the number of phrases.
//!
//! Word lists that are only consulted for a handful of words (speaker phrases) live here too, as plain
//! slices: a linear scan of a few dozen entries beats hashing for those.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// What a matched phrase says about the sentence it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// An unnamed source: "according to sources", "on condition of anonymity", "people familiar with".
    Anonymous,
    /// A verb of reported speech: "said", "told", "confirmed", "denied".
    Speech,
    /// "according to", whose object says who or what the source is.
    AccordingTo,
    /// A verb a document "does": "show", "found", "recommends".
    DocumentVerb,
    /// "declined to comment", "did not respond": a non-answer, not a claim.
    NoResponse,
    /// A word for a figure: "eleven", "dozens", "million".
    NumberWord,
    /// "percent".
    Percent,
    /// A currency word: "dollars", "euros".
    Currency,
    /// A month name (only counted when capitalised, so "may" the verb does not count).
    Month,
    /// A weekday or relative date: "Tuesday", "last week", "yesterday".
    Date,
    /// "a.m.", "p.m.", "midnight".
    Time,
    /// Superlatives and comparisons: "largest", "more than", "doubled".
    Comparison,
    /// A specific event: "killed", "met", "fire", "lawsuit", "approved".
    Event,
    /// Opinion and exhortation: "should", "deserve", "it is time to".
    Opinion,
    /// Rhetoric and analysis: "a grim reminder", "it is important to note", "remains unclear".
    Rhetoric,
    /// Prediction: "there will be", "won't be", "likely to".
    Prediction,
    /// Hedging: "perhaps", "maybe".
    Hedge,
    /// The newsroom talking to its readers or its desk: "welcome to our live coverage", "refresh this
    /// page", "edited for length", "photos to follow".
    Housekeeping,
    /// Feelings rather than facts: "grateful", "heartbroken", "I just want".
    Sentiment,
}

impl Cue {
    /// How many kinds of cue there are (`cue as usize` is below it; `Sentiment` is the last kind).
    pub(crate) const COUNT: usize = Cue::Sentiment as usize + 1;
}

#[rustfmt::skip]
const ANONYMOUS: &[&str] = &[
    "according to people", "according to a person", "according to one person", "according to two people",
    "according to three people", "according to several people", "according to multiple people",
    "according to officials", "according to an official", "according to a senior", "according to a former",
    "according to current and former", "declined to give his name", "declined to give her name",
    "declined to give their names", "not want to be named", "not want to be identified", "name not be used",
    "names not be used", "name withheld", "name is being withheld", "off the record", "without being named",
    "without being identified", "speaking on condition", "spoke on condition", "spoke on the condition",
    "speaking on the condition", "talked on condition", "talked on the condition", "were granted anonymity",
    "was granted anonymity", "agreed to speak only", "spoke only on condition",
    "sources say", "sources said", "sources tell", "sources told", "sources in", "sources close",
    "sources familiar", "sources with", "sources who", "sources inside", "sources within", "sources at",
    "according to sources", "according to a source", "according to one source", "according to two sources",
    "according to several sources", "according to multiple sources", "according to information", "a source",
    "one source", "two sources", "three sources", "several sources", "multiple sources", "a source close",
    "anonymous source", "anonymous sources", "anonymous official", "anonymous officials", "unnamed source",
    "unnamed sources", "unnamed official", "unnamed officials", "people familiar", "person familiar",
    "familiar with the matter", "familiar with the plans", "familiar with the talks",
    "familiar with the negotiations", "familiar with the investigation", "familiar with the discussions",
    "familiar with the contracts", "familiar with the deal", "familiar with the case",
    "familiar with the situation", "familiar with his", "familiar with her", "familiar with their",
    "people close to", "person close to", "people briefed", "person briefed", "briefed on the",
    "with knowledge of", "with direct knowledge", "with firsthand knowledge", "with first-hand knowledge",
    "condition of anonymity", "on condition that", "on the condition that", "requested anonymity",
    "request anonymity", "requesting anonymity", "asked for anonymity", "granted anonymity",
    "insisted on anonymity", "speaking anonymously", "spoke anonymously", "asked not to be named",
    "asked not to be identified", "declined to be named", "declined to be identified",
    "requested not to be named", "not be named", "not be identified", "not to be named",
    "not to be identified", "not authorized to", "not authorised to", "not permitted to",
    "not allowed to speak", "not allowed to discuss", "not cleared to", "speaking on background",
    "spoke on background", "on background because", "on deep background", "speaking privately",
    "spoke privately", "has learned that", "have learned that", "an insider", "insiders say", "insiders said",
    "a whistleblower", "people involved in", "person involved in", "people with knowledge",
    "person with knowledge", "said privately", "told privately", "privately said", "in private conversations",
];

#[rustfmt::skip]
const SPEECH: &[&str] = &[
    "said", "says", "say", "told", "tell", "tells", "saying", "confirmed", "confirms", "denied", "denies",
    "disputed", "disputes", "added", "adds", "wrote", "writes", "testified", "stated", "states", "reported",
    "announced", "announces", "acknowledged", "acknowledges", "insisted", "argued", "claimed", "claims",
    "alleged", "alleges", "warned", "explained", "noted", "asserted", "recalled", "conceded", "admitted",
    "countered", "responded", "replied", "agreed", "disclosed", "revealed", "estimated", "predicted",
    "described",
];

#[rustfmt::skip]
const DOCUMENT_VERB: &[&str] = &[
    "show", "shows", "showed", "found", "finds", "indicate", "indicates", "indicated", "reveal", "reveals",
    "recommends", "recommended", "concluded", "concludes", "examined", "documented", "lists", "listed",
    "obtained by", "reviewed by", "seen by", "verified by", "posted on", "filed with", "filed in",
];

#[rustfmt::skip]
const NO_RESPONSE: &[&str] = &[
    "declined to comment", "did not respond", "did not immediately respond", "did not return",
    "could not be reached", "declined to discuss", "did not answer", "declined to answer", "no comment",
    "would not comment", "did not reply", "has not responded", "have not responded", "not immediately available",
    "could not immediately be reached", "not available for comment", "did not respond to requests",
    "declined to say", "would not say", "did not say", "did not comment", "does not comment",
    "do not comment", "refused to comment", "no immediate comment", "declined requests for comment",
    "would not discuss", "not aware of", "declined to elaborate", "would not elaborate",
];

#[rustfmt::skip]
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
    "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands",
    "million", "millions", "billion", "billions", "trillion", "dozen", "dozens", "half", "twice",
    "thirty-year", "two-year", "three-year", "five-year", "ten-year", "one-third", "two-thirds",
];

#[rustfmt::skip]
const PERCENT: &[&str] = &[
    "percent", "per cent", "percentage points", "percentage point",
];

#[rustfmt::skip]
const CURRENCY: &[&str] = &[
    "dollars", "euros", "yuan", "rupees", "pesos", "rubles", "roubles", "usd", "eur", "gbp", "afghanis",
    "cents",
];

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan.", "feb.", "mar.", "apr.", "aug.", "sept.", "sep.", "oct.", "nov.", "dec.",
];

#[rustfmt::skip]
const DATES: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
    "tonight", "last week", "last month", "last year", "next week", "next month", "next year", "this week",
    "this month", "this year", "earlier this", "a week earlier", "a year earlier", "weeks ago", "days ago",
    "months ago", "years ago", "last fiscal year", "fiscal year", "quarter",
];

#[rustfmt::skip]
const TIMES: &[&str] = &[
    "a.m.", "p.m.", "midnight", "noon", "a.m", "p.m",
];

#[rustfmt::skip]
const COMPARISON: &[&str] = &[
    "largest", "biggest", "highest", "lowest", "smallest", "worst", "most", "least", "fewest", "longest",
    "deadliest", "record", "doubled", "double", "tripled", "triple", "halved", "more than", "less than",
    "fewer than", "at least", "nearly", "compared with", "compared to", "up from", "down from", "the second",
    "the third", "the first", "first-ever", "rose", "fell", "shrank", "shrunk", "dropped", "climbed",
    "jumped", "soared", "plunged", "slipped", "surged", "increased", "decreased", "below", "above", "exceeded", "significantly",
];

#[rustfmt::skip]
const EVENT: &[&str] = &[
    "-ed", "met", "took", "went", "won", "paid", "made", "gave", "held", "sent", "led", "left", "lost",
    "began", "struck", "shot", "drove", "flew", "grew", "became", "came", "sold", "bought", "brought",
    "built", "fought", "caught", "spent", "stole", "broke", "ran", "withdrew", "shut", "cut", "hit",
    "set aside", "took place", "has been", "have been", "had been", "fire", "blaze", "explosion", "attack",
    "attacks", "strike", "strikes", "raid", "shooting", "crash", "flood", "earthquake", "killing", "killings",
    "death", "deaths", "dead", "injuries", "arrest", "verdict", "ruling", "lawsuit", "settlement", "vote",
    "election", "contract", "deal", "lease", "agreement", "merger", "acquisition", "layoffs", "bankruptcy",
    "recall", "outbreak", "cases", "searches", "protest", "protests", "meeting", "session", "hearing",
    "trial", "investigation", "inquiry", "audit", "sanctions", "ceasefire", "shelling", "airstrike",
    "missile", "casualties", "talks", "negotiations", "visit", "providing", "wounding", "spotted", "closure",
    "closures", "budget", "surplus", "deficit",
];

#[rustfmt::skip]
const OPINION: &[&str] = &[
    "should", "shouldn't", "must", "ought to", "deserve", "deserves", "it is time", "it's time", "time for",
    "we need", "we must", "let us", "let's", "i think", "i believe", "in my opinion", "every right",
    "a right to", "shame", "disgrace", "outrageous", "unacceptable", "do better", "hard to see",
    "hard to believe", "can only", "it is hard", "it's hard", "we hope", "sadly", "unfortunately",
    "thankfully", "luckily", "are worried", "will miss",
];

#[rustfmt::skip]
const RHETORIC: &[&str] = &[
    "on a gray", "on a grey", "on a rainy", "on a sunny", "on a cold", "on a chilly", "on a hot", "on a bright",
    "on a quiet", "on a windy", "on a snowy", "on a crisp", "on a warm",
    "a reminder", "grim reminder", "stark reminder", "important to note", "is noteworthy", "worth noting",
    "needless to say", "make no mistake", "of course", "clearly", "obviously", "undoubtedly",
    "remains unclear", "remain unclear", "remains to be seen", "time will tell", "the real problem",
    "the question is", "nobody wants", "no one wants", "everyone knows", "suggests that", "it seems",
    "doesn't just", "don't just", "isn't just", "not what they used to be", "no end in sight",
    "in other words", "not always better", "whether or not", "around the clock", "day and night",
    "the only sound", "the smell of", "the sound of", "on a recent", "on a sweltering", "on a blustery",
    "on a foggy", "on a muggy", "on a freezing", "first light", "as the sun", "let's be honest",
    "let us be honest", "make no mistake", "the truth is", "who really", "what really", "here's the thing",
    "to be sure", "mark my words",
];

#[rustfmt::skip]
const HOUSEKEEPING: &[&str] = &[
    "live coverage", "live updates", "live blog", "this page", "we'll bring you", "we will bring you",
    "we’ll bring you", "we'll update", "we will update", "we’ll update", "will be updated", "be updating",
    "stay with us", "our reporter is", "our reporters are", "our correspondent is", "our team is",
    "welcome to our", "good morning", "good afternoon", "good evening", "sign up", "newsletter",
    "click here", "follow along", "check back", "for the latest", "keep up with", "edited for length",
    "edited for clarity", "been condensed", "been edited", "lightly edited", "condensed and edited",
    "call me", "let me know", "if we have room", "photos to follow", "more to follow", "details to follow",
    "please hold", "please do not", "please don't", "we spoke", "spoke to us", "spoke by phone",
    "this story will", "this story has been", "more to come", "developing story", "refresh", "joining us",
    "recap", "we talked to", "talked to us", "spoke with us", "bringing you", "hello and welcome",
];

#[rustfmt::skip]
const SENTIMENT: &[&str] = &[
    "grateful", "proud", "heartbroken", "devastated", "thrilled", "excited", "happy", "i feel", "we feel",
    "i love", "we love", "i just want", "we just want", "i wish", "we wish", "i miss", "we miss", "scared",
    "afraid", "frustrated", "upset", "hopeful", "blessed", "thankful", "can't believe", "it hurts",
    "my heart", "our hearts", "it feels", "feels like", "i still", "i remember", "we remember",
];

#[rustfmt::skip]
const PREDICTION: &[&str] = &[
    "there will be", "won't be", "will not be", "will likely", "would likely", "likely to", "is likely",
    "are likely", "going to be", "in the future",
];

#[rustfmt::skip]
const HEDGE: &[&str] = &[
    "perhaps", "maybe", "possibly", "might", "arguably", "presumably", "probably",
];

fn lists() -> [(&'static [&'static str], Cue); 19] {
    [
        (ANONYMOUS, Cue::Anonymous),
        (SPEECH, Cue::Speech),
        (DOCUMENT_VERB, Cue::DocumentVerb),
        (NO_RESPONSE, Cue::NoResponse),
        (NUMBER_WORDS, Cue::NumberWord),
        (PERCENT, Cue::Percent),
        (CURRENCY, Cue::Currency),
        (MONTHS, Cue::Month),
        (DATES, Cue::Date),
        (TIMES, Cue::Time),
        (COMPARISON, Cue::Comparison),
        (EVENT, Cue::Event),
        (OPINION, Cue::Opinion),
        (RHETORIC, Cue::Rhetoric),
        (PREDICTION, Cue::Prediction),
        (HEDGE, Cue::Hedge),
        (HOUSEKEEPING, Cue::Housekeeping),
        (SENTIMENT, Cue::Sentiment),
        (&["according to"], Cue::AccordingTo),
    ]
}

struct Lexicon {
    automaton: AhoCorasick,
    cues: Vec<Cue>,
}

fn lexicon() -> Option<&'static Lexicon> {
    static LEXICON: OnceLock<Option<Lexicon>> = OnceLock::new();
    LEXICON
        .get_or_init(|| {
            let mut patterns: Vec<String> = Vec::new();
            let mut cues = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for (list, cue) in lists() {
                for phrase in list {
                    // Drafts use curly apostrophes as often as straight ones.
                    let curly = phrase.replace('\'', "\u{2019}");
                    for pattern in [(*phrase).to_string(), curly] {
                        // A phrase listed twice would be reported twice by the overlapping search.
                        if seen.insert(pattern.clone()) {
                            patterns.push(pattern);
                            cues.push(cue);
                        }
                    }
                }
            }
            let automaton = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                // Where phrases overlap ("according to sources" / "according to") the longer one
                // is the cue; non-overlapping search also reports each stretch of text once.
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .ok()?;
            Some(Lexicon { automaton, cues })
        })
        .as_ref()
}

/// One cue found in the text, as byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub cue: Cue,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Every cue in `text` that stands as whole words, sorted by start.
pub(crate) fn scan(text: &str) -> Vec<Hit> {
    let Some(lex) = lexicon() else {
        return Vec::new();
    };
    let bytes = text.as_bytes();
    let mut hits = Vec::with_capacity(text.len() / 40);
    for m in lex.automaton.find_iter(text) {
        let (start, end) = (m.start(), m.end());
        let before_ok = start == 0 || !is_word_byte(bytes[start - 1]);
        let last = bytes[end - 1];
        let after_ok = end == bytes.len() || !is_word_byte(last) || !is_word_byte(bytes[end]);
        if !before_ok || !after_ok {
            continue;
        }
        let Some(&cue) = lex.cues.get(m.pattern().as_usize()) else {
            continue;
        };
        if cue == Cue::Month && !bytes[start].is_ascii_uppercase() {
            continue; // "may" the verb, "march" the verb
        }
        hits.push(Hit { start, end, cue });
    }
    hits
}

/// Nouns for people who can be unnamed sources ("a senior official", "two executives").
#[rustfmt::skip]
pub(crate) const PERSON_NOUNS: &[&str] = &[
    "source", "sources", "official", "officials", "person", "people", "aide", "aides", "employee",
    "employees", "worker", "workers", "executive", "executives", "officer", "officers", "lawmaker",
    "lawmakers", "diplomat", "diplomats", "insider", "insiders", "staffer", "staffers", "member", "members",
    "adviser", "advisers", "advisor", "advisors", "manager", "managers", "nurse", "nurses", "doctor",
    "doctors", "engineer", "engineers", "investigator", "investigators", "agent", "agents", "lawyer",
    "lawyers", "attorney", "attorneys", "administrator", "administrators", "contractor", "contractors",
    "ally", "allies", "associate", "associates", "colleague", "colleagues", "operative", "strategist",
    "donor", "donors", "soldier", "soldiers", "commander", "commanders", "fighter", "fighters", "teacher",
    "teachers", "staff", "individuals", "whistleblower", "analyst", "analysts", "regent", "regents",
    "trustee", "trustees", "director", "directors", "commissioners", "legislators", "senators", "inspectors",
    "auditors", "scientists", "researchers", "physicians", "clerk", "clerks", "guard", "guards", "deputy",
    "deputies", "trooper", "troopers", "firefighter", "firefighters", "paramedic", "paramedics", "pilot",
    "pilots", "driver", "drivers", "volunteer", "volunteers", "organizer", "organizers", "activist",
    "activists", "lobbyist", "lobbyists", "consultant", "consultants", "banker", "bankers", "trader",
    "traders", "investor", "investors", "partner", "partners", "coworker", "coworkers", "co-worker",
    "co-workers", "supervisor", "supervisors", "prosecutor", "detective", "detectives", "parent", "resident",
    "witness", "student", "patient", "patients", "relative", "friend", "friends", "neighbor", "neighbour",
];

/// Words that make a following person noun unidentified: "a", "two", "several", "a former".
#[rustfmt::skip]
pub(crate) const INDEFINITE: &[&str] = &[
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several",
    "some", "many", "multiple", "numerous", "other", "unnamed", "anonymous", "few", "dozens", "senior",
];

/// Definite references back to sources already introduced: "the people said", "one of them said".
#[rustfmt::skip]
pub(crate) const DEFINITE: &[&str] = &[
    "the", "those", "these", "both", "all",
];

/// Pronoun speakers; they take the kind of the last attribution in the paragraph before.
#[rustfmt::skip]
pub(crate) const PRONOUNS: &[&str] = &[
    "he", "she", "they", "we", "i", "it",
];

/// Things that speak for an organisation or are one: naming them is a named attribution.
#[rustfmt::skip]
pub(crate) const INSTITUTIONS: &[&str] = &[
    "department", "company", "office", "agency", "police", "army", "ministry", "council", "board", "court",
    "government", "authority", "district", "county", "city", "firm", "bank", "hospital", "university",
    "school", "campaign", "committee", "union", "military", "prosecutors", "administration", "commission",
    "spokesperson", "spokesman", "spokeswoman", "spokespeople", "representative", "president", "director",
    "chief", "secretary", "minister", "mayor", "governor", "superintendent", "commissioner", "chairman",
    "chairwoman", "chair", "ceo", "judge", "sheriff", "authorities", "investigators", "group", "network",
    "organization", "organisation", "institute", "center", "centre", "service", "state", "ministry",
    "embassy", "lab", "laboratory", "team", "club", "league", "party", "regulators", "inspectors",
];

/// People who speak as a group no one is named in ("U.S. officials", "Western diplomats", "analysts"):
/// without a determiner, a name or a body after them, they are unnamed sources.
#[rustfmt::skip]
pub(crate) const UNNAMED_GROUP_NOUNS: &[&str] = &[
    "officials", "diplomats", "sources", "insiders", "analysts", "aides", "advisers", "advisors", "staffers",
    "executives", "employees", "lawmakers", "scientists", "researchers", "engineers", "officers",
];

/// Institution words that still leave a group unnamed: "administration officials", "military officials".
#[rustfmt::skip]
pub(crate) const VAGUE_BODIES: &[&str] = &[
    "administration", "government", "military", "security", "intelligence", "defense", "defence",
];

/// Crowds and bystanders: speech from them is reported, but not attributed to a source one can check.
#[rustfmt::skip]
pub(crate) const GENERIC_GROUPS: &[&str] = &[
    "neighbors", "neighbours", "residents", "witnesses", "parents", "locals", "observers", "critics",
    "supporters", "protesters", "experts", "families", "relatives", "villagers", "survivors", "passengers",
    "customers", "shoppers", "fans", "voters", "many", "some", "others", "people", "everyone", "students",
    "defenders", "opponents", "proponents", "advocates", "backers", "skeptics", "sceptics", "detractors",
    "inhabitants",
];

/// Nouns for records and documents: "records show", "according to meeting minutes".
#[rustfmt::skip]
pub(crate) const DOCUMENT_NOUNS: &[&str] = &[
    "sheet", "draft", "drafts", "agenda", "notes", "manual", "handbook", "guidelines", "ordinance", "dossier",
    "cable", "cables", "texts", "messages", "recording", "recordings", "audio", "screenshots", "rulings",
    "records", "record", "documents", "document", "minutes", "report", "reports", "audit", "audits", "filing",
    "filings", "memo", "memos", "memorandum", "email", "emails", "letter", "letters", "logs", "log", "data",
    "study", "studies", "survey", "surveys", "analysis", "review", "invoices", "invoice", "receipts",
    "statements", "transcript", "transcripts", "footage", "video", "videos", "photos", "images", "imagery",
    "census", "statistics", "lawsuit", "complaint", "indictment", "affidavit", "papers", "copy", "budget",
    "database", "figures", "tally", "spreadsheet", "contract", "contracts", "testimony", "paper", "findings",
    "inspection", "inspections", "poll", "polls",
];

/// Word classes, as bits, so a speaker phrase is classified with one table look-up per word.
pub(crate) mod class {
    pub(crate) const PERSON: u16 = 1;
    pub(crate) const DOCUMENT: u16 = 1 << 1;
    pub(crate) const INSTITUTION: u16 = 1 << 2;
    pub(crate) const GENERIC: u16 = 1 << 3;
    pub(crate) const INDEFINITE: u16 = 1 << 4;
    pub(crate) const DEFINITE: u16 = 1 << 5;
    pub(crate) const PRONOUN: u16 = 1 << 6;
    pub(crate) const STOP: u16 = 1 << 7;
}

/// Words that end a speaker phrase: what follows them is a new clause.
#[rustfmt::skip]
pub(crate) const STOP_WORDS: &[&str] = &[
    "that", "and", "but", "because", "after", "when", "while", "as", "which", "whom", "if", "though", "since",
];

/// A small multiplicative hasher for short ASCII words: the tables are fixed and built by us, so
/// SipHash's flooding resistance buys nothing and costs a third of a look-up.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes at a time: a word costs one to three multiplications.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ (rest.len() as u64) << 59);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl WordHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A table keyed by lowercase ASCII words.
pub(crate) type WordTable = std::collections::HashMap<&'static [u8], u16, std::hash::BuildHasherDefault<WordHasher>>;

/// Looks `word` up in `table` case-insensitively, without allocating; 0 when absent.
pub(crate) fn lookup(table: &WordTable, word: &str) -> u16 {
    let mut buf = [0u8; 24];
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !word.is_ascii() {
        return 0; // every listed word is short ASCII
    }
    for (slot, b) in buf.iter_mut().zip(bytes) {
        *slot = b.to_ascii_lowercase();
    }
    table.get(&buf[..bytes.len()]).copied().unwrap_or(0)
}

/// Builds a [`WordTable`] from lists of words and the bit each list sets.
pub(crate) fn word_table(lists: &[(&[&'static str], u16)]) -> WordTable {
    let mut table = WordTable::default();
    for (list, bit) in lists {
        for word in *list {
            *table.entry(word.as_bytes()).or_insert(0) |= bit;
        }
    }
    table
}

/// The classes of `word` (case-insensitive); 0 for words in no list.
pub(crate) fn word_class(word: &str) -> u16 {
    static TABLE: OnceLock<WordTable> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        word_table(&[
            (PERSON_NOUNS, class::PERSON),
            (DOCUMENT_NOUNS, class::DOCUMENT),
            (INSTITUTIONS, class::INSTITUTION),
            (GENERIC_GROUPS, class::GENERIC),
            (INDEFINITE, class::INDEFINITE),
            (DEFINITE, class::DEFINITE),
            (PRONOUNS, class::PRONOUN),
            (STOP_WORDS, class::STOP),
        ])
    });
    lookup(table, word)
}

pub(crate) fn in_list(list: &[&str], word: &str) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}
