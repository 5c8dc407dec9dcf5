//! Validating `[languages.<code>]`: each code, name and direction, and the
//! translated vocabularies, which may name only keys the default has.

use toml::Spanned;

use super::{Known, Problems, vocabulary};
use crate::config::Vocabulary;
use crate::config::languages::{
    Direction, Language, RawLanguage, RawLanguages, Translated, autonym, is_code,
};

/// The default language first, then each table's, in file order.
pub(super) fn validate(
    default: &str,
    raw: RawLanguages,
    known: &Known,
    p: &mut Problems,
) -> Vec<Language> {
    if !is_code(default) {
        p.at(
            "language",
            format!("`language` must be a language code such as \"en-GB\", found {default:?}"),
            "use a BCP 47 code: a two- or three-letter language, then a region if you like, e.g. language = \"en-GB\"",
        );
    }
    let mut languages = vec![Language {
        code: default.to_string(),
        name: autonym(default).unwrap_or(default).to_string(),
        dir: Direction::of_code(default),
        default: true,
        translated: Translated::default(),
    }];
    for (code, table) in raw.0 {
        if let Some(lang) = language(code, table, default, known, p) {
            languages.push(lang);
        }
    }
    languages
}

fn language(
    code: Spanned<String>,
    raw: RawLanguage,
    default: &str,
    known: &Known,
    p: &mut Problems,
) -> Option<Language> {
    let span = code.span();
    let code = code.into_inner();
    if code == default {
        let message = format!("`{code}` is the default language (`language = \"{default}\"`)");
        let help = "[languages.<code>] is for the other languages; the default's title and vocabularies are the ones at the top of site.toml";
        p.at_span(span, message, help);
        return None;
    }
    if !is_code(&code) {
        let message = format!("`{code}` is not a language code");
        let help = "name the table by the language's code, e.g. [languages.ur] for Urdu or [languages.pt-BR]; the code is what translated files carry: about.ur.md";
        p.at_span(span, message, help);
        return None;
    }
    let name = match raw.name {
        Some(name) if name.get_ref().trim().is_empty() => {
            let help = "the language's name in itself, e.g. name = \"اردو\"";
            p.at_span(
                name.span(),
                format!("[languages.{code}] `name` is empty"),
                help,
            );
            code.clone()
        }
        Some(name) => name.into_inner(),
        None => autonym(&code).unwrap_or(&code).to_string(),
    };
    let dir = match raw.dir {
        None => Direction::of_code(&code),
        Some(dir) => match dir.get_ref().as_str() {
            "rtl" => Direction::Rtl,
            "ltr" => Direction::Ltr,
            other => {
                let message =
                    format!("[languages.{code}] `dir` must be \"rtl\" or \"ltr\", found {other:?}");
                let help = "dir = \"rtl\" for a language written right to left (Urdu, Arabic), \"ltr\" otherwise; leave it out to take it from the code";
                p.at_span(dir.span(), message, help);
                Direction::of_code(&code)
            }
        },
    };
    let vocab =
        |table: Option<Spanned<toml::Table>>,
         section: &str,
         known: &Vocabulary,
         p: &mut Problems| { translated_vocabulary(table, &code, section, known, p) };
    let translated = Translated {
        title: raw.title,
        description: raw.description,
        campaign_name: raw.campaign.name,
        questions: vocab(
            raw.campaign.questions,
            "campaign.questions",
            known.questions,
            p,
        ),
        topics: vocab(raw.topics, "topics", known.topics, p),
        sectors: vocab(raw.sectors, "sectors", known.sectors, p),
        commitments: vocab(raw.commitments, "commitments", known.commitments, p),
    };
    Some(Language {
        code,
        name,
        dir,
        default: false,
        translated,
    })
}

/// A language's `[languages.<code>.topics]` (or the like): display names for
/// keys the default's table has.
fn translated_vocabulary(
    table: Option<Spanned<toml::Table>>,
    code: &str,
    section: &str,
    known: &Vocabulary,
    p: &mut Problems,
) -> Vocabulary {
    let Some(table) = table else {
        return Vocabulary::default();
    };
    let start = table.span().start;
    let full = format!("languages.{code}.{section}");
    let translated = vocabulary(table.into_inner(), &full, p);
    for (key, _) in translated.iter() {
        if known.get(key).is_none() {
            let message = format!("[{full}] `{key}` is not in [{section}]");
            let help = known.help_for(key, section);
            p.at_from(start, &format!("{key} ="), message, &help);
        }
    }
    translated
}
