//! ```` ```calculator ```` fences: the named calculator's widget.

use pulldown_cmark::Event;

use super::State;

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    pub(super) fn calculator(&mut self, id: &str, offset: usize) {
        match self.ctx.calculators.get(id) {
            // A second copy would repeat every id of the form.
            Some(_) if self.calculators.iter().any(|c| c == id) => self.error(
                offset,
                format!("calculator `{id}` is already on this page"),
                Some("keep one ```calculator fence per calculator on a page".into()),
            ),
            Some(calc) => {
                self.calculators.push(id.to_string());
                self.emit(Event::Html(format!("{}\n", calc.embed_html()).into()));
            }
            None => {
                let known: Vec<&str> = self.ctx.calculators.keys().map(String::as_str).collect();
                self.error(
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
