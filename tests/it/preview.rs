//! The preview's partial rebuilds (`hpskb::preview`): after an edit of page bodies only
//! the edited pages are rendered again, every problem the edit causes is still reported,
//! and the result is byte for byte a clean build of the same sources.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hpskb::BuildOptions;
use hpskb::diag::Diagnostic;
use hpskb::preview::{Files, Preview, Rebuilt};

use crate::support::{copy_dir, copy_fixture};

/// The options `hpskb serve` builds with: in memory, no search index, no offline worker.
fn preview_options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        search: false,
        offline: false,
        ..Default::default()
    }
}

fn start(root: &Path) -> Preview {
    match Preview::build(&preview_options(root)) {
        Ok((preview, _)) => preview,
        Err(d) => panic!("the site does not build:\n{}", listed(&d)),
    }
}

fn listed(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(Diagnostic::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A clean build of the same sources: its files, or its errors.
fn clean_build(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, Vec<Diagnostic>> {
    let (built, _) = hpskb::compile(&preview_options(root))?;
    Ok(built.files.into_iter().map(|f| (f.path, f.bytes)).collect())
}

/// Panics unless `files` are exactly `clean`'s, naming the first difference.
fn assert_same_files(files: &Files, clean: &BTreeMap<String, Vec<u8>>, step: &str) {
    let mut served: Vec<&String> = files.keys().collect();
    served.sort();
    let expected: Vec<&String> = clean.keys().collect();
    assert_eq!(served, expected, "{step}: not the clean build's file list");
    for (path, bytes) in clean {
        assert!(
            files[path].as_slice() == bytes.as_slice(),
            "{step}: `{path}` differs from the clean build's"
        );
    }
}

/// Replaces the body of the page at `file` (keeping its front matter) with `body(old)`.
fn edit_body(file: &Path, body: impl FnOnce(&str) -> String) {
    let text = std::fs::read_to_string(file).unwrap();
    let end = text[3..].find("\n+++").unwrap() + 3 + "\n+++\n".len();
    let (front, old) = text.split_at(end);
    std::fs::write(file, format!("{front}{}", body(old))).unwrap();
}

#[test]
fn a_body_edit_renders_only_its_page_and_matches_a_clean_build() {
    let (_dir, root) = copy_fixture("good");
    let mut preview = start(&root);
    let page = root.join("content/about.md");
    edit_body(&page, |old| {
        format!("{old}\nA new paragraph.\n\n## A new heading\n")
    });
    // As the file watcher names it: relative to the site root.
    let changed = [PathBuf::from("content/about.md")];
    let (rebuilt, _) = preview.rebuild(&changed).unwrap();
    assert_eq!(rebuilt, Rebuilt::Pages(1));
    let about = String::from_utf8(preview.files()["about/index.html"].to_vec()).unwrap();
    assert!(about.contains("A new paragraph."), "{about}");
    assert!(about.contains("id=\"a-new-heading\""), "{about}");
    assert_same_files(&preview.files(), &clean_build(&root).unwrap(), "body edit");
}

#[test]
fn a_front_matter_edit_rebuilds_the_whole_site() {
    let (_dir, root) = copy_fixture("good");
    let mut preview = start(&root);
    let page = root.join("content/about.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("title = \"About\"", "title = \"About us\""),
    )
    .unwrap();
    let (rebuilt, _) = preview.rebuild(std::slice::from_ref(&page)).unwrap();
    assert_eq!(rebuilt, Rebuilt::Site);
    // The new title is in every page's menu, not only on the edited page.
    let home = String::from_utf8(preview.files()["index.html"].to_vec()).unwrap();
    assert!(home.contains("About us"), "{home}");
    assert_same_files(&preview.files(), &clean_build(&root).unwrap(), "title edit");
}

#[test]
fn removing_a_heading_another_page_links_to_is_reported_at_that_link() {
    let (_dir, root) = copy_fixture("good");
    let mut preview = start(&root);
    let served = preview.files();
    // drug-a links to drug-b.md#management.
    let b = root.join("content/monographs/drug-b.md");
    let original = std::fs::read_to_string(&b).unwrap();
    edit_body(&b, |old| old.replace("## Management", "## Treatment"));
    let errors = preview.rebuild(std::slice::from_ref(&b)).unwrap_err();
    let broken: Vec<_> = errors
        .iter()
        .filter(|d| d.is_error() && d.file.ends_with("drug-a.md"))
        .collect();
    assert!(
        broken.iter().any(|d| d.message.contains("#management")),
        "the link in drug-a is not reported:\n{}",
        listed(&errors)
    );
    assert!(
        std::sync::Arc::ptr_eq(&served, &preview.files()),
        "a failed rebuild changed the build"
    );
    // Fixed again: the last rebuild failed, so this one is a full one.
    std::fs::write(&b, original).unwrap();
    let (rebuilt, _) = preview.rebuild(std::slice::from_ref(&b)).unwrap();
    assert_eq!(rebuilt, Rebuilt::Site);
    assert_same_files(&preview.files(), &clean_build(&root).unwrap(), "fixed");
}

#[test]
fn a_broken_link_written_in_an_edit_is_reported() {
    let (_dir, root) = copy_fixture("good");
    let mut preview = start(&root);
    let a = root.join("content/monographs/drug-a.md");
    edit_body(&a, |old| {
        format!("{old}\nSee [nothing](drug-b.md#no-such-part).\n")
    });
    let errors = preview.rebuild(std::slice::from_ref(&a)).unwrap_err();
    assert!(
        errors.iter().any(|d| d.is_error()
            && d.file.ends_with("drug-a.md")
            && d.message.contains("no-such-part")),
        "{}",
        listed(&errors)
    );
}

/// A small deterministic generator (xorshift), so that a failure can be replayed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The bundled site's sources (content, templates, static files, configuration).
fn bundled_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "templates", "static"] {
        if repo.join(sub).is_dir() {
            copy_dir(&repo.join(sub), &root.join(sub));
        }
    }
    std::fs::copy(repo.join("config.toml"), root.join("config.toml")).unwrap();
    (dir, root)
}

/// One random edit of a page's body (or, now and then, of its front matter), described.
fn random_edit(rng: &mut Random, page: &Path, keys: &[String], step: usize) -> String {
    match rng.below(7) {
        0 => {
            edit_body(page, |old| {
                format!("{old}\nParagraph added at step {step}.\n")
            });
            "a paragraph added".into()
        }
        1 => {
            edit_body(page, |old| {
                format!("{old}\n## Heading of step {step}\n\nText.\n")
            });
            "a heading added".into()
        }
        2 => {
            // The last heading renamed: links to it elsewhere may break.
            edit_body(page, |old| {
                let Some(at) = old.rfind("\n## ") else {
                    return old.to_string();
                };
                let end = old[at + 1..].find('\n').map_or(old.len(), |e| at + 1 + e);
                format!("{}\n## Renamed at step {step}{}", &old[..at], &old[end..])
            });
            "the last heading renamed".into()
        }
        3 => {
            let key = &keys[rng.below(keys.len())];
            edit_body(page, |old| format!("{old}\nAlso cited here [@{key}].\n"));
            format!("a citation of {key} added")
        }
        4 => {
            // The first citation on the page taken out (a reference may be left uncited).
            edit_body(page, |old| {
                let Some(s) = old.find("[@") else {
                    return old.to_string();
                };
                let e = old[s..].find(']').map_or(old.len() - 1, |e| s + e);
                format!("{}{}", &old[..s], &old[e + 1..])
            });
            "a citation taken out".into()
        }
        5 => {
            edit_body(page, |old| {
                format!("{old}\nSee [the treatment page](@/bedside/treatment.md#step-{step}).\n")
            });
            "a link to a missing fragment added".into()
        }
        _ => {
            let text = std::fs::read_to_string(page).unwrap();
            let text = text.replacen("title = \"", &format!("title = \"S{step} "), 1);
            std::fs::write(page, text).unwrap();
            "the title changed".into()
        }
    }
}

#[test]
fn random_edits_of_the_bundled_site_give_the_clean_builds_bytes() {
    let (_dir, root) = bundled_copy();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let originals: Vec<String> = pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let bib = std::fs::read_to_string(root.join("content/references.bib")).unwrap();
    let keys: Vec<String> = bib
        .lines()
        .filter_map(|l| {
            Some(
                l.strip_prefix('@')?
                    .split_once('{')?
                    .1
                    .trim_end_matches(',')
                    .to_string(),
            )
        })
        .collect();
    assert!(keys.len() > 10, "the bibliography's keys were not read");

    let mut preview = start(&root);
    let mut rng = Random(0x9e37_79b9_7f4a_7c15);
    let (mut partial, mut failed) = (0, 0);
    for step in 0..24 {
        let i = rng.below(pages.len());
        let what = match rng.below(8) {
            7 => {
                std::fs::write(&pages[i], &originals[i]).unwrap();
                "restored".to_string()
            }
            _ => random_edit(&mut rng, &pages[i], &keys, step),
        };
        let label = format!("step {step}: {what} in {}", pages[i].display());
        let outcome = preview.rebuild(std::slice::from_ref(&pages[i]));
        match (outcome, clean_build(&root)) {
            (Ok((rebuilt, _)), Ok(clean)) => {
                assert_same_files(&preview.files(), &clean, &label);
                // Restoring may change front matter; every other edit but a title's is
                // one of the body only.
                if !what.starts_with("the title") && what != "restored" {
                    assert_eq!(rebuilt, Rebuilt::Pages(1), "{label}: not rebuilt in part");
                }
                partial += usize::from(rebuilt == Rebuilt::Pages(1));
            }
            (Err(errors), Err(clean_errors)) => {
                // The same problems as the clean build.
                assert_eq!(listed(&errors), listed(&clean_errors), "{label}");
                failed += 1;
                // Put the page back, so that the edits go on from a building site (after
                // a failure, a full rebuild).
                std::fs::write(&pages[i], &originals[i]).unwrap();
                let (rebuilt, _) = preview.rebuild(std::slice::from_ref(&pages[i])).unwrap();
                assert_eq!(rebuilt, Rebuilt::Site, "{label}: restored");
                assert_same_files(&preview.files(), &clean_build(&root).unwrap(), &label);
            }
            (Ok(_), Err(e)) => panic!(
                "{label}: the preview built, a clean build fails:\n{}",
                listed(&e)
            ),
            (Err(e), Ok(_)) => panic!(
                "{label}: the preview failed, a clean build works:\n{}",
                listed(&e)
            ),
        }
    }
    assert!(
        partial >= 4,
        "only {partial} partial rebuilds: the fast path is not exercised"
    );
    assert!(
        failed >= 1,
        "no edit broke the build: the error path is not exercised"
    );
}

#[test]
fn a_body_edit_of_a_translation_renders_only_it_and_matches_a_clean_build() {
    let (_dir, root) = copy_fixture("good");
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    std::fs::write(
        root.join("config.toml"),
        format!("{config}\n[languages.zh-Hans]\n"),
    )
    .unwrap();
    let zh = root.join("content/about.zh-Hans.md");
    std::fs::write(
        &zh,
        "+++\ntitle = \"关于\"\n+++\n## 范围 {#scope}\n\n测试。\n",
    )
    .unwrap();
    let mut preview = start(&root);
    edit_body(&zh, |old| {
        format!("{old}\n## 新的一节\n\n见[药物 A](monographs/drug-a.md#management)。\n")
    });
    let (rebuilt, _) = preview.rebuild(std::slice::from_ref(&zh)).unwrap();
    assert_eq!(rebuilt, Rebuilt::Pages(1));
    let page = String::from_utf8(preview.files()["zh-hans/about/index.html"].to_vec()).unwrap();
    assert!(page.contains("新的一节"), "{page}");
    assert_same_files(
        &preview.files(),
        &clean_build(&root).unwrap(),
        "translation edit",
    );
}
