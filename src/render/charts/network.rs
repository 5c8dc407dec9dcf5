//! The partner network: partners as nodes, one wedge of a ring per sector,
//! linked when they share a timeline entry or a story. The layout is worked
//! out, not simulated: nodes sit on concentric rings at a spacing that keeps
//! them apart by construction, so the same partners always give the same
//! picture and 500 partners cost no more than sorting them.

use std::f64::consts::PI;
use std::fmt::Write as _;

use super::svg::{esc, num, push_num, text_width};
use crate::render::strings::Words;

/// A partner as the network needs it.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub url: String,
    /// Index of its sector in the site's sectors.
    pub group: usize,
}

/// Two partners that share `weight` timeline entries and stories; `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub weight: usize,
}

/// Where every node goes.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Each node's centre, relative to the picture's centre.
    pub points: Vec<(f64, f64)>,
    /// Every node's shape fits in a circle of this radius.
    pub node_radius: f64,
    /// The radius of the outermost ring.
    pub outer: f64,
    /// Whether names are written beside the nodes (all on one ring).
    pub labels: bool,
}

/// At most this many partners are named beside their node; past it the
/// names would not fit, and each node says its name on hover and to
/// assistive technology instead.
const LABEL_MAX: usize = 60;
const LABEL_SIZE: f64 = 12.0;
const INNER: f64 = 120.0;
const INNER_FEW: f64 = 150.0;
/// On-screen pixels per unit, at most.
const SCALE: f64 = 1.4;

/// Lays out `nodes` (their groups) given each node's number of links.
pub fn layout(groups: &[usize], group_count: usize, degree: &[usize]) -> Layout {
    let n = groups.len();
    let few = n <= LABEL_MAX;
    let node_radius = if few { 11.0 } else { 6.0 };
    // Centre to centre along a ring, and from one ring to the next.
    let spacing = 2.0 * node_radius + if few { 10.0 } else { 6.0 };
    let members: Vec<Vec<usize>> = {
        let mut m = vec![Vec::new(); group_count.max(1)];
        for (i, &g) in groups.iter().enumerate() {
            m[g.min(group_count.saturating_sub(1))].push(i);
        }
        if !few {
            // Most linked nearest the middle, where their links are shortest.
            for list in &mut m {
                list.sort_by_key(|&i| (std::cmp::Reverse(degree[i]), i));
            }
        }
        m
    };
    let used = members.iter().filter(|m| !m.is_empty()).count().max(1);
    let gap_arc = 1.5 * spacing;
    // Few nodes: one ring, big enough for all of them and the gaps.
    let inner = if few {
        let need = n as f64 * spacing * 1.05 + used as f64 * (gap_arc + spacing * 1.05);
        (need / (2.0 * PI)).max(INNER_FEW)
    } else {
        INNER
    };
    let gap = gap_arc / inner;
    let free = 2.0 * PI - used as f64 * gap;
    // Each sector's wedge: at least one node's room, the rest by its size.
    let min_angle = spacing * 1.05 / inner;
    let spare = (free - used as f64 * min_angle).max(0.0);
    let mut points = vec![(0.0, 0.0); n];
    let mut start = -PI / 2.0 + gap / 2.0;
    let mut outer = inner;
    for list in members.iter().filter(|m| !m.is_empty()) {
        let wedge = min_angle + spare * list.len() as f64 / n.max(1) as f64;
        let mut placed = 0;
        let mut ring = 0;
        while placed < list.len() {
            let r = inner + ring as f64 * spacing;
            // Slots a chord of `spacing` apart (the arc is a little longer).
            let slots = ((wedge * r / (spacing * 1.02)).floor() as usize).max(1);
            let here = slots.min(list.len() - placed);
            for j in 0..here {
                let a = start + wedge * (j as f64 + 0.5) / here as f64;
                points[list[placed + j]] = (r * a.cos(), r * a.sin());
            }
            placed += here;
            outer = outer.max(r);
            ring += 1;
        }
        start += wedge + gap;
    }
    Layout {
        points,
        node_radius,
        outer,
        labels: few && outer == inner,
    }
}

/// The smallest distance between two node centres (for tests and checks).
pub fn closest_pair(points: &[(f64, f64)]) -> f64 {
    // Sorted by x, a pair further apart in x than the best so far is skipped.
    let mut sorted: Vec<(f64, f64)> = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = f64::INFINITY;
    for i in 0..sorted.len() {
        for j in i + 1..sorted.len() {
            let dx = sorted[j].0 - sorted[i].0;
            if dx >= best {
                break;
            }
            let dy = sorted[j].1 - sorted[i].1;
            best = best.min((dx * dx + dy * dy).sqrt());
        }
    }
    best
}

/// The shape of sector `group`: centred on the origin, within `r`.
fn shape(out: &mut String, group: usize, r: f64) {
    let class = format!("brum-net__shape brum-sector-{}", group % 6);
    match group % 6 {
        0 => {
            let _ = write!(out, "<circle class=\"{class}\" r=\"{}\"/>", num(r * 0.92));
        }
        1 => {
            let h = r * 0.72;
            let _ = write!(
                out,
                "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                num(-h),
                num(-h),
                num(2.0 * h),
                num(2.0 * h),
            );
        }
        g => {
            // Diamond, triangle, hexagon, downward triangle.
            let (sides, turn) = match g {
                2 => (4, 0.0),
                3 => (3, 0.0),
                4 => (6, PI / 6.0),
                _ => (3, PI),
            };
            out.push_str("<path class=\"");
            out.push_str(&class);
            out.push_str("\" d=\"");
            for k in 0..sides {
                let a = -PI / 2.0 + turn + 2.0 * PI * k as f64 / sides as f64;
                out.push(if k == 0 { 'M' } else { 'L' });
                push_num(out, r * a.cos());
                out.push(' ');
                push_num(out, r * a.sin());
            }
            out.push_str("Z\"/>");
        }
    }
}

/// The network picture. `groups` are the sectors' names; `edges` sorted;
/// `w` the words of the site's language.
pub fn draw(nodes: &[Node], groups: &[String], edges: &[Edge], w: &Words) -> String {
    if nodes.is_empty() {
        return String::new();
    }
    let mut degree = vec![0usize; nodes.len()];
    for e in edges {
        degree[e.a] += 1;
        degree[e.b] += 1;
    }
    let node_groups: Vec<usize> = nodes.iter().map(|n| n.group).collect();
    let lay = layout(&node_groups, groups.len(), &degree);
    let mut counts = vec![0usize; groups.len()];
    for n in nodes {
        if let Some(c) = counts.get_mut(n.group) {
            *c += 1;
        }
    }
    let frame = Frame::of(nodes, &lay, &counts);
    let mut out = String::with_capacity(nodes.len() * 260 + edges.len() * 40 + 2048);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"brum-pic brum-net{}\" id=\"brum-net\" \
         viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"group\" \
         aria-labelledby=\"brum-net-title\" aria-describedby=\"brum-net-desc\" data-node-radius=\"{}\">\
         <title id=\"brum-net-title\">{}</title><desc id=\"brum-net-desc\">{}</desc>",
        // Few partners: fewer lines, so each can be drawn stronger.
        if lay.labels { " brum-net--few" } else { "" },
        num(frame.width),
        num(frame.height),
        // Drawn at one scale whatever the size, so a small network is not
        // blown up to fill the page; CSS shrinks it on narrow screens.
        num(frame.width * SCALE),
        num(frame.height * SCALE),
        num(lay.node_radius),
        esc(w.word("network_title")),
        esc(&description(nodes, edges, &degree, w)),
    );
    draw_edges(&mut out, edges, &lay, &frame);
    for (i, node) in nodes.iter().enumerate() {
        let sector = groups.get(node.group).map_or("", String::as_str);
        draw_node(
            &mut out,
            node,
            (sector, degree[i]),
            lay.points[i],
            (&lay, &frame),
            w,
        );
    }
    draw_legend(&mut out, groups, &counts, frame.legend_top, w);
    out.push_str("</svg>");
    out
}

/// The picture's size: the network, room for names beside it, the legend.
struct Frame {
    /// The network's centre.
    cx: f64,
    cy: f64,
    width: f64,
    height: f64,
    legend_top: f64,
}

impl Frame {
    fn of(nodes: &[Node], lay: &Layout, counts: &[usize]) -> Frame {
        let label_room = if lay.labels {
            nodes
                .iter()
                .map(|n| text_width(&n.name, LABEL_SIZE))
                .fold(0.0, f64::max)
                + 12.0
        } else {
            0.0
        };
        let half = lay.outer + lay.node_radius + label_room + 8.0;
        let legend_top = 2.0 * half + 8.0;
        let legend_rows = counts.iter().filter(|&&c| c > 0).count();
        Frame {
            cx: half,
            cy: half,
            width: 2.0 * half,
            height: legend_top + legend_rows as f64 * 26.0 + 8.0,
            legend_top,
        }
    }
}

/// The picture in words: how many partners and lines, and the most linked.
fn description(nodes: &[Node], edges: &[Edge], degree: &[usize], w: &Words) -> String {
    let mut hubs: Vec<usize> = (0..nodes.len()).filter(|&i| degree[i] > 0).collect();
    hubs.sort_by_key(|&i| (std::cmp::Reverse(degree[i]), i));
    let hub_text = hubs
        .iter()
        .take(3)
        .map(|&i| format!("{} ({})", nodes[i].name, degree[i]))
        .collect::<Vec<_>>()
        .join(", ");
    let most_linked = if hub_text.is_empty() {
        String::new()
    } else {
        format!(
            " {}",
            w.fill("network_most_linked", &[("partners", &hub_text)])
        )
    };
    w.fill(
        "network_desc",
        &[
            ("partners", &w.count("count_partners", nodes.len())),
            ("lines", &w.count("network_lines", edges.len())),
            ("most_linked", &most_linked),
        ],
    )
}

/// The links, as two paths: the plain ones and the strong ones (two
/// partners linked more than once). They curve towards the middle, so those
/// between near neighbours stay short and the rest gather rather than cross
/// the nodes.
fn draw_edges(out: &mut String, edges: &[Edge], lay: &Layout, frame: &Frame) {
    let (cx, cy) = (frame.cx, frame.cy);
    for (class, strong) in [
        ("brum-net__edges", false),
        ("brum-net__edges--strong", true),
    ] {
        let mut d = String::new();
        for e in edges.iter().filter(|e| (e.weight > 1) == strong) {
            let (ax, ay) = lay.points[e.a];
            let (bx, by) = lay.points[e.b];
            let (mx, my) = ((ax + bx) * 0.25, (ay + by) * 0.25);
            d.push('M');
            push_num(&mut d, cx + ax);
            d.push(' ');
            push_num(&mut d, cy + ay);
            d.push('Q');
            push_num(&mut d, cx + mx);
            d.push(' ');
            push_num(&mut d, cy + my);
            d.push(' ');
            push_num(&mut d, cx + bx);
            d.push(' ');
            push_num(&mut d, cy + by);
        }
        if !d.is_empty() {
            let _ = write!(out, "<path class=\"{class}\" d=\"{d}\"/>");
        }
    }
}

/// One partner: a link to its page, its shape, and its name when names fit.
fn draw_node(
    out: &mut String,
    node: &Node,
    (sector, linked): (&str, usize),
    (x, y): (f64, f64),
    (lay, frame): (&Layout, &Frame),
    w: &Words,
) {
    let name = crate::render::strings::fill(
        &w.count("network_node", linked),
        &[("name", &node.name), ("sector", sector)],
    );
    let _ = write!(
        out,
        "<a href=\"{}\" aria-label=\"{}\" class=\"brum-net__node\"><title>{}</title>\
         <g transform=\"translate({} {})\">",
        esc(&node.url),
        esc(&name),
        esc(&name),
        num(frame.cx + x),
        num(frame.cy + y),
    );
    shape(out, node.group, lay.node_radius);
    out.push_str("</g>");
    if lay.labels {
        let angle = y.atan2(x);
        let deg = angle.to_degrees();
        let left = x < -0.5;
        let r = lay.outer + lay.node_radius + 6.0;
        let (lx, ly) = (frame.cx + r * angle.cos(), frame.cy + r * angle.sin());
        let _ = write!(
            out,
            "<text class=\"brum-pic__text brum-net__label\" x=\"{}\" y=\"{}\" dy=\"0.35em\" \
             transform=\"rotate({} {} {})\"{}>{}</text>",
            num(lx),
            num(ly),
            num(if left { deg + 180.0 } else { deg }),
            num(lx),
            num(ly),
            if left { " text-anchor=\"end\"" } else { "" },
            // The whole name: a node's visible text must be part of its
            // accessible name (WCAG 2.5.3), so it is never cut short.
            esc(&node.name),
        );
    }
    out.push_str("</a>");
}

/// The legend: each sector that has partners, its shape and how many.
fn draw_legend(out: &mut String, groups: &[String], counts: &[usize], top: f64, w: &Words) {
    let shown: Vec<usize> = (0..groups.len()).filter(|&g| counts[g] > 0).collect();
    for (row, &g) in shown.iter().enumerate() {
        let name = &groups[g];
        let y = top + row as f64 * 26.0 + 12.0;
        let _ = write!(out, "<g transform=\"translate(24 {})\">", num(y));
        shape(out, g, 9.0);
        let _ = write!(
            out,
            "</g><text class=\"brum-pic__text\" x=\"42\" y=\"{}\">{}: {}</text>",
            num(y + 4.5),
            esc(name),
            esc(&w.count("count_partners", counts[g])),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(n: usize, groups: usize) -> Vec<usize> {
        // Uneven sectors, the way real sites are.
        (0..n).map(|i| (i * i + i / 3) % groups).collect()
    }

    #[test]
    fn nodes_never_overlap_at_any_size() {
        for n in [1, 2, 10, 59, 60, 61, 100, 500, 2000] {
            let groups = spread(n, 4);
            let degree: Vec<usize> = (0..n).map(|i| i % 7).collect();
            let lay = layout(&groups, 4, &degree);
            let closest = closest_pair(&lay.points);
            assert!(
                closest >= 2.0 * lay.node_radius + 2.0,
                "{n} nodes: two centres {closest} apart"
            );
        }
    }

    #[test]
    fn one_sector_with_one_partner_has_room() {
        let lay = layout(&[3, 0, 0, 0, 0, 0], 4, &[0; 6]);
        assert!(closest_pair(&lay.points) >= 2.0 * lay.node_radius);
        assert!(lay.labels);
    }

    #[test]
    fn the_closest_pair_is_found() {
        let pts = [(0.0, 0.0), (10.0, 0.0), (3.0, 4.0), (100.0, 100.0)];
        assert_eq!(closest_pair(&pts), 5.0);
    }
}
