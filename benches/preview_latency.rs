//! The preview's edit-to-browser latency (run by `scripts/bench`, not a test):
//!
//!   preview_latency <hpskb binary> <site root> [edits=11]
//!
//! Starts `hpskb serve` on the site, listens to its live-reload stream as a browser tab
//! does, then edits one page's body `edits` times (300 ms apart) and times each edit from
//! the write until the `reload` event arrives. Prints one line per edit, then the median,
//! minimum and maximum in milliseconds, and the server's own rebuild times. The page is
//! put back as it was at the end.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the server may take to come up, or to send the next event.
const TIMEOUT: Duration = Duration::from_secs(120);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: preview_latency <hpskb binary> <site root> [edits=11]");
        std::process::exit(2);
    }
    let (binary, root) = (Path::new(&args[1]), Path::new(&args[2]));
    let edits: usize = args
        .get(3)
        .map_or(11, |n| n.parse().expect("edits: a number"));
    let page = first_page(&root.join("content")).expect("a page under content/");
    let original = std::fs::read_to_string(&page).expect("the page");

    let server = Server::start(binary, root);
    let mut events = server.events();
    let mut samples = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        std::fs::write(&page, format!("{original}\n\nEdit number {i}.\n")).expect("write");
        events.wait_for_reload();
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!("edit {i}: reload after {ms:.1} ms");
        samples.push(ms);
    }
    std::fs::write(&page, &original).expect("restore the page");
    let rebuilds = server.rebuild_times();
    server.stop();

    samples.sort_by(f64::total_cmp);
    println!(
        "edit → reload over {} edits of {}: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        samples.len(),
        page.display(),
        samples[samples.len() / 2],
        samples[0],
        samples[samples.len() - 1]
    );
    println!("server: {}", rebuilds.join("; "));
}

/// The first page (not a section index) under `dir`, in name order.
fn first_page(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    entries.sort();
    for path in &entries {
        let name = path.file_name()?.to_str()?;
        if path.is_file() && name.ends_with(".md") && name != "_index.md" {
            return Some(path.clone());
        }
    }
    entries
        .iter()
        .filter(|p| p.is_dir())
        .find_map(|d| first_page(d))
}

/// `hpskb serve --port 0` on the site, its address, and its log.
struct Server {
    child: Child,
    address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(binary: &Path, root: &Path) -> Server {
        let mut child = Command::new(binary)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start hpskb serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().expect("log").push(line);
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("the serving line");
        let address = line
            .trim()
            .strip_prefix("serving http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server {
            child,
            address,
            log,
        }
    }

    /// The live-reload stream, once the server has registered it.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        let request = format!(
            "GET /__hpskb/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        );
        stream.write_all(request.as_bytes()).expect("request");
        let mut events = Events(BufReader::new(stream));
        // Headers, then the `retry:` line sent once the stream is registered.
        while !events.line().starts_with("retry:") {}
        events
    }

    /// The server's first build and `rebuilt …` lines, shortened to what was built and
    /// how long it took.
    fn rebuild_times(&self) -> Vec<String> {
        std::thread::sleep(Duration::from_millis(200));
        let log = self.log.lock().expect("log");
        log.iter()
            .filter(|l| l.starts_with("built ") || l.starts_with("rebuilt "))
            .map(|l| without_parentheses(l))
            .collect()
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `line` without its parenthesised parts (file counts, the file that changed).
fn without_parentheses(line: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The server-sent event stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn line(&mut self) -> String {
        let mut line = String::new();
        let n = self.0.read_line(&mut line).expect("read the event stream");
        assert!(n > 0, "the event stream ended");
        line.trim_end().to_string()
    }

    fn wait_for_reload(&mut self) {
        while self.line() != "event: reload" {}
        // Its data line, so that the next wait starts at the next event.
        let _ = self.line();
    }
}
