//! Making the planned files: decode a source once (limited, orientation
//! applied), scale it with fast_image_resize for each output, encode, and
//! keep each result in `.brum-cache/images/` under its key. A job whose
//! outputs are all cached decodes nothing.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder};
use rayon::prelude::*;

use super::{Format, Job, Output, Source};
use crate::config::ImageSettings;
use crate::error::{Diagnostic, JobError, Result, collect_jobs};
use crate::output::Sink;

/// Made images kept between builds, one file per output key.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Cache { dir: dir.into() }
    }

    pub fn file(&self, output: &Output) -> PathBuf {
        self.dir
            .join(format!("{:016x}.{}", output.key, output.format.extension()))
    }

    pub fn get(&self, output: &Output) -> Option<Vec<u8>> {
        std::fs::read(self.file(output)).ok()
    }

    /// Stores a made file; a cache that cannot be written only costs time.
    fn put(&self, output: &Output, bytes: &[u8]) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let target = self.file(output);
        // Written aside and renamed, so a reader never sees half a file.
        let tmp = target.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &target).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// What publishing the images did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Sources decoded.
    pub decoded: usize,
    /// Files made afresh.
    pub made: usize,
    /// Files taken from the cache.
    pub cached: usize,
}

/// Makes every job's outputs (from the cache where it can) and writes them
/// to `sink`, sources in parallel. Every bad image is reported; a write
/// error stops the build.
pub fn publish(
    jobs: &[Job],
    settings: &ImageSettings,
    cache: &Cache,
    sink: &dyn Sink,
) -> Result<Stats> {
    let decoded = AtomicUsize::new(0);
    let made = AtomicUsize::new(0);
    let cached = AtomicUsize::new(0);
    let results: Vec<std::result::Result<(), JobError>> = jobs
        .par_iter()
        .map(|job| {
            let mut missing = Vec::new();
            for output in &job.outputs {
                match cache.get(output) {
                    Some(bytes) => {
                        cached.fetch_add(1, Ordering::Relaxed);
                        sink.write(&output.path, &bytes).map_err(JobError::Io)?;
                    }
                    None => missing.push(output),
                }
            }
            if missing.is_empty() {
                return Ok(());
            }
            let image = decode(&job.source, settings).map_err(JobError::Input)?;
            decoded.fetch_add(1, Ordering::Relaxed);
            for output in missing {
                let bytes = make(&image, &job.source, output, settings).map_err(JobError::Input)?;
                made.fetch_add(1, Ordering::Relaxed);
                cache.put(output, &bytes);
                sink.write(&output.path, &bytes).map_err(JobError::Io)?;
            }
            Ok(())
        })
        .collect();
    collect_jobs(results)?;
    Ok(Stats {
        decoded: decoded.into_inner(),
        made: made.into_inner(),
        cached: cached.into_inner(),
    })
}

/// One output's bytes: from the cache, else made (and cached). For `serve`,
/// which makes files as they are asked for.
pub fn one(
    source: &Source,
    output: &Output,
    settings: &ImageSettings,
    cache: &Cache,
) -> std::result::Result<Vec<u8>, Diagnostic> {
    if let Some(bytes) = cache.get(output) {
        return Ok(bytes);
    }
    let image = decode(source, settings)?;
    let bytes = make(&image, source, output, settings)?;
    cache.put(output, &bytes);
    Ok(bytes)
}

/// Makes whatever of `jobs` is not cached yet, for `serve`'s background
/// thread. Returns how many files it made; bad images are left for the
/// request (or the build) to report.
pub fn warm(jobs: &[Job], settings: &ImageSettings, cache: &Cache) -> usize {
    jobs.par_iter()
        .map(|job| {
            let missing: Vec<&Output> = job
                .outputs
                .iter()
                .filter(|o| !cache.file(o).is_file())
                .collect();
            if missing.is_empty() {
                return 0;
            }
            let Ok(image) = decode(&job.source, settings) else {
                return 0;
            };
            let mut n = 0;
            for output in missing {
                if let Ok(bytes) = make(&image, &job.source, output, settings) {
                    cache.put(output, &bytes);
                    n += 1;
                }
            }
            n
        })
        .sum()
}

/// Decodes a source under the size limits, turned the way its EXIF says.
pub fn decode(
    source: &Source,
    settings: &ImageSettings,
) -> std::result::Result<DynamicImage, Diagnostic> {
    let fail = |message: String| {
        Diagnostic::new(&source.display, message)
            .with_help("open it in an image editor and save it again as JPEG or PNG")
    };
    let bytes =
        std::fs::read(&source.path).map_err(|e| fail(format!("cannot read this image: {e}")))?;
    let mut reader = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("cannot read this image: {e}")))?;
    reader.limits(super::probe::limits(settings));
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| fail(format!("this image is damaged or unreadable: {e}")))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| {
        fail(format!(
            "this image is damaged or cut short and cannot be decoded: {e}"
        ))
    })?;
    image.apply_orientation(orientation);
    // 8 bits a channel is what every encoder here takes.
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

/// Scales and encodes one output from a decoded source.
pub fn make(
    image: &DynamicImage,
    source: &Source,
    output: &Output,
    settings: &ImageSettings,
) -> std::result::Result<Vec<u8>, Diagnostic> {
    let fail = |message: String| Diagnostic::new(&source.display, message);
    let scaled;
    let pixels = if (image.width(), image.height()) == (output.width, output.height) {
        image
    } else {
        scaled =
            resize(image, output).map_err(|e| fail(format!("cannot resize this image: {e}")))?;
        &scaled
    };
    encode(pixels, output.format, settings.quality).map_err(|e| {
        fail(format!(
            "cannot encode this image as {:?}: {e}",
            output.format
        ))
    })
}

fn resize(image: &DynamicImage, output: &Output) -> std::result::Result<DynamicImage, String> {
    let mut dst = DynamicImage::new(output.width, output.height, image.color());
    let mut options =
        fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
    if output.crop {
        options = options.fit_into_destination(Some((0.5, 0.5)));
    }
    fr::Resizer::new()
        .resize(image, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    Ok(dst)
}

/// Encodes pixels; nothing but pixels is written (no EXIF, no text chunks).
fn encode(
    image: &DynamicImage,
    format: Format,
    quality: u8,
) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            // JPEG has no alpha: flattened onto white, as pages show it.
            let rgb = match image {
                DynamicImage::ImageRgb8(rgb) => std::borrow::Cow::Borrowed(rgb),
                other => std::borrow::Cow::Owned(flatten(other)),
            };
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .encode_image(rgb.as_ref())
                .map_err(|e| e.to_string())?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            image
                .write_with_encoder(encoder)
                .map_err(|e| e.to_string())?;
        }
        Format::Webp => {
            let (w, h) = (image.width(), image.height());
            let rgba;
            let encoder = match image {
                DynamicImage::ImageRgba8(p) => webp::Encoder::from_rgba(p.as_raw(), w, h),
                DynamicImage::ImageRgb8(p) => webp::Encoder::from_rgb(p.as_raw(), w, h),
                other => {
                    rgba = other.to_rgba8();
                    webp::Encoder::from_rgba(rgba.as_raw(), w, h)
                }
            };
            let memory = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| format!("{e:?}"))?;
            out.extend_from_slice(&memory);
        }
    }
    Ok(out)
}

fn flatten(image: &DynamicImage) -> image::RgbImage {
    let rgba = image.to_rgba8();
    let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
    for (to, from) in rgb.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(from[3]);
        for c in 0..3 {
            to[c] = ((u32::from(from[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    rgb
}

/// The cache folder of a site.
pub fn cache_for(root: &Path) -> Cache {
    Cache::new(super::cache_dir(root))
}
