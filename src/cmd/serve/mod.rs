//! `hpskb serve`: build the site in memory, serve it, rebuild on change, reload pages.
//!
//! The last good build lives in an `Arc` that is swapped whole after each successful
//! rebuild, so a request always sees one complete build. A failed rebuild prints its
//! diagnostics here (this module is the command layer: nothing below it prints) and
//! sends them to open pages as an overlay, while the last good site stays served.

mod files;
mod http;
mod origin;
mod reload;
mod watch;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use super::{EXIT_CONTENT, EXIT_USAGE};
use files::Resolution;
use hpskb::BuildOptions;
use hpskb::diag::{self, Diagnostic};
use hpskb::preview::{Files, Preview, Rebuilt};
use http::{Response, Target};
use reload::Hub;
use tiny_http::Method;
use watch::{Change, SourceWatcher};

/// Arguments of `hpskb serve`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeArgs {
    /// Site root (contains config.toml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Port to listen on; 0 picks a free one (the URL is printed on stdout).
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Address to listen on. Anything but loopback exposes the preview to the network.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub(crate) bind: IpAddr,
    /// Poll the file system instead of using native file events (network or container
    /// file systems, some editors).
    #[arg(long)]
    pub(crate) poll: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub(crate) open: bool,
    /// Build the search index too (when config.toml enables search), on every rebuild:
    /// search works in the preview, at about 2 ms per page per rebuild.
    #[arg(long)]
    pub(crate) search: bool,
}

/// One complete build, as served.
pub(crate) struct SiteFiles {
    /// Output path (`monographs/x/index.html`) → bytes.
    pub(crate) files: Arc<Files>,
    /// Identifies this build to the pages it served (see [`reload`]).
    pub(crate) build: String,
}

/// Shared server state.
struct State {
    site: RwLock<Arc<SiteFiles>>,
    hub: Hub,
    /// The listening address: requests must name it (see [`origin`]).
    bound: SocketAddr,
}

impl State {
    fn current(&self) -> Arc<SiteFiles> {
        Arc::clone(&self.site.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn publish(&self, site: SiteFiles) {
        let build = site.build.clone();
        let old = {
            let mut slot = self.site.write().unwrap_or_else(|e| e.into_inner());
            std::mem::replace(&mut *slot, Arc::new(site))
        };
        self.hub.reload(build);
        drop(old); // freeing the old build happens after the reload went out
    }
}

/// Runs `hpskb serve` until the process is interrupted.
pub(crate) fn main(args: &ServeArgs) -> ExitCode {
    if !args.root.join("config.toml").is_file() {
        eprintln!(
            "error: `{}` is not a site root (no config.toml)",
            args.root.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let root = args
        .root
        .canonicalize()
        .unwrap_or_else(|_| args.root.clone());
    http::raise_open_file_limit();
    let listener = match TcpListener::bind(SocketAddr::new(args.bind, args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "error: cannot listen on {}: {e}",
                SocketAddr::new(args.bind, args.port)
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: cannot read the listening address: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let url = format!("http://{addr}/");
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: ******************************************************************\n\
             warning: serving on {addr}, which is NOT a loopback address: anyone who can\n\
             warning: reach this machine on port {} can read the preview. Use the default\n\
             warning: --bind 127.0.0.1 unless you mean it.\n\
             warning: ******************************************************************",
            addr.port()
        );
    }
    let options = BuildOptions {
        root: root.clone(),
        output: None,
        base_url: Some(url.clone()),
        // Pagefind indexing would dominate most rebuilds: only on request.
        search: args.search,
        offline: false,
    };

    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() % 0xffff_ffff);
    let mut generation = 0u64;
    let mut next_build = || {
        generation += 1;
        format!("{nonce:x}-{generation}")
    };

    // Initial build. A broken site is still served (as an error page) so that fixing it
    // in the editor brings the page up.
    let start = Instant::now();
    let first = next_build();
    let hub = Hub::new(first.clone());
    let (site, mut preview) = match Preview::build(&options) {
        Ok((preview, warnings)) => {
            report(&warnings, &root);
            let files = preview.files();
            eprintln!(
                "built {} ({}) in {} ms{}",
                diag::counted(preview.site().pages.len(), "page"),
                diag::counted(files.len(), "file"),
                start.elapsed().as_millis(),
                diag::warnings_suffix(&warnings)
            );
            let site = SiteFiles {
                files,
                build: first,
            };
            (site, Some(preview))
        }
        Err(diags) => {
            report(&diags, &root);
            eprintln!("error: the site does not build; serving an error page until it does");
            hub.error(diag::render(&diags, &root));
            let site = SiteFiles {
                files: Arc::default(),
                build: first,
            };
            (site, None)
        }
    };
    let state = Arc::new(State {
        site: RwLock::new(Arc::new(site)),
        hub,
        bound: addr,
    });

    let (tx, rx) = mpsc::channel();
    let mut watcher = match SourceWatcher::start(&root, args.poll, tx) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {}: {e}{}",
                root.display(),
                if args.poll { "" } else { " (try --poll)" }
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };

    let handler_state = Arc::clone(&state);
    let handler = move |request| handle(&handler_state, request);
    let accepting = std::thread::Builder::new()
        .name("hpskb-http".into())
        .spawn(move || {
            let e = http::serve_forever(&listener, handler);
            eprintln!("error: the server stopped accepting connections: {e}");
            std::process::exit(i32::from(EXIT_USAGE));
        });
    if let Err(e) = accepting {
        eprintln!("error: cannot start the server thread: {e}");
        return ExitCode::from(EXIT_USAGE);
    }

    println!("serving {url}");
    let _ = std::io::stdout().flush();
    eprintln!(
        "watching {} for changes{}; press Ctrl-C to stop",
        root.display(),
        if args.poll { " (polling)" } else { "" }
    );
    if args.open {
        open_browser(&url);
    }

    rebuild_loop(
        &rx,
        &mut watcher,
        &state,
        &options,
        &mut preview,
        &mut next_build,
    );
    // The watcher's channel closed: nothing more can change.
    ExitCode::from(EXIT_CONTENT)
}

fn rebuild_loop(
    rx: &Receiver<Change>,
    watcher: &mut SourceWatcher,
    state: &State,
    options: &BuildOptions,
    preview: &mut Option<Preview>,
    next_build: &mut dyn FnMut() -> String,
) {
    while let Ok(change) = rx.recv() {
        let mut changed = Vec::new();
        let mut pending = Some(change);
        // Coalesce everything already queued into one rebuild.
        while let Some(c) = pending.take().or_else(|| rx.try_recv().ok()) {
            match c {
                Change::Changed(paths) => changed.extend(paths),
                Change::Error(e) => eprintln!("warning: file watcher: {e}"),
            }
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        changed.dedup();
        if let Err(e) = watcher.refresh(&changed) {
            eprintln!("warning: file watcher: {e}");
        }
        rebuild(state, options, preview, &changed, next_build());
    }
}

/// Rebuilds after `changed` changed, publishes the build and reports it.
fn rebuild(
    state: &State,
    options: &BuildOptions,
    preview: &mut Option<Preview>,
    changed: &[PathBuf],
    build: String,
) {
    let start = Instant::now();
    match up_to_date(preview, options, changed) {
        Ok((p, rebuilt, warnings)) => {
            let pages = match rebuilt {
                Rebuilt::Pages(n) => diag::counted(n, "page"),
                Rebuilt::Site => {
                    format!("the site ({})", diag::counted(p.site().pages.len(), "page"))
                }
            };
            state.publish(SiteFiles {
                files: p.files(),
                build,
            });
            report(&warnings, &options.root);
            eprintln!(
                "rebuilt {pages} in {} ms ({}){}",
                start.elapsed().as_millis(),
                describe(changed),
                diag::warnings_suffix(&warnings)
            );
        }
        Err(diags) => {
            let text = diag::render(&diags, &options.root);
            state.hub.error(text.clone());
            eprint!("{text}");
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: rebuild failed with {} ({}); still serving the last good build",
                diag::counted(errors, "error"),
                describe(changed)
            );
        }
    }
}

/// The preview brought up to date: in part when it can ([`Preview::rebuild`]), in full
/// when there was no good build yet.
fn up_to_date<'p>(
    preview: &'p mut Option<Preview>,
    options: &BuildOptions,
    changed: &[PathBuf],
) -> Result<(&'p Preview, Rebuilt, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Some(p) = preview else {
        let (p, warnings) = Preview::build(options)?;
        return Ok((preview.insert(p), Rebuilt::Site, warnings));
    };
    let (rebuilt, warnings) = p.rebuild(changed)?;
    Ok((p, rebuilt, warnings))
}

fn describe(changed: &[PathBuf]) -> String {
    let name = |p: &PathBuf| diag::terminal_safe(&p.display().to_string(), false).into_owned();
    match changed {
        [one] => name(one),
        [first, rest @ ..] => format!("{} and {} more", name(first), rest.len()),
        [] => String::new(),
    }
}

fn report(diags: &[Diagnostic], root: &Path) {
    if !diags.is_empty() {
        eprint!("{}", diag::render(diags, root));
    }
}

/// Served while no build has succeeded yet; the injected script shows the errors.
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>hpskb: build failed</title></head><body><p>The site does not build yet; \
see the terminal. This page reloads when it does.</p></body></html>";

/// Answers one request.
fn handle(state: &State, request: tiny_http::Request) {
    if http::head_too_large(&request) {
        let _ = Response::text(431, "request head too large\n").send(request);
        return;
    }
    let target = Target::of(&request);
    if !target
        .host
        .as_deref()
        .is_some_and(|host| origin::is_own(host, state.bound))
    {
        // Pages and the event stream alike: a DNS-rebinding page must read nothing.
        let _ = Response::text(421, "this preview answers only its own address\n").send(request);
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = Response::text(405, "only GET and HEAD\n")
            .with_header("Allow", "GET, HEAD")
            .send(request);
        return;
    }
    if target.raw_path() == reload::EVENTS_PATH {
        // Streams until the client leaves; a write error just ends it.
        let _ = state.hub.serve(request, target.query_param("build"));
        return;
    }
    let site = state.current();
    let _ = respond(&site, &target).send(request);
}

fn respond<'a>(site: &'a SiteFiles, request: &Target) -> Response<'a> {
    for (path, script) in [
        (reload::SCRIPT_PATH, reload::LIVE_JS),
        (reload::WORKER_PATH, reload::LIVE_WORKER_JS),
    ] {
        if request.raw_path() == path {
            return Response::new(200, "text/javascript; charset=utf-8", script.as_bytes());
        }
    }
    if request
        .raw_path()
        .strip_suffix(hpskb::offline::WORKER)
        .is_some_and(|dir| dir.ends_with('/'))
    {
        return Response::new(
            200,
            "text/javascript; charset=utf-8",
            hpskb::offline::RETIRING_WORKER.as_bytes(),
        );
    }
    if site.files.is_empty() {
        let body = reload::inject(NOT_BUILT.as_bytes(), &site.build);
        return Response::new(503, "text/html; charset=utf-8", body);
    }
    let resolution = files::decode_path(&request.target).map_or(Resolution::NotFound, |p| {
        files::resolve(&p, |k| site.files.contains_key(k))
    });
    match resolution {
        Resolution::File(key) => match site.files.get(&key) {
            Some(bytes) => file_response(200, &key, bytes, &site.build),
            None => not_found(site),
        },
        Resolution::Redirect(location) => {
            Response::text(301, "moved\n").with_header("Location", location)
        }
        Resolution::NotFound => not_found(site),
    }
}

fn file_response<'a>(status: u16, key: &str, bytes: &'a [u8], build: &str) -> Response<'a> {
    let content_type = files::content_type(key);
    if files::is_html(content_type) {
        Response::new(status, content_type, reload::inject(bytes, build))
    } else {
        Response::new(status, content_type, bytes)
    }
}

fn not_found(site: &SiteFiles) -> Response<'_> {
    match site.files.get("404.html") {
        Some(bytes) => file_response(404, "404.html", bytes, &site.build),
        None => Response::text(404, "not found\n"),
    }
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}
