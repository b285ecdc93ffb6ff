#!/usr/bin/env python3
"""Runs a notebook's C# cells in a real dotnet-interactive kernel over stdio, against a local package feed.

usage: notebook_kernel.py DOTNET_INTERACTIVE FEED NOTEBOOK

Before the notebook's own cells it submits `#i "nuget: FEED"`, so `#r "nuget: Evaluation.Stats.Reporting, 0.1.0"`
restores the freshly packed package and the kernel loads its interactive-extensions/dotnet extension. Then it checks
that results display as the extension's HTML report tables (not the default object tree). Exits non-zero on any
failed cell or missing display.
"""
import json, subprocess, sys, threading, queue

exe, feed, notebook = sys.argv[1:4]
cells = ["#i \"nuget: " + feed + "\""] + [
    "".join(c["source"]) for c in json.load(open(notebook))["cells"] if c["cell_type"] == "code"]

proc = subprocess.Popen([exe, "stdio", "--default-kernel", "csharp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, text=True, bufsize=1)
lines = queue.Queue()
threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()

def submit(i, code):
    token = f"cell-{i}"
    proc.stdin.write(json.dumps({"token": token, "commandType": "SubmitCode",
                                 "command": {"code": code, "targetKernelName": "csharp"}}) + "\n")
    proc.stdin.flush()
    shown = []
    while True:
        line = lines.get(timeout=600)
        try:
            envelope = json.loads(line)
        except ValueError:
            continue
        kind = envelope.get("eventType")
        if kind is None or (envelope.get("command") or {}).get("token") != token:
            continue
        event = envelope.get("event") or {}
        if kind in ("DisplayedValueProduced", "ReturnValueProduced", "DisplayedValueUpdated"):
            shown += event.get("formattedValues", [])
        elif kind == "CommandFailed":
            sys.exit(f"cell {i} failed: {event.get('message')}\n{code}")
        elif kind == "CommandSucceeded":
            return shown

html_cells = 0
try:
    for i, code in enumerate(cells):
        shown = submit(i, code)
        html = [v["value"] for v in shown if v.get("mimeType") == "text/html"]
        print(f"cell {i}: ok, {len(shown)} value(s) shown" + (f", html {len(html[0])} chars" if html else ""))
        if html and ('class="evalstats"' in html[0] or "<img src=\"data:image/png" in html[0]):
            html_cells += 1
        if code.rstrip().endswith("\nresult"):
            # The evaluation itself: report tables for every outcome and the ledger, from the package's extension.
            if not html or 'id="table-did-effectiveTreatment"' not in html[0] or 'id="table-exclusions"' not in html[0]:
                sys.exit(f"cell {i}: the EvaluationResult did not display as the extension's HTML tables:\n{html[:1]}")
finally:
    proc.kill()

# The evaluation, the DiD, the adjusted model, the ledger and the chart display through the extension.
if html_cells < 5:
    sys.exit(f"only {html_cells} cell(s) displayed through the Evaluation.Stats formatters")
print(f"notebook: {len(cells) - 1} cells ran; {html_cells} displayed through the Evaluation.Stats extension")
