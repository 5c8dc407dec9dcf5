//! The pictures the default theme shows, drawn at build time as inline SVG
//! so they need no JavaScript: the timeline as a road, the city vision
//! cycle, the partner network and the commitments chart. Part of the render
//! stage: each drawing is a pure function from plain data to an SVG string
//! (every text escaped); this file only gathers that data from the model,
//! once per build, along with what templates need for the text equivalents.

pub mod commitments;
pub mod cycle;
pub mod network;
pub mod svg;
pub mod timeline;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::strings::{Strings, Words};
use crate::content::Date;
use crate::site::Site;

use commitments::Tally;
use network::{Edge, Node};
use timeline::RoadEntry;

/// A stage of the cycle, for the list beside the picture.
#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    pub number: usize,
    pub name: String,
    pub current: bool,
}

/// `cycle` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct CycleView {
    pub svg: String,
    pub stages: Vec<StageView>,
    pub current: String,
}

/// A row of the commitments table.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentRow {
    pub name: String,
    pub counts: Vec<usize>,
    pub total: usize,
}

/// `commitments` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentsView {
    pub svg: String,
    pub sectors: Vec<String>,
    pub rows: Vec<CommitmentRow>,
    /// What the data file `commitments` says of the event where they were
    /// made, in words (a caption); empty when it says nothing.
    pub event: String,
}

/// `network` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkView {
    pub svg: String,
    pub links: usize,
}

/// Every picture of the site, drawn once per build.
#[derive(Debug, Clone)]
pub struct Pictures {
    pub road: String,
    pub cycle: CycleView,
    pub network: NetworkView,
    /// Per partner (in `Site::partners` order): how many partners it is linked with.
    pub connections: Vec<usize>,
    pub commitments: CommitmentsView,
}

impl Pictures {
    /// Each language's pictures, the default language's first, each in
    /// its language's words.
    pub fn draw_all(site: &Site, strings: &Strings) -> Vec<Pictures> {
        site.languages()
            .map(|s| Pictures::draw(s, &strings.words(&s.lang.code)))
            .collect()
    }

    pub fn draw(site: &Site, w: &Words) -> Pictures {
        let now = Date {
            at: site.options.now.fixed_offset(),
            has_time: false,
        };
        let today = w.date(now.day());
        let road = timeline::draw(&road_entries(site, w), site.today(), &today, w);
        let edges = partner_links(site);
        let mut connections = vec![0; site.partners.len()];
        for e in &edges {
            connections[e.a] += 1;
            connections[e.b] += 1;
        }
        Pictures {
            road,
            cycle: cycle_view(site, w),
            network: NetworkView {
                svg: network::draw(&network_nodes(site), &sector_names(site), &edges, w),
                links: edges.len(),
            },
            connections,
            commitments: commitments_view(site, w),
        }
    }
}

fn sector_names(site: &Site) -> Vec<String> {
    site.config
        .sectors
        .iter()
        .map(|(_, name)| name.to_string())
        .collect()
}

fn road_entries(site: &Site, w: &Words) -> Vec<RoadEntry> {
    site.timeline
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let item = &t.entry.item;
            let start = w.date(item.date.value.day());
            let end = item.end.map(|e| w.date(e.day()));
            RoadEntry {
                number: i + 1,
                title: item.title.clone(),
                start: item.date.value.day(),
                end: item.end.map(|e| e.day()),
                status: t.status,
                when: match end {
                    Some(end) if end != start => format!("{start} – {end}"),
                    _ => start,
                },
            }
        })
        .collect()
}

fn cycle_view(site: &Site, w: &Words) -> CycleView {
    let entries: Vec<cycle::StageEntry> = site
        .timeline
        .iter()
        .map(|t| cycle::StageEntry {
            title: &t.entry.item.title,
            status: t.status,
        })
        .collect();
    let current = cycle::current_stage(&entries);
    let names = cycle::stage_names(w);
    CycleView {
        svg: cycle::draw(current, w),
        current: names[current].clone(),
        stages: names
            .into_iter()
            .enumerate()
            .map(|(i, name)| StageView {
                number: i + 1,
                name,
                current: i == current,
            })
            .collect(),
    }
}

fn network_nodes(site: &Site) -> Vec<Node> {
    let sectors = &site.config.sectors;
    site.partners
        .iter()
        .map(|p| Node {
            name: p.item.name.clone(),
            url: p.url.clone(),
            group: sectors.position(&p.item.sector).unwrap_or(0),
        })
        .collect()
}

/// Partners are linked when a timeline entry names both, or a story names
/// one as its partner and links to the other's page (or links to both).
/// Sorted, each pair once, weighted by how many entries and stories it shares.
pub fn partner_links(site: &Site) -> Vec<Edge> {
    let by_url: HashMap<&str, usize> = site
        .partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.trim_end_matches('/'), i))
        .collect();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let add_group = |group: &mut Vec<usize>, pairs: &mut Vec<(usize, usize)>| {
        group.sort_unstable();
        group.dedup();
        for (k, &a) in group.iter().enumerate() {
            for &b in &group[k + 1..] {
                pairs.push((a, b));
            }
        }
        group.clear();
    };
    for t in &site.timeline {
        group.extend(&t.partners);
        add_group(&mut group, &mut pairs);
    }
    for s in &site.stories {
        group.extend(s.partner);
        group.extend(
            s.entry
                .rendered
                .site_links
                .iter()
                .filter_map(|l| by_url.get(l.trim_end_matches('/')).copied()),
        );
        add_group(&mut group, &mut pairs);
    }
    pairs.sort_unstable();
    let mut edges: Vec<Edge> = Vec::new();
    for (a, b) in pairs {
        match edges.last_mut() {
            Some(e) if e.a == a && e.b == b => e.weight += 1,
            _ => edges.push(Edge { a, b, weight: 1 }),
        }
    }
    edges
}

fn commitments_view(site: &Site, w: &Words) -> CommitmentsView {
    let c = &site.config;
    let kinds: Vec<String> = c.commitments.iter().map(|(_, n)| n.to_string()).collect();
    let offers: Vec<(usize, Vec<usize>)> = site
        .partners
        .iter()
        .map(|p| {
            (
                c.sectors.position(&p.item.sector).unwrap_or(usize::MAX),
                p.item
                    .commitments
                    .iter()
                    .filter_map(|k| c.commitments.position(k))
                    .collect(),
            )
        })
        .collect();
    let tally = Tally::count(
        kinds,
        sector_names(site),
        offers.iter().map(|(s, o)| (*s, o.as_slice())),
    );
    CommitmentsView {
        svg: commitments::draw(&tally, w),
        rows: tally
            .kinds
            .iter()
            .enumerate()
            .map(|(k, name)| CommitmentRow {
                name: name.clone(),
                counts: tally.counts[k].clone(),
                total: tally.total(k),
            })
            .collect(),
        sectors: tally.sectors,
        event: commitments_event(&site.data, w),
    }
}

/// The event and its total from `data.commitments` (`total`, and `event`
/// with `name`, `place` and `date`): "The launch (the MAC, 8 July 2015):
/// partners made 43 commitments." Empty unless the file gives all of
/// them: the chart counts partner profiles, and a site need not have the
/// file.
fn commitments_event(data: &Value, w: &Words) -> String {
    let commitments = data.get("commitments");
    let event = commitments.and_then(|c| c.get("event"));
    let text = |key| event.and_then(|e| e.get(key)).and_then(Value::as_str);
    let total = commitments
        .and_then(|c| c.get("total"))
        .and_then(Value::as_u64);
    let (Some(total), Some(name), Some(place), Some(date)) =
        (total, text("name"), text("place"), text("date"))
    else {
        return String::new();
    };
    // A date in a TOML file arrives as text: `2015-07-08`, perhaps with a time.
    let day = date
        .get(..10)
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok());
    let date = day.map_or_else(|| date.to_string(), |d| w.date(d));
    let n = usize::try_from(total).unwrap_or(usize::MAX);
    super::strings::fill(
        &w.count("commitments_event", n),
        &[("event", name), ("place", place), ("date", &date)],
    )
}
