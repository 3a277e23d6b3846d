//! ```` ```calculator ```` fences: the named calculator's widget.

use crate::calc::{Words, html};
use crate::diag::Code;
use pulldown_cmark::Event;

use super::State;

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    pub(super) fn calculator(&mut self, id: &str, offset: usize) {
        match self.ctx.calculators.get(id) {
            // A second copy would repeat every id of the form.
            Some(_) if self.calculators.iter().any(|c| c == id) => self.error(
                Code::CalculatorTwice,
                offset,
                format!("calculator `{id}` is already on this page"),
                Some("keep one ```calculator fence per calculator on a page".into()),
            ),
            Some(calc) => {
                self.calculators.push(id.to_string());
                // On its own page (content/calculators/<id>.md) the calculator is the page;
                // elsewhere (a monograph) it is folded, so that the sections after it are
                // not four screens away on a phone. It works the same once opened.
                let spec = calc.spec_in(self.page.lang.as_deref());
                let words = Words::new(self.ctx.ui);
                let widget = html::embed(spec, &words);
                let html = if self.page.source_rel() == format!("calculators/{id}.md") {
                    format!("{widget}\n")
                } else {
                    format!(
                        "<details class=\"calculator-embed\">\n<summary>{}</summary>\n{widget}\n</details>\n",
                        html::esc(&words.fill("calc_open", &[("title", &spec.title)]))
                    )
                };
                self.emit(Event::Html(html.into()));
            }
            None => {
                let known: Vec<&str> = self.ctx.calculators.keys().map(String::as_str).collect();
                self.error(
                    Code::UnknownCalculator,
                    offset,
                    format!("unknown calculator `{id}`"),
                    Some(if known.is_empty() {
                        "add a spec in content/calculators/<id>.toml".into()
                    } else {
                        format!("known calculators: {}", known.join(", "))
                    }),
                );
            }
        }
    }
}
