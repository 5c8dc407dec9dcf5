//! The commitments partners made, as a bar chart: for each kind of
//! commitment, one bar per sector, its length the number of partners in that
//! sector who offered it. Every bar is named and numbered in words, so the
//! colours (and the table beside it) are a help, never the only key.

use std::fmt::Write as _;

use serde::Serialize;

use super::svg::{esc, num, open, text_width};
use crate::render::strings::Words;

/// The counts: `counts[kind][sector]` partners.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    pub kinds: Vec<String>,
    pub sectors: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

impl Tally {
    /// Counts partners, each `(sector, commitments)`: a partner that lists a
    /// commitment twice offered it once. Unknown indexes are ignored.
    pub fn count<'a>(
        kinds: Vec<String>,
        sectors: Vec<String>,
        partners: impl Iterator<Item = (usize, &'a [usize])>,
    ) -> Tally {
        let mut counts = vec![vec![0; sectors.len()]; kinds.len()];
        for (sector, offered) in partners {
            let mut seen = offered.to_vec();
            seen.sort_unstable();
            seen.dedup();
            for k in seen {
                if let Some(c) = counts.get_mut(k).and_then(|row| row.get_mut(sector)) {
                    *c += 1;
                }
            }
        }
        Tally {
            kinds,
            sectors,
            counts,
        }
    }

    pub fn total(&self, kind: usize) -> usize {
        self.counts[kind].iter().sum()
    }
}

const SIZE: f64 = 14.0;
const BAR: f64 = 18.0;
const STEP: f64 = 25.0;

/// The chart, or nothing when no kinds of commitment are set up; in the
/// words `w`.
pub fn draw(t: &Tally, w: &Words) -> String {
    if t.kinds.is_empty() || t.sectors.is_empty() {
        return String::new();
    }
    let max = t.counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    let name_w = t
        .sectors
        .iter()
        .map(|s| text_width(s, SIZE))
        .fold(0.0, f64::max)
        .min(260.0);
    let width = 720.0;
    let bars_x = 16.0 + name_w + 10.0;
    let count_room = 16.0 + text_width(&max.to_string(), SIZE);
    let scale = (width - bars_x - count_room) / max as f64;
    let group_h = 32.0 + t.sectors.len() as f64 * STEP + 14.0;
    let height = t.kinds.len() as f64 * group_h + 6.0;

    let summary = t
        .kinds
        .iter()
        .enumerate()
        .map(|(k, name)| format!("{name}: {}", t.total(k)))
        .collect::<Vec<_>>()
        .join("; ");
    let desc = w.fill("commitments_desc", &[("totals", &summary)]);
    let mut out = String::with_capacity(2048 + t.kinds.len() * t.sectors.len() * 300);
    open(
        &mut out,
        "brum-commitments",
        "brum-bars",
        "img",
        (width, height),
        w.word("commitments_title"),
        &desc,
    );
    for (k, kind) in t.kinds.iter().enumerate() {
        let top = k as f64 * group_h;
        let total = t.total(k).to_string();
        let heading = w.fill("commitments_kind", &[("kind", kind), ("n", &total)]);
        let _ = write!(
            out,
            "<text class=\"brum-pic__text brum-pic__text--strong brum-bars__kind\" x=\"16\" y=\"{}\">{}</text>",
            num(top + 22.0),
            esc(&heading),
        );
        for (s, sector) in t.sectors.iter().enumerate() {
            let n = t.counts[k][s];
            let y = top + 32.0 + s as f64 * STEP;
            let w = n as f64 * scale;
            let _ = write!(
                out,
                "<text class=\"brum-pic__text\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
                 <rect class=\"brum-bars__bar brum-sector-{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\"/>\
                 <text class=\"brum-pic__text\" x=\"{}\" y=\"{}\">{n}</text>",
                num(bars_x - 10.0),
                num(y + BAR - 4.0),
                esc(sector),
                s % 6,
                num(bars_x),
                num(y),
                num(w.max(1.5)),
                num(BAR),
                num(bars_x + w + 6.0),
                num(y + BAR - 4.0),
            );
        }
        let _ = write!(
            out,
            "<line class=\"brum-bars__axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(bars_x),
            num(top + 28.0),
            num(bars_x),
            num(top + 32.0 + t.sectors.len() as f64 * STEP),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_counts_once_per_commitment() {
        let offers: Vec<(usize, Vec<usize>)> =
            vec![(0, vec![0, 1, 0]), (1, vec![1]), (0, vec![]), (9, vec![0])];
        let t = Tally::count(
            vec!["a".into(), "b".into()],
            vec!["x".into(), "y".into()],
            offers.iter().map(|(s, o)| (*s, o.as_slice())),
        );
        assert_eq!(t.counts, vec![vec![1, 0], vec![1, 1]]);
        assert_eq!(t.total(1), 2);
    }
}
