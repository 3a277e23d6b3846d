//! The preview's HTTP side, over [`tiny_http`]: what a request names and asks, and the
//! responses sent back.
//!
//! tiny_http reads requests (HTTP/1.0 and 1.1, keep-alive, a connection per thread) and
//! answers what it cannot parse with 400; the rest is the preview's: which authority a
//! request names (an absolute-form target's or `Host`), a bound on the request head,
//! and responses that always carry `Content-Length`.

use std::borrow::Cow;
use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Request, Server};

/// Largest accepted request head (request line plus headers); larger ones get 431.
pub(crate) const MAX_HEAD: usize = 8 * 1024;

/// Pause before a new server takes over after a transient `accept` failure (each start
/// costs a few threads).
const RESTART_PAUSE: Duration = Duration::from_millis(200);

/// Answers every request on `listener` with `handler`, each on a thread of its own (an
/// event stream holds its thread while it lasts). tiny_http stops accepting at the first
/// failed `accept`; when that failure is transient (out of file descriptors, an aborted
/// handshake) a new server takes over the same listener after a short pause, so that a
/// burst of connections cannot end the preview. Returns only on a lasting failure.
pub(crate) fn serve_forever(
    listener: &TcpListener,
    handler: impl Fn(Request) + Send + Sync + 'static,
) -> io::Error {
    let handler = Arc::new(handler);
    loop {
        let server = match listener.try_clone() {
            Ok(l) => match Server::from_listener(l, None) {
                Ok(server) => server,
                Err(e) => return io::Error::other(e),
            },
            Err(e) if is_transient(&e) => {
                std::thread::sleep(RESTART_PAUSE);
                continue;
            }
            Err(e) => return e,
        };
        let e = loop {
            match server.recv() {
                Ok(request) => {
                    let handler = Arc::clone(&handler);
                    // Not spawned: the request is dropped, and tiny_http answers it 500.
                    let _ = std::thread::Builder::new()
                        .name("hpskb-request".into())
                        .spawn(move || handler(request));
                }
                Err(e) => break e,
            }
        };
        if !is_transient(&e) {
            return e;
        }
        drop(server);
        std::thread::sleep(RESTART_PAUSE);
    }
}

fn is_transient(e: &io::Error) -> bool {
    !matches!(
        e.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::PermissionDenied | io::ErrorKind::Unsupported
    )
}

/// Lifts the soft limit on open files towards the hard limit (at most 65,536), as Go
/// programs do at start. tiny_http takes two descriptors per connection, and when it runs
/// out while accepting it stops accepting for good (its accept thread panics cloning the
/// socket, which [`serve_forever`] cannot see), so a burst of connections must not reach
/// the usual soft limit of 1,024.
#[cfg(unix)]
pub(crate) fn raise_open_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            let wanted = limit.rlim_max.min(65_536);
            if limit.rlim_cur < wanted {
                limit.rlim_cur = wanted;
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }
}

/// Elsewhere the limit is left as it is.
#[cfg(not(unix))]
pub(crate) fn raise_open_file_limit() {}

/// What the preview needs of a request: its origin-form target and the authority it
/// names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// The raw request target in origin form (`/a%20b/?q`); an absolute-form target
    /// (`http://host:port/a%20b/?q`) is stored as its path and query.
    pub(crate) target: String,
    /// The host the request is addressed to: the authority of an absolute-form target,
    /// which takes the place of `Host`, else the `Host` header.
    pub(crate) host: Option<String>,
}

impl Target {
    /// The target and authority of `request`.
    pub(crate) fn of(request: &Request) -> Self {
        let (authority, target) = split_absolute(request.url());
        let host = authority.or_else(|| header(request, "Host").map(str::to_string));
        Self { target, host }
    }

    /// The value of query parameter `name`, undecoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<&str> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then_some(v)
        })
    }

    /// The path part of the target, undecoded.
    pub(crate) fn raw_path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or("")
    }
}

/// The first value of header `name` (any case).
fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// True when the request head (request line and headers) is over [`MAX_HEAD`]. tiny_http
/// has read it whole by then; the preview still refuses it, as it refused it before
/// reading it whole.
pub(crate) fn head_too_large(request: &Request) -> bool {
    let line = request.method().as_str().len() + request.url().len() + " HTTP/1.1\r\n".len();
    let headers: usize = request
        .headers()
        .iter()
        .map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + ": \r\n".len())
        .sum();
    line + headers > MAX_HEAD
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

/// A response.
#[derive(Debug, Clone)]
pub(crate) struct Response<'a> {
    /// Status code.
    pub(crate) status: u16,
    /// Headers besides `Content-Length` (tiny_http adds `Date` and `Server`).
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Body (not sent for `HEAD`).
    pub(crate) body: Cow<'a, [u8]>,
}

impl<'a> Response<'a> {
    /// A response with a body of the given content type.
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Cow<'a, [u8]>>) -> Self {
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
    pub(crate) fn text(status: u16, text: &'static str) -> Self {
        Self::new(status, "text/plain; charset=utf-8", text.as_bytes())
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Answers `request` (the body is left out for `HEAD`), always with `Content-Length`.
    pub(crate) fn send(self, request: Request) -> io::Result<()> {
        let headers = self
            .headers
            .iter()
            .filter_map(|(name, value)| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
            .collect();
        let length = self.body.len();
        let response = tiny_http::Response::new(
            self.status.into(),
            headers,
            &self.body[..],
            Some(length),
            None,
        )
        // Never chunked: every response says how long it is.
        .with_chunked_threshold(usize::MAX);
        request.respond(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_form_targets_are_split_into_authority_and_path() {
        let (authority, target) = split_absolute("HTTP://127.0.0.1:1111/a%20b/?build=x");
        assert_eq!(target, "/a%20b/?build=x");
        assert_eq!(authority.as_deref(), Some("127.0.0.1:1111"));
        assert_eq!(
            split_absolute("http://localhost:1111"),
            (Some("localhost:1111".into()), "/".into())
        );
        assert_eq!(split_absolute("http://localhost:1111?a=1").1, "/?a=1");
        assert_eq!(split_absolute("ftp://x/"), (None, "ftp://x/".into()));
        assert_eq!(split_absolute("/a"), (None, "/a".into()));
    }

    #[test]
    fn query_parameters_and_the_path() {
        let t = Target {
            target: "/a%20b/?build=x&y=1".into(),
            host: None,
        };
        assert_eq!(t.raw_path(), "/a%20b/");
        assert_eq!(t.query_param("build"), Some("x"));
        assert_eq!(t.query_param("y"), Some("1"));
        assert_eq!(t.query_param("z"), None);
    }
}
