//! Headings: ids (explicit or slugged, made unique), anchor links and the table of contents.

use crate::diag::Code;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::{State, TocEntry};
use crate::text::html::escape;
use crate::text::slug::slugify;

pub(super) struct Heading<'a> {
    pub(super) level: HeadingLevel,
    pub(super) explicit_id: Option<String>,
    pub(super) classes: Vec<CowStr<'a>>,
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
        // The writer writes the heading's tags, as it writes them for plain Markdown (a
        // line break before a heading in a list item included). Custom attributes
        // (`{key=value}`) are left out: only the id and classes are kept, so no attribute
        // can run code. Control characters, which HTML does not allow, are dropped.
        let id_attr = escape(&id);
        let printable = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
        self.out.push_back(Event::Start(Tag::Heading {
            level: h.level,
            id: Some(printable(&id).into()),
            classes: h.classes.iter().map(|c| printable(c).into()).collect(),
            attrs: Vec::new(),
        }));
        self.out.extend(h.events);
        self.out.push_back(Event::InlineHtml(
            format!(
                " <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a>"
            )
            .into(),
        ));
        self.out.push_back(Event::End(TagEnd::Heading(h.level)));
    }
}
