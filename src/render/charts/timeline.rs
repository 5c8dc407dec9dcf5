//! The timeline as a road: one stretch of road per year, each entry a marker
//! on it at its date (its shape and a legend say its status, not only its
//! colour), periods as bars beside the road, and today marked. Labels are
//! packed into lanes so none covers another, however many entries there are.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::svg::{esc, num, open, text_width, truncate};
use crate::content::Status;
use crate::render::strings::Words;
use crate::render::view::status_word;

/// One timeline entry, as the road needs it.
#[derive(Debug, Clone)]
pub struct RoadEntry {
    /// 1-based, in date order: the number it has in the listing beside the road.
    pub number: usize,
    pub title: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub status: Status,
    /// "1 December 2015 – 31 March 2016", in the site's language.
    pub when: String,
}

const WIDTH: f64 = 960.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const PLOT: f64 = WIDTH - LEFT - RIGHT;
const LABEL_SIZE: f64 = 13.0;
const LANE: f64 = 19.0;
const BAR_LANE: f64 = 12.0;
const MARKER: f64 = 7.0;
const LABEL_CHARS: usize = 34;

fn x_of(day: NaiveDate) -> f64 {
    let year_len = if NaiveDate::from_ymd_opt(day.year(), 2, 29).is_some() {
        366.0
    } else {
        365.0
    };
    LEFT + PLOT * f64::from(day.ordinal0()) / year_len
}

/// The x just after the end of `day`, for bars that end on it.
fn x_after(day: NaiveDate) -> f64 {
    match day.succ_opt() {
        Some(next) if next.year() == day.year() => x_of(next),
        _ => LEFT + PLOT,
    }
}

/// Puts intervals (sorted by start) into the first lane where they fit;
/// returns each one's lane and the number of lanes.
fn pack(intervals: &[(f64, f64)], gap: f64) -> (Vec<usize>, usize) {
    let mut lane_ends: Vec<f64> = Vec::new();
    let lanes = intervals
        .iter()
        .map(
            |&(a, b)| match lane_ends.iter().position(|&end| end + gap <= a) {
                Some(l) => {
                    lane_ends[l] = b;
                    l
                }
                None => {
                    lane_ends.push(b);
                    lane_ends.len() - 1
                }
            },
        )
        .collect();
    (lanes, lane_ends.len())
}

/// A status's marker, centred on (x, y), fitting in a circle of `MARKER`.
pub fn marker(out: &mut String, status: Status, x: f64, y: f64) {
    let (cx, cy) = (num(x), num(y));
    match status {
        Status::Done => {
            let _ = write!(
                out,
                "<circle class=\"brum-mark brum-mark--done\" cx=\"{cx}\" cy=\"{cy}\" r=\"{}\"/>\
                 <path class=\"brum-mark__tick\" d=\"M{} {}l2.4 2.4 4.4-4.8\"/>",
                num(MARKER),
                num(x - 3.4),
                num(y),
            );
        }
        Status::InProgress => {
            let r = MARKER;
            let _ = write!(
                out,
                "<path class=\"brum-mark brum-mark--in-progress\" d=\"M{cx} {}L{} {cy}L{cx} {}L{} {cy}Z\"/>",
                num(y - r),
                num(x + r),
                num(y + r),
                num(x - r),
            );
        }
        Status::Planned => {
            let h = MARKER * 0.72;
            let _ = write!(
                out,
                "<rect class=\"brum-mark brum-mark--planned\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                num(x - h),
                num(y - h),
                num(2.0 * h),
                num(2.0 * h),
            );
        }
    }
}

/// The entries' label, placed to the right of the marker unless it would
/// run off the road's end.
struct Label {
    x: f64,
    span: (f64, f64),
    anchor_end: bool,
    text: String,
}

fn label_for(e: &RoadEntry) -> Label {
    let text = format!("{} {}", e.number, truncate(&e.title, LABEL_CHARS));
    let x = x_of(e.start);
    let w = text_width(&text, LABEL_SIZE);
    if x + w + 4.0 > WIDTH - 4.0 {
        Label {
            x: x + 3.0,
            span: (x + 3.0 - w, x + 3.0),
            anchor_end: true,
            text,
        }
    } else {
        Label {
            x: x - 3.0,
            span: (x - 3.0, x - 3.0 + w),
            anchor_end: false,
            text,
        }
    }
}

fn status_counts(entries: &[RoadEntry], w: &Words) -> String {
    let count = |s| entries.iter().filter(|e| e.status == s).count().to_string();
    w.fill(
        "road_statuses",
        &[
            ("done", &count(Status::Done)),
            ("in_progress", &count(Status::InProgress)),
            ("planned", &count(Status::Planned)),
        ],
    )
}

/// The road, or nothing when the timeline is empty. `entries` are in date
/// order; `today_text` is how today is written ("25 November 2026"); `w`,
/// the words of the site's language.
pub fn draw(entries: &[RoadEntry], today: NaiveDate, today_text: &str, w: &Words) -> String {
    let (Some(first), Some(last)) = (
        entries.iter().map(|e| e.start).min(),
        entries.iter().map(|e| e.end.unwrap_or(e.start)).max(),
    ) else {
        return String::new();
    };
    let mut first_year = first.year();
    let mut last_year = last.year();
    // Today gets a stretch of road of its own when it is near; far off, an
    // arrow past the end (or before the start) says where it is.
    if today.year() == last_year + 1 {
        last_year += 1;
    }
    if today.year() + 1 == first_year {
        first_year -= 1;
    }
    let mut body = String::new();
    let mut y = 8.0;
    let legend_y = y + 10.0;
    legend(&mut body, legend_y, w);
    y += 40.0;
    if today.year() < first_year {
        let text = w.fill(
            "road_today_off",
            &[("date", today_text), ("where", w.word("road_today_before"))],
        );
        y = today_note(&mut body, y, &text);
    }
    let months = w.list("months_short");
    let today_label = w.fill("road_today_date", &[("date", today_text)]);
    for year in first_year..=last_year {
        let day = (today, today_label.as_str());
        y = year_row(&mut body, entries, year, y, day, (&months, w));
    }
    if today.year() > last_year {
        let text = w.fill(
            "road_today_off",
            &[("date", today_text), ("where", w.word("road_today_after"))],
        );
        y = today_note(&mut body, y, &text);
    }
    let height = y + 4.0;
    let mut out = String::with_capacity(body.len() + 600);
    let desc = w.fill(
        "road_desc",
        &[
            ("entries", &w.count("road_entries", entries.len())),
            ("first", &first.year().to_string()),
            ("last", &last.year().to_string()),
            ("statuses", &status_counts(entries, w)),
            ("today", today_text),
        ],
    );
    open(
        &mut out,
        "brum-road",
        "brum-road",
        "img",
        (WIDTH, height),
        w.word("road_title"),
        &desc,
    );
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, y: f64, w: &Words) {
    let mut x = LEFT;
    for status in [Status::Done, Status::InProgress, Status::Planned] {
        let label = w.word(status_word(status));
        marker(out, status, x + MARKER, y);
        let _ = write!(
            out,
            "<text class=\"brum-pic__text\" x=\"{}\" y=\"{}\">{}</text>",
            num(x + 2.0 * MARKER + 6.0),
            num(y + 4.5),
            esc(label),
        );
        x += 2.0 * MARKER + 18.0 + text_width(label, LABEL_SIZE);
    }
    let period = w.word("road_period");
    let _ = write!(
        out,
        "<rect class=\"brum-road__bar brum-road__bar--done\" x=\"{}\" y=\"{}\" width=\"28\" height=\"8\" rx=\"3\"/>\
         <text class=\"brum-pic__text\" x=\"{}\" y=\"{}\">{}</text>",
        num(x),
        num(y - 4.0),
        num(x + 34.0),
        num(y + 4.5),
        esc(period),
    );
    x += 34.0 + text_width(period, LABEL_SIZE) + 18.0;
    let _ = write!(
        out,
        "<line class=\"brum-road__today\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\
         <text class=\"brum-pic__text\" x=\"{}\" y=\"{}\">{}</text>",
        num(x + 4.0),
        num(y - 9.0),
        num(x + 4.0),
        num(y + 9.0),
        num(x + 12.0),
        num(y + 4.5),
        esc(w.word("road_today")),
    );
}

/// A line saying where today is when it is off the road: `text`.
fn today_note(out: &mut String, y: f64, text: &str) -> f64 {
    let _ = write!(
        out,
        "<g class=\"brum-road__today-note\"><line class=\"brum-road__today\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\
         <text class=\"brum-pic__text brum-pic__text--strong\" x=\"{}\" y=\"{}\">{}</text></g>",
        num(LEFT),
        num(y),
        num(LEFT),
        num(y + 20.0),
        num(LEFT + 10.0),
        num(y + 15.0),
        esc(text),
    );
    y + 32.0
}

/// An entry's whole name, for the tooltip of its marker and of its bar.
fn full_name(e: &RoadEntry, w: &Words) -> String {
    w.fill(
        "road_entry",
        &[
            ("number", &e.number.to_string()),
            ("title", &e.title),
            ("when", &e.when),
            ("status", w.word(status_word(e.status))),
        ],
    )
}

/// The labels of the entries that start in one year, each on a lane above
/// the road so that none overlaps another.
struct Labels {
    labels: Vec<Label>,
    /// Each label's lane; lane 0 is nearest the road.
    lane_of: Vec<usize>,
    lanes: usize,
}

impl Labels {
    fn of(starts: &[&RoadEntry]) -> Labels {
        let labels: Vec<Label> = starts.iter().map(|e| label_for(e)).collect();
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by(|&a, &b| labels[a].span.0.total_cmp(&labels[b].span.0));
        let spans: Vec<(f64, f64)> = order.iter().map(|&i| labels[i].span).collect();
        let (packed, lanes) = pack(&spans, 8.0);
        let mut lane_of = vec![0; labels.len()];
        for (k, &i) in order.iter().enumerate() {
            lane_of[i] = packed[k];
        }
        Labels {
            labels,
            lane_of,
            lanes,
        }
    }
}

/// Every period that covers part of `year`, with where its bar starts and
/// ends on this year's road.
fn periods(entries: &[RoadEntry], year: i32) -> Vec<(&RoadEntry, f64, f64)> {
    entries
        .iter()
        .filter_map(|e| {
            let end = e.end.filter(|&end| end > e.start)?;
            if e.start.year() > year || end.year() < year {
                return None;
            }
            let a = if e.start.year() == year {
                x_of(e.start)
            } else {
                LEFT
            };
            let b = if end.year() == year {
                x_after(end)
            } else {
                LEFT + PLOT
            };
            Some((e, a, b.max(a + 3.0)))
        })
        .collect()
}

/// Where one year's parts sit, top to bottom.
struct Row {
    top: f64,
    road_y: f64,
    bars_top: f64,
    months_y: f64,
    bottom: f64,
}

/// One year of road: labels above, bars below, the months, and today if it
/// falls in this year (with its label, "Today, 25 November 2026"). Returns
/// the y where the next year starts.
fn year_row(
    out: &mut String,
    entries: &[RoadEntry],
    year: i32,
    top: f64,
    (today, today_text): (NaiveDate, &str),
    (months, w): (&[&str], &Words),
) -> f64 {
    let starts: Vec<&RoadEntry> = entries.iter().filter(|e| e.start.year() == year).collect();
    let labels = Labels::of(&starts);
    let periods = periods(entries, year);
    let bar_spans: Vec<(f64, f64)> = periods.iter().map(|&(_, a, b)| (a, b)).collect();
    let (bar_lanes_of, bar_lanes) = pack(&bar_spans, 3.0);
    let road_y = top + labels.lanes as f64 * LANE + 16.0;
    let bars_top = road_y + 14.0;
    let months_y = bars_top + bar_lanes as f64 * (BAR_LANE + 4.0) + 14.0;
    let row = Row {
        top,
        road_y,
        bars_top,
        months_y,
        bottom: months_y + 14.0,
    };
    let _ = write!(out, "<g class=\"brum-road__year\">");
    draw_road(out, year, &row);
    draw_months(out, year, &row, months);
    for (k, &(e, a, b)) in periods.iter().enumerate() {
        let y = row.bars_top + bar_lanes_of[k] as f64 * (BAR_LANE + 4.0);
        draw_bar(out, e, (a, b), y, w);
    }
    // Leaders first, so labels (with a halo) sit over any that cross them.
    for (i, e) in starts.iter().enumerate() {
        draw_leader(out, x_of(e.start), label_y(&labels, i, &row), &row);
    }
    if today.year() == year {
        draw_today_mark(out, x_of(today), today_text, &row);
    }
    for (i, e) in starts.iter().enumerate() {
        let label = (&labels.labels[i], label_y(&labels, i, &row));
        draw_start(out, e, label, &row, w);
    }
    out.push_str("</g>");
    // The row with today has its label under the months.
    row.bottom + if today.year() == year { 34.0 } else { 18.0 }
}

/// Label lanes stack upwards from the road: lane 0 is nearest it.
fn label_y(labels: &Labels, i: usize, row: &Row) -> f64 {
    row.top + (labels.lanes - 1 - labels.lane_of[i]) as f64 * LANE + 14.0
}

/// The year's name and its stretch of road.
fn draw_road(out: &mut String, year: i32, row: &Row) {
    let road_y = row.road_y;
    let _ = write!(
        out,
        "<text class=\"brum-road__year-label\" x=\"{}\" y=\"{}\">{year}</text>",
        num(LEFT - 10.0),
        num(road_y + 5.0),
    );
    let _ = write!(
        out,
        "<rect class=\"brum-road__road\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"9\"/>\
         <line class=\"brum-road__centre\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        num(LEFT - 4.0),
        num(road_y - 9.0),
        num(PLOT + 8.0),
        num(LEFT + 6.0),
        num(road_y),
        num(LEFT + PLOT - 6.0),
        num(road_y),
    );
}

/// A tick and a name for each month, under the bars.
fn draw_months(out: &mut String, year: i32, row: &Row, months: &[&str]) {
    let months_y = row.months_y;
    for (m, name) in months.iter().take(12).enumerate() {
        let Some(day) = NaiveDate::from_ymd_opt(year, m as u32 + 1, 1) else {
            continue;
        };
        let x = x_of(day);
        let _ = write!(
            out,
            "<line class=\"brum-road__tick\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\
             <text class=\"brum-road__month\" x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(months_y - 12.0),
            num(x),
            num(months_y - 6.0),
            num(x + 3.0),
            num(months_y + 4.0),
            esc(name),
        );
    }
}

/// A period's bar, from `a` to `b`, at `y`.
fn draw_bar(out: &mut String, e: &RoadEntry, (a, b): (f64, f64), y: f64, w: &Words) {
    let _ = write!(
        out,
        "<rect class=\"brum-road__bar brum-road__bar--{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\"><title>{}</title></rect>",
        e.status.key(),
        num(a),
        num(y),
        num(b - a),
        num(BAR_LANE),
        esc(&full_name(e, w)),
    );
}

/// The line from an entry's label down to its marker on the road.
fn draw_leader(out: &mut String, x: f64, label_y: f64, row: &Row) {
    let _ = write!(
        out,
        "<line class=\"brum-road__leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        num(x),
        num(label_y + 3.0),
        num(x),
        num(row.road_y - MARKER),
    );
}

/// Today, as a line across the year's row with its label (`text`) under
/// the months.
fn draw_today_mark(out: &mut String, x: f64, text: &str, row: &Row) {
    let anchor_end = x > LEFT + PLOT / 2.0;
    let _ = write!(
        out,
        "<g class=\"brum-road__today-mark\"><line class=\"brum-road__today\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\
         <text class=\"brum-pic__text brum-pic__text--strong brum-pic__halo\" x=\"{}\" y=\"{}\"{}>{}</text></g>",
        num(x),
        num(row.top + 2.0),
        num(x),
        num(row.months_y + 20.0),
        num(if anchor_end { x - 5.0 } else { x + 5.0 }),
        num(row.months_y + 20.0),
        if anchor_end {
            " text-anchor=\"end\""
        } else {
            ""
        },
        esc(text),
    );
}

/// An entry that starts this year: its marker on the road and its label.
fn draw_start(out: &mut String, e: &RoadEntry, (l, label_y): (&Label, f64), row: &Row, w: &Words) {
    let _ = write!(
        out,
        "<g class=\"brum-road__entry\"><title>{}</title>",
        esc(&full_name(e, w)),
    );
    marker(out, e.status, x_of(e.start), row.road_y);
    let _ = write!(
        out,
        "<text class=\"brum-pic__text brum-pic__halo\" x=\"{}\" y=\"{}\"{}>{}</text></g>",
        num(l.x),
        num(label_y),
        if l.anchor_end {
            " text-anchor=\"end\""
        } else {
            ""
        },
        esc(&l.text),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_never_hold_two_overlapping_spans() {
        let spans = [(0.0, 50.0), (10.0, 20.0), (55.0, 60.0), (15.0, 90.0)];
        let (lanes, n) = pack(&spans, 4.0);
        assert_eq!(lanes, vec![0, 1, 0, 2]);
        assert_eq!(n, 3);
    }

    #[test]
    fn dates_fall_within_their_year() {
        let jan = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
        let dec = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap();
        assert_eq!(x_of(jan), LEFT);
        assert!(x_of(dec) < LEFT + PLOT);
        assert_eq!(x_after(dec), LEFT + PLOT);
    }
}
