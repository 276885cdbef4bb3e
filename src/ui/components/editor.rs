//! The program editor: an example picker, a text area, and the inline error (`line L, column C: …`).
//!
//! Enter keeps the current line's indentation (one level more after a `:`), so the lecture's Python can be typed
//! without counting spaces.

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::lab::program::{Example, ProgramAction, ProgramState};

/// The indentation to insert after a line break at `cursor`.
fn indent_after(text: &str, cursor: usize) -> String {
    let before = text.get(..cursor).unwrap_or(text);
    let line = before.rsplit('\n').next().unwrap_or("");
    let mut indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    if line.trim_end().ends_with(':') {
        indent.push_str("  ");
    }
    indent
}

/// The editor with its example picker and the input fields under it: what every program chapter shows, driving the
/// chapter's [`ProgramAction`]s.
pub fn program_panel(
    program: &ProgramState,
    examples: &'static [Example],
    dispatch: Callback<ProgramAction>,
    legend: &'static str,
) -> Html {
    html! {
        <>
            { program_editor(program, examples, dispatch.reform(ProgramAction::Source), dispatch.reform(ProgramAction::Example)) }
            { super::input_fields(&program.inputs, dispatch.reform(|(n, t)| ProgramAction::Input(n, t)), legend) }
        </>
    }
}

/// The editor for `program`, with its example picker. (A function rather than a component: it has no state of its
/// own, and every component costs shipped code.)
pub fn program_editor(
    program: &ProgramState,
    examples: &'static [Example],
    on_source: Callback<String>,
    on_example: Callback<usize>,
) -> Html {
    let source = &program.source;
    let error = &program.error;
    let oninput = {
        let cb = on_source.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(ta.value());
        })
    };
    let onkeydown = {
        let cb = on_source;
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter"
                || e.shift_key()
                || e.ctrl_key()
                || e.meta_key()
                || e.alt_key()
                || e.is_composing()
            {
                return;
            }
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            let (Ok(Some(start)), Ok(Some(end))) = (ta.selection_start(), ta.selection_end())
            else {
                return;
            };
            let value = ta.value();
            // Selection offsets count UTF-16 units; convert to a byte offset.
            let byte = value
                .char_indices()
                .scan(0u32, |units, (i, c)| {
                    let here = *units;
                    *units += c.len_utf16() as u32;
                    Some((i, here))
                })
                .find(|&(_, u)| u >= start)
                .map_or(value.len(), |(i, _)| i);
            let insert = format!("\n{}", indent_after(&value, byte));
            if ta
                .set_range_text_with_start_and_end_and_mode(&insert, start, end, "end")
                .is_ok()
            {
                e.prevent_default();
                cb.emit(ta.value());
            }
        })
    };
    let onchange = {
        let cb = on_example;
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = sel.value().parse::<usize>() {
                cb.emit(i);
            }
        })
    };
    let selected = examples
        .iter()
        .position(|ex| ex.source.trim_end() == source.trim_end());
    let rows = (source.lines().count() + 1).clamp(3, 18).to_string();
    let has_error = error.is_some();
    html! {
        <div class="editor">
            <div class="editor-bar">
                <label for="program-input" class="editor-label">{ "Function" }</label>
                <label class="picker">
                    <span>{ "Example " }</span>
                    <select data-testid="example-picker" {onchange} aria-label="Load an example">
                        <option value="" selected={selected.is_none()}>{ "your own…" }</option>
                        { for examples.iter().enumerate().map(|(i, ex)| html! {
                            <option value={i.to_string()} selected={selected == Some(i)}>{ ex.title }</option>
                        }) }
                    </select>
                </label>
            </div>
            <textarea id="program-input" data-testid="program-input" class="code" {rows}
                spellcheck="false" autocapitalize="off" autocomplete="off"
                aria-invalid={if has_error { "true" } else { "false" }}
                aria-describedby={has_error.then_some("program-error")}
                value={source.clone()} {oninput} {onkeydown} />
            { super::markup("<details class=\"editor-help\" data-testid=\"language-help\"><summary>What you can write</summary>\
                <p>An expression in the inputs (<code>y * x**2</code>), or a Python function: assignments, <code>for</code> loops over \
                <code>range</code> or a list, lists (<code>append</code>, <code>pop</code>, indexing, slices), <code>return</code> of \
                one value or several. Functions: <code>log exp sin cos tan sinh cosh tanh sqrt relu abs max min</code>, also as \
                <code>np.…</code> or <code>math.…</code>; <code>pi</code>, <code>np.e</code>. After the function, the lecture's \
                <code>import</code>s and lines such as <code>g = grad(f)</code> and <code>print(g(0.25))</code> (or \
                <code>g(np.array([2.0, 3.0]))</code> in a numpy program): the call's numbers are the point shown.</p><p>At a kink the derivative is a \
                convention: <code>abs</code> and <code>relu</code> have derivative 0 at 0; <code>max(a, b)</code> returns \
                <code>b if b &gt; a else a</code>, as Python does, and the derivative is that of the argument returned (a tie \
                goes to the first).</p></details>") }
            if let Some(err) = &error {
                <p id="program-error" class="program-error" data-testid="program-error" role="alert">
                    { err.clone() }
                </p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::indent_after;

    #[test]
    fn indentation_follows_blocks() {
        assert_eq!(indent_after("def f(x):", 9), "  ");
        assert_eq!(indent_after("def f(x):\n  v = x", 17), "  ");
        assert_eq!(indent_after("  for i in range(n):", 20), "    ");
    }
}
