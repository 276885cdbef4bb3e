//! Number fields for a program's inputs (`data-testid="input-<name>"`).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::lab::program::InputField;

#[derive(Properties, PartialEq)]
pub struct InputFieldsProps {
    pub inputs: Vec<InputField>,
    pub on_input: Callback<(String, String)>,
    /// Text before the fields, e.g. "at".
    #[prop_or(AttrValue::from("Inputs"))]
    pub legend: AttrValue,
}

#[component]
pub fn InputFields(props: &InputFieldsProps) -> Html {
    if props.inputs.is_empty() {
        return html! { <p class="hint">{ "This function has no inputs: it is a constant." }</p> };
    }
    html! {
        <fieldset class="inputs">
            <legend>{ props.legend.clone() }</legend>
            { for props.inputs.iter().map(|f| {
                let name = f.name.clone();
                let cb = props.on_input.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    let el: HtmlInputElement = e.target_unchecked_into();
                    cb.emit((name.clone(), el.value()));
                });
                let id = format!("input-{}", f.name);
                let err_id = format!("{id}-error");
                let invalid = f.value.is_none();
                html! {
                    <div class="field" key={f.name.clone()}>
                        <label for={id.clone()}>{ &f.name }{ " =" }</label>
                        <input id={id.clone()} type="text" inputmode="text" autocomplete="off" spellcheck="false"
                            data-testid={id.clone()} value={f.text.clone()} {oninput}
                            aria-invalid={if invalid { "true" } else { "false" }}
                            aria-describedby={invalid.then(|| err_id.clone())} />
                        if invalid {
                            <span class="field-error" id={err_id}>{ "not a number" }</span>
                        }
                    </div>
                }
            }) }
        </fieldset>
    }
}
