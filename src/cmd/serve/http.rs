//! A minimal HTTP/1.1 server: one thread per connection, one request per connection.
//!
//! Only what a local preview needs: the request line and headers are parsed with a size
//! limit and a deadline, responses always carry `Content-Length` and `Connection: close`.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Largest accepted request head (request line plus headers).
pub const MAX_HEAD: usize = 8 * 1024;
/// Time a client has to send its request head.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Timeout of a single write to a client.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Most connections served at once; further ones are closed with 503.
pub const MAX_CONNECTIONS: usize = 256;
/// Largest request body that is read and discarded (so that closing does not reset).
const MAX_DRAIN: usize = 64 * 1024;

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The raw request target in origin form (`/a%20b/?q`); an absolute-form target
    /// (`http://host:port/a%20b/?q`) is stored as its path and query, with its
    /// authority in `authority`.
    pub target: String,
    /// The authority of an absolute-form target, which takes the place of `Host`.
    pub authority: Option<String>,
    /// Header names (lower-cased) and values.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The host the request is addressed to: the authority of an absolute-form target,
    /// else the `Host` header.
    pub fn host(&self) -> Option<&str> {
        self.authority.as_deref().or_else(|| self.header("host"))
    }

    /// The value of query parameter `name`, undecoded.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then_some(v)
        })
    }

    /// The path part of the target, undecoded.
    pub fn raw_path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or("")
    }
}

/// Why no request could be read.
#[derive(Debug)]
pub enum ReadError {
    /// The head exceeded [`MAX_HEAD`] (answer 431).
    TooLarge,
    /// Not HTTP/1.x (answer 400).
    Malformed,
    /// The connection failed, closed or timed out (no answer).
    Io(#[allow(dead_code, reason = "read in tests")] io::Error),
}

/// Reads one request head from `stream` within [`HEAD_DEADLINE`]. Returns the request and
/// any bytes read past the head (the start of a body).
pub fn read_request(stream: &mut impl Read) -> Result<(Request, Vec<u8>), ReadError> {
    let start = Instant::now();
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(end) = head_end(&buf) {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::TooLarge);
        }
        if start.elapsed() > HEAD_DEADLINE {
            return Err(ReadError::Io(io::ErrorKind::TimedOut.into()));
        }
        let n = stream.read(&mut chunk).map_err(ReadError::Io)?;
        if n == 0 {
            return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    if end.0 > MAX_HEAD {
        return Err(ReadError::TooLarge);
    }
    let rest = buf.get(end.1..).map(<[u8]>::to_vec).unwrap_or_default();
    let head = std::str::from_utf8(&buf[..end.0]).map_err(|_| ReadError::Malformed)?;
    parse_head(head).map(|r| (r, rest))
}

/// Position of the end of the head: (end of the header text, start of the body).
fn head_end(buf: &[u8]) -> Option<(usize, usize)> {
    let crlf = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    let lf = buf
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Parses a request head (request line and headers, without the blank line).
pub fn parse_head(head: &str) -> Result<Request, ReadError> {
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().ok_or(ReadError::Malformed)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed);
    };
    if method.is_empty()
        || !method.bytes().all(|b| b.is_ascii_uppercase())
        || target.is_empty()
        || !version.starts_with("HTTP/1.")
    {
        return Err(ReadError::Malformed);
    }
    let (authority, target) = split_absolute(target);
    let mut headers = Vec::new();
    for l in lines {
        let (name, value) = l.split_once(':').ok_or(ReadError::Malformed)?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ReadError::Malformed);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    Ok(Request {
        method: method.to_string(),
        target,
        authority,
        headers,
    })
}

/// An absolute-form target (`http://127.0.0.1:1111/a/?q`) → (authority, origin-form
/// target `/a/?q`); any other target is returned as it is.
fn split_absolute(target: &str) -> (Option<String>, String) {
    let scheme = "http://";
    let absolute = target
        .get(..scheme.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(scheme));
    if !absolute {
        return (None, target.to_string());
    }
    let rest = &target[scheme.len()..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    (Some(authority.to_string()), path)
}

/// Reads and discards a small request body, so that closing the connection after the
/// response does not reset it before the client has read the answer.
pub fn drain_body(stream: &mut impl Read, request: &Request, already: usize) {
    let Some(len) = request
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    if len > MAX_DRAIN {
        return;
    }
    let mut left = len.saturating_sub(already);
    let mut chunk = [0u8; 4096];
    while left > 0 {
        match stream.read(&mut chunk[..left.min(4096)]) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// A response.
#[derive(Debug, Clone)]
pub struct Response<'a> {
    /// Status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// Body (not sent for `HEAD`).
    pub body: Cow<'a, [u8]>,
}

impl<'a> Response<'a> {
    /// A response with a body of the given content type.
    pub fn new(status: u16, content_type: &str, body: impl Into<Cow<'a, [u8]>>) -> Self {
        Self {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-cache".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body: body.into(),
        }
    }

    /// A short plain-text response.
    pub fn text(status: u16, text: &'static str) -> Self {
        Self::new(status, "text/plain; charset=utf-8", text.as_bytes())
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the response; the body is left out when `head_only` (a `HEAD` request).
    pub fn write_to(&self, w: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        w.write_all(head.as_bytes())?;
        if !head_only {
            w.write_all(&self.body)?;
        }
        w.flush()
    }
}

/// The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Accepts connections forever, handling each on its own thread with timeouts set.
/// Connections beyond [`MAX_CONNECTIONS`] get a 503; each handler holds its connection's
/// [`Slot`] and may give it back early (a live-reload stream counts against its own
/// limit instead). Returns only if accepting fails hard.
pub fn accept_loop(
    listener: TcpListener,
    handler: Arc<dyn Fn(TcpStream, Slot) + Send + Sync>,
) -> io::Error {
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let mut stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) if is_transient(&e) => {
                // Out of file descriptors or an aborted handshake: back off briefly.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            Err(e) => return e,
        };
        let _ = stream.set_read_timeout(Some(HEAD_DEADLINE));
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let _ = stream.set_nodelay(true);
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = Response::text(503, "too many connections\n").write_to(&mut stream, false);
            continue;
        }
        let slot = Slot(Arc::clone(&active));
        let handler = Arc::clone(&handler);
        let spawned = std::thread::Builder::new()
            .name("hpskb-http".into())
            .spawn(move || handler(stream, slot));
        // If the thread cannot be spawned the closure (stream and guard) is dropped:
        // the connection closes and the count goes back down.
        drop(spawned);
    }
}

fn is_transient(e: &io::Error) -> bool {
    !matches!(
        e.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::PermissionDenied | io::ErrorKind::Unsupported
    )
}

/// One of the [`MAX_CONNECTIONS`] connection slots, given back when dropped.
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_line_and_headers() {
        let (r, rest) = read_request(
            &mut &b"GET /a%20b/?build=x&y=1 HTTP/1.1\r\nHost: h\r\nX-A:  b \r\n\r\nBODY"[..],
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.raw_path(), "/a%20b/");
        assert_eq!(r.query_param("build"), Some("x"));
        assert_eq!(r.query_param("y"), Some("1"));
        assert_eq!(r.query_param("z"), None);
        assert_eq!(r.header("host"), Some("h"));
        assert_eq!(r.header("x-a"), Some("b"));
        assert_eq!(rest, b"BODY");
        assert_eq!(r.host(), Some("h"));
        assert_eq!(r.authority, None);
    }

    #[test]
    fn absolute_form_targets_are_split_into_authority_and_path() {
        let head = "GET HTTP://127.0.0.1:1111/a%20b/?build=x HTTP/1.1\r\nHost: other";
        let r = parse_head(head).unwrap();
        assert_eq!(r.target, "/a%20b/?build=x");
        assert_eq!(r.authority.as_deref(), Some("127.0.0.1:1111"));
        assert_eq!(
            r.host(),
            Some("127.0.0.1:1111"),
            "the authority wins over Host"
        );
        assert_eq!(r.query_param("build"), Some("x"));
        let bare = parse_head("GET http://localhost:1111 HTTP/1.1").unwrap();
        assert_eq!(bare.target, "/");
        assert_eq!(bare.host(), Some("localhost:1111"));
        let query = parse_head("GET http://localhost:1111?a=1 HTTP/1.1").unwrap();
        assert_eq!(query.target, "/?a=1");
        let other = parse_head("GET ftp://x/ HTTP/1.1").unwrap();
        assert_eq!((other.target.as_str(), other.authority), ("ftp://x/", None));
    }

    #[test]
    fn accepts_bare_newlines() {
        let (r, _) = read_request(&mut &b"HEAD / HTTP/1.0\nHost: h\n\n"[..]).unwrap();
        assert_eq!(r.method, "HEAD");
    }

    #[test]
    fn rejects_malformed_and_oversized_heads() {
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/2\r\n\r\n",
            b"GET  / HTTP/1.1\r\n\r\n",
            b"get / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1 x\r\n\r\n",
            b"\xff / HTTP/1.1\r\n\r\n",
        ] {
            assert!(
                matches!(read_request(&mut &bad[..]), Err(ReadError::Malformed)),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let mut big = b"GET / HTTP/1.1\r\nX: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', MAX_HEAD + 10));
        big.extend_from_slice(b"\r\n\r\n");
        assert!(matches!(
            read_request(&mut &big[..]),
            Err(ReadError::TooLarge)
        ));
        assert!(matches!(
            read_request(&mut &b"GET / HTTP/1.1\r\n"[..]),
            Err(ReadError::Io(_))
        ));
    }

    #[test]
    fn writes_length_and_omits_body_for_head() {
        let r = Response::text(404, "nope\n").with_header("Allow", "GET");
        let mut out = Vec::new();
        r.write_to(&mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 5\r\n"), "{text}");
        assert!(text.contains("Allow: GET\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\nnope\n"), "{text}");
        let mut out = Vec::new();
        r.write_to(&mut out, true).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("Content-Length: 5\r\nConnection: close\r\n\r\n")
        );
    }
}
