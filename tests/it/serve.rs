//! `hpskb serve` end to end: the real binary on a free port, a tiny std HTTP client,
//! the live-reload event stream, broken builds, traversal attempts and shutdown.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::*;

/// Every network read in these tests gives up after this long.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest wait for a rebuild to show up on the event stream.
const EVENT_TIMEOUT: Duration = Duration::from_secs(20);

/// A running `hpskb serve`; killed (and reaped) on drop, even when an assertion fails.
struct Server {
    child: Child,
    addr: SocketAddr,
    url: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        Server::spawn(Command::new(env!("CARGO_BIN_EXE_hpskb")), root, extra)
    }

    /// [`Server::start`] through `command` (the binary, or a wrapper that runs it).
    fn spawn(mut command: Command, root: &Path, extra: &[&str]) -> Server {
        let mut child = command
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn hpskb serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr_pipe = child.stderr.take().expect("stderr");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut r = BufReader::new(stderr_pipe);
            let mut line = String::new();
            while r.read_line(&mut line).is_ok_and(|n| n > 0) {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // From here on the guard owns the child.
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            url: String::new(),
            stderr,
        };
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|e| {
                panic!(
                    "no URL on stdout ({e}); stderr:\n{}",
                    server.stderr.lock().unwrap()
                )
            });
        let url = line
            .strip_prefix("serving ")
            .unwrap_or_else(|| panic!("unexpected stdout line {line:?}"))
            .to_string();
        let host = url
            .strip_prefix("http://")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected URL {url:?}"));
        server.addr = host.parse().expect("socket address in the URL");
        server.url = url;
        server
    }

    fn get(&self, target: &str) -> Reply {
        request(self.addr, "GET", target)
    }

    /// Waits until the server has printed `needle` on stderr.
    fn wait_for_stderr(&self, needle: &str) {
        let deadline = Instant::now() + IO_TIMEOUT;
        while !self.stderr().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "{needle:?} not printed; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, IO_TIMEOUT).expect("connect");
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    s
}

/// Sends `method target` (raw: not normalised, not encoded) and reads the whole reply.
fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    raw_request(
        addr,
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
}

fn raw_request(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut s = connect(addr);
    s.write_all(bytes).expect("send request");
    let mut all = Vec::new();
    s.read_to_end(&mut all).expect("read reply (server closes)");
    let end = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of response head");
    let head = String::from_utf8(all[..end].to_vec()).expect("UTF-8 head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: all[end + 4..].to_vec(),
    }
}

/// An open `/__hpskb/events` stream.
struct Events {
    reader: BufReader<TcpStream>,
    partial: Vec<u8>,
}

impl Events {
    fn open(addr: SocketAddr, build: Option<&str>) -> Events {
        let mut s = connect(addr);
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let target = match build {
            Some(b) => format!("/__hpskb/events?build={b}"),
            None => "/__hpskb/events".to_string(),
        };
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .unwrap();
        let mut events = Events {
            reader: BufReader::new(s),
            partial: Vec::new(),
        };
        let deadline = Instant::now() + IO_TIMEOUT;
        let status = events.line(deadline).expect("status line");
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut content_type = String::new();
        loop {
            let l = events.line(deadline).expect("header line");
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.strip_prefix("Content-Type:") {
                content_type = v.trim().to_string();
            }
        }
        assert_eq!(content_type, "text/event-stream");
        // The server sends `retry:` once the client is registered: from now on no
        // event can be missed.
        let first = events.line(deadline).expect("retry line");
        assert!(first.starts_with("retry:"), "{first}");
        events
    }

    /// The next line (without its line break), or `None` at `deadline` or on EOF.
    fn line(&mut self, deadline: Instant) -> Option<String> {
        loop {
            match self.reader.read_until(b'\n', &mut self.partial) {
                Ok(0) => return None,
                Ok(_) if self.partial.ends_with(b"\n") => {
                    let line = String::from_utf8_lossy(&self.partial)
                        .trim_end_matches(['\r', '\n'])
                        .to_string();
                    self.partial.clear();
                    return Some(line);
                }
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => return None,
            }
            if Instant::now() > deadline {
                return None;
            }
        }
    }

    /// The next event as (name, data), skipping comments and `retry:`.
    fn next(&mut self, timeout: Duration) -> Option<(String, String)> {
        let deadline = Instant::now() + timeout;
        let mut name = String::new();
        let mut data: Vec<String> = Vec::new();
        loop {
            let line = self.line(deadline)?;
            if line.is_empty() {
                if !name.is_empty() {
                    return Some((name, data.join("\n")));
                }
                continue;
            }
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_string());
            }
        }
    }

    /// Waits for an event called `name`, failing on any other.
    fn expect(&mut self, name: &str, server: &Server) -> String {
        match self.next(EVENT_TIMEOUT) {
            Some((n, data)) if n == name => data,
            other => panic!(
                "expected `{name}` event, got {other:?}; server stderr:\n{}",
                server.stderr()
            ),
        }
    }
}

/// The `data-build` id of the live-reload script in an HTML page.
fn build_id(html: &str) -> String {
    let start = html.find("data-build=\"").expect("data-build") + "data-build=\"".len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

const LIVE_TAG: &str = "<script src=\"/__hpskb/live.js\"";

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

#[test]
fn stops_on_kill_and_releases_the_port() {
    let (_g, root) = copy_fixture("good");
    let mut server = Server::start(&root, &[]);
    let addr = server.addr;
    let events = Events::open(addr, None);
    assert_eq!(server.get("/").status, 200);
    #[cfg(unix)]
    {
        // Ctrl-C is SIGINT.
        let _ = Command::new("kill")
            .args(["-INT", &server.child.id().to_string()])
            .status();
    }
    #[cfg(not(unix))]
    let _ = server.child.kill();
    let deadline = Instant::now() + IO_TIMEOUT;
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("try_wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!status.success() || status.code().is_some());
    drop(events);
    assert!(
        TcpStream::connect_timeout(&addr, IO_TIMEOUT).is_err(),
        "nothing listens any more"
    );
    TcpListener::bind(addr).expect("the port is free again");
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

#[test]
fn warns_loudly_when_not_bound_to_loopback() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &["--bind", "0.0.0.0"]);
    assert!(server.url.starts_with("http://0.0.0.0:"), "{}", server.url);
    server.wait_for_stderr("NOT a loopback address");
}

/// Edit → `reload` event latency on a large site. Run with
/// `HPSKB_CORPUS=/tmp/corpus1k cargo test --release --test it serve::reload_latency_on_a_large_site -- --ignored --nocapture`
/// after `cargo run --release --example gen_corpus -- /tmp/corpus1k 1000`.
#[test]
#[ignore = "needs a generated corpus; prints timings"]
fn reload_latency_on_a_large_site() {
    let Some(corpus) = std::env::var_os("HPSKB_CORPUS") else {
        eprintln!("set HPSKB_CORPUS to a generated site");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let status = Command::new("cp")
        .arg("-r")
        .arg(&corpus)
        .arg(&root)
        .status()
        .unwrap();
    assert!(status.success());
    let page = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .expect("a page");
    let original = std::fs::read_to_string(&page).unwrap();
    let server = Server::start(&root, &[]);
    let mut events = Events::open(server.addr, None);
    let mut samples = Vec::new();
    for i in 0..11 {
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        std::fs::write(&page, format!("{original}\n\nEdit number {i}.\n")).unwrap();
        events.expect("reload", &server);
        samples.push(start.elapsed());
    }
    let builds: Vec<f64> = server
        .stderr()
        .lines()
        .filter(|l| l.starts_with("rebuilt "))
        .filter_map(|l| l.split(" in ").nth(1)?.split(' ').next()?.parse().ok())
        .collect();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let overheads: Vec<f64> = samples
        .iter()
        .zip(&builds)
        .map(|(s, b)| ms(s) - b)
        .collect();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut total: Vec<f64> = samples.iter().map(ms).collect();
    eprintln!(
        "edit → reload event over {} edits: min {:.0} ms, median {:.0} ms, max {:.0} ms; \
         of which rebuild median {:.0} ms, watch+debounce+SSE median {:.0} ms",
        total.len(),
        total.iter().copied().fold(f64::INFINITY, f64::min),
        median(&mut total),
        total.iter().copied().fold(0.0, f64::max),
        median(&mut builds.clone()),
        median(&mut overheads.clone()),
    );
    eprintln!("server log:\n{}", server.stderr());
}

/// Kills and reaps a child process on drop.
struct Reap(Child);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
#[test]
fn open_flag_hands_the_served_url_to_the_system_browser_opener() {
    use std::os::unix::fs::PermissionsExt;
    let (guard, root) = copy_fixture("good");
    let bin = guard.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let record = guard.path().join("opened.txt");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", record.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Reap(
        Command::new(env!("CARGO_BIN_EXE_hpskb"))
            .args(["serve", "--port", "0", "--open", "--root"])
            .arg(&root)
            .env("PATH", path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("serve printed its URL");
    let url = line
        .trim()
        .strip_prefix("serving ")
        .expect("`serving URL` line")
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::fs::read_to_string(&record).map_or(true, |s| !s.ends_with('/'))
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&record).unwrap_or_default(), url);
}
