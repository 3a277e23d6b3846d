//! Live reload: edits, broken builds, templates and config, removed content, polling, and the edit-to-reload latency on a large site.

use super::*;

#[test]
fn watching_continues_when_content_is_removed_or_replaced_as_a_whole() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    let mut events = Events::open(server.addr, None);
    let content = root.join("content");
    let copy = root.join("content.copy");
    copy_dir(&content, &copy);

    // Removed, then created again.
    std::fs::remove_dir_all(&content).unwrap();
    copy_dir(&copy, &content);
    events.next(Duration::from_secs(2)); // whatever the removal caused
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\nAfter recreating.\n",
    );
    wait_for_page(&server, &mut events, "After recreating.");

    // Replaced by a rename (as `git checkout` or a sync tool may do).
    let fresh = root.join("content.fresh");
    copy_dir(&copy, &fresh);
    std::fs::rename(&content, root.join("content.old")).unwrap();
    std::fs::rename(&fresh, &content).unwrap();
    events.next(Duration::from_secs(2));
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\nAfter replacing.\n",
    );
    wait_for_page(&server, &mut events, "After replacing.");
}

/// Waits (bounded) for reload events until `/about/` shows `text`.
fn wait_for_page(server: &Server, events: &mut Events, text: &str) {
    let deadline = Instant::now() + EVENT_TIMEOUT;
    while !server.get("/about/").text().contains(text) {
        assert!(
            Instant::now() < deadline,
            "the edit was not seen; stderr:\n{}",
            server.stderr()
        );
        events.next(Duration::from_millis(500));
    }
}

#[test]
fn edits_reload_and_broken_builds_show_errors_but_keep_the_last_good_site() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    let page = server.get("/about/").text();
    let mut events = Events::open(server.addr, Some(&build_id(&page)));

    // A good edit: reload, and the page shows the new text.
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\nweight = 2\n+++\n## Scope\n\nFreshly edited paragraph.\n",
    );
    events.expect("reload", &server);
    let page = server.get("/about/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Freshly edited paragraph."));

    // A breaking edit: an error event with file and line; the old page stays.
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\nbad = true\n+++\nBroken edit.\n",
    );
    let error = events.expect("error", &server);
    assert!(error.contains("content/about.md:3"), "{error}");
    assert!(error.contains("bad"), "{error}");
    let page = server.get("/about/");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(
        text.contains("Freshly edited paragraph."),
        "last good build"
    );
    assert!(!text.contains("Broken edit."));
    // Diagnostics in the terminal too (read from the pipe by another thread: wait).
    server.wait_for_stderr("content/about.md:3");

    // A page opened while the build is broken gets the error at once.
    let mut late = Events::open(server.addr, Some(&build_id(&text)));
    let late_error = late.expect("error", &server);
    assert!(late_error.contains("content/about.md:3"), "{late_error}");

    // Fixing it reloads every open page (which clears the overlay).
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\nweight = 2\n+++\n## Scope\n\nFixed again.\n",
    );
    events.expect("reload", &server);
    late.expect("reload", &server);
    assert!(server.get("/about/").text().contains("Fixed again."));

    // A page from an older build is told to reload when it connects.
    let mut stale = Events::open(server.addr, Some("stale-build"));
    stale.expect("reload", &server);
}

#[test]
fn templates_and_config_changes_rebuild_too() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    let mut events = Events::open(server.addr, None);
    let config = std::fs::read_to_string(root.join("config.toml")).unwrap();
    write(
        &root,
        "config.toml",
        config.replace("Fixture KB", "Renamed KB"),
    );
    events.expect("reload", &server);
    assert!(server.get("/").text().contains("Renamed KB"));
    // static/ did not exist at start: it is picked up when created.
    write(&root, "static/hello.txt", "hello\n");
    events.expect("reload", &server);
    let txt = server.get("/hello.txt");
    assert_eq!(txt.status, 200, "{}", server.stderr());
    assert_eq!(
        txt.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(txt.text(), "hello\n");
}

#[test]
fn a_site_that_does_not_build_yet_is_served_as_an_error_page() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\nbad = true\n+++\n",
    );
    let server = Server::start(&root, &[]);
    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains(LIVE_TAG));
    let mut events = Events::open(server.addr, Some(&build_id(&page.text())));
    let error = events.expect("error", &server);
    assert!(error.contains("content/about.md:3"), "{error}");
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\nNow fine.\n",
    );
    events.expect("reload", &server);
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn polling_mode_also_rebuilds() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &["--poll"]);
    let mut events = Events::open(server.addr, None);
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\nPolled edit.\n",
    );
    events.expect("reload", &server);
    assert!(server.get("/about/").text().contains("Polled edit."));
}
