//! The city vision cycle of the partners' briefing (its Appendix 1): shared
//! vision → priorities → contributions → delivery → evidence of difference →
//! back to the vision, with the stage the timeline has reached highlighted.
//! Which stage that is comes from the timeline's entries: see [`current_stage`].

use std::f64::consts::PI;
use std::fmt::Write as _;

use super::svg::{esc, num, open};
use crate::content::Status;
use crate::render::strings::Words;

/// The stages, in order, each as the words in an entry's title that place
/// it at this stage (English words: titles in another language name no
/// stage). Their names are the words `cycle_stages`.
pub const STAGES: [&[&str]; 5] = [
    &["vision"],
    &["priorit"],
    &["contribut", "commitment", "pledge", "role"],
    &["deliver", "launch", "programme", "project"],
    &[
        "evidence",
        "difference",
        "progress report",
        "evaluat",
        "impact",
    ],
];

/// The stages' names in a language: shared vision, priorities,
/// contributions, delivery, evidence of difference. A list too short for
/// every stage is made up with the stages' numbers.
pub fn stage_names(w: &Words) -> Vec<String> {
    let names = w.list("cycle_stages");
    (0..STAGES.len())
        .map(|i| {
            names
                .get(i)
                .map_or_else(|| (i + 1).to_string(), |s| s.to_string())
        })
        .collect()
}

/// The stage a title speaks of: the first stage one of whose words begins a
/// word of the title (case aside), if any.
pub fn stage_of(title: &str) -> Option<usize> {
    let lower = title.to_lowercase();
    let starts_word = |needle: &str| {
        lower.match_indices(needle).any(|(i, _)| {
            lower[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    };
    STAGES
        .iter()
        .position(|words| words.iter().any(|w| starts_word(w)))
}

/// An entry as the cycle sees it: its title, status and start, in date order.
pub struct StageEntry<'a> {
    pub title: &'a str,
    pub status: Status,
}

/// Where the cycle stands. The rule: among the entries under way (in
/// progress), else among those done, the latest (in date order) whose title
/// names a stage gives the stage; with none, the cycle is at its start, the
/// shared vision. `entries` are in date order.
pub fn current_stage(entries: &[StageEntry]) -> usize {
    let latest = |status: Status| {
        entries
            .iter()
            .rev()
            .filter(|e| e.status == status)
            .find_map(|e| stage_of(e.title))
    };
    latest(Status::InProgress)
        .or_else(|| latest(Status::Done))
        .unwrap_or(0)
}

/// A stage name in at most two lines.
fn lines(name: &str) -> Vec<&str> {
    match name.rsplit_once(' ') {
        Some((a, b)) if name.len() > 14 => vec![a, b],
        _ => vec![name],
    }
}

const W: f64 = 580.0;
const H: f64 = 500.0;
const CX: f64 = W / 2.0;
const CY: f64 = 258.0;
const RING: f64 = 172.0;
const NODE: f64 = 68.0;

/// The cycle with stage `current` highlighted, in the words `w`.
pub fn draw(current: usize, w: &Words) -> String {
    let names = stage_names(w);
    let n = names.len();
    let angle = |i: f64| -PI / 2.0 + 2.0 * PI * i / n as f64;
    let at = |a: f64, r: f64| (CX + r * a.cos(), CY + r * a.sin());
    let mut out = String::with_capacity(4096);
    let current_name = &names[current.min(n - 1)];
    let stages = names
        .iter()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(w.word("cycle_then"));
    let desc = w.fill(
        "cycle_desc",
        &[("stages", &stages), ("current", current_name)],
    );
    open(
        &mut out,
        "brum-cycle",
        "brum-cycle",
        "img",
        (W, H),
        w.word("cycle_title"),
        &desc,
    );
    out.push_str(
        "<defs><marker id=\"brum-cycle-arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path class=\"brum-cycle__head\" d=\"M0 0L10 5L0 10Z\"/></marker></defs>",
    );
    // Arrows along the ring, from the edge of one stage to the next.
    let gap = (NODE + 8.0) / RING;
    for i in 0..n {
        let a0 = angle(i as f64) + gap;
        let a1 = angle(i as f64 + 1.0) - gap;
        let (x0, y0) = at(a0, RING);
        let (x1, y1) = at(a1, RING);
        let back = if i == n - 1 {
            " brum-cycle__arrow--back"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<path class=\"brum-cycle__arrow{back}\" d=\"M{} {}A{} {} 0 0 1 {} {}\" marker-end=\"url(#brum-cycle-arrow)\"/>",
            num(x0),
            num(y0),
            num(RING),
            num(RING),
            num(x1),
            num(y1),
        );
    }
    // The centre's lines, 22 apart, around CY + 7.
    let centre = w.list("cycle_centre");
    let first = CY + 7.0 - 11.0 * (centre.len() as f64 - 1.0);
    for (k, line) in centre.iter().enumerate() {
        let _ = write!(
            out,
            "<text class=\"brum-cycle__centre\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(CX),
            num(first + 22.0 * k as f64),
            esc(line),
        );
    }
    for (i, name) in names.iter().enumerate() {
        let (x, y) = at(angle(i as f64), RING);
        let is_current = i == current;
        let class = if is_current {
            "brum-cycle__stage brum-cycle__stage--current"
        } else {
            "brum-cycle__stage"
        };
        let _ = write!(
            out,
            "<g class=\"{class}\"><circle class=\"brum-cycle__node\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            num(x),
            num(y),
            num(NODE),
        );
        let parts = lines(name);
        let top = y - (parts.len() as f64 - 1.0) * 9.0 + 5.0 - if is_current { 8.0 } else { 0.0 };
        for (k, line) in parts.iter().enumerate() {
            let _ = write!(
                out,
                "<text class=\"brum-cycle__label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                num(x),
                num(top + k as f64 * 18.0),
                esc(line),
            );
        }
        if is_current {
            let _ = write!(
                out,
                "<text class=\"brum-cycle__here\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                num(x),
                num(top + parts.len() as f64 * 18.0 + 2.0),
                esc(w.word("cycle_here")),
            );
        }
        let _ = write!(
            out,
            "<text class=\"brum-cycle__num\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
            num(x),
            num(y - NODE + 17.0),
            i + 1,
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, status: Status) -> StageEntry<'_> {
        StageEntry { title, status }
    }

    #[test]
    fn titles_name_stages_by_whole_words() {
        assert_eq!(stage_of("City vision agreed"), Some(0));
        assert_eq!(stage_of("Developing roles and governance"), Some(2));
        assert_eq!(stage_of("Formal launch of Birmingham Partners"), Some(3));
        assert_eq!(stage_of("Progress report published"), Some(4));
        assert_eq!(
            stage_of("Parole board meeting"),
            None,
            "not `role` inside a word"
        );
        assert_eq!(stage_of("Steering group meeting"), None);
    }

    #[test]
    fn the_work_under_way_decides_the_stage() {
        let entries = [
            entry("City vision agreed", Status::Done),
            entry("Developing roles and governance", Status::InProgress),
            entry("Formal launch", Status::Planned),
        ];
        assert_eq!(current_stage(&entries), 2);
        let done = [
            entry("City vision agreed", Status::Done),
            entry("Formal launch", Status::Done),
            entry("A dinner", Status::Done),
        ];
        assert_eq!(current_stage(&done), 3);
        assert_eq!(current_stage(&[entry("A dinner", Status::Planned)]), 0);
    }
}
