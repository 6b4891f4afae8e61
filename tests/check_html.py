#!/usr/bin/env python3
"""Exit 1, naming the first offence, when an HTML report of imgdrift diff is
not what a browser should be given: tags that do not balance, an element
or attribute the renderer never writes (so one that came from an image
string), a script, a URL, or a Content-Security-Policy that does not
forbid everything but the page's own style (its hash must match).
With --text STRING, STRING must also be in the page's text, as text.
With --summary, the page is imgdrift summary's: links to the reports
(<a href>, never a javascript: or data: URL) and its table's <thead> and
<tbody> are allowed too.

usage: python3 tests/check_html.py [--summary] [--text STRING] FILE...
"""

import base64
import hashlib
import html.parser
import sys

ELEMENTS = {"html", "head", "meta", "title", "style", "body", "header", "h1",
            "h2", "p", "main", "section", "table", "caption", "tr", "th",
            "td", "code", "details", "summary", "ul", "li", "span", "pre",
            "br", "b", "i"}
VOID = {"meta", "br"}
ATTRS = {"lang", "charset", "http-equiv", "content", "name", "id", "class",
         "data-class", "data-verdict", "open"}


def allow_summary():
    """What imgdrift summary --format html writes besides."""
    ELEMENTS.update({"a", "thead", "tbody"})
    ATTRS.update({"href", "data-met", "data-reports"})


class Walk(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.offence = None
        self.csp = None
        self.style = None
        self.text = []

    def bad(self, what):
        if self.offence is None:
            self.offence = "line %d: %s" % (self.getpos()[0], what)

    def handle_starttag(self, tag, attrs):
        if tag not in ELEMENTS:
            self.bad("element <%s> the renderer never writes" % tag)
        for k, v in attrs:
            if k not in ATTRS:
                self.bad("attribute %s on <%s>" % (k, tag))
        a = dict(attrs)
        href = (a.get("href") or "").strip().lower()
        if href.startswith(("javascript:", "data:", "vbscript:")):
            self.bad("a %s link" % href.split(":")[0])
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")
        if tag == "style":
            self.style = ""
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.bad("self-closing <%s/>" % tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.bad("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack
                                            else "nothing"))
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style += data
        else:
            self.text.append(data)


def offence(data, want_text):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return "byte %d is not UTF-8" % e.start
    if not text.startswith("<!DOCTYPE html>\n"):
        return "no <!DOCTYPE html> first"
    w = Walk()
    w.feed(text)
    w.close()
    if w.offence:
        return w.offence
    if w.stack:
        return "<%s> never closed" % w.stack[-1]
    if w.style is None:
        return "no <style>"
    digest = base64.b64encode(hashlib.sha256(w.style.encode()).digest())
    want = "default-src 'none'; style-src 'sha256-%s'" % digest.decode()
    if w.csp != want:
        return "Content-Security-Policy %r, want %r" % (w.csp, want)
    if want_text is not None and want_text not in "".join(w.text):
        return "%r is not in the text" % want_text
    return None


def main():
    args = sys.argv[1:]
    want_text = None
    if args[:1] == ["--summary"]:
        allow_summary()
        args = args[1:]
    if args[:1] == ["--text"]:
        want_text, args = args[1], args[2:]
    bad = 0
    for path in args:
        with open(path, "rb") as f:
            what = offence(f.read(), want_text)
        if what:
            print("%s: %s" % (path, what))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
