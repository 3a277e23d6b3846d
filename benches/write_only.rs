//! The cost of an output tree's files alone: reads every file of a built site into memory
//! (untimed), then writes them all to a fresh directory on a two-thread rayon pool, the
//! way hpskb's staging directory is filled, and prints the milliseconds the writing took.
//! No parsing, rendering or checking: no build that produces this tree can be faster.
//!
//! `cargo run --release --example write_only -- <built-site> <out-dir>`

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use walkdir::WalkDir;

fn main() {
    let mut args = std::env::args().skip(1);
    let built = PathBuf::from(args.next().expect("built site dir"));
    let out = PathBuf::from(args.next().expect("out dir"));
    let files: Vec<(PathBuf, Vec<u8>)> = WalkDir::new(&built)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&built).expect("inside").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    let _ = std::fs::remove_dir_all(&out);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("pool");
    let start = Instant::now();
    pool.install(|| {
        files.par_iter().for_each(|(rel, bytes)| {
            let path = out.join(rel);
            if std::fs::write(&path, bytes).is_err() {
                std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
                std::fs::write(&path, bytes).expect("write");
            }
        });
    });
    println!("{}", start.elapsed().as_millis());
    eprintln!("write_only: {} files", files.len());
}
