//! Whether a picture's words (its alt text, its caption) say that people are
//! in it, so that `brum check` can ask where their consent is recorded.
//!
//! A heuristic, in English, and deliberately narrow so that a site's
//! pictures of buildings and canals stay quiet. Words say people are in a
//! picture when they hold either
//!
//! - a word for people (`volunteers`, `children`, `crowd`, `portrait`…,
//!   [`PEOPLE`]), whatever its case; or
//! - a person's name: two or more capitalised words in a row ("Jane Smith"),
//!   read after a leading `The`/`A`/`Our`…, where no word is one that ends
//!   the name of a place, organisation or event ("Gas Street Basin",
//!   "Birmingham City Council", "Summer Festival", [`PLACES`]), and that
//!   is not part of a name the site knows (a partner's name, the site's
//!   title, a topic or sector, a timeline entry's location).
//!
//! A name in capitals (`MAC`), a single name ("Amira"), names in a list
//! ("Amira, Jo and Sam") and words in other languages are not recognised;
//! a place of two words with no place word in it ("Sutton Coldfield") is
//! taken for a name. The credit is never read: it names the photographer.

use crate::content::MONTHS;

/// Words for people in a picture, singular or plural (a plural `s` is
/// taken off before looking).
const PEOPLE: [&str; 46] = [
    "people",
    "person",
    "persons",
    "portrait",
    "selfie",
    "headshot",
    "child",
    "children",
    "kid",
    "baby",
    "babies",
    "toddler",
    "teenager",
    "pupil",
    "student",
    "apprentice",
    "volunteer",
    "crowd",
    "audience",
    "resident",
    "family",
    "families",
    "parent",
    "mother",
    "father",
    "man",
    "men",
    "woman",
    "women",
    "boy",
    "girl",
    "member",
    "staff",
    "dancer",
    "performer",
    "musician",
    "singer",
    "speaker",
    "participant",
    "attendee",
    "guest",
    "visitor",
    "delegate",
    "councillor",
    "mayor",
    "smiling",
];

/// Words that end (or start) the name of a place, an organisation or an
/// event rather than a person, singular (a plural `s` is taken off).
const PLACES: [&str; 74] = [
    "street",
    "road",
    "lane",
    "avenue",
    "square",
    "place",
    "row",
    "way",
    "walk",
    "circus",
    "park",
    "garden",
    "basin",
    "canal",
    "river",
    "lake",
    "reservoir",
    "wood",
    "hill",
    "heath",
    "green",
    "oak",
    "valley",
    "village",
    "estate",
    "quarter",
    "point",
    "bridge",
    "tower",
    "building",
    "house",
    "hall",
    "bath",
    "centre",
    "center",
    "station",
    "library",
    "museum",
    "gallery",
    "theatre",
    "arena",
    "stadium",
    "market",
    "bullring",
    "church",
    "cathedral",
    "mosque",
    "temple",
    "gurdwara",
    "synagogue",
    "university",
    "college",
    "school",
    "academy",
    "council",
    "city",
    "trust",
    "foundation",
    "network",
    "partner",
    "partnership",
    "chamber",
    "club",
    "festival",
    "conference",
    "award",
    "game",
    "week",
    "north",
    "south",
    "east",
    "west",
    "central",
    "greater",
];

/// Capitalised words that open a sentence rather than a name.
const OPENERS: [&str; 14] = [
    "The", "A", "An", "This", "That", "These", "Those", "Our", "Their", "His", "Her", "Its", "Two",
    "Some",
];

/// Capitalised words that are never part of a person's name, with the
/// months ([`MONTHS`]).
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Names the site knows to be places and organisations.
#[derive(Debug, Default)]
pub struct Known {
    /// Each name as its words: `["Midlands", "Arts", "Centre"]`.
    names: Vec<Vec<String>>,
}

impl Known {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Known {
        let names = names
            .into_iter()
            .map(|n| words(n).into_iter().map(|w| w.core).collect())
            .collect();
        Known { names }
    }

    /// Whether `run` is written, word for word, in one of the names.
    fn contains(&self, run: &[String]) -> bool {
        self.names
            .iter()
            .any(|name| name.windows(run.len()).any(|w| w == run))
    }
}

/// What in `text` says people are in the picture: a word for people or a
/// name, as written; None when nothing does.
pub fn named_people(text: &str, known: &Known) -> Option<String> {
    let words = words(text);
    if let Some(w) = words.iter().find(|w| is_people_word(&w.core)) {
        return Some(w.core.clone());
    }
    runs(&words)
        .into_iter()
        .find(|run| is_name(run, known))
        .map(|run| run.join(" "))
}

/// One word of a text: without the punctuation around it or a possessive
/// `'s`, and whether punctuation after it ends a run of name words.
#[derive(Debug)]
struct Word {
    core: String,
    breaks: bool,
}

fn words(text: &str) -> Vec<Word> {
    text.split_whitespace()
        .map(|token| {
            let core = token.trim_matches(|c: char| !c.is_alphanumeric());
            let core = core
                .strip_suffix("'s")
                .or_else(|| core.strip_suffix("’s"))
                .unwrap_or(core);
            let last = token.chars().last().unwrap_or(' ');
            Word {
                core: core.to_string(),
                breaks: !last.is_alphanumeric() && last != '\'' && last != '’',
            }
        })
        .collect()
}

fn singular(word: &str) -> String {
    let lower = word.to_lowercase();
    lower
        .strip_suffix('s')
        .map_or(lower.clone(), str::to_string)
}

fn is_people_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    PEOPLE.contains(&lower.as_str()) || PEOPLE.contains(&singular(word).as_str())
}

fn is_place_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    PLACES.contains(&lower.as_str()) || PLACES.contains(&singular(word).as_str())
}

/// A word as a name is written: a capital, then at least one small letter
/// (so `MAC` and `A` are not), and no digits.
fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.clone().any(char::is_lowercase)
        && !word.chars().any(|c| c.is_ascii_digit())
        && !MONTHS.contains(&word)
        && !WEEKDAYS.contains(&word)
}

/// The runs of capitalised words, split at punctuation, without an opener.
fn runs(words: &[Word]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for w in words {
        if is_capitalised(&w.core) && !(run.is_empty() && OPENERS.contains(&w.core.as_str())) {
            run.push(w.core.clone());
        } else {
            out.push(std::mem::take(&mut run));
        }
        if w.breaks {
            out.push(std::mem::take(&mut run));
        }
    }
    out.push(run);
    out.retain(|r| !r.is_empty());
    out
}

fn is_name(run: &[String], known: &Known) -> bool {
    run.len() >= 2 && !run.iter().any(|w| is_place_word(w)) && !known.contains(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known::new([
            "Birmingham Partners",
            "Greater Birmingham Chambers of Commerce",
            "Midlands Arts Centre",
            "mac birmingham, Cannon Hill Park",
            "Local economic growth",
        ])
    }

    fn named(text: &str) -> Option<String> {
        named_people(text, &known())
    }

    #[test]
    fn words_for_people_are_found_whatever_their_case_or_number() {
        assert_eq!(
            named("Volunteers planting trees in Cannon Hill Park").as_deref(),
            Some("Volunteers")
        );
        assert_eq!(named("A crowd at the launch").as_deref(), Some("crowd"));
        assert_eq!(
            named("Pupils' paintings on a wall").as_deref(),
            Some("Pupils")
        );
        assert_eq!(named("A portrait, in oils").as_deref(), Some("portrait"));
    }

    #[test]
    fn two_capitalised_words_in_a_row_are_a_name() {
        assert_eq!(
            named("Jane Smith speaking at the MAC").as_deref(),
            Some("Jane Smith")
        );
        assert_eq!(
            named("Cllr Ahmed Khan opening the event").as_deref(),
            Some("Cllr Ahmed Khan")
        );
        assert_eq!(
            named("Amira O'Neill's stall on the market").as_deref(),
            Some("Amira O'Neill")
        );
    }

    #[test]
    fn places_organisations_and_events_are_not_names() {
        for text in [
            "Mist over the towpath at Gas Street Basin",
            "Birmingham City Council House at dusk",
            "The Greater Birmingham Chambers of Commerce logo",
            "The Midlands Arts Centre logo: MAC in white on blue",
            "Banners for the Summer Festival in Victoria Square",
            "A narrowboat under a brick bridge",
            "Boats at Gas Street",
            "Bunting in July, Birmingham Partners' stand",
            "An illustration of a summer evening over a park lake: the sun sets",
            "Cannon Hill at dawn",
            "IMG_2041",
        ] {
            assert_eq!(named(text), None, "{text}");
        }
    }

    #[test]
    fn what_is_not_recognised_is_as_documented() {
        // A single name, or names in a list, are not read as names.
        assert_eq!(named("Amira at her stall"), None);
        assert_eq!(named("Amira, Jo and Sam at the stall"), None);
        // A two-word place with no place word is taken for a name.
        assert!(named("Rain over Sutton Coldfield").is_some());
    }
}
