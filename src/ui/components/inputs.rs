//! Number fields for a program's inputs (`data-testid="input-<name>"`).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::lab::program::InputField;

/// One labelled text field per input, with an inline "not a number" while the text does not parse.
pub fn input_fields(
    inputs: &[InputField],
    on_input: Callback<(String, String)>,
    legend: &'static str,
) -> Html {
    if inputs.is_empty() {
        return html! { <p class="hint">{ "This function has no inputs: it is a constant." }</p> };
    }
    html! {
        <fieldset class="inputs">
            <legend>{ legend }</legend>
            { for inputs.iter().map(|f| {
                let name = f.name.clone();
                let cb = on_input.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    let el: HtmlInputElement = e.target_unchecked_into();
                    cb.emit((name.clone(), el.value()));
                });
                let id = format!("input-{}", f.name);
                let err_id = format!("{id}-error");
                let problem = f.problem();
                let invalid = problem.is_some();
                html! {
                    <div class="field" key={f.name.clone()}>
                        <label for={id.clone()}>{ &f.name }{ " =" }</label>
                        <input id={id.clone()} type="text" autocomplete="off" spellcheck="false"
                            class={f.array.is_some().then_some("array")}
                            data-testid={id} value={f.text.clone()} {oninput}
                            aria-invalid={if invalid { "true" } else { "false" }}
                            aria-describedby={invalid.then(|| err_id.clone())} />
                        if let Some(p) = problem {
                            <span class="field-error" id={err_id}>{ p }</span>
                        }
                    </div>
                }
            }) }
        </fieldset>
    }
}
