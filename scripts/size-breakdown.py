"""Sums twiggy's per-item sizes (a named build) by crate and by chapter; scales them to the shipped (unnamed) wasm."""
import csv
import gzip
import re
import sys
from collections import defaultdict

top, shipped = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(top)))
code = []
for r in rows:
    # v0 mangling names crates with their hash (`ad_lab[590e37f79a989d22]::…`): drop it.
    name = re.sub(r"\[[0-9a-f]{16}\]", "", r["Name"])
    size = int(r["ShallowSize"])
    if "custom section" in name or "subsection" in name:
        continue  # the names themselves: not shipped
    code.append((name, size))
total = sum(s for _, s in code)
raw = open(shipped, "rb").read()
gz = len(gzip.compress(raw, 9))


def is_view(name):
    """A component's view inlined into Yew's lifecycle. With legacy symbol names (the stable toolchain's default) the
    component's type is not in the name (`CompStateInner<COMP>`); Yew has no large components of its own, so these
    are ours."""
    return bool(re.search(r"CompStateInner<(COMP|ad_lab::)[^>]*> as yew::html::component::lifecycle::Stateful>::view"
                          r"|^<ad_lab::\S+ as yew::functional::FunctionProvider>", name))


def crate(name):
    if name.startswith("data segment"):
        return "(data: strings, tables)"
    if is_view(name):
        return "ad_lab"
    n = name.lstrip("<&*")
    n = re.sub(r"^(dyn |mut |const )", "", n)
    # The first path-qualified name: `<F as ad_lab::ui::canvas::CanvasFigure>::draw_on` is ours, `<f64 as
    # core::fmt::Display>::fmt` is core's.
    m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)::", n) or re.match(r"([A-Za-z_][A-Za-z0-9_]*)", n)
    c = m.group(1) if m else "(other)"
    if c in ("core", "alloc", "std"):
        return "Rust std (core, alloc)"
    if c.startswith("func") or c in ("elem", "type", "table", "global", "import", "export"):
        return "(unnamed: glue, tables)"
    return c


by_crate = defaultdict(int)
for name, size in code:
    by_crate[crate(name)] += size

LAYERS = ["base", "lang", "ad", "symbolic", "transform", "layout", "lab", "figures", "ui"]
by_layer = defaultdict(int)
by_chapter = defaultdict(int)
for name, size in code:
    if is_view(name):
        by_layer["ui"] += size
        by_chapter[("ui", "(component views, not named)")] += size
        continue
    m = re.search(r"ad_lab::(\w+)(?:::(\w+))?", name)
    if not m:
        continue
    by_layer[m.group(1)] += size
    if m.group(1) in ("lab", "ui") and m.group(2):
        sub = m.group(2)
        if m.group(1) == "ui" and sub == "chapters":
            c = re.search(r"ad_lab::ui::chapters::(\w+)", name)
            sub = c.group(1) if c else sub
        by_chapter[(m.group(1), sub)] += size


def kb(b):
    return f"{b / 1024:.1f} KB"


print(f"shipped wasm: {kb(len(raw))} raw, {kb(gz)} gzip -9; items measured: {kb(total)} (before gzip)\n")
print("| crate | bytes | share |\n|---|---|---|")
for c, s in sorted(by_crate.items(), key=lambda x: -x[1])[:16]:
    print(f"| {c} | {s:,} | {100 * s / total:.1f} % |")
print("\n| AD Lab layer | bytes | share |\n|---|---|---|")
for l in LAYERS:
    if by_layer[l]:
        print(f"| {l} | {by_layer[l]:,} | {100 * by_layer[l] / total:.1f} % |")
print("\n| chapter part (model in lab, view in ui) | bytes |\n|---|---|")
for (layer, sub), s in sorted(by_chapter.items(), key=lambda x: -x[1])[:24]:
    print(f"| {layer}::{sub} | {s:,} |")
print("\n| largest functions | bytes |\n|---|---|")
for name, size in sorted(code, key=lambda x: -x[1])[:20]:
    short = re.sub(r"::h[0-9a-f]{16}$", "", name)
    short = short if len(short) < 110 else short[:107] + "…"
    print(f"| `{short}` | {size:,} |")
