//! Live reload: the server-sent-event stream and the script injected into HTML pages.
//!
//! Every HTML response carries `<script src="/__hpskb/live.js" data-build="ID">`. The
//! script opens `/__hpskb/events?build=ID` (through one shared worker per browser where
//! it can); the server answers `event: reload` with the new build id after each
//! successful rebuild (or at once when `ID` is already stale) and `event: error` with
//! the rendered diagnostics while the build is broken, which the script shows as an
//! overlay over the page.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tiny_http::{Method, Request};

use super::http::Response;

/// Path of the injected script.
pub(crate) const SCRIPT_PATH: &str = "/__hpskb/live.js";
/// Path of the event stream.
pub(crate) const EVENTS_PATH: &str = "/__hpskb/events";
/// Interval of keep-alive comments on idle streams.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Most event streams open at once; one more is answered 503. Each stream holds a thread
/// of its own, as each page connection does, so streams can never starve page requests.
/// Browsers that have `SharedWorker` open one stream for all their tabs.
pub(crate) const MAX_STREAMS: usize = 32;
/// How long a stream request waits for the place of a stream whose client has gone.
const RECLAIM_WAIT: Duration = Duration::from_millis(500);
/// Interval of the probes of open streams while a stream request waits for a place.
const PROBE_INTERVAL: Duration = Duration::from_millis(20);

/// Path of the shared worker that holds one event stream for every tab.
pub(crate) const WORKER_PATH: &str = "/__hpskb/live-worker.js";

/// The live-reload client. No external requests; the overlay text is set with
/// `textContent`, so diagnostics are never parsed as HTML. Where the browser has
/// `SharedWorker`, all tabs share one event stream through [`LIVE_WORKER_JS`]: a browser
/// opens at most six connections to one host, so a stream per tab would leave the
/// seventh tab's page requests waiting forever.
pub(crate) const LIVE_JS: &str = r#"(() => {
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
pub(crate) const LIVE_WORKER_JS: &str = r#"const tabs = new Map(); // port -> build id
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
pub(crate) fn inject(html: &[u8], build: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{SCRIPT_PATH}\" data-build=\"{}\"></script>",
        hpskb::text::html::escape(build)
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

/// Formats one server-sent event; multi-line data becomes several `data:` lines
/// (trailing line breaks are dropped).
pub(crate) fn format_event(name: &str, data: &str) -> String {
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
    /// Write a comment now, so that a stream whose client has gone fails and frees its
    /// place (see [`Hub::register`]).
    Probe,
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
pub(crate) struct Hub {
    inner: Mutex<Inner>,
    /// Notified whenever a stream ends and gives its place back.
    freed: Condvar,
}

impl Hub {
    /// A hub whose current build id is `build`.
    pub(crate) fn new(build: String) -> Self {
        Self {
            inner: Mutex::new(Inner {
                build,
                error: None,
                clients: Vec::new(),
                next_id: 0,
            }),
            freed: Condvar::new(),
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
    pub(crate) fn reload(&self, build: String) {
        let mut inner = self.lock();
        let event = format_event("reload", &build);
        inner.build = build;
        inner.error = None;
        broadcast(&mut inner, &Signal::Event(event.into()));
    }

    /// The build is broken: remember the diagnostics text and send it to every client.
    pub(crate) fn error(&self, text: String) {
        let mut inner = self.lock();
        let event = format_event("error", &text);
        inner.error = Some(text);
        broadcast(&mut inner, &Signal::Event(event.into()));
    }

    /// Serves an event stream for `request` until the client goes away. `client_build` is
    /// the build id of the page that connects; when stale, it is told to reload at once.
    /// Beyond [`MAX_STREAMS`] open streams the answer is 503; a stream whose client has
    /// closed the connection gives its place to the next one that asks (see
    /// [`Hub::register`]).
    pub(crate) fn serve(&self, request: Request, client_build: Option<&str>) -> io::Result<()> {
        const HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
              Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\
              Connection: keep-alive\r\n\r\n";
        if *request.method() == Method::Head {
            let mut writer = request.into_writer();
            writer.write_all(HEAD)?;
            return writer.flush();
        }
        let (tx, rx) = mpsc::channel::<Signal>();
        let Some((id, first)) = self.register(tx, client_build) else {
            return Response::text(503, "too many live-reload streams\n").send(request);
        };
        // The stream is written raw (no length, no chunks): it ends when the client leaves.
        let mut writer = request.into_writer();
        let result = writer
            .write_all(HEAD)
            .and_then(|()| writer.write_all(first.as_bytes()))
            .and_then(|()| writer.flush())
            .and_then(|()| pump(&mut writer, &rx));
        self.lock().clients.retain(|c| c.id != id);
        self.freed.notify_all();
        result
    }

    /// Registers a client that is sent signals on `tx`: its id and the first text of its
    /// stream. When every place is taken, the open streams are probed first: tiny_http
    /// keeps the connection, so a client that closed its end is noticed only when its
    /// stream is written to (the write after the client's reset fails). The probes are
    /// repeated for up to [`RECLAIM_WAIT`]; `None` when no place frees by then.
    fn register(&self, tx: Sender<Signal>, client_build: Option<&str>) -> Option<(u64, String)> {
        let deadline = Instant::now() + RECLAIM_WAIT;
        let mut inner = self.lock();
        while inner.clients.len() >= MAX_STREAMS {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            broadcast(&mut inner, &Signal::Probe);
            inner = self
                .freed
                .wait_timeout(inner, left.min(PROBE_INTERVAL))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        let id = inner.next_id;
        inner.next_id += 1;
        inner.clients.push(Client { id, tx });
        let mut first = String::from("retry: 1000\n\n");
        if client_build.is_some_and(|b| b != inner.build) {
            first.push_str(&format_event("reload", &inner.build));
        } else if let Some(error) = &inner.error {
            first.push_str(&format_event("error", error));
        }
        Some((id, first))
    }
}

/// Writes signals to a stream until a write fails (the client has gone).
fn pump(writer: &mut dyn Write, rx: &Receiver<Signal>) -> io::Result<()> {
    loop {
        match rx.recv_timeout(KEEPALIVE) {
            Ok(Signal::Event(event)) => writer.write_all(event.as_bytes())?,
            Ok(Signal::Probe) | Err(RecvTimeoutError::Timeout) => {
                writer.write_all(b": keep-alive\n\n")?;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        writer.flush()?;
    }
}

fn broadcast(inner: &mut Inner, signal: &Signal) {
    inner.clients.retain(|c| {
        let copy = match signal {
            Signal::Event(event) => Signal::Event(Arc::clone(event)),
            Signal::Probe => Signal::Probe,
        };
        c.tx.send(copy).is_ok()
    });
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
            Signal::Probe => "probe".to_string(),
        };
        assert_eq!(next(), "event: error\ndata: boom <b>\n\n");
        hub.reload("2".into());
        assert_eq!(next(), "event: reload\ndata: 2\n\n");
        assert!(hub.lock().error.is_none());
    }

    #[test]
    fn a_full_hub_probes_its_streams_and_gives_a_gone_one_s_place_away() {
        let hub = Hub::new("1".into());
        let mut alive = Vec::new();
        for id in 0..MAX_STREAMS as u64 {
            let (tx, rx) = mpsc::channel();
            hub.lock().clients.push(Client { id, tx });
            alive.push(rx);
        }
        let (tx, _rx) = mpsc::channel();
        assert!(
            hub.register(tx.clone(), None).is_none(),
            "every place taken"
        );
        assert!(
            matches!(alive[0].try_recv(), Ok(Signal::Probe)),
            "the open streams were probed"
        );
        // A stream whose pump has ended (its client gone) frees its place.
        drop(alive.pop());
        let (_, first) = hub.register(tx, Some("0")).expect("a place");
        assert_eq!(first, "retry: 1000\n\nevent: reload\ndata: 1\n\n");
        assert_eq!(hub.clients(), MAX_STREAMS);
    }
}
