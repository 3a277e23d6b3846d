//! `hpskb score`: evaluate a calculator from the command line (JSON in, JSON out).

use std::io::Read;
use std::path::Path;

use hpskb::calc;
use hpskb::diag::{Code, Diagnostic};

/// Why a score could not be produced.
#[derive(Debug)]
pub(crate) enum ScoreError {
    /// The calculator or the input file could not be loaded (exit 2 territory: usage).
    Setup(Vec<Diagnostic>),
    /// The input was read but is invalid: one message per bad field.
    Input(Vec<String>),
}

/// Evaluates calculator `id` of the site at `root` on the JSON in `input` (`-` = stdin).
pub(crate) fn run(root: &Path, id: &str, input: &Path) -> Result<String, ScoreError> {
    if !is_calculator_id(id) {
        return Err(ScoreError::Setup(vec![
            Diagnostic::new(Code::UnknownCalculator,
                "<command line>",
                format!("`{}` is not a calculator id", id.escape_debug()),
            )
            .with_hint(
                "give the id of a calculator (the name of its spec in content/calculators/ without `.toml`, e.g. `hscore`), not a path",
            ),
        ]));
    }
    let spec_display = Path::new("content/calculators").join(format!("{id}.toml"));
    let spec_text = hpskb::load::read_text(root, &spec_display).map_err(|d| {
        ScoreError::Setup(vec![d.with_hint(format!(
            "no calculator `{id}` in {}; use --root to point at a site",
            root.display()
        ))])
    })?;
    let calculator = calc::parse(&spec_display, &spec_text).map_err(ScoreError::Setup)?;
    let text = if input == Path::new("-") {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            ScoreError::Setup(vec![
                Diagnostic::new(
                    Code::ScoreInput,
                    "<stdin>",
                    format!("cannot read input: {e}"),
                )
                .with_hint("pipe the answers in as JSON, or give a file instead of `-`"),
            ])
        })?;
        s
    } else {
        std::fs::read_to_string(input).map_err(|e| {
            ScoreError::Setup(vec![
                Diagnostic::new(Code::ScoreInput, input, format!("cannot read input: {e}"))
                    .with_hint(
                        "give the path of a JSON file of answers, or `-` for standard input",
                    ),
            ])
        })?
    };
    calculator.score_json(&text).map_err(ScoreError::Input)
}

/// A calculator id names a spec file in `content/calculators/`: letters, digits, `-` and
/// `_`, so that it can never be a path.
fn is_calculator_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
