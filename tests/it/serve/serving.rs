//! Serving: content types and the live script, every built URL, traversal and malformed requests, the origin rule, event-stream limits, search and service worker.

use super::*;

#[test]
fn serves_pages_with_content_types_and_the_live_script() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    let html = home.text();
    let tag = html.find(LIVE_TAG).expect("live-reload script injected");
    let body_end = html.rfind("</body>").expect("</body>");
    assert!(tag < body_end, "script goes before </body>");
    assert_eq!(
        home.header("Content-Length"),
        Some(home.body.len().to_string().as_str())
    );
    // base_url is the local server, so links work locally.
    assert!(html.contains(&server.url), "base_url overridden");

    let about = server.get("/about/");
    assert_eq!(about.status, 200);
    assert!(about.text().contains("This site covers"));

    let css_href = html
        .split('"')
        .find(|s| s.starts_with("/css/") && s.ends_with(".css"))
        .expect("stylesheet link")
        .to_string();
    let css = server.get(&css_href);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("__hpskb"), "only HTML gets the script");

    let svg = server.get("/favicon.svg");
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("Content-Type"), Some("image/svg+xml"));

    let js = server.get("/__hpskb/live.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.text().contains("EventSource"));
    assert!(js.text().contains("hpskb-overlay"));
    assert!(!js.text().contains("http"), "no external requests");

    let dir = server.get("/monographs");
    assert_eq!(dir.status, 301);
    assert_eq!(dir.header("Location"), Some("/monographs/"));
    assert_eq!(server.get("/monographs/").status, 200);

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(missing.text().contains(LIVE_TAG), "the site's 404.html");

    let head = request(server.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(head.header("Content-Length"), home.header("Content-Length"));

    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let r = request(server.addr, method, "/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    }
    let post = raw_request(
        server.addr,
        format!(
            "POST /about/ HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
            server.addr
        )
        .as_bytes(),
    );
    assert_eq!(post.status, 405);
}

/// Moved here from tests/it/site_root.rs when the preview's path decoding left the library:
/// asked of the running preview instead of its decoder.
#[test]
fn every_url_the_build_writes_is_one_the_preview_serves() {
    let (_g, root) = copy_fixture("good");
    write(
        &root,
        "content/My Page é.md",
        "+++\ntitle = \"Spaces\"\n+++\nx\n",
    );
    write(&root, "content/files/a b (1)+x.txt", "x");
    // What the preview builds: no search index, no offline worker.
    let mut options = options(&root);
    options.search = false;
    options.offline = false;
    let (built, _) = hpskb::compile(&options)
        .map_err(|d| format!("{d:?}"))
        .unwrap();
    assert!(built.files.len() > 20);
    assert!(
        built
            .files
            .iter()
            .any(|f| f.path.ends_with("a b (1)+x.txt"))
    );
    let server = Server::start(&root, &[]);
    for f in &built.files {
        let url = format!("/{}", hpskb::text::url::encode_path(&f.path));
        let reply = server.get(&url);
        assert_eq!(reply.status, 200, "{url}");
        if f.path.ends_with("a b (1)+x.txt") {
            assert_eq!(reply.body, f.bytes, "{url}");
        }
    }
}

#[test]
fn keeps_serving_after_running_out_of_file_descriptors() {
    let (_g, root) = copy_fixture("good");
    // A soft limit far below the hard one, as most systems set it (1,024 of 524,288).
    let mut limited = Command::new("prlimit");
    limited.args(["--nofile=64:4096", env!("CARGO_BIN_EXE_hpskb")]);
    let server = Server::spawn(limited, &root, &[]);
    // More connections than the soft limit allows descriptors for, all held open.
    let held: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect_timeout(&server.addr, IO_TIMEOUT).ok())
        .collect();
    assert!(held.len() > 64, "{} connections", held.len());
    std::thread::sleep(Duration::from_millis(500));
    drop(held);
    assert_eq!(server.get("/about/").status, 200, "{}", server.stderr());
    assert!(!server.stderr().contains("stopped accepting"));
}

#[test]
fn traversal_and_malformed_requests_get_404_or_400() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    for target in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/%2E%2E/config.toml",
        "/..%2fconfig.toml",
        "/..\\config.toml",
        "/..%5cconfig.toml",
        "//etc/passwd",
        "/monographs/../../config.toml",
        "/content/about.md",
        "/config.toml",
        "/about/%00",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/C:/Windows/win.ini",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 404, "{target}");
        assert!(
            !r.text().contains("base_url"),
            "{target} leaked config.toml"
        );
    }
    let absolute = format!("http://{}/../config.toml", server.addr);
    for target in [absolute.as_str(), "*", "config.toml"] {
        assert_eq!(server.get(target).status, 404, "{target}");
    }
    let malformed = raw_request(server.addr, b"GET /\r\n\r\n");
    assert_eq!(malformed.status, 400);
    let mut huge = b"GET / HTTP/1.1\r\nConnection: close\r\nX-Big: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 9000));
    huge.extend_from_slice(b"\r\n\r\n");
    assert_eq!(raw_request(server.addr, &huge).status, 431);
    // Still serving after all that.
    assert_eq!(server.get("/").status, 200);
}

/// The status of `GET target` sent with `host` as the `Host` header (`None`: no header).
fn status_with_host(addr: SocketAddr, target: &str, host: Option<&str>) -> u16 {
    let host = host.map_or(String::new(), |h| format!("Host: {h}\r\n"));
    let mut s = connect(addr);
    s.write_all(format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).expect("status line");
    line.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {line:?}"))
}

#[test]
fn answers_only_its_own_origin_so_dns_rebinding_reads_nothing() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    let port = server.addr.port();
    let events = "/__hpskb/events?build=x";
    for target in ["/", "/about/", "/__hpskb/live.js", events] {
        for host in [
            format!("evil.example:{port}"),
            format!("127.0.0.1.nip.io:{port}"),
            format!("localhost.evil.example:{port}"),
            format!("127.0.0.1:{}", port.wrapping_add(1)),
            "127.0.0.1".to_string(),
            "localhost".to_string(),
        ] {
            let status = status_with_host(server.addr, target, Some(&host));
            assert_eq!(status, 421, "{target} with Host {host}");
        }
        assert_eq!(
            status_with_host(server.addr, target, None),
            421,
            "{target} without Host"
        );
    }
    let refused = request_with_host(server.addr, "/about/", &format!("evil.example:{port}"));
    assert!(!refused.text().contains("This site covers"), "no page text");
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(
            status_with_host(server.addr, "/about/", Some(&host)),
            200,
            "{host}"
        );
    }
    // Absolute-form targets are served like origin-form ones; their authority is what
    // must name the preview (it takes the place of Host).
    let own = format!("http://127.0.0.1:{port}/about/");
    let reply = request(server.addr, "GET", &own);
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("This site covers"));
    let own_events = format!("http://localhost:{port}{events}");
    let mut s = connect(server.addr);
    s.write_all(format!("GET {own_events} HTTP/1.1\r\nHost: evil.example\r\n\r\n").as_bytes())
        .unwrap();
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    let foreign = format!("http://evil.example:{port}/about/");
    assert_eq!(
        status_with_host(server.addr, &foreign, Some(&server.addr.to_string())),
        421
    );
}

fn request_with_host(addr: SocketAddr, target: &str, host: &str) -> Reply {
    raw_request(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Must match `reload::MAX_STREAMS`.
const MAX_STREAMS: usize = 32;

#[test]
fn event_streams_have_their_own_limit_never_starve_pages_and_free_their_slot_at_once() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    let mut streams: Vec<Events> = (0..MAX_STREAMS)
        .map(|_| Events::open(server.addr, None))
        .collect();
    // Pages are still served, many at once, while every stream is open.
    let pages: Vec<_> = (0..16)
        .map(|_| {
            let addr = server.addr;
            std::thread::spawn(move || request(addr, "GET", "/about/").status)
        })
        .collect();
    for p in pages {
        assert_eq!(p.join().unwrap(), 200);
    }
    // One stream too many is refused, not queued.
    assert_eq!(
        status_with_host(
            server.addr,
            "/__hpskb/events",
            Some(&server.addr.to_string())
        ),
        503
    );
    // A closed stream gives its place back at once (not at the next keep-alive).
    drop(streams.pop());
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let status = status_with_host(
            server.addr,
            "/__hpskb/events",
            Some(&server.addr.to_string()),
        );
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(
            Instant::now() < deadline,
            "the closed stream's place was not freed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Every open stream still gets the reload.
    drop(streams.pop()); // the stream just opened above was closed by the helper
    write(
        &root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n## Scope\n\nStreams all told.\n",
    );
    for events in &mut streams {
        events.expect("reload", &server);
    }
    assert_eq!(server.get("/about/").status, 200);
}

#[test]
fn search_is_served_only_when_asked_for() {
    let (_g, root) = copy_fixture("good");
    let plain = Server::start(&root, &[]);
    assert!(!plain.get("/").text().contains("id=\"search-input\""));
    assert_eq!(plain.get("/pagefind/pagefind.js").status, 404);
    assert_eq!(plain.get("/search/").status, 404);
    drop(plain);

    let server = Server::start(&root, &["--search"]);
    let home = server.get("/").text();
    let base = home
        .split("data-search-base=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the search box names where the index is");
    assert!(home.contains("id=\"search-input\""));
    let js = server.get(&format!("{base}pagefind.js"));
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    let entry = server.get(&format!("{base}pagefind-entry.json"));
    assert_eq!(entry.status, 200);
    assert!(entry.text().contains("\"languages\""), "{}", entry.text());
    assert_eq!(server.get("/search/").status, 200);
    assert_eq!(server.get("/search-terms.json").status, 200);
}

#[test]
fn the_preview_registers_no_service_worker() {
    // A worker would keep serving saved pages while the author edits them.
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &[]);
    let home = server.get("/").text();
    assert!(home.contains("<html lang=\"en\">"), "{home}");
    assert!(!home.contains("rel=\"manifest\""));
    // A worker a build left on this address is replaced by one that removes itself.
    for path in ["/sw.js", "/kb/sw.js"] {
        let retiring = server.get(path);
        assert_eq!(retiring.status, 200, "{path}");
        assert!(
            retiring.text().contains("registration.unregister()"),
            "{path}"
        );
    }
}
