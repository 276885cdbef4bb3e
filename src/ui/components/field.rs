//! A checked number field ([`Field`]): the text as typed, and while it does not pass its check, the message and the
//! value still in use.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::lab::field::Field;

/// `<label>` + `<input data-testid=id>` + the inline message. `shown` writes the value still in use.
pub fn number_field<T>(
    id: &'static str,
    label: &str,
    field: &Field<T>,
    on_text: Callback<String>,
    shown: impl Fn(&T) -> String,
) -> Html {
    let error = field
        .error
        .as_ref()
        .map(|e| format!("{e} (still using {})", shown(&field.value)));
    text_field(id, label, &field.text, error, on_text)
}

/// The field itself, for any value type (one copy of the markup code).
fn text_field(
    id: &'static str,
    label: &str,
    text: &str,
    error: Option<String>,
    on_text: Callback<String>,
) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        on_text.emit(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let err_id = format!("{id}-error");
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <input id={id} data-testid={id} type="text" autocomplete="off" spellcheck="false"
                value={text.to_string()} {oninput}
                aria-invalid={if error.is_some() { "true" } else { "false" }}
                aria-describedby={error.is_some().then(|| err_id.clone())} />
            if let Some(e) = error {
                <span class="field-error" id={err_id.clone()} data-testid={err_id}>{ e }</span>
            }
        </div>
    }
}

/// `<label>` + `<select data-testid=id>`: options as (value, text, selected?); `on` gets the chosen value.
pub fn select_field(
    id: &'static str,
    label: &str,
    options: Vec<(&'static str, String, bool)>,
    on: Callback<String>,
) -> Html {
    let onchange = on.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <select id={id} data-testid={id} {onchange}>
                { for options.into_iter().map(|(v, text, sel)| html! { <option value={v} selected={sel}>{ text }</option> }) }
            </select>
        </div>
    }
}
