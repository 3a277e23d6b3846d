//! The floor the benchmark compares hpskb against: a bare program that walks `content/`,
//! reads each Markdown file, drops its front matter, renders it with pulldown-cmark (same
//! extensions as hpskb) and writes `<name>/index.html`, on a two-thread rayon pool.
//! No templates, links, citations, checks or atomic output.
//!
//! `cargo run --release --example floor -- <site-dir> <out-dir>`

use std::path::PathBuf;

use rayon::prelude::*;
use walkdir::WalkDir;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("site dir"));
    let out = PathBuf::from(args.next().expect("out dir"));
    let _ = std::fs::remove_dir_all(&out);
    let files: Vec<PathBuf> = WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("pool");
    pool.install(|| {
        files.par_iter().for_each(|f| {
            let text = std::fs::read_to_string(f).expect("read");
            let body = text.splitn(3, "+++\n").nth(2).unwrap_or(&text);
            let mut html = String::with_capacity(body.len() * 3 / 2);
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(body, hpskb::markdown::options()),
            );
            let dir = out.join(f.file_stem().expect("stem"));
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join("index.html"), html).expect("write");
        });
    });
    eprintln!("floor: {} pages", files.len());
}
