//! Live reload: the server-sent-event stream and the script injected into HTML pages.
//!
//! Every HTML response carries `<script src="/__hpskb/live.js" data-build="ID">`. The
//! script opens `/__hpskb/events?build=ID` (through one shared worker per browser where
//! it can); the server answers `event: reload` with the new build id after each
//! successful rebuild (or at once when `ID` is already stale) and `event: error` with
//! the rendered diagnostics while the build is broken, which the script shows as an
//! overlay over the page.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::http::Response;

/// Path of the injected script.
pub const SCRIPT_PATH: &str = "/__hpskb/live.js";
/// Path of the event stream.
pub const EVENTS_PATH: &str = "/__hpskb/events";
/// Interval of keep-alive comments on idle streams.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Most event streams open at once; one more is answered 503. Streams do not count
/// against [`super::http::MAX_CONNECTIONS`], so they can never starve page requests.
/// Browsers that have `SharedWorker` open one stream for all their tabs.
pub const MAX_STREAMS: usize = 32;

/// Path of the shared worker that holds one event stream for every tab.
pub const WORKER_PATH: &str = "/__hpskb/live-worker.js";

/// The live-reload client. No external requests; the overlay text is set with
/// `textContent`, so diagnostics are never parsed as HTML. Where the browser has
/// `SharedWorker`, all tabs share one event stream through [`LIVE_WORKER_JS`]: a browser
/// opens at most six connections to one host, so a stream per tab would leave the
/// seventh tab's page requests waiting forever.
pub const LIVE_JS: &str = r#"(() => {
  const me = document.currentScript;
  const build = (me && me.dataset.build) || "";
  const overlay = (text) => {
    let o = document.getElementById("hpskb-overlay");
    if (!o) {
      o = document.createElement("div");
      o.id = "hpskb-overlay";
      o.setAttribute("role", "alert");
      o.title = "hpskb: build failed (click to hide)";
      o.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;" +
        "padding:1.5rem;background:rgba(20,20,20,.94);color:#f4f4f4;cursor:pointer;" +
        "font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      o.addEventListener("click", () => o.remove());
      const h = document.createElement("strong");
      h.textContent = "hpskb: the last edit broke the build; showing the last good version";
      h.style.cssText = "display:block;color:#ff8080;margin-bottom:1rem";
      const pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      o.append(h, pre);
      document.body.append(o);
    }
    o.lastChild.textContent = text;
  };
  if (typeof SharedWorker === "function") {
    const w = new SharedWorker("/__hpskb/live-worker.js");
    w.port.onmessage = (m) => (m.data[0] === "reload" ? location.reload() : overlay(m.data[1]));
    w.port.postMessage(build);
    return;
  }
  const es = new EventSource("/__hpskb/events?build=" + encodeURIComponent(build));
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("error", (e) => {
    if (typeof e.data === "string") overlay(e.data); // else connection trouble; it retries
  });
})();
"#;

/// The shared worker: one event stream, opened with the first tab's build id, relayed to
/// every tab. A `reload` event carries the new build id: tabs showing another build
/// reload; a tab that connects later with a build already replaced reloads at once.
pub const LIVE_WORKER_JS: &str = r#"const tabs = new Map(); // port -> build id
const replaced = new Set();
let current = null, error = null, es = null;
onconnect = (c) => {
  const port = c.ports[0];
  port.onmessage = (m) => {
    const build = String(m.data);
    tabs.set(port, build);
    if (!es) {
      current = build;
      es = new EventSource("/__hpskb/events?build=" + encodeURIComponent(build));
      es.addEventListener("reload", (e) => {
        if (current !== e.data) replaced.add(current);
        current = e.data;
        error = null;
        for (const [p, b] of tabs) if (b !== current) { p.postMessage(["reload"]); tabs.delete(p); }
      });
      es.addEventListener("error", (e) => {
        if (typeof e.data !== "string") return; // connection trouble; it retries
        error = e.data;
        for (const p of tabs.keys()) p.postMessage(["error", error]);
      });
    } else if (replaced.has(build)) {
      port.postMessage(["reload"]);
      tabs.delete(port);
    } else if (error !== null) {
      port.postMessage(["error", error]);
    }
  };
};
"#;

/// Inserts the live-reload script tag before the last `</body>` (or at the end).
pub fn inject(html: &[u8], build: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{}\"></script>",
        attr_escape(build)
    );
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// Formats one server-sent event; multi-line data becomes several `data:` lines
/// (trailing line breaks are dropped).
pub fn format_event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.trim_end_matches(['\n', '\r']).split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    out
}

/// What a stream's pump waits for.
enum Signal {
    /// An event to send.
    Event(Arc<str>),
    /// The client closed its end.
    Gone,
}

struct Client {
    id: u64,
    tx: Sender<Signal>,
}

struct Inner {
    build: String,
    error: Option<String>,
    clients: Vec<Client>,
    next_id: u64,
}

/// The set of connected event-stream clients and the state they are told on connecting.
pub struct Hub {
    inner: Mutex<Inner>,
}

impl Hub {
    /// A hub whose current build id is `build`.
    pub fn new(build: String) -> Self {
        Self {
            inner: Mutex::new(Inner {
                build,
                error: None,
                clients: Vec::new(),
                next_id: 0,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave `Inner` inconsistent; keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Number of connected clients.
    #[cfg(test)]
    fn clients(&self) -> usize {
        self.lock().clients.len()
    }

    /// A new good build `build` is being served: clear the error, tell every client to reload.
    pub fn reload(&self, build: String) {
        let mut inner = self.lock();
        let event = format_event("reload", &build);
        inner.build = build;
        inner.error = None;
        broadcast(&mut inner, event);
    }

    /// The build is broken: remember the diagnostics text and send it to every client.
    pub fn error(&self, text: String) {
        let mut inner = self.lock();
        let event = format_event("error", &text);
        inner.error = Some(text);
        broadcast(&mut inner, event);
    }

    /// Serves an event stream on `stream` until the client goes away. `client_build` is
    /// the build id of the page that connects; when stale, it is told to reload at once.
    /// Beyond [`MAX_STREAMS`] open streams the answer is 503. A stream's place is given
    /// back as soon as its client closes the connection.
    pub fn serve(
        &self,
        mut stream: TcpStream,
        client_build: Option<&str>,
        head_only: bool,
    ) -> io::Result<()> {
        const HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
              Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\
              Connection: keep-alive\r\n\r\n";
        if head_only {
            stream.write_all(HEAD)?;
            return stream.flush();
        }
        let (tx, rx) = mpsc::channel::<Signal>();
        let registered = {
            let mut inner = self.lock();
            (inner.clients.len() < MAX_STREAMS).then(|| {
                let id = inner.next_id;
                inner.next_id += 1;
                inner.clients.push(Client { id, tx: tx.clone() });
                let mut first = String::from("retry: 1000\n\n");
                if client_build.is_some_and(|b| b != inner.build) {
                    first.push_str(&format_event("reload", &inner.build));
                } else if let Some(error) = &inner.error {
                    first.push_str(&format_event("error", error));
                }
                (id, first)
            })
        };
        let Some((id, first)) = registered else {
            return Response::text(503, "too many live-reload streams\n")
                .write_to(&mut stream, false);
        };
        let result = watch_for_close(&stream, tx).and_then(|()| {
            stream.write_all(HEAD)?;
            stream.write_all(first.as_bytes())?;
            stream.flush()?;
            pump(&mut stream, &rx)
        });
        self.lock().clients.retain(|c| c.id != id);
        // Ends the thread that watches for the client closing, if it still runs.
        let _ = stream.shutdown(Shutdown::Both);
        result
    }
}

/// Sends [`Signal::Gone`] on `tx` once the client closes its end of `stream` (or the
/// connection fails), so that its stream ends at once, not at the next keep-alive.
fn watch_for_close(stream: &TcpStream, tx: Sender<Signal>) -> io::Result<()> {
    let mut reader = stream.try_clone()?;
    reader.set_read_timeout(None)?;
    std::thread::Builder::new()
        .name("hpskb-events-close".into())
        .spawn(move || {
            let mut buf = [0u8; 512];
            // Anything the client sends on an event stream is ignored.
            while reader.read(&mut buf).is_ok_and(|n| n > 0) {}
            let _ = tx.send(Signal::Gone);
        })?;
    Ok(())
}

fn pump(stream: &mut TcpStream, rx: &Receiver<Signal>) -> io::Result<()> {
    loop {
        match rx.recv_timeout(KEEPALIVE) {
            Ok(Signal::Event(event)) => stream.write_all(event.as_bytes())?,
            Ok(Signal::Gone) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
            Err(RecvTimeoutError::Timeout) => stream.write_all(b": keep-alive\n\n")?,
        }
        stream.flush()?;
    }
}

fn broadcast(inner: &mut Inner, event: String) {
    let event: Arc<str> = event.into();
    inner
        .clients
        .retain(|c| c.tx.send(Signal::Event(Arc::clone(&event))).is_ok());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end_tag() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", "b1");
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "<html><body><p>x</p><script src=\"/__hpskb/live.js\" data-build=\"b1\"></script></BODY></html>"
        );
        let out = inject(b"<p>fragment", "b\"<");
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("data-build=\"b&quot;&lt;\"></script>")
        );
        assert!(inject(b"", "x").starts_with(b"<script"));
    }

    #[test]
    fn events_split_multiline_data() {
        assert_eq!(format_event("reload", ""), "event: reload\ndata: \n\n");
        assert_eq!(
            format_event("error", "a\r\nb\n"),
            "event: error\ndata: a\ndata: b\n\n"
        );
    }

    #[test]
    fn broadcast_drops_gone_clients() {
        let hub = Hub::new("1".into());
        let (tx, rx) = mpsc::channel();
        let (gone, _) = mpsc::channel();
        hub.lock()
            .clients
            .extend([Client { id: 0, tx }, Client { id: 1, tx: gone }]);
        hub.error("boom <b>".into());
        assert_eq!(hub.clients(), 1);
        let next = || match rx.recv().unwrap() {
            Signal::Event(e) => e.to_string(),
            Signal::Gone => "gone".to_string(),
        };
        assert_eq!(next(), "event: error\ndata: boom <b>\n\n");
        hub.reload("2".into());
        assert_eq!(next(), "event: reload\ndata: 2\n\n");
        assert!(hub.lock().error.is_none());
    }
}
