//! Generates a synthetic hpskb site of N monograph-shaped pages for benchmarking.
//!
//! `cargo run --release --example gen_corpus -- <out-dir> [pages=10000] [--plain]`
//!
//! Each page is 6–10 KB of Markdown with front matter, headings, a table, lists,
//! footnotes, internal links (with fragments) to other pages, and a GFM alert. A
//! monograph's front matter names its drug, drug class and review date, so hpskb also
//! writes a drug page and "cite this page" exports for it; `--plain` leaves those three
//! out (same bodies), so that output is one file per page, as the floor writes.
//! Output is deterministic (a fixed linear congruential generator).

use std::fmt::Write as _;
use std::path::PathBuf;

const WORDS: &[&str] = &[
    "ferritin",
    "fever",
    "cytopenia",
    "splenomegaly",
    "triglycerides",
    "fibrinogen",
    "marrow",
    "macrophage",
    "cytokine",
    "interferon",
    "steroids",
    "etoposide",
    "onset",
    "patients",
    "reported",
    "criteria",
    "diagnosis",
    "management",
    "response",
    "infection",
    "lymphoma",
    "the",
    "and",
    "with",
    "after",
    "before",
    "during",
    "in",
    "of",
    "was",
    "were",
    "is",
];

/// The monograph sections, in the order hpskb's bundled site requires.
const SECTIONS: [&str; 9] = [
    "Key points",
    "Background",
    "Epidemiology",
    "Mechanism",
    "Clinical features and time to onset",
    "Diagnosis",
    "Differential diagnosis",
    "Management",
    "Rechallenge and outcome",
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sentence(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s.push('.');
    s
}

fn page(i: usize, n: usize, plain: bool, rng: &mut Lcg) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "+++\ntitle = \"Synthetic drug {i}\"\ndescription = \"Synthetic monograph {i}.\""
    );
    if !plain {
        let _ = writeln!(
            s,
            "kind = \"monograph\"\nlast_reviewed = 2026-01-01\ndrug_class = \"Class {}\"\ndrugs = [{{ generic = \"drug{i}\", brands = [\"Brand{i}\"] }}]",
            i % 20
        );
    }
    s.push_str("+++\n");
    for (note, section) in (1..).zip(SECTIONS) {
        let _ = writeln!(s, "## {section}\n");
        let words = 35 + rng.below(20);
        let _ = writeln!(s, "{} {}\n", sentence(rng, words), sentence(rng, 25));
        let target = rng.below(n);
        let _ = writeln!(
            s,
            "- See [drug {target}](drug-{target}.md#management) for details.\n- {}\n- {}[^{note}]\n",
            sentence(rng, 12),
            sentence(rng, 10),
        );
        if section == "Diagnosis" {
            s.push_str("| Item | Threshold | Points |\n|---|---|---|\n");
            for r in 0..6 {
                let _ = writeln!(s, "| item {r} | ≥ {} | {} |", rng.below(500), rng.below(60));
            }
            s.push('\n');
        }
        if section == "Management" {
            let _ = writeln!(s, "> [!WARNING]\n> {}\n", sentence(rng, 15));
        }
    }
    for note in 1..=SECTIONS.len() {
        let _ = writeln!(s, "[^{note}]: {}\n", sentence(rng, 8));
    }
    s
}

fn main() {
    let (flags, args): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let plain = flags.iter().any(|f| f == "--plain");
    let mut args = args.into_iter();
    let out = PathBuf::from(args.next().unwrap_or_else(|| "bench-corpus".into()));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = out.join("content/monographs");
    std::fs::create_dir_all(&dir).expect("create corpus dir");
    std::fs::write(
        out.join("config.toml"),
        "title = \"Benchmark\"\nbase_url = \"https://example.org/\"\nsearch = true\n",
    )
    .expect("write config");
    std::fs::write(
        out.join("content/_index.md"),
        "+++\ntitle = \"Home\"\n+++\nSynthetic corpus.\n",
    )
    .expect("write home");
    std::fs::write(dir.join("_index.md"), "+++\ntitle = \"Monographs\"\n+++\n")
        .expect("write section");
    let mut rng = Lcg(42);
    let mut bytes = 0;
    for i in 0..n {
        let text = page(i, n, plain, &mut rng);
        bytes += text.len();
        std::fs::write(dir.join(format!("drug-{i}.md")), text).expect("write page");
    }
    eprintln!(
        "wrote {n} pages ({} KB average) to {}",
        bytes / n.max(1) / 1024,
        out.display()
    );
}
