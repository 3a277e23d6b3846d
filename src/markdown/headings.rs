//! Headings: ids (explicit or slugged, made unique), anchor links and the table of contents.

use crate::diag::Code;
use pulldown_cmark::{Event, HeadingLevel};

use super::{State, TocEntry};
use crate::text::html::escape;
use crate::text::slug::slugify;

pub(super) struct Heading<'a> {
    pub(super) level: HeadingLevel,
    pub(super) explicit_id: Option<String>,
    pub(super) classes: Vec<String>,
    pub(super) text: String,
    pub(super) events: Vec<Event<'a>>,
    pub(super) offset: usize,
}

impl<'p, 'c, 'a> State<'p, 'c, 'a> {
    pub(super) fn finish_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let id = match h.explicit_id {
            Some(id) => {
                if !self.explicit_ids.insert(id.clone()) || self.ids.contains(&id) {
                    self.error(
                        Code::DuplicateHeadingId,
                        h.offset,
                        format!("heading id `{id}` is used twice on this page"),
                        Some("give each heading a unique `{#id}`".into()),
                    );
                }
                id
            }
            None => {
                let base = slugify(&h.text);
                let mut id = base.clone();
                let mut n = 1;
                while self.ids.contains(&id) || self.explicit_ids.contains(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                id
            }
        };
        self.ids.insert(id.clone());
        let level = h.level as u8;
        if level <= 3 {
            self.current_section = id.clone();
        }
        self.toc.push(TocEntry {
            level,
            id: id.clone(),
            title: h.text.trim().to_string(),
            offset: h.offset,
        });
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(&h.classes.join(" ")))
        };
        let id_attr = escape(&id);
        self.out.push_back(Event::Html(
            format!("<h{level} id=\"{id_attr}\"{class}>").into(),
        ));
        self.out.extend(h.events);
        self.out.push_back(Event::Html(
            format!(" <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a></h{level}>\n").into(),
        ));
    }
}
