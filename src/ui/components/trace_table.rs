//! The evaluation trace as a table — one row per node (`tr[data-node]`), columns expression, primal, tangent and
//! adjoint (`td[data-col]`); a value not yet computed is an empty cell. The active row carries `aria-current="step"`.
//! A long table draws the rows in and around its scroll area's view (spacer rows keep its height; `aria-rowcount` and
//! `aria-rowindex` give the whole): a step draws the rows around the active one.

use yew::prelude::*;

use crate::lab::graph::{Mode, Session, StepView};
use crate::lab::Shared;
use crate::ui::components::{class_list, num};

#[derive(Properties, PartialEq)]
pub struct TraceTableProps {
    pub session: Shared<Session>,
    pub view: Shared<StepView>,
    pub mode: Mode,
}

/// Tables up to this many rows are drawn whole; longer ones draw the rows in and around the table's view (a new input
/// value changes every row, and the browser lays a table out whole), with spacers standing for the others.
const ALL_ROWS: usize = 80;
/// Rows drawn beyond each edge of the view.
const MARGIN: usize = 12;
/// A row's height before one has been measured (px).
const ROW_GUESS: f64 = 33.0;

/// The rows to draw, `[from, to)`, for a view showing rows `first..=last` of `n`.
fn window(first: usize, last: usize, n: usize) -> (usize, usize) {
    (first.saturating_sub(MARGIN), (last + MARGIN + 1).min(n))
}

/// What a long table draws: rows `from..to` of `n`, with spacers of `row_h` px a row standing for the others. `wrap`
/// is the table's scroll area and `onscroll` its handler.
pub struct RowWindow {
    pub from: usize,
    pub to: usize,
    wrap: NodeRef,
    onscroll: Callback<Event>,
    n: usize,
    row_h: f64,
}

impl RowWindow {
    /// A spacer row standing for `rows` rows not drawn, across `cols` columns.
    fn spacer(&self, rows: usize, key: &'static str, cols: usize) -> Option<Html> {
        (rows > 0).then(|| html! {
            <tr key={key} class="spacer" aria-hidden="true" style={format!("height: {}px", crate::base::num::fmt_full((rows as f64 * self.row_h).round()))}><td colspan={cols.to_string()}></td></tr>
        })
    }

    /// The table in its scroll area: the header's cells (`cols` of them), then the rows drawn between the spacers
    /// that stand for the others.
    pub fn table(
        &self,
        class: String,
        testid: &'static str,
        cols: usize,
        head: Html,
        rows: impl IntoIterator<Item = Html>,
    ) -> Html {
        // One list of keyed rows, the spacers among them.
        let body = self
            .spacer(self.from, "above", cols)
            .into_iter()
            .chain(rows)
            .chain(self.spacer(self.n - self.to, "below", cols));
        html! {
            <div class="trace-wrap" ref={self.wrap.clone()} onscroll={self.onscroll.clone()} tabindex="0" role="region" aria-label="Evaluation trace">
                <table {class} data-testid={testid} aria-rowcount={(self.n + 1).to_string()}>
                    <thead><tr aria-rowindex="1">{ head }</tr></thead>
                    <tbody>{ for body }</tbody>
                </table>
            </div>
        }
    }
}

/// The rows of a table of `n` rows to draw, the row `active` among them (scrolled to within the table's area when it
/// changes); all of them up to [`ALL_ROWS`]. Shared by the graph lab's two traces.
#[hook]
pub fn use_row_window(n: usize, active: Option<usize>) -> RowWindow {
    let wrap = use_node_ref();
    // Row height and the header's, measured once rows are drawn.
    let metrics = use_mut_ref(|| (ROW_GUESS, ROW_GUESS * 1.6));
    let drawn = use_state_eq(|| window(0, 24, usize::MAX));
    let (from, to) = if n <= ALL_ROWS {
        (0, n)
    } else if drawn.0 < n {
        (drawn.0, drawn.1.min(n))
    } else {
        // A shorter graph than the rows last drawn: its end.
        window(n.saturating_sub(24), n - 1, n)
    };
    // Keep the active row visible inside the table's own scroll area when the step changes: draw the rows around it
    // if they are not drawn, then scroll to it (only then: the reader may scroll away from it).
    let pending = use_mut_ref(|| false);
    {
        let (wrap, drawn, metrics, pending) = (
            wrap.clone(),
            drawn.clone(),
            metrics.clone(),
            pending.clone(),
        );
        super::use_change(
            active,
            Box::new(move |&active| {
                let (Some(el), Some(a)) = (wrap.cast::<web_sys::HtmlElement>(), active) else {
                    return None;
                };
                measure(&el, &metrics);
                if (from..to).contains(&a) {
                    scroll_to_active(&el);
                } else {
                    let rows = (el.client_height() as f64 / metrics.borrow().0) as usize;
                    *pending.borrow_mut() = true;
                    drawn.set(window(a.saturating_sub(rows / 2), a + rows / 2, n));
                }
                None
            }),
        );
    }
    {
        let (wrap, metrics) = (wrap.clone(), metrics.clone());
        use_effect_with((from, to), move |_| {
            if let Some(el) = wrap.cast::<web_sys::HtmlElement>() {
                measure(&el, &metrics);
                // Pending until the active row is drawn (effects run before the new window's render).
                if *pending.borrow() && scroll_to_active(&el) {
                    *pending.borrow_mut() = false;
                }
            }
        });
    }
    // The rows the table's area shows now.
    let shown = {
        let (wrap, metrics) = (wrap.clone(), metrics.clone());
        move || {
            let el = wrap.cast::<web_sys::HtmlElement>()?;
            let (row, head) = *metrics.borrow();
            let top = (el.scroll_top() as f64 - head).max(0.0);
            Some((
                (top / row) as usize,
                ((top + el.client_height() as f64) / row) as usize,
            ))
        }
    };
    let onscroll = {
        let (drawn, shown) = (drawn.clone(), shown.clone());
        Callback::from(move |_: Event| match shown() {
            Some((first, last))
                if n > ALL_ROWS && (first < drawn.0 || last.min(n - 1) >= drawn.1) =>
            {
                drawn.set(window(first, last, n))
            }
            _ => {}
        })
    };
    // A taller window makes the area taller without scrolling it.
    {
        let drawn = drawn.clone();
        super::use_change(
            n,
            Box::new(move |&n| {
                let listener = crate::ui::dom::Listener::window("resize", move |_| {
                    if let Some((first, last)) = shown().filter(|_| n > ALL_ROWS) {
                        drawn.set(window(first, last, n));
                    }
                });
                Some(Box::new(move || drop(listener)))
            }),
        );
    }
    let row_h = metrics.borrow().0;
    RowWindow {
        wrap,
        onscroll,
        from,
        to,
        n,
        row_h,
    }
}

#[component]
pub fn TraceTable(props: &TraceTableProps) -> Html {
    let g = props.session.graph();
    let view = &props.view;
    let n = g.len();
    let w = use_row_window(n, view.active.map(|a| a.index()));
    let (from, to) = (w.from, w.to);

    let cell = |v: Option<f64>, col: &'static str| match v {
        Some(x) => html! { <td data-col={col}>{ num(x, None, None) }</td> },
        None => html! { <td data-col={col}></td> },
    };
    let rows = g.ids().skip(from).take(to - from).map(|id| {
        let label = g.label(id);
        let c = view.cells[id.index()];
        let active = view.active == Some(id);
        let expr = &props.session.sketch.ops[id.index()];
        html! {
            <tr key={id.0} data-node={label.clone()} aria-current={active.then_some("step")} aria-rowindex={(id.index() + 2).to_string()}
                class={class_list(&[("active", active), ("output", g.outputs.contains(&id))])}>
                <th scope="row">{ label }</th>
                <td data-col="expr" class="expr">{ expr }</td>
                { cell(c.primal, "primal") }
                { cell(c.tangent, "tangent") }
                { cell(c.adjoint, "adjoint") }
            </tr>
        }
    });
    let wrt = g
        .inputs
        .get(props.session.forward.wrt)
        .map_or("x".to_string(), |i| i.name.clone());
    let head = html! {
        <>
            <th scope="col">{ "node" }</th>
            <th scope="col">{ "operation" }</th>
            <th scope="col">{ "primal " }<span class="sub">{ "value" }</span></th>
            <th scope="col" class="tangent-col">{ "tangent " }<span class="sub">{ format!("∂v/∂{wrt}") }</span></th>
            <th scope="col" class="adjoint-col">{ "adjoint " }<span class="sub">{ "∂f/∂v" }</span></th>
        </>
    };
    w.table(
        format!("trace mode-{}", props.mode.name()),
        "trace-table",
        5,
        head,
        rows,
    )
}

/// Scrolls the table's area to its active row, just below the sticky header; `false` if that row is not drawn.
fn scroll_to_active(el: &web_sys::HtmlElement) -> bool {
    use wasm_bindgen::JsCast;
    let row = el
        .query_selector("tr[aria-current=\"step\"]")
        .ok()
        .flatten()
        .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok());
    let head = el
        .query_selector("thead tr")
        .ok()
        .flatten()
        .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok())
        .map_or(0.0, |h| h.offset_height() as f64);
    let Some(row) = row else {
        return false;
    };
    let (top, h) = (row.offset_top() as f64, row.offset_height() as f64);
    crate::ui::dom::scroll_y_into_view(el, top - head, h + head);
    true
}

/// Reads a drawn row's height and the header's into `metrics`.
fn measure(el: &web_sys::HtmlElement, metrics: &std::rc::Rc<std::cell::RefCell<(f64, f64)>>) {
    use wasm_bindgen::JsCast;
    let height = |sel: &str| {
        el.query_selector(sel)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|e| e.get_bounding_client_rect().height())
            .filter(|&h| h > 0.0)
    };
    if let (Some(row), Some(head)) = (height("tbody tr[data-node]"), height("thead tr")) {
        *metrics.borrow_mut() = (row, head);
    }
}
