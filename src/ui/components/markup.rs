//! Small builders shared by the chapters. Static prose goes in as markup strings (`markup`): the same DOM for a
//! fraction of the code that `html!` would generate for each element.

use yew::prelude::*;

/// Static markup, written by us (never user text).
pub fn markup(html: &'static str) -> Html {
    Html::from_html_unchecked(AttrValue::Static(html))
}

/// A class attribute from `(name, on)` pairs: `class_list(&[("node", true), ("active", is_active)])`.
pub fn class_list(parts: &[(&str, bool)]) -> AttrValue {
    let mut s = String::new();
    for (name, on) in parts {
        if *on {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(name);
        }
    }
    AttrValue::from(s)
}

/// Markup built at run time from our own strings and numbers; anything a user typed goes through [`esc`] first.
/// Display-only parts of a view (tables of results, drawings) are written this way: a string costs far less code
/// than the same elements through `html!`.
pub fn raw(html: String) -> Html {
    Html::from_html_unchecked(AttrValue::from(html))
}

/// Text made safe for markup.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A chapter's model written as a numpy program: what it is, links to the graph lab (`graph`, the program to draw,
/// perhaps shorter) and to “What is AD?” (`source`), the text, and the array engine's numbers for it (`numbers`: a
/// table, or the message why there are none). Test ids `<id>-program`, `<id>-program-graph-link`,
/// `<id>-program-grad-link`.
pub fn program_section(id: &str, what: &str, source: &str, graph: &str, numbers: &str) -> String {
    use crate::base::url::percent_encode;
    format!(
        "<section class=\"code-panel\" data-part=\"program\"><h2>The program</h2><p>{what} as the lecture would write it \
         with numpy and autograd: <a href=\"#/graph?f={}&amp;mode=reverse\" data-testid=\"{id}-program-graph-link\">open \
         it in the graph lab</a>, a node per array operation, stepped backwards one at a time; <a href=\"#/grad?f={}\" \
         data-testid=\"{id}-program-grad-link\">differentiate or edit it on “What is AD?”</a>.</p><pre class=\"code\" \
         data-testid=\"{id}-program\" tabindex=\"0\" aria-label=\"The program\">{}</pre>{numbers}</section>",
        percent_encode(graph),
        percent_encode(source),
        esc(source),
    )
}

/// max |a − b| / max(|a|, |b|) over pairs, a pair of equal numbers (infinities, NaNs) counting as 0.
pub fn rel_diff(pairs: &[(f64, f64)]) -> f64 {
    pairs
        .iter()
        .map(|&(a, b)| {
            if a == b || (a.is_nan() && b.is_nan()) {
                0.0
            } else {
                (a - b).abs() / a.abs().max(b.abs())
            }
        })
        .fold(0.0, f64::max)
}

/// [`super::num`] as markup: `<span class="num" data-value="…">`, with a test id when given.
pub fn num_str(value: f64, testid: Option<&str>, sig: Option<usize>) -> String {
    use crate::base::num::{fmt_compact, fmt_full, fmt_sig};
    let text = match sig {
        Some(d) => fmt_sig(value, d),
        None => fmt_compact(value),
    };
    let full = fmt_full(value);
    let class = if value.is_finite() {
        "num"
    } else {
        "num nonfinite"
    };
    let id = testid.map_or(String::new(), |t| format!(" data-testid=\"{t}\""));
    // Rounded for reading: the full value on hover (title) and on keyboard focus (the stylesheet shows the title).
    let title = if sig.is_some() && text != full {
        format!(" title=\"{full}\" tabindex=\"0\"")
    } else {
        String::new()
    };
    format!("<span class=\"{class}\"{id} data-value=\"{full}\"{title}>{text}</span>")
}

/// A count as markup: `<span class="num" data-value="1010000">1,010,000</span>`, with its test id.
pub fn count_str(n: u64, testid: &str) -> String {
    format!(
        "<span class=\"num\" data-testid=\"{testid}\" data-value=\"{n}\">{}</span>",
        crate::base::num::fmt_count(n)
    )
}

/// "Save as PNG" and "Save as SVG" under a figure drawn as SVG markup that carries its own `<style>` (`#/chain`'s
/// product, `#/memory`'s time line): the SVG file is the page's drawing as it is, the PNG that drawing at twice its
/// size (`w × h` pixels drawn); `name` names the files.
pub fn figure_saves(name: &'static str, svg: std::rc::Rc<str>, (w, h): (f64, f64)) -> Html {
    let onclick = Callback::from(move |e: MouseEvent| {
        use wasm_bindgen::JsCast;
        let id = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.get_attribute("data-testid"));
        match id.as_deref() {
            Some("export-svg") => crate::ui::dom::download_text(&(name.to_string() + ".svg"), &svg),
            Some("export-png") => crate::ui::dom::save_svg_as_png(&svg, (w, h), name),
            _ => {}
        }
    });
    html! {
        <div class="plot-actions" {onclick}>{ markup("<button type=\"button\" class=\"small\" data-testid=\"export-png\">\
            Save as PNG</button><button type=\"button\" class=\"small\" data-testid=\"export-svg\">Save as SVG</button>") }</div>
    }
}

/// An array as JSON in its shape, for `data-value`: numbers as Rust's `{}` prints them, NaN and ±∞ as strings.
pub fn json(shape: &[usize], data: &[f64]) -> String {
    match shape.split_first() {
        None => match data[0] {
            v if v.is_nan() => "\"NaN\"".into(),
            v if v.is_infinite() => (if v > 0.0 { "\"inf\"" } else { "\"-inf\"" }).into(),
            v => crate::base::num::fmt_full(v),
        },
        Some((&n, inner)) => {
            let step = inner.iter().product::<usize>();
            let items: Vec<String> = (0..n)
                .map(|k| json(inner, &data[k * step..(k + 1) * step]))
                .collect();
            format!("[{}]", items.join(","))
        }
    }
}

/// Rows and columns of an array shown as a table, at most; the rest is said, and is in `data-value`.
/// Rows of an array a heatmap shows, at most.
pub const HEAT_ROWS: usize = 400;

pub const SHOWN: usize = 8;

/// An array for reading: a number, a row, or a matrix (a higher-rank array as the matrix of its last axis), each
/// entry to 4 significant digits with its full value in `data-value` and `title`; the whole array as JSON.
pub fn array_table(a: &crate::base::array::Array, testid: &str, caption: &str) -> String {
    use crate::base::num::{fmt_full, fmt_sig};
    let cell = |v: f64| {
        let full = fmt_full(v);
        format!(
            "<td data-value=\"{full}\" title=\"{full}\">{}</td>",
            fmt_sig(v, 4)
        )
    };
    let data = format!(
        " data-testid=\"{testid}\" data-value=\"{}\"",
        esc(&json(&a.shape, &a.data))
    );
    if a.shape.is_empty() {
        return format!(
            "<span class=\"num\"{data} title=\"{0}\">{1}</span>",
            fmt_full(a.data[0]),
            fmt_sig(a.data[0], 6)
        );
    }
    let cols = *a.shape.last().unwrap_or(&1);
    let rows = a.len() / cols.max(1);
    let mut o = String::new();
    // Too large to read as a table: the whole array at a glance as a heatmap, then its corner as numbers.
    if (rows > SHOWN || cols > SHOWN) && cols > 0 {
        use crate::figures::heatmap::{base64, bmp, extent};
        let shown = rows.min(HEAT_ROWS);
        let m = extent(&a.data[..shown * cols]);
        o += &format!(
            "<figure class=\"heatmap\"><img alt=\"{} as a heatmap\" width=\"{}\" height=\"{}\" \
             src=\"data:image/bmp;base64,{}\"><figcaption>One pixel per number{}: <span class=\"neg\">blue</span> \
             −{m}, white 0, <span class=\"pos\">red</span> +{m}.</figcaption></figure>",
            esc(caption),
            (cols * 12).clamp(48, 320),
            (shown * 12).clamp(24, 200),
            base64(&bmp(shown, cols, &a.data[..shown * cols])),
            if shown < rows { format!(" (the first {} rows)", crate::base::num::fmt_count(shown as u64)) } else { String::new() },
            m = fmt_sig(m, 4),
        );
    }
    o += &format!(
        "<table class=\"matrix\"{data}><caption class=\"sr-only\">{}</caption><tbody>",
        esc(caption)
    );
    for r in 0..rows.min(SHOWN) {
        o.push_str("<tr>");
        for c in 0..cols.min(SHOWN) {
            o += &cell(a.data[r * cols + c]);
        }
        if cols > SHOWN {
            o.push_str("<td aria-hidden=\"true\">…</td>");
        }
        o.push_str("</tr>");
    }
    if rows > SHOWN {
        o.push_str("<tr><td aria-hidden=\"true\">⋮</td></tr>");
    }
    o.push_str("</tbody></table>");
    if rows > SHOWN || cols > SHOWN {
        o += &format!(
            "<p class=\"hint\">The first {} × {} of {} numbers shown.</p>",
            rows.min(SHOWN),
            cols.min(SHOWN),
            crate::base::num::fmt_count(a.len() as u64)
        );
    }
    o
}
