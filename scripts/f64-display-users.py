#!/usr/bin/env python3
"""Which of AD Lab's functions still hand an f64 to core's `{}` (which would ship the standard library's float
formatter, 13 KB of wasm, in the site). Run scripts/f64-display-users.sh; it prints nothing when there are none.
Works on the debug wasm (no inlining): follows direct calls and `fmt::Argument`'s function pointers (table indices)
from `<f64 as Display>::fmt` up to the first caller in ad_lab or plotters."""
import re,subprocess,sys
txt=open(sys.argv[1]).read()
m=re.search(r'^ \(elem \$0 \(i32\.const (\d+)\) (.*)\)$', txt, re.M)
base=int(m.group(1))
names=m.group(2).split()
tidx={}
for i,n in enumerate(names): tidx.setdefault(n,i+base)
funcs={}
for f in re.split(r'\n (?=\(func )', txt):
    mm=re.match(r'\(func (\S+)', f)
    if mm: funcs[mm.group(1)]=f
calls=re.compile(r'call (\$\S+?)[\s)]')
callers={}
for name,body in funcs.items():
    for c in set(calls.findall(body)):
        callers.setdefault(c,set()).add(name)
def dem(n): return subprocess.run(['rustfilt'],input=n,capture_output=True,text=True).stdout.strip()
# `<f64 as core::fmt::Display>::fmt` (v0 mangling: `d` is f64).
target=next((n for n in funcs if re.search(r'4core3fmt5floatdNt\w*7Display3fmt$', n)), None)
if target is None:
    print("none: core's f64 formatter is not linked")
    sys.exit(0)
seen=set(); work=[target]; ours=set()
while work:
    f=work.pop()
    if f in seen: continue
    seen.add(f)
    refs=set(callers.get(f,()))
    if f in tidx:
        t=tidx[f]
        for name,body in funcs.items():
            if len(body)<3000 and re.search(r'\(i32\.const %d\)'%t, body): refs.add(name)
    for r in refs:
        d=dem(r)
        if ('ad_lab' in d or 'plotters' in d) and 'core::fmt' not in d.split('::')[0]:
            ours.add(d)
        else:
            work.append(r)
for o in sorted(ours): print(re.sub(r'::h[0-9a-f]{16}','',o))
