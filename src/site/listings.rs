//! The order of every list and the cross references between items: stories
//! newest first, partners by name, the timeline by date, pages by weight;
//! each partner's stories and timeline entries, each topic's and question's
//! stories. The slug breaks ties, so no order depends on the disk.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Entry, Options, StoryEntry, TimelineItem};
use crate::config::Config;
use crate::content::{Page, Partner, Status, Story, TimelineEntry};

/// Sorts each kind of item into the order its list shows.
pub fn sort(
    stories: &mut [Entry<Story>],
    partners: &mut [Entry<Partner>],
    timeline: &mut [Entry<TimelineEntry>],
    pages: &mut [Entry<Page>],
) {
    stories.sort_by(|a, b| {
        b.item
            .date
            .value
            .at
            .cmp(&a.item.date.value.at)
            .then_with(|| a.item.common.slug.cmp(&b.item.common.slug))
    });
    partners.sort_by_cached_key(|p| (p.item.name.to_lowercase(), p.item.common.slug.clone()));
    timeline.sort_by(|a, b| {
        a.item
            .date
            .value
            .at
            .cmp(&b.item.date.value.at)
            .then_with(|| a.item.common.slug.cmp(&b.item.common.slug))
    });
    pages.sort_by(|a, b| {
        a.item
            .weight
            .cmp(&b.item.weight)
            .then_with(|| a.item.title.cmp(&b.item.title))
    });
}

/// Slug → index into the (sorted) published partners.
pub fn partner_index(partners: &[Entry<Partner>]) -> HashMap<&str, usize> {
    partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.item.common.slug.as_str(), i))
        .collect()
}

/// Each story with its published partner and whether it is out yet.
pub fn stories(
    stories: Vec<Entry<Story>>,
    partners: &HashMap<&str, usize>,
    options: &Options,
) -> Vec<StoryEntry> {
    stories
        .into_iter()
        .map(|entry| StoryEntry {
            partner: entry
                .item
                .partner
                .as_ref()
                .and_then(|p| partners.get(p.value.as_str()).copied()),
            unpublished: entry.item.common.draft || entry.item.date.value.at > options.now,
            entry,
        })
        .collect()
}

/// Each timeline entry with its status (given, or from its dates) and its
/// published partners.
pub fn timeline(
    timeline: Vec<Entry<TimelineEntry>>,
    partners: &HashMap<&str, usize>,
    today: NaiveDate,
) -> Vec<TimelineItem> {
    timeline
        .into_iter()
        .map(|entry| {
            let t = &entry.item;
            let (status, status_derived) = match t.status {
                Some(s) => (s, false),
                None => (
                    derive_status(t.date.value.day(), t.end.map(|e| e.day()), today),
                    true,
                ),
            };
            let partners = t
                .partners
                .iter()
                .filter_map(|p| partners.get(p.value.as_str()).copied())
                .collect();
            TimelineItem {
                status,
                status_derived,
                partners,
                entry,
            }
        })
        .collect()
}

/// Which stories each list shows, by index into the stories.
#[derive(Debug, Default)]
pub struct Lists {
    /// Per topic in `config.topics` order.
    pub topic_stories: Vec<Vec<usize>>,
    /// Per question in `config.questions` order.
    pub question_stories: Vec<Vec<usize>>,
    /// Per partner: its stories, newest first.
    pub partner_stories: Vec<Vec<usize>>,
    /// Per partner: its timeline entries, in date order.
    pub partner_timeline: Vec<Vec<usize>>,
}

pub fn lists(
    config: &Config,
    stories: &[StoryEntry],
    timeline: &[TimelineItem],
    partners: usize,
) -> Lists {
    let mut lists = Lists {
        topic_stories: vec![Vec::new(); config.topics.len()],
        question_stories: vec![Vec::new(); config.questions.len()],
        partner_stories: vec![Vec::new(); partners],
        partner_timeline: vec![Vec::new(); partners],
    };
    for (i, s) in stories.iter().enumerate() {
        for t in &s.entry.item.topics {
            if let Some(k) = config.topics.position(t) {
                // A story may list a topic twice; it is on the topic's page once.
                push_once(&mut lists.topic_stories[k], i);
            }
        }
        let question = s.entry.item.question.as_deref();
        if let Some(k) = question.and_then(|q| config.questions.position(q)) {
            lists.question_stories[k].push(i);
        }
        if let Some(p) = s.partner {
            lists.partner_stories[p].push(i);
        }
    }
    for (i, t) in timeline.iter().enumerate() {
        for &p in &t.partners {
            push_once(&mut lists.partner_timeline[p], i);
        }
    }
    lists
}

fn push_once(list: &mut Vec<usize>, i: usize) {
    if list.last() != Some(&i) {
        list.push(i);
    }
}

/// A timeline entry's status from its dates, judged by day.
pub fn derive_status(start: NaiveDate, end: Option<NaiveDate>, today: NaiveDate) -> Status {
    let end = end.unwrap_or(start);
    if today < start {
        Status::Planned
    } else if today > end {
        Status::Done
    } else {
        Status::InProgress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_comes_from_the_dates() {
        let today = day("2015-10-01");
        assert_eq!(derive_status(day("2015-09-11"), None, today), Status::Done);
        assert_eq!(
            derive_status(day("2015-10-01"), None, today),
            Status::InProgress
        );
        assert_eq!(
            derive_status(day("2015-12-01"), Some(day("2016-03-31")), today),
            Status::Planned
        );
        assert_eq!(
            derive_status(day("2015-08-01"), Some(day("2016-03-31")), today),
            Status::InProgress
        );
    }
}
