//! One component per chapter. Each owns a reducer over its [`crate::lab`] model and mirrors its state into the
//! address (so a copied link restores the view).

pub mod contents;
pub mod grad;
pub mod graph;
pub mod numeric;
pub mod symbolic;

use yew::prelude::*;

use crate::lab::Chapter;
use crate::url::Location;

/// The chapter's component. `key` remounts it when the address changes from outside (a pasted permalink).
pub fn render(chapter: Chapter, location: Location, key: String) -> Html {
    match chapter {
        Chapter::Contents => {
            let _ = key;
            contents::contents()
        }
        Chapter::Grad => html! { <grad::GradChapter {key} {location} /> },
        Chapter::Graph => html! { <graph::GraphChapter {key} {location} /> },
        Chapter::Numeric => html! { <numeric::NumericChapter {key} {location} /> },
        Chapter::Symbolic => html! { <symbolic::SymbolicChapter {key} {location} /> },
    }
}

/// Writes a chapter's state into the address bar without adding a history entry.
pub fn sync_url(path: &str, query: &[(String, String)]) {
    super::dom::replace_hash_soon(&crate::url::build(path, query), 150);
}

#[derive(Properties, PartialEq)]
pub struct ChapterProps {
    pub location: Location,
}
