//! The per-file cap on located errors: the one place that decides how many of a file's
//! errors are reported one by one, and words the diagnostic that counts the rest.

use std::path::Path;

use super::Diagnostic;

/// Most errors reported for one page or file; the rest are counted in one last
/// diagnostic. Locating each error costs a scan of the page, so without a cap a large page
/// full of broken citations or links takes quadratic time (minutes at 8 MiB).
pub const MAX_ERRORS_PER_PAGE: usize = 100;

/// The errors of one page or file located so far, and those past the cap.
#[derive(Debug, Default)]
pub struct Cap {
    located: usize,
    more: usize,
}

impl Cap {
    /// Whether [`MAX_ERRORS_PER_PAGE`] errors are already located; if so, one more is
    /// counted (and need not be worded or located).
    pub fn full(&mut self) -> bool {
        let full = self.located >= MAX_ERRORS_PER_PAGE;
        self.more += usize::from(full);
        full
    }

    /// Records one error located.
    pub fn located(&mut self) {
        self.located += 1;
    }

    /// Whether one more error may be located: [`Cap::full`] and, if not, [`Cap::located`].
    pub fn admit(&mut self) -> bool {
        let full = self.full();
        if !full {
            self.located();
        }
        !full
    }

    /// The one diagnostic that stands for the errors of `file` past the cap, if any:
    /// `what` names them in the message ("broken links"), `noun` in the hint ("links"), and
    /// `place` is "page" or "file".
    pub fn not_shown(
        &self,
        file: &Path,
        (what, noun): (&str, &str),
        place: &str,
    ) -> Option<Diagnostic> {
        let count = self.more;
        (count > 0).then(|| {
            Diagnostic::new(super::Code::NotShown,
                file,
                format!(
                    "{count} more {what} on this {place} are not shown (at most {MAX_ERRORS_PER_PAGE} are)"
                ),
            )
            .with_hint(format!(
                "fix the {noun} reported for this {place} and build again"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_past_the_cap_are_counted_in_one() {
        let mut cap = Cap::default();
        assert!(
            cap.not_shown(Path::new("a.md"), ("errors", "errors"), "page")
                .is_none()
        );
        let admitted = (0..MAX_ERRORS_PER_PAGE + 3).filter(|_| cap.admit()).count();
        assert_eq!(admitted, MAX_ERRORS_PER_PAGE);
        let d = cap
            .not_shown(Path::new("a.md"), ("errors", "errors"), "page")
            .unwrap();
        assert!(
            d.message.starts_with("3 more errors on this page"),
            "{}",
            d.message
        );
    }
}
