//! The process: shutdown and the port, the loopback warning, and `--open`.

use super::*;

/// The binary, run with SIGINT at its default action: a test run started in the background
/// of a non-interactive shell hands it on ignored (as to every background job), while what
/// is tested is Ctrl-C at a terminal.
fn with_default_interrupt() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hpskb"));
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: signal() is async-signal-safe, so it may run between fork and exec.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
    }
    command
}

#[test]
fn stops_on_kill_and_releases_the_port() {
    let (_g, root) = copy_fixture("good");
    let mut server = Server::spawn(with_default_interrupt(), &root, &[]);
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
fn warns_loudly_when_not_bound_to_loopback() {
    let (_g, root) = copy_fixture("good");
    let server = Server::start(&root, &["--bind", "0.0.0.0"]);
    assert!(server.url.starts_with("http://0.0.0.0:"), "{}", server.url);
    server.wait_for_stderr("NOT a loopback address");
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
