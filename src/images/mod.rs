//! Responsive images: every raster image the site publishes (in `static/`
//! or a bundle) is read once for its size and orientation ([`probe`]), and
//! the images pages use are planned at several widths and formats
//! ([`Catalog`]). The pixels are made later ([`process`]), cached by the
//! source's content hash and the settings, so planning costs a file read and
//! never holds up rendering; `serve` makes them in the background.
//!
//! No original raster file is published as it is: the file at its own
//! address is re-encoded too, which drops EXIF (GPS position above all).

pub mod markup;
pub mod plan;
pub mod probe;
pub mod process;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::cache::hash_of;
use crate::config::ImageSettings;

pub use plan::plan;
pub use probe::{ProbeCache, Source};

/// A copy of an image at one size: its (URL, width, height) for pages, its
/// source, and the output that makes it.
type Resized = ((String, u32, u32), Arc<Source>, Output);

/// The size link previews show best (OpenGraph's and X's large card).
pub const CARD: (u32, u32) = (1200, 630);

/// Bumped when the pixels made from the same source and settings change
/// (a new encoder, a new filter), so old cache entries are not reused.
const PIPELINE_VERSION: u32 = 1;

/// The raster formats brum decodes and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The format a file name promises, for the files brum processes.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// Image files that browsers or cameras make but brum does not process:
/// a page that uses one gets an error saying to convert it.
pub fn unsupported_format(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "heic" | "heif" => Some("HEIC"),
        "tif" | "tiff" => Some("TIFF"),
        "bmp" => Some("BMP"),
        "avif" => Some("AVIF"),
        _ => None,
    }
}

/// One file to make from a source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Output {
    /// Relative to the output root: `stories/x/photo-800w-1a2b3c4d.webp`.
    pub path: String,
    pub width: u32,
    pub height: u32,
    /// Cut to fill `width`×`height` exactly (centred), rather than scaled.
    pub crop: bool,
    pub format: Format,
    /// Names the made file in the cache: source content, size, format, settings.
    pub key: u64,
}

/// A source and every file to make from it.
#[derive(Debug, Clone)]
pub struct Job {
    pub source: Arc<Source>,
    pub outputs: Vec<Output>,
}

/// One width of an image, as `srcset` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub url: String,
    pub width: u32,
}

/// What a template needs to show an image responsively.
#[derive(Debug, Clone, Serialize)]
pub struct Responsive {
    /// The widest fallback-format copy: `<img src>`.
    pub src: String,
    /// Intrinsic size of `src` (orientation applied), for `width`/`height`.
    pub width: u32,
    pub height: u32,
    /// `url 480w, url 800w, …` in the original format.
    pub srcset: String,
    /// The same widths as WebP; empty when WebP is off.
    pub webp_srcset: String,
    pub mime: &'static str,
}

/// Every processable image of one build, by URL, and what pages asked of them.
#[derive(Debug, Default)]
pub struct Catalog {
    settings: ImageSettings,
    /// Root-relative URL with the base path (`/sub/stories/x/a.jpg`) → source.
    by_url: HashMap<String, Arc<Source>>,
    /// URLs given the standard set of widths (front matter and body images).
    used: HashSet<String>,
    /// URLs of stories' pictures, which also get a link-preview crop.
    cards: HashSet<String>,
    /// Extra sizes templates asked for (`resize_image`), by output path.
    requested: Mutex<BTreeMap<String, (Arc<Source>, Output)>>,
    /// Front-matter pictures shown responsively, by URL.
    pictures: HashMap<String, Arc<Responsive>>,
    /// Bodies whose images became `<picture>`s, by content file
    /// (`stories/x.md`); a body not here is shown as rendered.
    bodies: HashMap<String, String>,
}

/// A copy to change (`serve` edits one body of the last build's catalog,
/// which its pages still show until the new one is swapped in).
impl Clone for Catalog {
    fn clone(&self) -> Self {
        let requested = self.requested.lock().unwrap_or_else(|e| e.into_inner());
        Catalog {
            settings: self.settings.clone(),
            by_url: self.by_url.clone(),
            used: self.used.clone(),
            cards: self.cards.clone(),
            requested: Mutex::new(requested.clone()),
            pictures: self.pictures.clone(),
            bodies: self.bodies.clone(),
        }
    }
}

impl Catalog {
    pub fn new(settings: ImageSettings, sources: impl IntoIterator<Item = Arc<Source>>) -> Self {
        Catalog {
            settings,
            by_url: sources.into_iter().map(|s| (s.url.clone(), s)).collect(),
            used: HashSet::new(),
            cards: HashSet::new(),
            requested: Mutex::new(BTreeMap::new()),
            pictures: HashMap::new(),
            bodies: HashMap::new(),
        }
    }

    /// How the front-matter picture at `url` is shown, when brum processes it.
    pub fn picture(&self, url: &str) -> Option<&Responsive> {
        self.pictures.get(url).map(|r| r.as_ref())
    }

    fn set_picture(&mut self, url: &str, responsive: Arc<Responsive>) {
        self.pictures.insert(url.to_string(), responsive);
    }

    /// The body of the content file at `content_path` as pages show it:
    /// `rendered` with its images made responsive.
    pub fn body<'a>(&'a self, content_path: &str, rendered: &'a str) -> &'a str {
        self.bodies
            .get(content_path)
            .map_or(rendered, String::as_str)
    }

    /// Replaces what a body shows: its images made pictures, or (from the
    /// render stage) its components run.
    pub fn set_body(&mut self, content_path: &str, html: String) {
        self.bodies.insert(content_path.to_string(), html);
    }

    /// Forgets what a body showed: it is shown as rendered.
    pub fn remove_body(&mut self, content_path: &str) {
        self.bodies.remove(content_path);
    }

    pub fn settings(&self) -> &ImageSettings {
        &self.settings
    }

    pub fn get(&self, url: &str) -> Option<&Arc<Source>> {
        self.by_url.get(url)
    }

    /// Whether the file at this output path is published re-encoded rather
    /// than copied.
    pub fn handles(&self, out_path: &str) -> bool {
        self.sources().any(|s| s.out == out_path)
    }

    /// Output paths of the sources, for skipping them when copying.
    pub fn source_paths(&self) -> HashSet<&str> {
        self.sources().map(|s| s.out.as_str()).collect()
    }

    fn sources(&self) -> impl Iterator<Item = &Arc<Source>> {
        self.by_url.values()
    }

    /// Marks an image as shown on a page, so it gets every width.
    pub fn mark_used(&mut self, url: &str) -> bool {
        if self.by_url.contains_key(url) {
            self.used.insert(url.to_string());
            true
        } else {
            false
        }
    }

    /// Marks the picture at `url` as a story's link-preview picture: the
    /// build makes its [`CARD`] crop, for as long as a story shows it. Planned
    /// here rather than asked for while rendering, so a deleted story's crop
    /// goes with it in `serve` too.
    pub fn mark_card(&mut self, url: &str) {
        if self.by_url.contains_key(url) {
            self.cards.insert(url.to_string());
        }
    }

    /// The link-preview crop of a picture marked with [`mark_card`](Self::mark_card):
    /// its URL, width and height.
    pub fn card(&self, url: &str) -> Option<(String, u32, u32)> {
        if !self.cards.contains(url) {
            return None;
        }
        let (w, h) = CARD;
        self.sized(url, Some(w), Some(h), true, None)
            .ok()
            .map(|(found, _, _)| found)
    }

    fn key(&self, source: &Source, width: u32, height: u32, crop: bool, format: Format) -> u64 {
        hash_of((
            PIPELINE_VERSION,
            source.hash,
            width,
            height,
            crop,
            format,
            self.settings.quality,
        ))
    }

    fn output(
        &self,
        source: &Source,
        width: u32,
        height: u32,
        crop: bool,
        format: Format,
    ) -> Output {
        let key = self.key(source, width, height, crop, format);
        let size = if crop {
            format!("{width}x{height}")
        } else {
            format!("{width}w")
        };
        let (dir, stem) = match source.out.rsplit_once('/') {
            Some((dir, name)) => (format!("{dir}/"), stem_of(name)),
            None => (String::new(), stem_of(&source.out)),
        };
        let path = format!(
            "{dir}{stem}-{size}-{:08x}.{}",
            key as u32,
            format.extension()
        );
        Output {
            path,
            width,
            height,
            crop,
            format,
            key,
        }
    }

    /// The file at the source's own address: same size and format, re-encoded.
    fn clean_original(&self, source: &Source) -> Output {
        let key = self.key(source, source.width, source.height, false, source.format);
        Output {
            path: source.out.clone(),
            width: source.width,
            height: source.height,
            crop: false,
            format: source.format,
            key,
        }
    }

    /// The widths an image is published at: each configured width narrower
    /// than the image, and the image's own width when it is narrower than the
    /// widest configured (never enlarged).
    fn widths(&self, source: &Source) -> Vec<u32> {
        let mut widths: Vec<u32> = self
            .settings
            .widths
            .iter()
            .copied()
            .filter(|w| *w < source.width)
            .collect();
        let widest = self.settings.widths.last().copied().unwrap_or(source.width);
        if source.width <= widest {
            widths.push(source.width);
        }
        widths
    }

    /// The copies a used image is published as, narrowest first.
    fn standard_outputs(&self, source: &Source) -> Vec<Output> {
        let mut outputs = Vec::new();
        let mut formats = vec![source.fallback_format()];
        if self.settings.webp && source.format != Format::Webp {
            formats.push(Format::Webp);
        }
        if source.format == Format::Webp {
            formats.push(Format::Webp);
        }
        for width in self.widths(source) {
            let height = scaled_height(source, width);
            for &format in &formats {
                outputs.push(self.output(source, width, height, false, format));
            }
        }
        outputs
    }

    /// How a page shows the image at `url`: None when brum does not process it
    /// (an SVG, a GIF, another site's address).
    pub fn responsive(&self, url: &str) -> Option<Responsive> {
        let source = self.by_url.get(url)?;
        let outputs = self.standard_outputs(source);
        let base = url.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let src_url = |o: &Output| {
            let name = o.path.rsplit('/').next().unwrap_or(&o.path);
            format!("{base}/{name}")
        };
        let set = |format: Format| {
            outputs
                .iter()
                .filter(|o| o.format == format)
                .map(|o| format!("{} {}w", src_url(o), o.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let fallback = source.fallback_format();
        let widest = outputs.iter().rev().find(|o| o.format == fallback)?;
        Some(Responsive {
            src: src_url(widest),
            width: widest.width,
            height: widest.height,
            srcset: set(fallback),
            webp_srcset: if self.settings.webp && fallback != Format::Webp {
                set(Format::Webp)
            } else {
                String::new()
            },
            mime: fallback.mime(),
        })
    }

    /// A copy of the image at `url` at one size, for a template: scaled to
    /// `width` (height follows), or cut to fill `width`×`height`. Never
    /// larger than the source. Remembered, so the build makes it.
    pub fn resize(
        &self,
        url: &str,
        width: Option<u32>,
        height: Option<u32>,
        crop: bool,
        format: Option<Format>,
    ) -> Result<(String, u32, u32), String> {
        let (result, source, output) = self.sized(url, width, height, crop, format)?;
        self.requested
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(output.path.clone(), (source, output));
        Ok(result)
    }

    /// A copy of the image at `url` at one size: its (URL, width, height),
    /// source and output, without asking for it to be made.
    fn sized(
        &self,
        url: &str,
        width: Option<u32>,
        height: Option<u32>,
        crop: bool,
        format: Option<Format>,
    ) -> Result<Resized, String> {
        let source = self.by_url.get(url).ok_or_else(|| {
            format!("resize_image: `{url}` is not a JPEG, PNG or WebP file of this site")
        })?;
        let (w, h) = fit(source, width, height, crop)?;
        let format = format.unwrap_or(source.fallback_format());
        let output = self.output(source, w, h, crop, format);
        let base = url.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let name = output.path.rsplit('/').next().unwrap_or("");
        Ok(((format!("{base}/{name}"), w, h), source.clone(), output))
    }

    /// Takes over the template requests of an earlier build whose source
    /// files are unchanged: pages reused from that build asked for them.
    pub fn inherit_requests(&self, previous: &Catalog) {
        if previous.settings != self.settings {
            return;
        }
        let old = previous.requested.lock().unwrap_or_else(|e| e.into_inner());
        let mut now = self.requested.lock().unwrap_or_else(|e| e.into_inner());
        for (path, (source, output)) in old.iter() {
            if let Some(current) = self.by_url.get(&source.url)
                && current.hash == source.hash
            {
                now.entry(path.clone())
                    .or_insert_with(|| (current.clone(), output.clone()));
            }
        }
    }

    /// Everything to make: each source's own file, the standard widths of
    /// used images, and what templates asked for. One job per source, so
    /// each is decoded once.
    pub fn jobs(&self) -> Vec<Job> {
        let mut by_source: BTreeMap<&str, Job> = BTreeMap::new();
        for source in self.sources() {
            let mut outputs = vec![self.clean_original(source)];
            if self.used.contains(&source.url) {
                outputs.extend(self.standard_outputs(source));
            }
            if self.cards.contains(&source.url) {
                let (w, h) = CARD;
                if let Ok((_, _, card)) = self.sized(&source.url, Some(w), Some(h), true, None) {
                    outputs.push(card);
                }
            }
            by_source.insert(
                &source.url,
                Job {
                    source: source.clone(),
                    outputs,
                },
            );
        }
        let requested = self.requested.lock().unwrap_or_else(|e| e.into_inner());
        let mut jobs: Vec<Job> = by_source.into_values().collect();
        for (source, output) in requested.values() {
            if let Some(job) = jobs.iter_mut().find(|j| j.source.url == source.url) {
                job.outputs.push(output.clone());
            }
        }
        for job in &mut jobs {
            let mut seen = HashSet::new();
            job.outputs.retain(|o| seen.insert(o.path.clone()));
        }
        jobs
    }
}

fn stem_of(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

fn scaled_height(source: &Source, width: u32) -> u32 {
    let h = (u64::from(source.height) * u64::from(width) + u64::from(source.width) / 2)
        / u64::from(source.width.max(1));
    (h as u32).max(1)
}

/// The size of a resized copy: as asked, shrunk to fit inside the source.
fn fit(
    source: &Source,
    width: Option<u32>,
    height: Option<u32>,
    crop: bool,
) -> Result<(u32, u32), String> {
    let (sw, sh) = (source.width, source.height);
    match (width, height, crop) {
        (Some(0), _, _) | (_, Some(0), _) => Err("resize_image: sizes must be above 0".into()),
        (Some(w), Some(h), true) => {
            // Shrink the box, keeping its shape, until the source covers it.
            let scale = (f64::from(sw) / f64::from(w))
                .min(f64::from(sh) / f64::from(h))
                .min(1.0);
            let w = ((f64::from(w) * scale).round() as u32).max(1);
            let h = ((f64::from(h) * scale).round() as u32).max(1);
            Ok((w, h))
        }
        (_, _, true) => Err("resize_image: op=\"fill\" needs both width and height".into()),
        (Some(w), None, false) => {
            let w = w.min(sw);
            Ok((w, scaled_height(source, w)))
        }
        (None, Some(h), false) => {
            let h = h.min(sh);
            let w = ((u64::from(sw) * u64::from(h)) / u64::from(sh.max(1))).max(1) as u32;
            Ok((w, h))
        }
        (Some(w), Some(h), false) => {
            // Fit inside the box.
            let scale = (f64::from(w) / f64::from(sw))
                .min(f64::from(h) / f64::from(sh))
                .min(1.0);
            let w = ((f64::from(sw) * scale).round() as u32).max(1);
            Ok((w, scaled_height(source, w)))
        }
        (None, None, false) => Err("resize_image: give a width, a height or both".into()),
    }
}

/// The site's cache folder for made images.
pub fn cache_dir(root: &std::path::Path) -> PathBuf {
    root.join(".brum-cache").join("images")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(w: u32, h: u32) -> Arc<Source> {
        Arc::new(Source {
            path: PathBuf::from("/site/static/a.jpg"),
            display: PathBuf::from("static/a.jpg"),
            url: "/images/a.jpg".into(),
            out: "images/a.jpg".into(),
            hash: 7,
            format: Format::Jpeg,
            width: w,
            height: h,
            alpha: false,
        })
    }

    #[test]
    fn widths_never_enlarge() {
        let catalog = Catalog::new(ImageSettings::default(), [source(1000, 500)]);
        let r = catalog.responsive("/images/a.jpg").unwrap();
        assert_eq!((r.width, r.height), (1000, 500));
        assert!(r.srcset.contains(" 480w") && r.srcset.contains(" 1000w"));
        assert!(!r.srcset.contains("1200w"));
        assert!(r.webp_srcset.contains(".webp 800w"));
        assert!(r.src.starts_with("/images/a-1000w-") && r.src.ends_with(".jpg"));
    }

    #[test]
    fn a_large_image_stops_at_the_widest_setting() {
        let catalog = Catalog::new(ImageSettings::default(), [source(4032, 3024)]);
        let r = catalog.responsive("/images/a.jpg").unwrap();
        assert_eq!((r.width, r.height), (1600, 1200));
    }

    #[test]
    fn fill_shrinks_the_box_to_fit_the_source() {
        let s = source(1000, 500);
        assert_eq!(fit(&s, Some(1200), Some(630), true), Ok((952, 500)));
        assert_eq!(fit(&s, Some(600), Some(315), true), Ok((600, 315)));
        assert_eq!(fit(&s, Some(400), None, false), Ok((400, 200)));
        assert!(fit(&s, Some(400), None, true).is_err());
    }
}
