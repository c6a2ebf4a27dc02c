//! Redaction of personal data from free text before it is published: e-mail addresses,
//! UK phone numbers, UK postcodes, National Insurance numbers, vehicle registrations,
//! street addresses with a house number, and names where the text shows them to be names.
//!
//! [`redact`] returns the redacted text and a record of each redaction: its kind and the
//! byte range it covered in the original text, never the removed text itself, so the
//! record can be kept and shown to staff without keeping the personal data a second time.
//!
//! Every detector is a hand-written scanner over the original text. A regular-expression
//! crate was considered and rejected: none is in the dependency tree yet, and the rules
//! here (the postcode letter tables, the phone number lengths, the stop words that keep
//! "PC Police" or "Dear Commissioner" from looking like names) are checks a pattern
//! language would only half express. The scanners are written to prefer removing too
//! much over leaving personal data in: a name after a title is removed whoever holds it,
//! public office holders included, because telling the two apart needs knowledge the
//! text does not carry (docs/redaction.md explains each rule and its known gaps).
//!
//! This module does not decide when text is published, store the record, or detect
//! names that nothing in the text marks as names ("I told Jane about it"): those need
//! a person or the caller's `known_names`. It recognises English text and UK formats only.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of personal data a redaction removed. The order is the order of preference
/// when two overlapping matches are equally long: the more specific format first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedactionKind {
    Email,
    Phone,
    Postcode,
    NationalInsurance,
    VehicleRegistration,
    Address,
    Name,
}

impl RedactionKind {
    pub const ALL: [RedactionKind; 7] = [
        RedactionKind::Email,
        RedactionKind::Phone,
        RedactionKind::Postcode,
        RedactionKind::NationalInsurance,
        RedactionKind::VehicleRegistration,
        RedactionKind::Address,
        RedactionKind::Name,
    ];

    /// The text put in place of what was removed.
    pub fn marker(&self) -> &'static str {
        match self {
            RedactionKind::Email => "[email address removed]",
            RedactionKind::Phone => "[phone number removed]",
            RedactionKind::Postcode => "[postcode removed]",
            RedactionKind::NationalInsurance => "[National Insurance number removed]",
            RedactionKind::VehicleRegistration => "[vehicle registration removed]",
            RedactionKind::Address => "[address removed]",
            RedactionKind::Name => "[name removed]",
        }
    }

    /// How a person would say one of them.
    pub fn label(&self) -> &'static str {
        match self {
            RedactionKind::Email => "e-mail address",
            RedactionKind::Phone => "phone number",
            RedactionKind::Postcode => "postcode",
            RedactionKind::NationalInsurance => "National Insurance number",
            RedactionKind::VehicleRegistration => "vehicle registration",
            RedactionKind::Address => "address",
            RedactionKind::Name => "name",
        }
    }

    /// How a person would say several of them.
    pub fn plural(&self) -> &'static str {
        match self {
            RedactionKind::Email => "e-mail addresses",
            RedactionKind::Phone => "phone numbers",
            RedactionKind::Postcode => "postcodes",
            RedactionKind::NationalInsurance => "National Insurance numbers",
            RedactionKind::VehicleRegistration => "vehicle registrations",
            RedactionKind::Address => "addresses",
            RedactionKind::Name => "names",
        }
    }
}

impl fmt::Display for RedactionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One removal: what kind, and which bytes of the original text it covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    pub kind: RedactionKind,
    /// Byte offset of the first removed byte in the original text (a char boundary).
    pub start: usize,
    /// Byte offset just past the last removed byte in the original text (a char boundary).
    pub end: usize,
}

/// Redacted text and the record of what was removed, in text order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    pub text: String,
    pub redactions: Vec<Redaction>,
}

impl Redacted {
    /// How many redactions of each kind; kinds with none are absent.
    pub fn summary(&self) -> BTreeMap<RedactionKind, usize> {
        let mut counts = BTreeMap::new();
        for r in &self.redactions {
            *counts.entry(r.kind).or_insert(0) += 1;
        }
        counts
    }

    /// `3 redactions: 1 e-mail address, 2 names`, or `no redactions`: the line kept with
    /// a published response and shown to staff.
    pub fn describe(&self) -> String {
        let n = self.redactions.len();
        if n == 0 {
            return "no redactions".to_string();
        }
        let parts: Vec<String> = self
            .summary()
            .into_iter()
            .map(|(kind, count)| format!("{count} {}", if count == 1 { kind.label() } else { kind.plural() }))
            .collect();
        format!("{n} redaction{}: {}", if n == 1 { "" } else { "s" }, parts.join(", "))
    }

    pub fn is_unchanged(&self) -> bool {
        self.redactions.is_empty()
    }
}

/// Removes the personal data this module recognises from `text`.
///
/// `known_names` are names the caller knows belong to the text's author or subject (the
/// respondent's name field): each is removed wherever it appears as whole words, in any
/// case, and each of its words of three letters or more is removed where it appears
/// capitalised on its own ("Jane" of "Jane Doe"). Markers left by an earlier redaction
/// are never matched again, so redacting redacted text changes nothing.
pub fn redact(text: &str, known_names: &[&str]) -> Redacted {
    let scan = Scan::new(text);
    let mut found: Vec<Span> = Vec::new();
    found.extend(emails(text));
    found.extend(phones(text));
    found.extend(postcodes(text));
    found.extend(national_insurance_numbers(text));
    found.extend(vehicle_registrations(text));
    found.extend(scan.addresses());
    found.extend(scan.titled_names());
    found.extend(scan.introduced_names());
    found.extend(scan.greeted_names());
    found.extend(scan.known_names(known_names));
    // The sign-off is looked for last: a signature's name is often followed by the
    // writer's phone number or e-mail address, found above, and those may follow it.
    if let Some(span) = scan.signed_off_name(&found) {
        found.push(span);
    }

    let protected = markers_in(text);
    found.retain(|s| !protected.iter().any(|p| s.start < p.end && p.start < s.end));
    let merged = merge(found);

    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in &merged {
        out.push_str(&text[at..r.start]);
        out.push_str(r.kind.marker());
        at = r.end;
    }
    out.push_str(&text[at..]);
    Redacted { text: out, redactions: merged }
}

type Span = Redaction;

fn span(kind: RedactionKind, start: usize, end: usize) -> Span {
    Redaction { kind, start, end }
}

/// Joins overlapping matches into one redaction covering all of them, named after the
/// longest (ties go to the kind listed first). Keeping the union rather than only the
/// longest match means no part of a shorter, overlapping match is ever left visible.
fn merge(mut spans: Vec<Span>) -> Vec<Redaction> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end), s.kind));
    // Each group with the length of its longest match so far.
    let mut groups: Vec<(Redaction, usize)> = Vec::new();
    for s in spans {
        let len = s.end - s.start;
        match groups.last_mut() {
            Some((group, longest)) if s.start < group.end => {
                group.end = group.end.max(s.end);
                if len > *longest || (len == *longest && s.kind < group.kind) {
                    *longest = len;
                    group.kind = s.kind;
                }
            }
            _ => groups.push((s, len)),
        }
    }
    groups.into_iter().map(|(group, _)| group).collect()
}

/// Where earlier redactions left their markers.
fn markers_in(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for kind in RedactionKind::ALL {
        let marker = kind.marker();
        out.extend(text.match_indices(marker).map(|(at, _)| span(kind, at, at + marker.len())));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Character-level scanners: e-mail, phone, postcode, National Insurance, registrations
// ---------------------------------------------------------------------------------------

fn prev_char(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn next_char(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Nothing alphanumeric (in any script) touches the match on this side.
fn open_before(text: &str, at: usize) -> bool {
    prev_char(text, at).is_none_or(|c| !c.is_alphanumeric())
}

fn open_after(text: &str, at: usize) -> bool {
    next_char(text, at).is_none_or(|c| !c.is_alphanumeric())
}

/// Positions where an ASCII letter starts a word: the start of every pattern below
/// that begins with a letter. Only ASCII bytes are tested, so each is a char boundary.
fn word_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(move |&(i, b)| b.is_ascii_alphabetic() && open_before(text, i)).map(|(i, _)| i)
}

fn emails(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    let mut out: Vec<Span> = Vec::new();
    for (at, _) in text.match_indices('@') {
        if out.last().is_some_and(|s| at < s.end) {
            continue;
        }
        let mut start = at;
        while start > 0 && local(b[start - 1]) {
            start -= 1;
        }
        while start < at && b[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < b.len() && domain(b[end]) {
            end += 1;
        }
        while end > at + 1 && (b[end - 1] == b'.' || b[end - 1] == b'-') {
            end -= 1;
        }
        if start == at || !open_before(text, start) || !open_after(text, end) {
            continue;
        }
        let host = &text[at + 1..end];
        let labels: Vec<&str> = host.split('.').collect();
        let tld = labels.last().copied().unwrap_or("");
        if labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty())
            && tld.len() >= 2
            && tld.bytes().all(|c| c.is_ascii_alphabetic())
        {
            out.push(span(RedactionKind::Email, start, end));
        }
    }
    out
}

/// UK phone numbers: national (`0121 626 6060`, `07700 900123`, `(0121) 626-6060`) and
/// international (`+44 7700 900123`, `+44 (0)121 626 6060`, `0044 ...`).
fn phones(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // A number glued to a reference or a decimal (`20/0121...`, `3.0121`) is not a phone number.
        let starts = (c == b'+' || c == b'(' || c == b'0')
            && prev_char(text, i).is_none_or(|p| !p.is_alphanumeric() && !".,/-+_£$€#".contains(p));
        if starts && let Some(end) = phone_at(text, i) {
            out.push(span(RedactionKind::Phone, i, end));
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// The end of the longest valid phone number starting at `start`, if there is one.
fn phone_at(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let len = b.len();
    let mut p = start;
    let international = if b[p..].starts_with(b"+44") {
        p += 3;
        true
    } else if b[p..].starts_with(b"0044") {
        p += 4;
        true
    } else {
        false
    };
    if international {
        if p < len && matches!(b[p], b' ' | b'-' | b'.') {
            p += 1;
        }
        // `+44 (0)121 ...`: the trunk zero written in brackets.
        if b[p..].starts_with(b"(0)") {
            p += 3;
            if p < len && b[p] == b' ' {
                p += 1;
            }
        }
    }

    let mut digits: Vec<u8> = Vec::new();
    let mut groups: Vec<usize> = Vec::new();
    // (end of the digits, digits so far, groups so far) after each group.
    let mut ends: Vec<(usize, usize, usize)> = Vec::new();
    loop {
        let mut q = p;
        let bracketed = q < len && b[q] == b'(';
        if bracketed {
            q += 1;
        }
        let from = q;
        while q < len && b[q].is_ascii_digit() {
            q += 1;
        }
        if q == from || (bracketed && (q >= len || b[q] != b')')) {
            break;
        }
        digits.extend_from_slice(&b[from..q]);
        groups.push(q - from);
        ends.push((q, digits.len(), groups.len()));
        if digits.len() > 12 {
            break;
        }
        p = if bracketed { q + 1 } else { q };
        let more = |at: usize| at < len && (b[at].is_ascii_digit() || b[at] == b'(');
        if p < len && matches!(b[p], b' ' | b'-' | b'.') && more(p + 1) {
            p += 1;
        } else if !(bracketed && more(p)) {
            break;
        }
    }

    ends.into_iter().rev().find_map(|(end, ndigits, ngroups)| {
        let d = &digits[..ndigits];
        let national: Vec<u8> = if international {
            // A trunk zero written after +44 (`+44 0121...`) is a common slip: drop it.
            let rest = d.strip_prefix(b"0").unwrap_or(d);
            std::iter::once(b'0').chain(rest.iter().copied()).collect()
        } else {
            d.to_vec()
        };
        let shape = national.first() == Some(&b'0')
            && (10..=11).contains(&national.len())
            && b"1235789".contains(&national[1])
            && ngroups <= 4
            // National numbers are written with an area or mobile code of three digits
            // at least (`020`, `0121`, `07700`): `01 02 2014 10` is a date and a time.
            && (international || groups[0] >= 3);
        (shape && open_after(text, end)).then_some(end)
    })
}

fn postcodes(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out: Vec<Span> = Vec::new();
    for i in word_starts(text) {
        if out.last().is_some_and(|s| i < s.end) {
            continue;
        }
        let mut best = None;
        for outward in 2..=4 {
            for gap in 0..=1 {
                let inward = i + outward + gap;
                let end = inward + 3;
                if end > b.len() || (gap == 1 && b[i + outward] != b' ') {
                    continue;
                }
                let (o, n) = (&b[i..i + outward], &b[inward..end]);
                if o.iter().all(u8::is_ascii_alphanumeric)
                    && valid_outward(o)
                    && valid_inward(n)
                    && !is_ordinal(n)
                    && open_after(text, end)
                {
                    best = Some(end);
                }
            }
        }
        if let Some(end) = best {
            out.push(span(RedactionKind::Postcode, i, end));
        }
    }
    out
}

/// The outward code: `A9`, `A99`, `AA9`, `AA99`, `A9A` or `AA9A`, with the letters each
/// position may hold, and the one non-geographic `GIR` (of `GIR 0AA`).
fn valid_outward(o: &[u8]) -> bool {
    let up: Vec<u8> = o.iter().map(u8::to_ascii_uppercase).collect();
    let letter = |c: u8| c.is_ascii_uppercase();
    let digit = |c: u8| c.is_ascii_digit();
    let first = |c: u8| letter(c) && !b"QVX".contains(&c);
    let second = |c: u8| letter(c) && !b"IJZ".contains(&c);
    match up.as_slice() {
        b"GIR" => true,
        [a, n] => first(*a) && digit(*n),
        [a, n, m] if digit(*n) => first(*a) && (digit(*m) || b"ABCDEFGHJKPSTUW".contains(m)),
        [a, l, n] => first(*a) && second(*l) && digit(*n),
        [a, l, n, m] => first(*a) && second(*l) && digit(*n) && (digit(*m) || b"ABEHMNPRVWXY".contains(m)),
        _ => false,
    }
}

/// The inward code: a digit and two letters, never C, I, K, M, O or V.
fn valid_inward(n: &[u8]) -> bool {
    n[0].is_ascii_digit()
        && n[1..].iter().all(|c| c.is_ascii_alphabetic() && !b"CIKMOV".contains(&c.to_ascii_uppercase()))
}

/// `2nd`, `1st`, `3rd`, `4th` in lower case: "the M6 2nd junction" is not a postcode.
fn is_ordinal(n: &[u8]) -> bool {
    matches!(&n[1..], b"st" | b"nd" | b"rd" | b"th")
}

/// `AB 12 34 56 C` or `AB123456C`: two prefix letters HMRC allocates, six digits (run
/// together or in pairs) and a suffix A to D.
fn national_insurance_numbers(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out: Vec<Span> = Vec::new();
    for i in word_starts(text) {
        if out.last().is_some_and(|s| i < s.end) || i + 9 > b.len() {
            continue;
        }
        let (p1, p2) = (b[i].to_ascii_uppercase(), b[i + 1].to_ascii_uppercase());
        let prefix_ok = p1.is_ascii_uppercase()
            && p2.is_ascii_uppercase()
            && !b"DFIQUV".contains(&p1)
            && !b"DFIOQUV".contains(&p2)
            && ![b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"].contains(&&[p1, p2]);
        if !prefix_ok {
            continue;
        }
        let mut p = i + 2;
        let mut count = 0;
        while count < 6 {
            if p < b.len() && b[p] == b' ' && count % 2 == 0 && p + 1 < b.len() && b[p + 1].is_ascii_digit() {
                p += 1;
            }
            if p < b.len() && b[p].is_ascii_digit() {
                p += 1;
                count += 1;
            } else {
                break;
            }
        }
        if count != 6 {
            continue;
        }
        if p + 1 < b.len() && b[p] == b' ' && b[p + 1].is_ascii_alphabetic() {
            p += 1;
        }
        if p < b.len() && b"ABCD".contains(&b[p].to_ascii_uppercase()) && open_after(text, p + 1) {
            out.push(span(RedactionKind::NationalInsurance, i, p + 1));
        }
    }
    out
}

/// The current (since 2001) format `AB12 CDE`: a memory tag of two letters, an age
/// identifier (`02` to `49` in March, `51` to `99` in September) and three letters.
/// Older prefix and suffix plates (`A123 BCD`) are not looked for: their shape is that
/// of a road number and a word ("the A38 was closed").
fn vehicle_registrations(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in word_starts(text) {
        if i + 7 > b.len() {
            continue;
        }
        let tag = |c: u8| c.is_ascii_alphabetic() && !b"IQZ".contains(&c.to_ascii_uppercase());
        let random = |c: u8| c.is_ascii_alphabetic() && !b"IQ".contains(&c.to_ascii_uppercase());
        if !(tag(b[i]) && tag(b[i + 1]) && b[i + 2].is_ascii_digit() && b[i + 3].is_ascii_digit()) {
            continue;
        }
        let age = (b[i + 2] - b'0') * 10 + (b[i + 3] - b'0');
        if age < 2 || age == 50 {
            continue;
        }
        let p = if b[i + 4] == b' ' { i + 5 } else { i + 4 };
        if p + 3 <= b.len() && b[p..p + 3].iter().all(|&c| random(c)) && open_after(text, p + 3) {
            out.push(span(RedactionKind::VehicleRegistration, i, p + 3));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Word-level scanners: addresses and names
// ---------------------------------------------------------------------------------------

/// A title after which a capitalised word is taken to be a name. Matched exactly, as
/// written here.
struct Title {
    title: &'static str,
    /// Whether an all-capitals name may follow (`MR SMITH`).
    caps: bool,
    /// Whether the title is an abbreviation that may end in a full stop (`Dr.`). A full
    /// word never does, so "the Chief Constable. Each step" has no name in it.
    abbreviation: bool,
}

const fn title(title: &'static str, caps: bool, abbreviation: bool) -> Title {
    Title { title, caps, abbreviation }
}

const TITLES: &[Title] = &[
    title("Mr", false, true),
    title("Mrs", false, true),
    title("Ms", false, true),
    title("Miss", false, false),
    title("Mx", false, true),
    title("Dr", false, true),
    title("MR", true, true),
    title("MRS", true, true),
    title("MS", true, true),
    title("MISS", true, false),
    title("DR", true, true),
    title("Prof", false, true),
    title("Professor", false, false),
    title("Sir", false, false),
    title("Dame", false, false),
    title("Lord", false, false),
    title("Lady", false, false),
    title("Rev", false, true),
    title("Revd", false, true),
    title("Reverend", false, false),
    title("Cllr", false, true),
    title("Councillor", false, false),
    title("PC", false, false),
    title("DC", false, false),
    title("PCSO", false, false),
    title("Sgt", false, true),
    title("Sergeant", false, false),
    title("DS", false, false),
    title("Insp", false, true),
    title("Inspector", false, false),
    title("DI", false, false),
    title("DCI", false, false),
    title("Supt", false, true),
    title("Superintendent", false, false),
    title("Constable", false, false),
    title("Det", false, true),
    title("Detective", false, false),
];

/// Capitalised words that are never taken for a name, in lower case and separated by
/// spaces: sentence openers, the words of offices and organisations ("Lord Mayor",
/// "Thanks, Birmingham City Council"), the titles themselves (so that "Detective Chief
/// Inspector Smith" finds "Smith" after "Inspector" rather than stopping at "Chief"),
/// the roles a letter is addressed to, and subjects written after a rank ("Chief
/// Constable Appointments Regulations"). "Will", "May" and "Bill" are left out on
/// purpose: after a title they are names more often than not.
const NOT_NAMES: [&str; 4] = [SENTENCE_OPENERS, ORGANISATIONS, ADDRESSEES, SUBJECTS];
const SENTENCE_OPENERS: &str = "\
    a about after all also an and any are as at before but by can could did do does for from had has have he her \
    here his how i if in is it its just me might my no not now of on or our please she should so some than that \
    the their them then there these they this those to was we were what when where which who why with would yes \
    you your";
const ORGANISATIONS: &str = "\
    association authority board borough chancellor chief city college commissioner committee constabulary council \
    county crime department force government group justice lieutenant madam mayor members ministry office officer \
    panel partnership pcc police policing school service services sir sirs station team trust university watch";
const ADDRESSEES: &str = "\
    chair chairman chairperson clerk colleague colleagues director editor everyone friend friends manager minister \
    neighbour neighbours officers resident residents secretary";
const SUBJECTS: &str = "\
    act appointments code conduct course exam grade guidance misconduct order pay pension pensions plan post \
    programme rank recruitment regulations report review role rules scheme standards strategy training vacancies";

/// Words that follow "my name is" without being a name ("my name is not important").
const NOT_INTRODUCED: &str = "\
    above anonymous attached being below confidential down given irrelevant known listed on private redacted shown \
    unimportant unknown very withheld";

/// The closing words of a letter or e-mail, in lower case, before the writer's name.
const CLOSINGS: &[&[&str]] = &[
    &["regards"],
    &["kind", "regards"],
    &["best", "regards"],
    &["warm", "regards"],
    &["warmest", "regards"],
    &["best", "wishes"],
    &["best"],
    &["all", "the", "best"],
    &["thanks"],
    &["many", "thanks"],
    &["thank", "you"],
    &["thanks", "again"],
    &["cheers"],
    &["sincerely"],
    &["yours", "sincerely"],
    &["yours", "faithfully"],
    &["yours", "truly"],
    &["respectfully"],
];

/// Street words that end an address ("12 Acacia Avenue"), in lower case.
const STREET_SUFFIXES: &str = "\
    approach ave avenue boulevard brow chase circus close cl court ct cres crescent croft dale dr drive fields \
    gardens gdns gate glade green grove heights hill lane ln meadow meadows mews parade park pl place rd rise road \
    row sq square st street terrace vale view walk way wharf yard";

/// What comes before a house number in a flat's address: `Flat 3, 45 High Street`.
const DWELLINGS: &str = "flat apartment apt unit maisonette";

#[derive(Clone, Copy, Debug)]
struct Token {
    start: usize,
    end: usize,
}

/// The text cut into words: runs of letters and digits, joined across an apostrophe or
/// hyphen between two of them (`O'Brien`, `Smith-Jones`, `12-14`).
struct Scan<'a> {
    text: &'a str,
    tokens: Vec<Token>,
}

/// Whether `word` is one of the space-separated words of `list`.
fn listed(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

fn is_not_name(lower_word: &str) -> bool {
    NOT_NAMES.iter().any(|list| listed(list, lower_word))
        || TITLES.iter().any(|t| t.title.eq_ignore_ascii_case(lower_word))
}

fn lower(word: &str) -> String {
    word.replace('’', "'").to_lowercase()
}

fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_none()
}

/// A capitalised word that may be a name: `Smith`, `O'Brien`, `McDonald`, `Núñez`, or
/// with `caps` an all-capitals `SMITH`.
fn is_name_word(word: &str, caps: bool) -> bool {
    let mut chars = word.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let letters = word.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'));
    let has_lower = word.chars().any(char::is_lowercase);
    first_upper && letters && word.chars().count() >= 2 && (has_lower || caps) && !is_not_name(&lower(word))
}

/// Only spaces and tabs: words of one name are on one line.
fn is_inline_space(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\t' || c == '\u{a0}')
}

/// The gap after a title or an initial: an optional full stop, then spaces.
fn is_abbreviation_gap(gap: &str) -> bool {
    let rest = gap.strip_prefix('.').unwrap_or(gap);
    is_inline_space(rest) || (gap == "." && rest.is_empty())
}

fn is_house_number(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return false;
    }
    let rest = &word[digits..];
    // A four-digit number from 1900 to 2099 is a year ("in 2019 Station Road closed").
    let year = rest.is_empty() && digits == 4 && word.parse::<u32>().is_ok_and(|y| (1900..=2099).contains(&y));
    let suffix_ok = rest.is_empty()
        || (rest.len() == 1 && rest.bytes().all(|c| c.is_ascii_alphabetic()))
        || rest
            .strip_prefix('-')
            .is_some_and(|r| !r.is_empty() && r.len() <= 4 && r.bytes().all(|c| c.is_ascii_digit()));
    !year && suffix_ok
}

/// Case-insensitive prefix: the byte length of `hay`'s prefix equal to `needle`.
fn prefix_ignoring_case(hay: &str, needle: &str) -> Option<usize> {
    let mut hay_chars = hay.char_indices();
    for n in needle.chars() {
        let (_, h) = hay_chars.next()?;
        let same =
            h == n || h.to_lowercase().eq(n.to_lowercase()) || (matches!(h, '\'' | '’') && matches!(n, '\'' | '’'));
        if !same {
            return None;
        }
    }
    Some(hay_chars.next().map_or(hay.len(), |(at, _)| at))
}

fn is_possessive(rest: &str) -> bool {
    matches!(rest, "" | "'s" | "’s" | "'S" | "’S")
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let at = |k: usize| chars.get(k).map_or(text.len(), |&(pos, _)| pos);
        let mut tokens = Vec::new();
        let mut k = 0;
        while k < chars.len() {
            if !chars[k].1.is_alphanumeric() {
                k += 1;
                continue;
            }
            let start = chars[k].0;
            let mut j = k + 1;
            loop {
                if j < chars.len() && chars[j].1.is_alphanumeric() {
                    j += 1;
                } else if j + 1 < chars.len()
                    && matches!(chars[j].1, '\'' | '’' | '-')
                    && chars[j + 1].1.is_alphanumeric()
                {
                    j += 2;
                } else {
                    break;
                }
            }
            tokens.push(Token { start, end: at(j) });
            k = j;
        }
        Scan { text, tokens }
    }

    fn word(&self, i: usize) -> &'a str {
        let t = self.tokens[i];
        &self.text[t.start..t.end]
    }

    /// The text between token `i` and the next.
    fn gap_after(&self, i: usize) -> &'a str {
        let end = self.tokens.get(i + 1).map_or(self.text.len(), |t| t.start);
        &self.text[self.tokens[i].end..end]
    }

    fn name_span(&self, first: usize, last: usize) -> Span {
        span(RedactionKind::Name, self.tokens[first].start, self.tokens[last].end)
    }

    /// The index of the last word of a name of up to four words starting at `first`:
    /// capitalised words and initials, on one line, with full stops only after initials.
    fn name_run(&self, first: usize, caps: bool) -> Option<usize> {
        let mut last = None;
        for i in first..self.tokens.len().min(first + 4) {
            let word = self.word(i);
            if !(is_initial(word) || is_name_word(word, caps)) {
                break;
            }
            if i > first {
                let gap = self.gap_after(i - 1);
                let joined = if is_initial(self.word(i - 1)) { is_abbreviation_gap(gap) } else { is_inline_space(gap) };
                if !joined {
                    break;
                }
            }
            last = Some(i);
        }
        last
    }

    /// `Mr John Smith`, `Dr. A. Jones`, `PC Smith`: the name after a title. The title
    /// stays, so the reader still knows an officer or a councillor was meant.
    fn titled_names(&self) -> Vec<Span> {
        let mut out = Vec::new();
        for i in 0..self.tokens.len().saturating_sub(1) {
            let word = self.word(i);
            let Some(title) = TITLES.iter().find(|t| t.title == word) else { continue };
            let gap = self.gap_after(i);
            if !(is_inline_space(gap) || (title.abbreviation && is_abbreviation_gap(gap))) {
                continue;
            }
            if let Some(last) = self.name_run(i + 1, title.caps) {
                out.push(self.name_span(i + 1, last));
            }
        }
        out
    }

    /// Whether the words from `i` are `cue` (lower case), each separated by spaces;
    /// returns the index after them.
    fn words_are(&self, i: usize, cue: &[&str]) -> Option<usize> {
        for (k, expected) in cue.iter().enumerate() {
            let j = i + k;
            if j >= self.tokens.len() || lower(self.word(j)) != *expected {
                return None;
            }
            if k > 0 && !is_inline_space(self.gap_after(j - 1)) {
                return None;
            }
        }
        Some(i + cue.len())
    }

    /// `my name is Jane Doe`, `I'm called Jane`: the name a writer gives for themselves.
    /// A lower-case name is taken too (one or two words), since people often write
    /// their own name that way in a form.
    fn introduced_names(&self) -> Vec<Span> {
        const CUES: &[&[&str]] =
            &[&["my", "name", "is"], &["my", "name's"], &["i", "am", "called"], &["i'm", "called"], &["im", "called"]];
        let mut out = Vec::new();
        for i in 0..self.tokens.len() {
            let Some(next) = CUES.iter().find_map(|cue| self.words_are(i, cue)) else { continue };
            if next >= self.tokens.len() {
                continue;
            }
            let gap = self.gap_after(next - 1);
            if !is_inline_space(gap.trim_start_matches([':', ','])) {
                continue;
            }
            // `MY NAME IS JOHN SMITH`: an all-capitals cue allows an all-capitals name.
            let caps = (i..next).all(|j| self.word(j).chars().all(|c| !c.is_lowercase()));
            if let Some(last) = self.name_run(next, caps) {
                out.push(self.name_span(next, last));
                continue;
            }
            let plain = |j: usize| {
                let w = self.word(j);
                w.chars().all(|c| c.is_lowercase() || c == '\'' || c == '-')
                    && !is_not_name(w)
                    && !listed(NOT_INTRODUCED, w)
            };
            if plain(next) {
                let last = if next + 1 < self.tokens.len() && plain(next + 1) && is_inline_space(self.gap_after(next)) {
                    next + 1
                } else {
                    next
                };
                out.push(self.name_span(next, last));
            }
        }
        out
    }

    /// `Dear Jane`, `Hi John Smith`: a greeting names the person written to.
    /// "Dear Sir or Madam" and "Dear Commissioner" are not names ([`NOT_NAMES`]).
    fn greeted_names(&self) -> Vec<Span> {
        let mut out = Vec::new();
        for i in 0..self.tokens.len().saturating_sub(1) {
            if !matches!(self.word(i), "Dear" | "Hi" | "Hello") || !is_inline_space(self.gap_after(i)) {
                continue;
            }
            if let Some(last) = self.name_run(i + 1, false) {
                out.push(self.name_span(i + 1, last));
            }
        }
        out
    }

    /// `Regards,\nJohn Smith` or `Thanks, Jane` closing the text. Only the end of the
    /// text is looked at, and after the name there may be nothing but punctuation and
    /// personal data already found (a signature's phone number or e-mail address).
    fn signed_off_name(&self, found: &[Span]) -> Option<Span> {
        let trailing = |from: &str| from.chars().all(|c| c.is_whitespace() || c.is_ascii_punctuation());
        // Whether everything after `from` is punctuation, space or found personal data.
        let covered = |from: usize| {
            let mut spans: Vec<&Span> = found.iter().filter(|s| s.end > from).collect();
            spans.sort_by_key(|s| s.start);
            let mut at = from;
            for s in spans {
                if s.start > at && !trailing(&self.text[at..s.start]) {
                    return false;
                }
                at = at.max(s.end);
            }
            trailing(&self.text[at..])
        };
        // The last word that is not inside personal data already found.
        let last = (0..self.tokens.len()).rev().find(|&i| {
            let t = self.tokens[i];
            !found.iter().any(|s| s.start < t.end && t.start < s.end)
        })?;
        if !covered(self.tokens[last].end) {
            return None;
        }
        (1..=3).rev().filter(|&words| words <= last).find_map(|words| {
            let first = last + 1 - words;
            if self.name_run(first, false) != Some(last) {
                return None;
            }
            let gap = self.gap_after(first - 1);
            if gap.is_empty() || !gap.chars().all(|c| c.is_whitespace() || ",.!:-–—".contains(c)) {
                return None;
            }
            let closes = CLOSINGS
                .iter()
                .any(|closing| first >= closing.len() && self.words_are(first - closing.len(), closing) == Some(first));
            closes.then(|| self.name_span(first, last))
        })
    }

    /// `12 Acacia Avenue`, `Flat 3, 45 High Street`, `7a St Mary's Road`: a house number,
    /// capitalised words and a street word. A street named without a number is left:
    /// many people live on it, so it does not point at one of them.
    fn addresses(&self) -> Vec<Span> {
        let mut out = Vec::new();
        let n = self.tokens.len();
        for i in 0..n {
            let dwelling = listed(DWELLINGS, &lower(self.word(i)))
                && i + 2 < n
                && is_inline_space(self.gap_after(i))
                && is_house_number(self.word(i + 1))
                && is_inline_space(self.gap_after(i + 1).trim_start_matches(','));
            let number = if dwelling { i + 2 } else { i };
            if !is_house_number(self.word(number)) {
                continue;
            }
            let before = prev_char(self.text, self.tokens[number].start);
            if before.is_some_and(|c| "£$€#.,/".contains(c)) {
                continue;
            }
            let mut street_end = None;
            for j in number + 1..n.min(number + 6) {
                let w = self.word(j);
                let capitalised = w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'));
                if !capitalised || !is_inline_space(self.gap_after(j - 1)) {
                    break;
                }
                if j > number + 1 && listed(STREET_SUFFIXES, &lower(w)) {
                    street_end = Some(j);
                }
            }
            if let Some(last) = street_end {
                out.push(span(RedactionKind::Address, self.tokens[i].start, self.tokens[last].end));
            }
        }
        out
    }

    /// The caller's names: the whole name anywhere, in any case, as whole words; and
    /// each word of it of three letters or more where it stands capitalised.
    fn known_names(&self, names: &[&str]) -> Vec<Span> {
        let mut out = Vec::new();
        for name in names {
            let parts = Scan::new(name);
            let words: Vec<&str> = (0..parts.tokens.len()).map(|k| parts.word(k)).collect();
            if words.is_empty() || words.concat().chars().count() < 2 {
                continue;
            }
            for i in 0..self.tokens.len() {
                if let Some(end) = self.words_match(i, &words) {
                    out.push(span(RedactionKind::Name, self.tokens[i].start, end));
                }
            }
            if words.len() < 2 {
                continue;
            }
            for word in &words {
                if word.chars().count() < 3 || is_not_name(&lower(word)) {
                    continue;
                }
                for i in 0..self.tokens.len() {
                    let capitalised = self.word(i).chars().next().is_some_and(char::is_uppercase);
                    if let Some(end) = self.words_match(i, &[word]).filter(|_| capitalised) {
                        out.push(span(RedactionKind::Name, self.tokens[i].start, end));
                    }
                }
            }
        }
        out
    }

    /// Whether the words from token `i` are `words` ignoring case, separated by white
    /// space; the last may carry a possessive (`Doe's`), which is kept.
    fn words_match(&self, i: usize, words: &[&str]) -> Option<usize> {
        let mut end = 0;
        for (k, word) in words.iter().enumerate() {
            let j = i + k;
            let token = self.tokens.get(j)?;
            if k > 0 && !self.gap_after(j - 1).chars().all(char::is_whitespace) {
                return None;
            }
            let text = self.word(j);
            let len = prefix_ignoring_case(text, word)?;
            let last = k + 1 == words.len();
            if !(len == text.len() || (last && is_possessive(&text[len..]))) {
                return None;
            }
            end = token.start + len;
        }
        Some(end)
    }
}
