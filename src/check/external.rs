//! `brum check --external`: whether links to other sites still answer. Each
//! address is asked once (HEAD, then GET where HEAD is refused), several at a
//! time but never more than `per_host` at once on one host, each with a
//! timeout. Good answers are kept in `.brum-cache/links.json` for
//! `cache_hours`, so a second run asks only what is new or expired; addresses
//! starting with a `[check] skip` entry are never asked.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::links::Context;
use super::rendered::Target;
use super::{Doc, TemplateSource};
use crate::config::Config;
use crate::error::{Diagnostic, LineIndex};

/// How many requests are in flight at once, over all hosts.
const WORKERS: usize = 8;

/// Where the cache lives, under the site folder (a dot folder, which the
/// build ignores).
pub const CACHE_FILE: &str = ".brum-cache/links.json";

/// An address on another site and every place it is written.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    /// Without its `#fragment`.
    pub url: String,
    /// Diagnostics with only a place (file, line, column, length) set.
    pub places: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub skip: Vec<String>,
    pub timeout: Duration,
    /// How long a good answer is trusted; zero keeps nothing.
    pub cache_for: Duration,
    pub per_host: usize,
    pub cache_file: PathBuf,
    pub user_agent: String,
}

impl Settings {
    pub fn from_config(config: &Config, root: &Path) -> Self {
        let c = &config.check;
        Settings {
            skip: c.skip.clone(),
            timeout: Duration::from_secs(c.timeout),
            cache_for: Duration::from_secs(c.cache_hours.saturating_mul(3600)),
            per_host: c.per_host.max(1),
            cache_file: root.join(CACHE_FILE),
            user_agent: format!(
                "brum/{} (link check for {})",
                env!("CARGO_PKG_VERSION"),
                config.base_url
            ),
        }
    }

    fn skips(&self, url: &str) -> bool {
        self.skip
            .iter()
            .map(String::as_str)
            .chain(SHARE_ENDPOINTS)
            .any(|prefix| url.starts_with(prefix))
    }
}

/// The share pages the default theme links to. They are forms for a signed-in
/// visitor, not pages with content: asking them says nothing about the link
/// (and they answer robots with errors or log-in pages).
const SHARE_ENDPOINTS: [&str; 4] = [
    "https://twitter.com/intent/",
    "https://www.facebook.com/sharer/",
    "https://www.linkedin.com/sharing/",
    "https://x.com/intent/",
];

/// What checking found.
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// Addresses judged, from the cache or by asking (skipped ones not counted).
    pub checked: usize,
    /// Of those, how many were asked over the network.
    pub asked: usize,
}

/// Every external address on the pages this build makes, with where each is
/// written: in Markdown, at the link; otherwise found in the content file of
/// the page it is on (a partner's `website`), in site.toml (`[social]`), or
/// in a template.
pub fn collect(
    docs: &[Doc],
    cx: &Context,
    root: &Path,
    templates: &[TemplateSource],
) -> Vec<ExternalLink> {
    let mut places: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for doc in docs {
        let Some(page_url) = &doc.url else {
            continue;
        };
        let written = doc
            .found
            .links
            .iter()
            .map(|l| (&l.dest, l.dest_span.as_ref().unwrap_or(&l.span)))
            .chain(
                doc.found
                    .images
                    .iter()
                    .map(|i| (&i.src, i.src_span.as_ref().unwrap_or(&i.span))),
            );
        for (dest, span) in written {
            if dest.trim().is_empty() {
                continue;
            }
            let Some(address) = cx.rendered_address(doc, page_url, dest) else {
                continue;
            };
            if let Target::External(url) = cx.rendered.resolve(&address, page_url) {
                places
                    .entry(url)
                    .or_default()
                    .push(doc.at(span, Diagnostic::new("", "")));
            }
        }
    }

    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut read = |path: &Path| -> Option<String> {
        texts
            .entry(path.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(root.join(path)).ok())
            .clone()
    };
    // Addresses in the templates' output: the first template that showed each.
    let mut unplaced: BTreeMap<String, &'static str> = BTreeMap::new();
    for page in &cx.rendered.pages {
        for r in &page.refs {
            let Target::External(url) = cx.rendered.resolve(&r.url, &page.url) else {
                continue;
            };
            let placed = page
                .source
                .as_deref()
                .and_then(|source| Some((source, find(&read(source)?, &url)?)));
            match placed {
                Some((source, d)) => {
                    let list = places.entry(url).or_default();
                    if !list.iter().any(|p| p.path == source) {
                        let mut d = d;
                        d.path = source.to_path_buf();
                        list.push(d);
                    }
                }
                None => {
                    unplaced.entry(url).or_insert(page.template);
                }
            }
        }
    }
    for (url, template) in unplaced {
        if places.contains_key(&url) {
            continue;
        }
        let config_file = Path::new(crate::config::FILE_NAME);
        let d = match read(config_file).and_then(|t| find(&t, &url)) {
            Some(mut d) => {
                d.path = config_file.to_path_buf();
                d
            }
            None => templates
                .iter()
                .filter(|t| t.name == template)
                .chain(templates.iter().filter(|t| t.name != template))
                .find_map(|t| {
                    let mut d = find(&t.text, &url)?;
                    d.path = t.path.clone();
                    Some(d)
                })
                .unwrap_or_else(|| {
                    let path = templates
                        .iter()
                        .find(|t| t.name == template)
                        .map_or_else(|| PathBuf::from(template), |t| t.path.clone());
                    Diagnostic::new(path, "")
                }),
        };
        places.insert(url, vec![d]);
    }
    places
        .into_iter()
        .map(|(url, places)| ExternalLink { url, places })
        .collect()
}

/// A place-only diagnostic at the first `url` in `text`.
fn find(text: &str, url: &str) -> Option<Diagnostic> {
    let i = text.find(url)?;
    let pos = LineIndex::new(text).position(i);
    Some(
        Diagnostic::new("", "")
            .at(pos)
            .spanning(url.chars().count()),
    )
}

/// The answer to one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx or 3xx after redirects.
    Fine(u16),
    /// 4xx or 5xx.
    Status(u16),
    TimedOut,
    /// No answer at all: no such host, connection refused, TLS failure.
    Unreachable(String),
    /// Not an address that can be asked.
    BadAddress(String),
}

/// Checks every address: from the cache where a good answer is fresh,
/// else by asking. Never fails: a cache that cannot be saved is a warning.
pub fn check(links: &[ExternalLink], settings: &Settings) -> Checked {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut cache = Cache::load(&settings.cache_file);
    let mut checked = Checked::default();
    let mut to_ask = Vec::new();
    for link in links {
        if settings.skips(&link.url) {
            continue;
        }
        checked.checked += 1;
        if !cache.fresh(&link.url, now, settings.cache_for) {
            to_ask.push(link.url.clone());
        }
    }
    checked.asked = to_ask.len();
    let answers: HashMap<String, Outcome> = ask_all(to_ask, settings).into_iter().collect();
    let all_unreachable = answers.len() >= 2
        && answers
            .values()
            .all(|o| matches!(o, Outcome::Unreachable(_)));
    if all_unreachable {
        checked.diagnostics.push(
            Diagnostic::warning(
                "",
                format!(
                    "none of the {} other sites linked to could be reached",
                    answers.len()
                ),
            )
            .with_help("is this computer online? Run brum check --external again when it is"),
        );
    }
    for link in links {
        let Some(outcome) = answers.get(&link.url) else {
            continue;
        };
        if let Outcome::Fine(status) = outcome {
            cache.put(&link.url, now, *status);
            continue;
        }
        if all_unreachable {
            continue;
        }
        let problem = describe(&link.url, outcome, settings);
        for place in &link.places {
            let mut d = problem.clone();
            d.path = place.path.clone();
            d.line = place.line;
            d.column = place.column;
            d.length = place.length;
            checked.diagnostics.push(d);
        }
    }
    if !answers.is_empty() {
        cache.prune(now, settings.cache_for);
        if let Err(e) = cache.save(&settings.cache_file, settings.cache_for) {
            checked.diagnostics.push(
                Diagnostic::warning(
                    CACHE_FILE,
                    format!("the answers could not be kept for next time: {e}"),
                )
                .with_help(
                    "check that brum may write in the site folder; the check itself is complete",
                ),
            );
        }
    }
    checked
}

fn reason(status: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unknown status")
}

const SKIP_HELP: &str =
    "if the page works in a browser, add its address to `skip` under [check] in site.toml";

fn describe(url: &str, outcome: &Outcome, settings: &Settings) -> Diagnostic {
    match outcome {
        Outcome::Fine(_) => Diagnostic::new("", ""),
        Outcome::Status(s @ (404 | 410)) => Diagnostic::new(
            "",
            format!("the link to {url} is broken: the site answered {s} ({})", reason(*s)),
        )
        .with_help(format!(
            "find where the page has moved and link there, or remove the link; {SKIP_HELP}"
        )),
        Outcome::Status(s) if *s >= 500 => Diagnostic::warning(
            "",
            format!("{url} answered {s} ({}): the site may be down for now", reason(*s)),
        )
        .with_help("check again later"),
        Outcome::Status(s) => Diagnostic::warning(
            "",
            format!("{url} answered {s} ({})", reason(*s)),
        )
        .with_help(format!("some sites refuse programs like brum; {SKIP_HELP}")),
        Outcome::TimedOut => Diagnostic::warning(
            "",
            format!(
                "{url} did not answer within {} s",
                settings.timeout.as_secs()
            ),
        )
        .with_help("the site may be slow or down: check again later, or raise `timeout` under [check] in site.toml"),
        Outcome::Unreachable(why) => Diagnostic::new(
            "",
            format!("{url} could not be reached: {why}"),
        )
        .with_help("check the address for typos; if the site has closed, remove the link"),
        Outcome::BadAddress(why) => Diagnostic::new(
            "",
            format!("`{url}` is not a web address that can be visited: {why}"),
        )
        .with_help("write the full address, as a browser shows it: https://www.example.org/page"),
    }
}

/// The host of an http(s) address, lower case, for the per-host limit.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.to_ascii_lowercase()
}

/// Orders addresses so that hosts take turns: the workers spread over hosts
/// instead of queueing for one.
fn interleave_by_host(urls: Vec<String>) -> VecDeque<String> {
    let mut by_host: BTreeMap<String, VecDeque<String>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host_of(&url)).or_default().push_back(url);
    }
    let mut out = VecDeque::new();
    while !by_host.is_empty() {
        by_host.retain(|_, queue| {
            if let Some(url) = queue.pop_front() {
                out.push_back(url);
            }
            !queue.is_empty()
        });
    }
    out
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// At most `limit` requests to one host at a time.
struct HostLimits {
    limit: usize,
    active: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

struct Permit<'a> {
    limits: &'a HostLimits,
    host: String,
}

impl HostLimits {
    fn acquire(&self, host: &str) -> Permit<'_> {
        let mut active = lock(&self.active);
        while active.get(host).copied().unwrap_or(0) >= self.limit {
            active = self
                .freed
                .wait(active)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *active.entry(host.to_string()).or_insert(0) += 1;
        Permit {
            limits: self,
            host: host.to_string(),
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut active = lock(&self.limits.active);
        if let Some(n) = active.get_mut(&self.host) {
            *n = n.saturating_sub(1);
        }
        self.limits.freed.notify_all();
    }
}

/// Asks every address, `WORKERS` at a time, `per_host` per host.
fn ask_all(urls: Vec<String>, settings: &Settings) -> Vec<(String, Outcome)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(settings.user_agent.as_str())
        .build()
        .into();
    let workers = WORKERS.min(urls.len());
    let queue = Mutex::new(interleave_by_host(urls));
    let limits = HostLimits {
        limit: settings.per_host,
        active: Mutex::new(HashMap::new()),
        freed: Condvar::new(),
    };
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Some(url) = lock(&queue).pop_front() else {
                        break;
                    };
                    let outcome = {
                        let _permit = limits.acquire(&host_of(&url));
                        ask(&agent, &url)
                    };
                    lock(&results).push((url, outcome));
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// Asks one address: HEAD, and GET when HEAD gets an error status (some
/// servers answer HEAD wrongly) or a broken answer.
fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    match agent.head(url).call() {
        Ok(response) => {
            let status = response.status().as_u16();
            if status < 400 || status == 429 {
                return outcome_of(status);
            }
        }
        // A server that mishandles HEAD may still answer GET.
        Err(ureq::Error::Protocol(_)) => {}
        Err(e) => return failure(e),
    }
    match agent.get(url).call() {
        Ok(response) => outcome_of(response.status().as_u16()),
        Err(e) => failure(e),
    }
}

fn outcome_of(status: u16) -> Outcome {
    if status < 400 {
        Outcome::Fine(status)
    } else {
        Outcome::Status(status)
    }
}

fn failure(e: ureq::Error) -> Outcome {
    use ureq::Error as E;
    match e {
        E::Timeout(_) => Outcome::TimedOut,
        E::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::TimedOut,
        E::BadUri(why) => Outcome::BadAddress(why),
        E::Http(why) => Outcome::BadAddress(why.to_string()),
        E::HostNotFound => Outcome::Unreachable("there is no such host".into()),
        E::ConnectionFailed => Outcome::Unreachable("the connection failed".into()),
        E::TooManyRedirects | E::RedirectFailed => {
            Outcome::Unreachable("it redirects in a loop, or to nowhere".into())
        }
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            Outcome::Unreachable("the connection was refused".into())
        }
        E::Protocol(why) => {
            Outcome::Unreachable(format!("the server's answer is not valid HTTP ({why})"))
        }
        other => Outcome::Unreachable(other.to_string()),
    }
}

/// Good answers from earlier runs: address → when it was checked and what
/// it answered.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    links: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Entry {
    /// Seconds since 1970.
    checked: u64,
    status: u16,
}

const CACHE_VERSION: u32 = 1;

impl Cache {
    /// The cache on disk; an empty one when it is missing, unreadable or of
    /// another version (it is only a cache).
    fn load(path: &Path) -> Cache {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
            .filter(|c| c.version == CACHE_VERSION)
            .unwrap_or_default()
    }

    fn fresh(&self, url: &str, now: u64, cache_for: Duration) -> bool {
        self.links.get(url).is_some_and(|e| {
            now.saturating_sub(e.checked) < cache_for.as_secs() && e.checked <= now
        })
    }

    fn put(&mut self, url: &str, now: u64, status: u16) {
        self.links.insert(
            url.to_string(),
            Entry {
                checked: now,
                status,
            },
        );
    }

    fn prune(&mut self, now: u64, cache_for: Duration) {
        self.links
            .retain(|_, e| now.saturating_sub(e.checked) < cache_for.as_secs());
    }

    /// Writes the cache beside itself and renames it into place, so a killed
    /// run never leaves half a file. Nothing is kept when caching is off.
    fn save(&mut self, path: &Path, cache_for: Duration) -> std::io::Result<()> {
        if cache_for.is_zero() {
            return Ok(());
        }
        self.version = CACHE_VERSION;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_lower_case_without_user_or_path() {
        assert_eq!(
            host_of("https://User@Example.ORG:8080/a?b#c"),
            "example.org:8080"
        );
        assert_eq!(host_of("http://127.0.0.1:9/x"), "127.0.0.1:9");
    }

    #[test]
    fn hosts_take_turns() {
        let urls = [
            "https://a/1",
            "https://a/2",
            "https://a/3",
            "https://b/1",
            "https://c/1",
        ];
        let order: Vec<String> = interleave_by_host(urls.iter().map(|s| s.to_string()).collect())
            .into_iter()
            .collect();
        assert_eq!(
            order,
            [
                "https://a/1",
                "https://b/1",
                "https://c/1",
                "https://a/2",
                "https://a/3"
            ]
        );
    }

    #[test]
    fn the_cache_keeps_good_answers_until_they_expire() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let day = Duration::from_secs(86_400);
        let mut cache = Cache::load(&path);
        cache.put("https://a/", 1_000_000, 200);
        cache.save(&path, day).unwrap();
        let cache = Cache::load(&path);
        assert!(cache.fresh("https://a/", 1_000_000 + 3_600, day));
        assert!(!cache.fresh("https://a/", 1_000_000 + 86_400, day));
        assert!(!cache.fresh("https://b/", 1_000_000, day));
        std::fs::write(&path, "not json").unwrap();
        assert!(Cache::load(&path).links.is_empty());
    }

    #[test]
    fn skip_entries_are_prefixes() {
        let settings = Settings {
            skip: vec!["https://twitter.com/".into()],
            timeout: Duration::from_secs(1),
            cache_for: Duration::ZERO,
            per_host: 1,
            cache_file: PathBuf::new(),
            user_agent: String::new(),
        };
        assert!(settings.skips("https://twitter.com/BhamPartners"));
        assert!(!settings.skips("https://x.com/BhamPartners"));
        assert!(settings.skips("https://www.facebook.com/sharer/sharer.php?u=x"));
    }
}
