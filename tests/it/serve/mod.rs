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

mod process;
mod reload;
mod serving;

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
