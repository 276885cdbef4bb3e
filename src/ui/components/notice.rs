//! The notice a chapter shows when its permalink could not be used as given.

use yew::prelude::*;

/// A collapsible notice (`<details>`: the reader can fold it away without any state of ours).
pub fn url_notice(notices: &[String]) -> Html {
    if notices.is_empty() {
        return html! {};
    }
    let items: String = notices
        .iter()
        .map(|n| format!("<li>{}</li>", super::esc(n)))
        .collect();
    super::raw(format!(
        "<details class=\"notice\" data-testid=\"url-notice\" role=\"status\" open><summary>Part of this link could not \
         be used, so defaults were used instead:</summary><ul>{items}</ul></details>"
    ))
}
