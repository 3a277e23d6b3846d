//! The command layer of the binary: argument parsing, the `build`, `check`, `score`,
//! `serve`, `init` and `new` commands, and the only place that prints. None of it is library API: the
//! library ([`hpskb`]) holds the pipeline, diagnostics and calculator evaluation.

mod init;
mod new;
mod score;
mod serve;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use hpskb::diag::{self, Code, Diagnostic, MessageFormat};
use hpskb::{BuildOptions, Built};
use score::ScoreError;

/// hpskb — a static knowledge base on treatment-related hemophagocytic syndrome.
#[derive(Debug, Parser)]
#[command(name = "hpskb", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output directory (atomically; a failed build changes nothing).
    Build(SiteArgs),
    /// Run every check a build runs, write nothing; exit 1 on errors.
    Check(SiteArgs),
    /// Evaluate a calculator on a JSON input and print the result as JSON.
    Score {
        /// Calculator id, e.g. `hscore` or `hlh-2004`.
        id: String,
        /// JSON input file; `-` reads standard input.
        #[arg(long, short)]
        input: PathBuf,
        /// Site root containing content/calculators/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        message_format: Format,
    },
    /// Build in memory, serve on localhost, rebuild on change and reload open pages.
    Serve(serve::ServeArgs),
    /// Create a new knowledge base (an example to replace) in DIR, which must be new or empty.
    Init {
        /// Directory of the new site.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Add a page of KIND at content/PATH.md with the sections config.toml requires.
    New {
        /// Page kind: `monograph`, `overview`, `page` or one declared in config.toml.
        kind: String,
        /// Path under content/, without `.md`, e.g. `monographs/carbamazepine`.
        path: String,
        /// Site root (contains config.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Options shared by `build` and `check`.
#[derive(Debug, clap::Args)]
pub(crate) struct SiteArgs {
    /// Site root (contains config.toml and content/).
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Output directory [default: ROOT/public].
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Override `base_url` from config.toml.
    #[arg(long, value_parser = base_url)]
    pub(crate) base_url: Option<String>,
    /// Skip the search index even if config.toml enables it.
    #[arg(long)]
    pub(crate) no_search: bool,
    /// Also print how long each stage took.
    #[arg(long)]
    pub(crate) timings: bool,
    /// Replace an output directory hpskb did not write, deleting what it holds.
    #[arg(long)]
    pub(crate) force: bool,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) message_format: Format,
}

/// `--message-format` (the cargo convention); docs/diagnostics.md describes each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Source snippets on stderr, for a person at a terminal.
    Human,
    /// One `file:line:col: severity: message` line each, on stderr.
    Short,
    /// One JSON object per line on stdout, then a summary object.
    Json,
    /// GitHub Actions workflow commands on stdout (annotations on a pull request).
    Github,
}

impl From<Format> for MessageFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Human => MessageFormat::Human,
            Format::Short => MessageFormat::Short,
            Format::Json => MessageFormat::Json,
            Format::Github => MessageFormat::Github,
        }
    }
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            search: !self.no_search,
            offline: true,
        }
    }
}

/// Exit code for content errors.
pub(crate) const EXIT_CONTENT: u8 = 1;
/// Exit code for usage errors.
pub(crate) const EXIT_USAGE: u8 = 2;

/// Parses arguments and runs the command.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Build(args) => run_site(&args, true),
        Command::Check(args) => run_site(&args, false),
        Command::Serve(args) => serve::main(&args),
        Command::Init { dir } => authoring(init::run(&dir, today()), &dir, |files| {
            let cd = match dir.to_str() {
                Some(".") => String::new(),
                _ => format!("cd {} && ", dir.display()),
            };
            format!(
                "created a knowledge base in {} ({files} files); next: {cd}hpskb serve, and read its README.md",
                dir.display()
            )
        }),
        Command::New { kind, path, root } => {
            authoring(new::run(&root, &kind, &path, today()), &root, |page| {
                format!("created {}", root.join(page).display())
            })
        }
        Command::Score {
            id,
            input,
            root,
            message_format,
        } => match score::run(&root, &id, &input) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(ScoreError::Input(messages)) => {
                if message_format == Format::Human {
                    for m in messages {
                        eprintln!("error: {}", diag::terminal_safe(&m, false));
                    }
                } else {
                    let file = if input == std::path::Path::new("-") {
                        PathBuf::from("<stdin>")
                    } else {
                        input
                    };
                    let diags: Vec<Diagnostic> = messages
                        .into_iter()
                        .map(|m| Diagnostic::new(Code::ScoreInput, &file, m))
                        .collect();
                    report(&diags, &root, message_format.into());
                }
                ExitCode::from(EXIT_CONTENT)
            }
            Err(ScoreError::Setup(diags)) => {
                report(&diags, &root, message_format.into());
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}

/// Today's date (UTC), as `last_reviewed` and the build's review checks use it.
fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Reports `init` or `new`: one line on success, the diagnostics (exit 2) otherwise.
fn authoring<T>(
    result: Result<T, Vec<Diagnostic>>,
    root: &std::path::Path,
    done: impl FnOnce(T) -> String,
) -> ExitCode {
    match result {
        Ok(value) => {
            eprintln!("{}", diag::terminal_safe(&done(value), false));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", diag::render(&diags, root));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run_site(args: &SiteArgs, write: bool) -> ExitCode {
    let start = Instant::now();
    let options = args.options();
    if !options.root.join("config.toml").is_file() && !options.root.is_dir() {
        eprintln!(
            "error: site root `{}` does not exist",
            options.root.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let result = if write {
        hpskb::build_force(&options, args.force)
    } else {
        hpskb::check(&options)
    };
    match result {
        Ok((built, warnings)) => {
            report(&warnings, &options.root, args.message_format.into());
            summary(&built, &warnings, start, write, &options);
            if args.timings {
                eprintln!("{}", timings_line(&built.timings));
            }
            // The in-memory site is as large as the output; the process is about to
            // exit, and the OS reclaims it at once, while freeing it piece by piece
            // measurably delays the exit on large sites.
            std::mem::forget(built);
            ExitCode::SUCCESS
        }
        Err(diags) => {
            report(&diags, &options.root, args.message_format.into());
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: {} failed with {}; {}",
                if write { "build" } else { "check" },
                diag::counted(errors, "error"),
                if hpskb::moved_aside(&diags) {
                    "see above for where the previous output is"
                } else if write && std::fs::symlink_metadata(options.output_dir()).is_err() {
                    "nothing was published"
                } else if write {
                    "the previous output is untouched"
                } else {
                    "nothing was written"
                }
            );
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

/// Prints diagnostics in `format`: the human and short formats on stderr, the machine
/// formats on stdout (nothing else is written there), the JSON format with a final
/// summary object even when there is nothing to report.
fn report(diags: &[Diagnostic], root: &Path, format: MessageFormat) {
    match format {
        MessageFormat::Human => {
            if diags.is_empty() {
                return;
            }
            eprint!("{}", diag::render(diags, root));
            if !std::io::stderr().is_terminal() {
                // Also one greppable line per problem, for CI logs.
                for d in diags {
                    eprintln!("{d}");
                }
            }
        }
        MessageFormat::Short => {
            for d in diags {
                eprintln!("{d}");
            }
        }
        MessageFormat::Json => {
            let mut out = std::io::stdout().lock();
            for d in diags {
                let _ = writeln!(out, "{}", diag::format::json_line(d));
            }
            let _ = writeln!(out, "{}", diag::format::json_summary(diags));
        }
        MessageFormat::Github => {
            let mut out = std::io::stdout().lock();
            for d in diags {
                let _ = writeln!(out, "{}", diag::format::github_line(d));
            }
        }
    }
}

/// Parses `--base-url` (a usage error, exit 2, when it is not one).
fn base_url(url: &str) -> Result<String, String> {
    hpskb::config::check_base_url(url)
        .map(|()| url.to_string())
        .map_err(|why| format!("{why}; {}", hpskb::config::BASE_URL_HINT))
}

/// `stages: load 71.2 ms · resolve 5.7 ms · …`.
fn timings_line(timings: &hpskb::Timings) -> String {
    let stages: Vec<String> = timings
        .0
        .iter()
        .map(|(stage, d)| format!("{stage} {:.1} ms", d.as_secs_f64() * 1000.0))
        .collect();
    format!("stages: {}", stages.join(" · "))
}

fn summary(
    built: &Built,
    warnings: &[Diagnostic],
    start: Instant,
    write: bool,
    options: &BuildOptions,
) {
    let ms = start.elapsed().as_millis();
    let pages = diag::counted(built.site.pages.len(), "page");
    let files = diag::counted(built.rendered.outputs.len(), "file");
    let w = diag::warnings_suffix(warnings);
    if write {
        let output = options.output_dir();
        let resolved = match std::fs::symlink_metadata(&output) {
            Ok(m) if m.is_symlink() => hpskb::resolve_output(&output)
                .map(|dir| format!(" (a symbolic link: the site is in {})", dir.display()))
                .unwrap_or_default(),
            _ => String::new(),
        };
        eprintln!(
            "built {pages} ({files}) into {}{resolved} in {ms} ms{w}",
            output.display()
        );
    } else {
        eprintln!("checked {pages} ({files}) in {ms} ms{w}");
    }
}
