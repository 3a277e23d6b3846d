//! ```` ```calculator ```` fences: the named calculator's widget.

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
                let html = if self.page.rel == format!("calculators/{id}.md") {
                    format!("{}\n", calc.embed_html())
                } else {
                    format!(
                        "<details class=\"calculator-embed\">\n<summary>Open the calculator: {}</summary>\n{}\n</details>\n",
                        crate::text::html::escape(&calc.spec.title),
                        calc.embed_html()
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
