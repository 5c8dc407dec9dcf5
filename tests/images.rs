//! Responsive images: a phone photo (turned by EXIF, with a GPS position)
//! is published upright at each width in its own format and WebP, with no
//! EXIF left in any file; a transparent PNG keeps its alpha; an SVG is
//! copied as written; a second build takes every image from the cache; bad
//! images are errors that name the file. The images are made here, not
//! committed, so the repository stays small.

use std::fs;

use image::{GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use little_exif::exif_tag::ExifTag;
use little_exif::filetype::FileExtension;
use little_exif::metadata::Metadata;
use little_exif::rational::uR64;

use crate::support::{TestSite, shown};

/// A 2400×1600 JPEG stored on its side: EXIF orientation 6 says "turn 90°
/// clockwise to show", so it is shown 1600×2400. It carries a GPS position.
/// The top-left stored corner is red: shown upright it is the top right.
fn phone_photo() -> Vec<u8> {
    let img = RgbImage::from_fn(2400, 1600, |x, y| {
        if x < 200 && y < 200 {
            Rgb([230, 20, 20])
        } else {
            Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
        }
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .unwrap();
    let mut exif = Metadata::new();
    exif.set_tag(ExifTag::Orientation(vec![6]));
    exif.set_tag(ExifTag::GPSLatitudeRef("N".into()));
    exif.set_tag(ExifTag::GPSLatitude(vec![
        uR64 {
            nominator: 52,
            denominator: 1,
        },
        uR64 {
            nominator: 28,
            denominator: 1,
        },
        uR64 {
            nominator: 45,
            denominator: 1,
        },
    ]));
    exif.set_tag(ExifTag::GPSLongitudeRef("W".into()));
    exif.set_tag(ExifTag::GPSLongitude(vec![
        uR64 {
            nominator: 1,
            denominator: 1,
        },
        uR64 {
            nominator: 53,
            denominator: 1,
        },
        uR64 {
            nominator: 40,
            denominator: 1,
        },
    ]));
    exif.write_to_vec(&mut jpeg, FileExtension::JPEG).unwrap();
    assert!(
        has_gps(&jpeg),
        "the fixture photo must carry GPS to test its removal"
    );
    jpeg
}

fn has_gps(jpeg: &[u8]) -> bool {
    match Metadata::new_from_vec(&jpeg.to_vec(), FileExtension::JPEG) {
        Ok(m) => m
            .get_tag(&ExifTag::GPSLatitude(Vec::new()))
            .next()
            .is_some(),
        Err(_) => false,
    }
}

/// A 640×480 PNG whose left half is fully transparent.
fn transparent_png() -> Vec<u8> {
    let img = RgbaImage::from_fn(640, 480, |x, _| {
        if x < 320 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([20, 90, 200, 255])
        }
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    png
}

fn plain_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 200) as u8, (y % 200) as u8, 90]));
    let mut jpeg = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .unwrap();
    jpeg
}

fn image_site() -> TestSite {
    let site = TestSite::fixture("images");
    site.write("content/stories/photo-story/photo.jpg", phone_photo());
    site.write("content/stories/photo-story/logo.png", transparent_png());
    site.write("static/images/second.jpg", plain_jpeg(1600, 1000));
    site
}

/// The value of `attr="…"` in the first tag of `html` that has it.
fn attr<'a>(html: &'a str, attr: &str) -> &'a str {
    let key = format!(" {attr}=\"");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {attr} in {html}"));
    let rest = &html[at + key.len()..];
    &rest[..rest.find('"').unwrap()]
}

/// The `<picture>…</picture>` that holds an image with this alt text.
fn picture_with<'a>(html: &'a str, alt: &str) -> &'a str {
    let at = html
        .find(&format!("alt=\"{alt}\""))
        .unwrap_or_else(|| panic!("no image `{alt}` in {html}"));
    let start = html[..at].rfind("<picture>").expect("inside a <picture>");
    let end = at + html[at..].find("</picture>").expect("a closed <picture>");
    &html[start..end]
}

/// srcset → (file path relative to the output, width descriptor).
fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').unwrap();
            let w = w.trim_end_matches('w').parse().unwrap();
            (url.trim_start_matches('/').to_string(), w)
        })
        .collect()
}

fn format_of(bytes: &[u8]) -> ImageFormat {
    image::guess_format(bytes).unwrap()
}

#[test]
#[ignore = "slow tier: resizes and encodes photos, slow in a debug build"]
fn a_phone_photo_is_published_upright_at_each_width_without_its_gps_position() {
    let site = image_site();
    site.build_ok(&[]);
    let page = site.page("stories/photo-story/index.html");
    let hero = picture_with(&page, "Volunteers on the towpath");

    // Stored 2400×1600 on its side: shown 1600×2400.
    assert_eq!(attr(hero, "width"), "1600");
    assert_eq!(attr(hero, "height"), "2400");
    assert!(hero.contains("decoding=\"async\""), "{hero}");
    assert!(
        !hero.contains("loading=\"lazy\""),
        "the top image loads at once: {hero}"
    );
    assert!(hero.contains("<source type=\"image/webp\""), "{hero}");
    let webp = candidates(attr(hero, "srcset"));
    let img_tag = &hero[hero.find("<img").unwrap()..];
    let jpeg = candidates(attr(img_tag, "srcset"));
    assert_eq!(attr(hero, "sizes"), attr(img_tag, "sizes"));
    for set in [&webp, &jpeg] {
        let widths: Vec<u32> = set.iter().map(|(_, w)| *w).collect();
        assert_eq!(widths, [480, 800, 1200, 1600]);
    }
    assert_eq!(attr(img_tag, "src"), format!("/{}", jpeg[3].0));

    for ((webp_path, w), (jpeg_path, _)) in webp.iter().zip(&jpeg) {
        let webp_bytes = fs::read(site.out().join(webp_path)).unwrap();
        let jpeg_bytes = fs::read(site.out().join(jpeg_path)).unwrap();
        assert_eq!(format_of(&webp_bytes), ImageFormat::WebP, "{webp_path}");
        assert_eq!(format_of(&jpeg_bytes), ImageFormat::Jpeg, "{jpeg_path}");
        for bytes in [&webp_bytes, &jpeg_bytes] {
            let img = image::load_from_memory(bytes).unwrap();
            assert_eq!(img.dimensions(), (*w, w * 3 / 2), "{jpeg_path}");
        }
        assert!(
            !has_gps(&jpeg_bytes),
            "{jpeg_path} still has a GPS position"
        );
        // Turned, not just relabelled: the red corner is now top right.
        let img = image::load_from_memory(&jpeg_bytes).unwrap().to_rgb8();
        let corner = img.get_pixel(w - 3, 2);
        assert!(corner[0] > 180 && corner[1] < 80, "{jpeg_path}: {corner:?}");
    }

    // The photo's own address serves it re-encoded: upright, no EXIF.
    let original = fs::read(site.out().join("stories/photo-story/photo.jpg")).unwrap();
    assert!(!has_gps(&original), "the full-size photo still has GPS");
    assert_eq!(
        image::load_from_memory(&original).unwrap().dimensions(),
        (1600, 2400)
    );
    assert!(
        !original.windows(4).any(|w| w == b"Exif"),
        "no EXIF block at all"
    );
}

#[test]
#[ignore = "slow tier: resizes and encodes photos, slow in a debug build"]
fn body_images_become_lazy_pictures_and_keep_their_transparency() {
    let site = image_site();
    site.build_ok(&[]);
    let page = site.page("stories/photo-story/index.html");
    let logo = picture_with(&page, "The partnership’s logo");
    assert!(
        logo.contains("loading=\"lazy\""),
        "below the top image: {logo}"
    );
    assert!(logo.contains("title=\"Our logo\""), "{logo}");
    assert_eq!(attr(logo, "width"), "640");
    assert_eq!(attr(logo, "height"), "480");
    let img_tag = &logo[logo.find("<img").unwrap()..];
    let png = candidates(attr(img_tag, "srcset"));
    let webp = candidates(attr(logo, "srcset"));
    assert_eq!(png.iter().map(|c| c.1).collect::<Vec<_>>(), [480, 640]);
    for (path, _) in png.iter().chain(&webp) {
        let img = image::load_from_memory(&fs::read(site.out().join(path)).unwrap()).unwrap();
        assert!(img.color().has_alpha(), "{path} lost its alpha channel");
        let rgba = img.to_rgba8();
        assert_eq!(rgba.get_pixel(2, 2)[3], 0, "{path}: left half transparent");
        assert_eq!(rgba.get_pixel(rgba.width() - 3, 2)[3], 255, "{path}");
    }
    let second = picture_with(&page, "Boats at Gas Street");
    assert!(second.contains("loading=\"lazy\""), "{second}");
    assert!(attr(second, "srcset").contains("/images/second-1600w-"));
}

#[test]
#[ignore = "slow tier: resizes and encodes photos, slow in a debug build"]
fn an_svg_is_copied_as_it_is() {
    let site = image_site();
    site.build_ok(&[]);
    assert_eq!(
        fs::read(site.out().join("images/logo.svg")).unwrap(),
        fs::read(site.root().join("static/images/logo.svg")).unwrap()
    );
    let partner = site.page("partners/acme/index.html");
    assert!(
        partner.contains("src=\"/images/logo.svg\" alt=\"Acme Trust\""),
        "a vector logo is a plain <img>"
    );
    let share = site.page("share/index.html");
    assert!(
        share.contains("content=\"/images/logo.svg false\""),
        "{share}"
    );
}

#[test]
#[ignore = "slow tier: resizes and encodes photos, slow in a debug build"]
fn resize_image_makes_a_social_card_crop() {
    let site = image_site();
    site.build_ok(&[]);
    let share = site.page("share/index.html");
    let head = &share[share.find("og:image\"").unwrap()..];
    let url = attr(head, "content");
    assert!(
        url.starts_with("/images/second-1200x630-") && url.ends_with(".jpg"),
        "{url}"
    );
    assert!(
        share.contains("og:image:width\" content=\"1200\""),
        "{share}"
    );
    assert!(
        share.contains("og:image:height\" content=\"630\""),
        "{share}"
    );
    let img = image::open(site.out().join(url.trim_start_matches('/'))).unwrap();
    assert_eq!(img.dimensions(), (1200, 630));
}

#[test]
#[ignore = "slow tier: resizes and encodes photos, slow in a debug build"]
fn a_second_build_takes_every_image_from_the_cache() {
    let site = image_site();
    let first = site.build_ok(&["--timings"]);
    assert!(first.stdout.contains("cached"), "{}", first.stdout);
    assert!(
        !first.stdout.contains("Images: 0 processed"),
        "{}",
        first.stdout
    );
    let before = crate::support::snapshot(&site.out());
    let second = site.build_ok(&["--timings"]);
    assert!(
        second
            .stdout
            .contains("Images: 0 processed (from 0 decoded)"),
        "{}",
        second.stdout
    );
    let after = crate::support::snapshot(&site.out());
    assert!(before == after, "the cached build publishes the same files");

    // A changed photo is made again; the others still come from the cache.
    site.write("static/images/second.jpg", plain_jpeg(1500, 1000));
    let third = site.build_ok(&["--timings"]);
    assert!(
        third.stdout.contains("(from 1 decoded)"),
        "{}",
        third.stdout
    );
}

fn assert_error_names(stderr: &str, file: &str, words: &str) {
    let found = shown(stderr)
        .into_iter()
        .any(|d| d.path == file && d.message.contains(words));
    assert!(found, "no error at {file} saying `{words}` in:\n{stderr}");
}

#[test]
#[ignore = "slow tier: resizes and encodes photos, slow in a debug build"]
fn bad_images_are_errors_naming_the_file_and_keep_the_last_output() {
    let site = image_site();
    site.build_ok(&[]);
    let good = crate::support::snapshot(&site.out());

    let photo = phone_photo();
    site.write("static/images/cut.jpg", &photo[..photo.len() / 2]);
    site.write("static/images/notes.jpg", "these are my notes, not a photo");
    site.write("static/images/bomb.png", png_claiming(20_000, 20_000));
    site.write(
        "content/stories/heic.md",
        "+++\ntitle = \"From an iPhone\"\ndate = 2015-07-09\n+++\n\n![A photo](/images/x.heic)\n",
    );
    site.write("static/images/x.heic", "HEIC bytes");
    let run = site.build(&[]);
    assert!(!run.success, "{}", run.stdout);
    assert_error_names(&run.stderr, "static/images/cut.jpg", "cut short");
    assert_error_names(&run.stderr, "static/images/notes.jpg", "not an image");
    assert_error_names(&run.stderr, "static/images/bomb.png", "20000×20000");
    assert_error_names(&run.stderr, "content/stories/heic.md", "HEIC");
    assert!(
        good == crate::support::snapshot(&site.out()),
        "the last good output is untouched"
    );
}

/// A PNG whose header claims a huge picture, with one tiny compressed row:
/// what a decompression bomb looks like to a decoder before it allocates.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
#[ignore = "slow tier: resizes and encodes photos, slow in a debug build"]
fn a_text_edit_in_the_preview_does_no_image_work() {
    use brum::serve::engine::{Change, Incremental};
    let site = image_site();
    let mut options = brum::Options::new(site.root());
    options.base_url = Some("http://127.0.0.1:1111/".into());
    let mut inc = Incremental::new(options, false);
    let first = inc.rebuild(&[]).unwrap();
    assert_eq!(first.images_read, 2 + 1, "two bundle images and one static");
    assert!(inc.wait_for_images() > 0, "the background thread made them");

    let story = site.root().join("content/stories/photo-story/index.md");
    let text = fs::read_to_string(&story).unwrap();
    fs::write(&story, text.replace("first paragraph", "opening paragraph")).unwrap();
    let edit = inc.rebuild(&[Change::Content(story)]).unwrap();
    assert!(edit.rendered >= 1, "the story is rendered again");
    assert_eq!(edit.images_read, 0, "no image file was read");
    assert_eq!(inc.wait_for_images(), 0, "and none was made");
    let snapshot = inc.snapshot();
    let page = snapshot.files["stories/photo-story/index.html"]
        .bytes(&snapshot.root)
        .unwrap()
        .into_owned();
    assert!(
        String::from_utf8(page)
            .unwrap()
            .contains("opening paragraph")
    );
    let served = &snapshot.files["stories/photo-story/photo.jpg"];
    let bytes = served.bytes(&snapshot.root).unwrap();
    assert!(!has_gps(&bytes), "the preview serves the photo cleaned too");
}
