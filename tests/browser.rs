//! Components in a real browser (wasm-bindgen-test in headless Chromium): they render, and they react to input.
#![cfg(target_arch = "wasm32")]

use ad_lab::ui::components::num;
use ad_lab::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount_point() -> Element {
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

fn find(root: &Element, testid: &str) -> Element {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={testid}"))
}

fn data_value(root: &Element, testid: &str) -> String {
    find(root, testid).get_attribute("data-value").unwrap()
}

fn fire(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

fn set_hash(hash: &str) {
    let w = web_sys::window().unwrap();
    w.history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash))
        .unwrap();
}

async fn settle() {
    yew::scheduler::flush().await;
}

#[derive(yew::Properties, PartialEq)]
struct NumProps {
    value: f64,
    testid: Option<&'static str>,
    sig: Option<usize>,
}

/// [`num`] mounted on its own.
#[yew::component]
fn Num(props: &NumProps) -> yew::Html {
    num(props.value, props.testid, props.sig)
}

#[wasm_bindgen_test]
async fn num_keeps_the_full_value_whatever_the_rounding() {
    let root = mount_point();
    let props = NumProps {
        value: -16.000015992112537,
        testid: Some("n"),
        sig: Some(3),
    };
    let app = yew::Renderer::<Num>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let el = find(&root, "n");
    assert_eq!(el.text_content().unwrap(), "-16");
    assert_eq!(
        el.get_attribute("data-value").unwrap(),
        "-16.000015992112537"
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn grad_chapter_shows_the_lecture_numbers_and_reacts() {
    set_hash("#/grad");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    // Default: the logistic map at 0.25.
    assert_eq!(data_value(&root, "result-value"), "0.75");
    assert_eq!(data_value(&root, "result-grad-x"), "-16");
    assert_eq!(data_value(&root, "result-fwd-x"), "-16");

    // Pick the log example.
    let picker: HtmlSelectElement = find(&root, "example-picker").dyn_into().unwrap();
    picker.set_value("1");
    fire(&picker, "change");
    settle().await;
    assert_eq!(data_value(&root, "result-value"), "0.6931471805599453");
    assert_eq!(data_value(&root, "result-grad-x"), "0.3068528194400547");

    // Type a program.
    let editor: HtmlTextAreaElement = find(&root, "program-input").dyn_into().unwrap();
    editor.set_value("y * x**2");
    fire(&editor, "input");
    settle().await;
    let x: HtmlInputElement = find(&root, "input-x").dyn_into().unwrap();
    x.set_value("3");
    fire(&x, "input");
    settle().await;
    assert_eq!(data_value(&root, "result-grad-x"), "6");
    assert_eq!(data_value(&root, "result-grad-y"), "9");

    // A broken program: an error with line and column, and the last good result stays.
    editor.set_value("y * (x**2");
    fire(&editor, "input");
    settle().await;
    let err = find(&root, "program-error").text_content().unwrap();
    assert!(err.starts_with("line 1, column 10"), "{err}");
    assert_eq!(data_value(&root, "result-grad-x"), "6");

    // The address holds the state (written once a burst of edits settles).
    yew::platform::time::sleep(std::time::Duration::from_millis(300)).await;
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert!(hash.starts_with("#/grad?f="), "{hash}");
    assert!(hash.contains("in.x=3"), "{hash}");
    app.destroy();
}

#[wasm_bindgen_test]
async fn contents_lists_chapters_and_unknown_routes_say_so() {
    set_hash("#/");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    let toc = root
        .query_selector(".toc")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(toc.contains("What is automatic differentiation?"), "{toc}");
    app.destroy();

    set_hash("#/no-such-chapter");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert!(find(&root, "url-notice")
        .text_content()
        .unwrap()
        .contains("no chapter"));
    app.destroy();
}

fn click(el: &Element) {
    el.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
}

fn cell(root: &Element, node: &str, col: &str) -> Option<String> {
    root.query_selector(&format!("[data-testid=\"trace-table\"] tr[data-node=\"{node}\"] td[data-col=\"{col}\"] [data-value]"))
        .unwrap()
        .map(|e| e.get_attribute("data-value").unwrap())
}

#[wasm_bindgen_test]
async fn graph_lab_steps_both_modes() {
    set_hash("#/graph");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    let nodes = root
        .query_selector_all("[data-testid=\"graph-node\"]")
        .unwrap();
    assert_eq!(nodes.length(), 4);
    assert_eq!(find(&root, "step-counter").text_content().unwrap(), "0 / 4");
    for _ in 0..3 {
        click(&find(&root, "step-next"));
        settle().await;
    }
    assert_eq!(cell(&root, "v1", "tangent").as_deref(), Some("2"));
    assert_eq!(cell(&root, "v2", "tangent"), None, "not computed yet");
    let active = root
        .query_selector("[data-testid=\"graph-node\"][aria-current=\"step\"]")
        .unwrap()
        .unwrap();
    assert_eq!(active.get_attribute("data-node").as_deref(), Some("v1"));

    click(&find(&root, "mode-reverse"));
    settle().await;
    assert_eq!(find(&root, "step-counter").text_content().unwrap(), "0 / 8");
    click(&find(&root, "step-end"));
    settle().await;
    assert_eq!(cell(&root, "x", "adjoint").as_deref(), Some("2"));
    assert_eq!(cell(&root, "y", "adjoint").as_deref(), Some("1"));
    // Straight-line code: the reverse program stores nothing, and it returns the trace's gradient.
    let code = find(&root, "code-view").text_content().unwrap();
    assert!(
        code.contains("return") && !code.contains("memory"),
        "{code}"
    );
    assert!(find(&root, "code-check")
        .text_content()
        .unwrap()
        .contains("the same as the trace"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn numeric_and_symbolic_chapters_compute_and_draw() {
    set_hash("#/numeric");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    // The canvas is sized after the first layout; give the resize measurement a moment.
    yew::platform::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(data_value(&root, "fd-estimate"), "-16.000015992112537");
    assert_eq!(data_value(&root, "fd-exact"), "-16");
    let canvas: web_sys::HtmlCanvasElement = find(&root, "fd-plot").dyn_into().unwrap();
    assert!(
        canvas.width() > 100 && canvas.height() > 100,
        "the figure was sized and drawn"
    );
    let h: HtmlInputElement = find(&root, "fd-h").dyn_into().unwrap();
    h.set_value("0");
    fire(&h, "input");
    settle().await;
    assert!(find(&root, "fd-h-error")
        .text_content()
        .unwrap()
        .contains("positive"));
    app.destroy();

    set_hash("#/symbolic?nmax=6");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    let rows = root
        .query_selector_all("[data-testid=\"swell-table\"] tbody tr")
        .unwrap();
    assert_eq!(rows.length(), 6);
    let f3 = root
        .query_selector("[data-testid=\"swell-table\"] tr[data-n=\"3\"] td[data-col=\"f\"]")
        .unwrap()
        .unwrap();
    assert_eq!(f3.get_attribute("data-value").as_deref(), Some("43"));
    assert!(
        find(&root, "swell-expr")
            .query_selector("math")
            .unwrap()
            .is_some(),
        "MathML expressions"
    );
    app.destroy();
}

#[wasm_bindgen_test]
async fn learn_and_hyper_chapters_compute_step_and_switch() {
    set_hash("#/learn");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert_eq!(
        data_value(&root, "learn-grad-reverse"),
        "-6.9564414304747775"
    );
    assert_eq!(data_value(&root, "learn-grad-exact"), "-6.956441430474776");
    click(&find(&root, "learn-meta-step"));
    settle().await;
    assert_eq!(data_value(&root, "learn-meta-rho"), "0.08956441430474779");
    let problem: HtmlSelectElement = find(&root, "learn-problem").dyn_into().unwrap();
    problem.set_value("diabetes");
    fire(&problem, "change");
    settle().await;
    assert_eq!(data_value(&root, "learn-loss"), "209309.42155519756");
    assert_eq!(data_value(&root, "learn-memory-forward"), "20");
    app.destroy();

    set_hash("#/hyper");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert_eq!(
        data_value(&root, "hyper-grad-implicit"),
        "-613.3142512066648"
    );
    assert_eq!(data_value(&root, "hyper-solves"), "2");
    click(&find(&root, "hyper-step"));
    settle().await;
    assert_ne!(data_value(&root, "hyper-opt-lambda"), "1");
    let mode: HtmlSelectElement = find(&root, "hyper-mode").dyn_into().unwrap();
    mode.set_value("per-feature");
    fire(&mode, "change");
    settle().await;
    assert_eq!(data_value(&root, "hyper-opt-lambda-s6"), "1");
    let lambda: HtmlInputElement = find(&root, "hyper-lambda").dyn_into().unwrap();
    lambda.set_value("-1");
    fire(&lambda, "input");
    settle().await;
    assert!(find(&root, "hyper-lambda-error")
        .text_content()
        .unwrap()
        .contains("positive"));
    app.destroy();
}

#[wasm_bindgen_test]
async fn memory_chapter_counts_and_steps() {
    set_hash("#/memory?n=100&c=2");
    let root = mount_point();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert_eq!(data_value(&root, "ckpt-forward-evals"), "845");
    assert_eq!(
        data_value(&root, "ckpt-grad"),
        data_value(&root, "ckpt-grad-exact")
    );
    let strategy: HtmlSelectElement = find(&root, "ckpt-strategy").dyn_into().unwrap();
    strategy.set_value("store-input");
    fire(&strategy, "change");
    settle().await;
    assert_eq!(data_value(&root, "ckpt-forward-evals"), "4950");
    click(&find(&root, "step-next"));
    settle().await;
    assert!(find(&root, "step-counter")
        .text_content()
        .unwrap()
        .starts_with("1 / "));
    assert_eq!(
        root.query_selector_all("[data-testid=\"ckpt-timeline\"] .arc")
            .unwrap()
            .length(),
        1
    );
    app.destroy();
}
