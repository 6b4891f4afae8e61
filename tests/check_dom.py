#!/usr/bin/env python3
"""Exit 1, naming the first offence, when what headless Chromium made of an
HTML report is not what the report says: the DOM (--dump-dom) must hold the
verdict banner with the expected verdict, one drift row per expected class
and no other, and no element or attribute the renderer never writes (so
none made from an image string); the page must have made no request that
is not a file: URL (from --log-net-log: requests on behalf of a file://
page) and logged nothing to the console (a Content-Security-Policy
violation is logged there).

usage: python3 tests/check_dom.py DOM NETLOG CONSOLELOG VERDICT CLASSES
       [TEXT]
CLASSES is comma-separated, "-" for none; TEXT must be in the page's text.
For imgdrift summary's page, CLASSES is "rows:" and the verdict of each row
of its table, comma-separated, in order.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_html  # noqa: E402

# The HTML parser of a browser adds <tbody> to every table.
check_html.ELEMENTS.add("tbody")


class Dom(check_html.Walk):
    def __init__(self):
        super().__init__()
        self.verdict = None
        self.classes = []
        self.rows = []

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        a = dict(attrs)
        if a.get("id") == "verdict":
            self.verdict = a.get("data-verdict")
        if tag == "tr" and "data-class" in a:
            self.classes.append(a["data-class"])
        if tag == "tr" and "data-verdict" in a:
            self.rows.append(a["data-verdict"])


def requests(netlog):
    """The URLs requested on behalf of a file:// page."""
    with open(netlog) as f:
        events = json.load(f).get("events", [])
    out = set()
    for e in events:
        p = e.get("params") or {}
        if "file://" in str(p.get("network_isolation_key", "")) and "url" in p:
            out.add(p["url"])
    return out


def offence(dom, netlog, console, verdict, classes, text):
    rows = classes.startswith("rows:")
    if rows:
        check_html.allow_summary()
    w = Dom()
    with open(dom, encoding="utf-8") as f:
        w.feed(f.read())
    w.close()
    if w.offence:
        return w.offence
    if w.verdict != verdict:
        return "verdict %r, want %r" % (w.verdict, verdict)
    if rows:
        want = classes[len("rows:"):].split(",")
        if w.rows != want:
            return "report rows %s, want %s" % (w.rows, want)
    else:
        want = [] if classes == "-" else classes.split(",")
        if w.classes != want:
            return "drift rows %s, want %s" % (w.classes, want)
    if text is not None and text not in "".join(w.text):
        return "%r is not in the page's text" % text
    left = sorted(u for u in requests(netlog) if not u.startswith("file:"))
    if left:
        return "the page requested %s" % left[0]
    with open(console, errors="replace") as f:
        logged = [ln for ln in f if ":CONSOLE" in ln]
    if logged:
        return "console: %s" % logged[0].strip()
    return None


def main():
    what = offence(*sys.argv[1:6], sys.argv[6] if len(sys.argv) > 6 else None)
    if what:
        print("%s: %s" % (sys.argv[1], what))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
