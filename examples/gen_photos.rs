//! Writes phone-sized JPEG photos for `bench/images.py`: 4032×3024 like a
//! 12-megapixel phone camera, with smooth shapes and sensor-like noise so
//! that they compress like real photos (3–5 MB at quality 92).
//!
//!     cargo run --release --example gen_photos -- OUT_DIR COUNT

use std::io::BufWriter;

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(count)) = (args.get(1), args.get(2).and_then(|n| n.parse::<u32>().ok()))
    else {
        eprintln!("usage: gen_photos OUT_DIR COUNT");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("create the output folder");
    (0..count).into_par_iter().for_each(|i| {
        let img = photo(i);
        let path = format!("{dir}/photo-{i:03}.jpg");
        let file = std::fs::File::create(&path).expect("create a photo");
        JpegEncoder::new_with_quality(BufWriter::new(file), 92)
            .encode_image(&img)
            .expect("encode a photo");
    });
}

/// xorshift: fast, repeatable noise without a dependency.
fn noise(state: &mut u64) -> i32 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    (*state % 29) as i32 - 14
}

fn photo(seed: u32) -> RgbImage {
    let (w, h) = (4032u32, 3024u32);
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ (u64::from(seed + 1) * 0x1000_0001);
    let fx = 0.002 + f64::from(seed % 7) * 0.0007;
    let fy = 0.003 + f64::from(seed % 5) * 0.0006;
    RgbImage::from_fn(w, h, |x, y| {
        let (xf, yf) = (f64::from(x), f64::from(y));
        let sky = (yf / f64::from(h) * 160.0) as i32;
        let wave = ((xf * fx).sin() * (yf * fy).cos() * 70.0) as i32;
        let detail = (((xf * 0.05).sin() + (yf * 0.07).cos()) * 18.0) as i32;
        let n = noise(&mut state);
        let c = |base: i32| base;
        Rgb([
            (c(60) + sky + wave + detail + n).clamp(0, 255) as u8,
            (c(90) + sky / 2 - wave / 2 + detail + n).clamp(0, 255) as u8,
            (c(120) + 100 - sky / 3 + wave / 3 - detail + n).clamp(0, 255) as u8,
        ])
    })
}
