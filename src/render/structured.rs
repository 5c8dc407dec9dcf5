//! Structured data (schema.org JSON-LD) and the picture a shared link shows,
//! for each kind of page. Built here as JSON values rather than in templates:
//! Tera cannot build nested objects, and a value serialised by serde_json is
//! valid JSON whatever the text in it. Templates print it through the
//! `json_script` filter, which makes it safe inside `<script>`.

use serde_json::{Map, Value, json};

use crate::content::Date;
use crate::images::Catalog;
use crate::site::routes::{Fixed, theme_files};
use crate::site::{Entry, Site, StoryEntry, TimelineItem};

/// A picture for link previews: an absolute URL and its text alternative.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SocialImage {
    pub url: String,
    pub alt: String,
    /// Its size in pixels, when brum made it and so knows.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The site's default picture for link previews.
pub fn default_image(site: &Site) -> SocialImage {
    let c = &site.config;
    SocialImage {
        url: site.routes.permalink(&site.routes.url(theme_files::SOCIAL)),
        alt: format!("{}: {}", c.title, c.campaign_name),
        width: None,
        height: None,
    }
}

/// A story's picture for link previews: cut to 1200×630 when brum processes
/// it (a JPEG, PNG or WebP of the site), so every preview shows the same
/// shape and a large photo is not sent whole; else as [`image_of`].
pub fn card_image_of<T>(
    site: &Site,
    images: &Catalog,
    entry: &Entry<T>,
    alt: Option<&str>,
) -> SocialImage {
    let (Some(url), Some(alt)) = (&entry.image_url, alt) else {
        return default_image(site);
    };
    match images.card(url) {
        Some((card, width, height)) => SocialImage {
            url: absolute(site, &card),
            alt: alt.to_string(),
            width: Some(width),
            height: Some(height),
        },
        None => image_of(site, entry, alt.into()),
    }
}

/// An item's own picture (a story's image, a partner's logo), made absolute,
/// or the site's default.
pub fn image_of<T>(site: &Site, entry: &Entry<T>, alt: Option<&str>) -> SocialImage {
    match (&entry.image_url, alt) {
        (Some(url), Some(alt)) => SocialImage {
            url: absolute(site, url),
            alt: alt.to_string(),
            width: None,
            height: None,
        },
        _ => default_image(site),
    }
}

fn absolute(site: &Site, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        site.routes.permalink(url)
    } else {
        url.to_string()
    }
}

/// A date as schema.org wants it: with its time and offset when it has one.
fn schema_date(d: &Date) -> String {
    if d.has_time {
        d.at.to_rfc3339()
    } else {
        d.iso()
    }
}

/// The organisation behind the site: the publisher of every story.
fn publisher(site: &Site) -> Value {
    let c = &site.config;
    let mut org = json!({
        "@type": "Organization",
        "name": c.title,
        "url": site.routes.permalink(&site.routes.fixed(Fixed::Home)),
        "logo": {
            "@type": "ImageObject",
            "url": site.routes.permalink(&site.routes.url(theme_files::LOGO)),
        },
    });
    let same_as: Vec<String> = [
        (!c.social.twitter.is_empty()).then(|| format!("https://twitter.com/{}", c.social.twitter)),
        (!c.social.facebook.is_empty()).then(|| c.social.facebook.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !same_as.is_empty() {
        org["sameAs"] = json!(same_as);
    }
    org
}

/// The home page: the site, and how to search it when it has search.
pub fn website(site: &Site) -> Value {
    let c = &site.config;
    let mut website = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": c.title,
        "alternateName": c.campaign_name,
        "description": c.description,
        "url": site.routes.permalink(&site.routes.fixed(Fixed::Home)),
        "inLanguage": c.language,
        "publisher": publisher(site),
    });
    if c.search {
        let search = site.routes.permalink(&site.routes.fixed(Fixed::Search));
        website["potentialAction"] = json!({
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!("{search}?q={{search_term_string}}"),
            },
            "query-input": "required name=search_term_string",
        });
    }
    website
}

/// A story: an `Article`. `image` is the picture the page's link preview shows (see
/// [`card_image_of`]), made once for both.
pub fn article(site: &Site, story: &StoryEntry, image: &SocialImage) -> Value {
    let e = &story.entry;
    let s = &e.item;
    let permalink = site.routes.permalink(&e.url);
    let mut article = Map::new();
    article.insert("@context".into(), json!("https://schema.org"));
    article.insert("@type".into(), json!("Article"));
    article.insert("headline".into(), json!(s.title));
    if !e.rendered.summary_text.is_empty() {
        article.insert("description".into(), json!(e.rendered.summary_text));
    }
    article.insert(
        "author".into(),
        match &s.author {
            Some(name) => json!({"@type": "Person", "name": name}),
            None => publisher(site),
        },
    );
    article.insert("datePublished".into(), json!(schema_date(&s.date.value)));
    if let Some(updated) = &s.updated {
        article.insert("dateModified".into(), json!(schema_date(updated)));
    }
    article.insert("publisher".into(), publisher(site));
    article.insert(
        "image".into(),
        json!({"@type": "ImageObject", "url": image.url, "caption": image.alt}),
    );
    article.insert(
        "mainEntityOfPage".into(),
        json!({"@type": "WebPage", "@id": permalink}),
    );
    article.insert("url".into(), json!(permalink));
    article.insert("inLanguage".into(), json!(site.config.language));
    let topics: Vec<&str> = s
        .topics
        .iter()
        .map(|t| site.config.topics.get(t).unwrap_or(t))
        .collect();
    if !topics.is_empty() {
        article.insert("keywords".into(), json!(topics));
    }
    if let Some(i) = story.partner {
        let p = &site.partners[i];
        article.insert(
            "about".into(),
            json!({"@type": "Organization", "name": p.item.name, "url": site.routes.permalink(&p.url)}),
        );
    }
    Value::Object(article)
}

/// A partner profile: an `Organization`.
pub fn organization(site: &Site, index: usize) -> Value {
    let e = &site.partners[index];
    let p = &e.item;
    let mut org = Map::new();
    org.insert("@context".into(), json!("https://schema.org"));
    org.insert("@type".into(), json!("Organization"));
    org.insert("name".into(), json!(p.name));
    org.insert("url".into(), json!(site.routes.permalink(&e.url)));
    if !e.rendered.summary_text.is_empty() {
        org.insert("description".into(), json!(e.rendered.summary_text));
    }
    if let (Some(url), Some(_)) = (&e.image_url, &p.logo) {
        org.insert(
            "logo".into(),
            json!({"@type": "ImageObject", "url": absolute(site, url)}),
        );
    }
    let same_as: Vec<String> = [
        p.website.clone(),
        p.twitter
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(|t| format!("https://twitter.com/{}", t.trim_start_matches('@'))),
        p.facebook.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !same_as.is_empty() {
        org.insert("sameAs".into(), json!(same_as));
    }
    if let Some(joined) = &p.joined {
        org.insert(
            "memberOf".into(),
            json!({
                "@type": "ProgramMembership",
                "programName": site.config.title,
                "startDate": schema_date(joined),
            }),
        );
    }
    Value::Object(org)
}

/// A timeline entry with a location: an `Event`. Entries without one are
/// milestones, not events, and get no structured data.
pub fn event(site: &Site, t: &TimelineItem) -> Option<Value> {
    let e = &t.entry;
    let item = &e.item;
    let location = item.location.as_deref().filter(|l| !l.trim().is_empty())?;
    let mut event = Map::new();
    event.insert("@context".into(), json!("https://schema.org"));
    event.insert("@type".into(), json!("Event"));
    event.insert("name".into(), json!(item.title));
    if !e.rendered.summary_text.is_empty() {
        event.insert("description".into(), json!(e.rendered.summary_text));
    }
    event.insert("url".into(), json!(site.routes.permalink(&e.url)));
    event.insert("startDate".into(), json!(schema_date(&item.date.value)));
    event.insert(
        "endDate".into(),
        json!(schema_date(item.end.as_ref().unwrap_or(&item.date.value))),
    );
    // Cancelled or moved events are not something the content can say, so
    // every event is as scheduled.
    event.insert(
        "eventStatus".into(),
        json!("https://schema.org/EventScheduled"),
    );
    event.insert(
        "eventAttendanceMode".into(),
        json!("https://schema.org/OfflineEventAttendanceMode"),
    );
    event.insert(
        "location".into(),
        json!({"@type": "Place", "name": location, "address": location}),
    );
    let image = default_image(site);
    event.insert("image".into(), json!(image.url));
    let organizers: Vec<Value> = t
        .partners
        .iter()
        .map(|&i| {
            let p = &site.partners[i];
            json!({"@type": "Organization", "name": p.item.name, "url": site.routes.permalink(&p.url)})
        })
        .collect();
    event.insert(
        "organizer".into(),
        if organizers.is_empty() {
            publisher(site)
        } else {
            Value::Array(organizers)
        },
    );
    Some(Value::Object(event))
}
