//! Reading what an image is without decoding it: its format, its size with
//! the EXIF orientation applied, whether it has alpha, and a hash of its
//! bytes. A file that is not an image, claims too many pixels, or has the
//! wrong format gets a diagnostic naming it, before any pixels are decoded.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use image::ImageDecoder;
use image::metadata::Orientation;

use super::Format;
use crate::config::ImageSettings;
use crate::error::Diagnostic;

/// A raster image the site publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file on disk.
    pub path: PathBuf,
    /// The file as messages name it (relative to the site root).
    pub display: PathBuf,
    /// Root-relative URL with the base path: `/sub/stories/x/photo.jpg`.
    pub url: String,
    /// Relative to the output root: `stories/x/photo.jpg`.
    pub out: String,
    /// XXH3 of the file's bytes.
    pub hash: u64,
    /// The format its name promises (and it is written back in).
    pub format: Format,
    /// As shown: with the EXIF orientation applied.
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
}

impl Source {
    /// The format copies are made in beside WebP: the original's, except a
    /// WebP original falls back to PNG (with alpha) or JPEG.
    pub fn fallback_format(&self) -> Format {
        match self.format {
            Format::Webp if self.alpha => Format::Png,
            Format::Webp => Format::Jpeg,
            f => f,
        }
    }
}

/// Limits every decode runs under: no side longer than the pixel budget
/// allows, and no allocation past what that many RGBA pixels need.
pub fn limits(settings: &ImageSettings) -> image::Limits {
    let pixels = u64::from(settings.max_megapixels) * 1_000_000;
    let mut limits = image::Limits::default();
    let side = u32::try_from(pixels.min(u64::from(u32::MAX))).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side.min(65_535));
    limits.max_image_height = Some(side.min(65_535));
    // RGBA at 16 bits a channel, plus room for the decoder's own buffers.
    limits.max_alloc = Some(pixels * 8 + 64 * 1024 * 1024);
    limits
}

/// What the decoder says about a file's bytes, or why it cannot be used.
pub struct Header {
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
    pub alpha: bool,
}

/// Reads the header of an image held in memory.
pub fn header(bytes: &[u8], settings: &ImageSettings) -> Result<Header, (String, String)> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| (format!("cannot read this image: {e}"), String::new()))?;
    let reader_format = reader.format();
    if reader_format.is_none() {
        return Err((
            "this file is not an image brum can read (it is not JPEG, PNG or WebP inside)".into(),
            "export it again as JPEG or PNG; a file renamed to .jpg is still what it was".into(),
        ));
    }
    // The header alone allocates no pixels; the size is judged below, with
    // a message that says what is wrong (the decode itself runs limited).
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(|e| {
        (
            format!("this image is damaged or unreadable: {e}"),
            "open it in an image editor and save it again as JPEG or PNG".into(),
        )
    })?;
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > u64::from(settings.max_megapixels) * 1_000_000 {
        return Err((
            format!(
                "this image is {w}×{h} pixels ({} megapixels), more than the {} megapixels brum decodes",
                pixels / 1_000_000,
                settings.max_megapixels
            ),
            "scale it down before adding it, or raise `max_megapixels` under [images] in site.toml"
                .into(),
        ));
    }
    if w == 0 || h == 0 {
        return Err(("this image has no pixels".into(), String::new()));
    }
    if reader_format == Some(image::ImageFormat::Jpeg) && !jpeg_is_complete(bytes) {
        return Err((
            "this JPEG is cut short (its end is missing): it was not copied or downloaded whole"
                .into(),
            "copy the photo again from where it came from".into(),
        ));
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let alpha = decoder.color_type().has_alpha();
    let (width, height) = match orientation {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (h, w),
        _ => (w, h),
    };
    Ok(Header {
        width,
        height,
        orientation,
        alpha,
    })
}

/// Whether a JPEG's segments run to its end marker. Decoders fill a cut-off
/// photo with grey rather than fail, so this is checked here: segments are
/// walked by their lengths, and scan data (where 0xFF is always followed by
/// 0x00 or a restart marker) up to the next marker.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut pos = 2;
    loop {
        // Markers may be padded with extra 0xFF bytes.
        while bytes.get(pos) == Some(&0xFF) && bytes.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(pos), bytes.get(pos + 1)) else {
            return false;
        };
        match marker {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => pos += 2,
            _ => {
                let Some(len) = bytes.get(pos + 2..pos + 4) else {
                    return false;
                };
                pos += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
                if marker == 0xDA {
                    // Entropy-coded data runs to the next real marker.
                    loop {
                        match (bytes.get(pos), bytes.get(pos + 1)) {
                            (Some(&0xFF), Some(&m)) if m != 0x00 && !(0xD0..=0xD7).contains(&m) => {
                                break;
                            }
                            (Some(_), Some(_)) => pos += 1,
                            _ => return false,
                        }
                    }
                }
            }
        }
    }
}

/// Probes one file published at `out` (`/`-separated, relative to the output).
pub fn probe(
    path: &Path,
    display: &Path,
    url: String,
    out: String,
    settings: &ImageSettings,
) -> Result<Source, Diagnostic> {
    let format = Format::from_name(&out)
        .ok_or_else(|| Diagnostic::new(display, "brum does not process this kind of image"))?;
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(display, format!("cannot read this image: {e}")))?;
    let header = header(&bytes, settings).map_err(|(message, help)| {
        let d = Diagnostic::new(display, message);
        if help.is_empty() {
            d
        } else {
            d.with_help(help)
        }
    })?;
    Ok(Source {
        path: path.to_path_buf(),
        display: display.to_path_buf(),
        url,
        out,
        hash: crate::cache::hash_bytes(&bytes),
        format,
        width: header.width,
        height: header.height,
        alpha: header.alpha,
    })
}

/// Probes kept between rebuilds of `serve`, by file, while the file's size
/// and time stay the same: a text edit reads no image.
#[derive(Debug, Default)]
pub struct ProbeCache {
    entries: HashMap<(PathBuf, String), (Stamp, Probed)>,
    settings: Option<ImageSettings>,
    /// How many files the last [`ProbeCache::probe_all`] read.
    pub read: usize,
}

type Stamp = Option<(SystemTime, u64)>;

/// A probe's answer: the image, or why it cannot be published.
type Probed = Result<Arc<Source>, Diagnostic>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// A file to probe: (file, name in messages, URL, output path).
pub type ProbeJob = (PathBuf, PathBuf, String, String);

impl ProbeCache {
    /// Probes every file, reusing the last answer for files that have not
    /// changed, in parallel.
    pub fn probe_all(
        &mut self,
        files: Vec<ProbeJob>,
        settings: &ImageSettings,
    ) -> Vec<Result<Arc<Source>, Diagnostic>> {
        use rayon::prelude::*;
        if self.settings.as_ref() != Some(settings) {
            self.entries.clear();
            self.settings = Some(settings.clone());
        }
        let old = std::mem::take(&mut self.entries);
        let results: Vec<_> = files
            .into_par_iter()
            .map(|(path, display, url, out)| {
                let now = stamp(&path);
                let key = (path.clone(), url.clone());
                if let Some((then, result)) = old.get(&key)
                    && now.is_some()
                    && *then == now
                {
                    return (key, now, result.clone(), false);
                }
                let result = probe(&path, &display, url, out, settings).map(Arc::new);
                (key, now, result, true)
            })
            .collect();
        self.read = results.iter().filter(|r| r.3).count();
        results
            .into_iter()
            .map(|(key, now, result, _)| {
                self.entries.insert(key, (now, result.clone()));
                result
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_not_an_image() {
        let e = header(b"hello, I am a text file", &ImageSettings::default())
            .err()
            .unwrap();
        assert!(e.0.contains("not an image"), "{}", e.0);
    }
}
