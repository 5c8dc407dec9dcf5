//! A page's contents list: its headings as a tree, and whether the theme
//! shows it (`page.toc`, `page.show_toc`).

use std::ops::RangeInclusive;

use serde::Serialize;

use crate::markdown::Heading;

/// The heading levels a contents list holds. Not 1: the page's title is its
/// level-1 heading, and one in the text stands beside the title rather than
/// under it. Not 5 or 6: too fine a division to be worth a link.
pub const TOC_LEVELS: RangeInclusive<u8> = 2..=4;

/// The fewest headings (of `TOC_LEVELS`) for which a contents list is shown
/// unasked: below it a page is short enough to scroll.
pub const TOC_AUTO_MIN: usize = 4;

/// One heading in a contents list, with the headings under it.
#[derive(Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
    pub children: Vec<TocEntry>,
}

/// The headings of `TOC_LEVELS` as a tree: each heading holds the deeper
/// ones that follow it. A skipped level nests one step (a level 4 under a
/// level 2), and a heading as high as every one before it is a top-level
/// entry, so every heading appears once, in order.
pub fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    let shown: Vec<&Heading> = headings
        .iter()
        .filter(|h| TOC_LEVELS.contains(&h.level))
        .collect();
    entries_below(&mut shown.as_slice(), 0)
}

/// Takes from the front of `rest` the headings deeper than `level`.
/// Recursion is at most `TOC_LEVELS` deep, as each step goes a level down.
fn entries_below(rest: &mut &[&Heading], level: u8) -> Vec<TocEntry> {
    let mut out = Vec::new();
    while let Some((h, tail)) = rest.split_first() {
        if h.level <= level {
            break;
        }
        *rest = tail;
        out.push(TocEntry {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
            children: entries_below(rest, h.level),
        });
    }
    out
}

/// Whether a page with `headings` shows its contents list: as the front
/// matter's `toc` says, else when it has `TOC_AUTO_MIN` entries; never when
/// it is empty.
pub fn show_toc(wanted: Option<bool>, headings: &[Heading]) -> bool {
    let entries = headings
        .iter()
        .filter(|h| TOC_LEVELS.contains(&h.level))
        .count();
    entries > 0 && wanted.unwrap_or(entries >= TOC_AUTO_MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(levels: &[u8]) -> Vec<Heading> {
        levels
            .iter()
            .enumerate()
            .map(|(i, &level)| Heading {
                level,
                id: format!("h{i}"),
                text: format!("Heading {i}"),
            })
            .collect()
    }

    /// The tree as `id(children…)`, for short comparisons.
    fn shape(entries: &[TocEntry]) -> String {
        let each = entries.iter().map(|e| {
            let children = shape(&e.children);
            if children.is_empty() {
                e.id.clone()
            } else {
                format!("{}({children})", e.id)
            }
        });
        each.collect::<Vec<_>>().join(" ")
    }

    fn tree(levels: &[u8]) -> String {
        shape(&toc(&headings(levels)))
    }

    #[test]
    fn deeper_headings_nest_under_the_one_before() {
        assert_eq!(tree(&[2, 3, 3, 2, 3, 4, 2]), "h0(h1 h2) h3(h4(h5)) h6");
        let t = toc(&headings(&[2, 3]));
        assert_eq!((t[0].level, t[0].text.as_str()), (2, "Heading 0"));
        assert_eq!(t[0].children[0].level, 3);
    }

    #[test]
    fn a_skipped_level_nests_one_step() {
        assert_eq!(tree(&[2, 4, 3, 2]), "h0(h1 h2) h3");
        assert_eq!(tree(&[2, 4, 4]), "h0(h1 h2)");
    }

    #[test]
    fn a_text_may_start_below_the_top_level() {
        assert_eq!(tree(&[3, 3, 2, 3]), "h0 h1 h2(h3)");
        assert_eq!(tree(&[4, 3, 2]), "h0 h1 h2");
    }

    #[test]
    fn levels_one_five_and_six_are_left_out() {
        assert_eq!(tree(&[1, 2, 5, 3, 6, 1, 2]), "h1(h3) h6");
        assert_eq!(tree(&[1, 5, 6]), "");
        assert_eq!(tree(&[]), "");
    }

    #[test]
    fn the_list_shows_when_asked_or_when_long() {
        let short = headings(&[2; TOC_AUTO_MIN - 1]);
        let long = headings(&[3; TOC_AUTO_MIN]);
        assert!(!show_toc(None, &short));
        assert!(show_toc(None, &long));
        assert!(show_toc(Some(true), &short[..1]));
        assert!(!show_toc(Some(false), &long));
    }

    #[test]
    fn only_the_listed_levels_count() {
        let mut levels = vec![1, 5, 6, 1];
        levels.extend(vec![4; TOC_AUTO_MIN - 1]);
        assert!(!show_toc(None, &headings(&levels)));
        levels.push(2);
        assert!(show_toc(None, &headings(&levels)));
        // Nothing to list: nothing shown, whatever was asked.
        assert!(!show_toc(Some(true), &headings(&[1, 5])));
        assert!(!show_toc(Some(true), &[]));
    }
}
