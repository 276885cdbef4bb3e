//! The chapters, in the lecture's order: one entry each. The contents page, the navigation, the page titles, the
//! `<h1>`s and the router all read this list, so a new chapter is an entry here plus its model (`lab`) and its view
//! (`ui::chapters`).

use yew::prelude::*;

use super::chapters::{
    chain, contents, grad, graph, hyper, learn, lecture, memory, network, numeric, symbolic,
};
use crate::base::url::Location;

pub struct Entry {
    /// The hash route, `/grad` (`/` is the contents).
    pub route: &'static str,
    /// The page's `<h1>`, its document title, and its line on the contents page.
    pub title: &'static str,
    /// The navigation label.
    pub nav: &'static str,
    /// One or two sentences for the contents page.
    pub summary: &'static str,
    /// A class for the page's section (styles).
    pub class: &'static str,
    /// The view: the chapter's component for a location (`key` remounts it when the address changes from outside).
    pub view: fn(Location, String) -> Html,
}

impl Entry {
    pub fn href(&self) -> String {
        format!("#{}", self.route)
    }
}

pub const CHAPTERS: &[Entry] = &[
    Entry {
        route: "/",
        title: "Automatic differentiation, step by step",
        nav: "Contents",
        summary: "The chapters of the lecture.",
        class: "contents",
        view: |_, _| contents::contents(),
    },
    Entry {
        route: "/grad",
        title: "What is automatic differentiation?",
        nav: "What is AD?",
        summary: "Type a function — an expression or the lecture's Python — and get its value and exact gradient, by \
                  reverse mode and by forward mode, next to a finite-difference estimate; and its Hessian, by forward \
                  mode over reverse mode.",
        class: "grad",
        view: |location, key| html! { <grad::GradChapter {key} {location} /> },
    },
    Entry {
        route: "/numeric",
        title: "Automatic differentiation is not numerical differentiation",
        nav: "Not numerical",
        summary: "Finite differences are inexact: see their error against the step h — truncation for large h, \
                  round-off for small h — and why a gradient costs n + 1 evaluations.",
        class: "numeric",
        view: |location, key| html! { <numeric::NumericChapter {key} {location} /> },
    },
    Entry {
        route: "/symbolic",
        title: "Automatic differentiation is not symbolic differentiation",
        nav: "Not symbolic",
        summary: "Symbolic differentiation is exact but its expressions swell exponentially; automatic \
                  differentiation keeps intermediate results and grows linearly.",
        class: "symbolic",
        view: |location, key| html! { <symbolic::SymbolicChapter {key} {location} /> },
    },
    Entry {
        route: "/graph",
        title: "The computational graph",
        nav: "Graph lab",
        summary: "Watch a function become a graph of elementary operations, then step through forward mode (tangents \
                  flow with the values) and reverse mode (values stored, then adjoints flow back), node by node.",
        class: "graph-lab",
        view: |location, key| html! { <graph::GraphChapter {key} {location} /> },
    },
    Entry {
        route: "/chain",
        title: "Example 0: differentiating a sequence of transforms",
        nav: "Chain",
        summary: "A chain of maps and the product of their Jacobians, drawn to scale: forward mode multiplies from the \
                  right, reverse mode from the left; count the multiplications, find the cheapest bracketing, and run \
                  both on the AD core.",
        class: "chain",
        view: |location, key| html! { <chain::ChainChapter {key} {location} /> },
    },
    Entry {
        route: "/network",
        title: "Example 1: training a neural network",
        nav: "Network",
        summary: "Train a classifier live, its gradient by reverse mode over array operations: watch the decision \
                  boundary move, one example's forward and backward sweep, the memory backprop keeps and the cost of a \
                  step, and a gradient check. micrograd's demo, reproducible to the last digit.",
        class: "network",
        view: |location, key| html! { <network::NetworkChapter {key} {location} /> },
    },
    Entry {
        route: "/learn",
        title: "Example 2: learning to learn",
        nav: "Learn ρ",
        summary: "Gradient descent is a program, so AD differentiates through it: the step size ρ learned by descending \
                  on ℓ(GD(ρ)), its hypergradient by reverse mode, forward mode and a closed form, and the stability limit.",
        class: "learn",
        view: |location, key| html! { <learn::LearnChapter {key} {location} /> },
    },
    Entry {
        route: "/hyper",
        title: "Example 3: hyperparameter optimisation",
        nav: "Tune λ",
        summary: "The ridge penalty chosen on held-out data by hypergradient — implicit, unrolled by AD, by differences — \
                  against grid search, for one λ and for ten (one per feature), on the diabetes data.",
        class: "hyper",
        view: |location, key| html! { <hyper::HyperChapter {key} {location} /> },
    },
    Entry {
        route: "/memory",
        title: "Reverse mode needs memory: checkpointing",
        nav: "Memory",
        summary: "The backward sweep needs every intermediate state. Store them all, or store a few and replay the rest: \
                  watch the slots fill and the replays run, and count what each strategy costs — down to binomial \
                  checkpointing, the optimum — with the gradient checked bit for bit.",
        class: "memory",
        view: |location, key| html! { <memory::MemoryChapter {key} {location} /> },
    },
    Entry {
        route: "/lecture",
        title: "The lecture, slide by slide",
        nav: "Lecture",
        summary: "Presenter mode: the whole lecture as slides, each a live chapter in a prepared state with the \
                  lecture's words. → and ← (or a clicker) step through a slide and on to the next; F full screen, B blank, \
                  D dark, Esc to leave.",
        class: "lecture",
        view: |location, key| html! { <lecture::LectureChapter {key} {location} /> },
    },
];

/// The chapter at a path (`/grad`, `/grad/`, `` for the contents).
pub fn find(path: &str) -> Option<&'static Entry> {
    let path = path.trim_end_matches('/');
    let path = if path.is_empty() { "/" } else { path };
    CHAPTERS.iter().find(|c| c.route == path)
}
