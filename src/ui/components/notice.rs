//! The notice a chapter shows when its permalink could not be used as given.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UrlNoticeProps {
    pub notices: Vec<String>,
}

#[component]
pub fn UrlNotice(props: &UrlNoticeProps) -> Html {
    let dismissed = use_state(|| false);
    if props.notices.is_empty() || *dismissed {
        return html! {};
    }
    let dismiss = {
        let dismissed = dismissed.clone();
        Callback::from(move |_: MouseEvent| dismissed.set(true))
    };
    html! {
        <div class="notice" data-testid="url-notice" role="status">
            <p>{ "Part of this link could not be used, so defaults were used instead:" }</p>
            <ul>{ for props.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            <button type="button" class="small" onclick={dismiss}>{ "Dismiss" }</button>
        </div>
    }
}
