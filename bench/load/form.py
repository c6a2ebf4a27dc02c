#!/usr/bin/env python3
"""Reads one form of an HTML page (standard input) as a browser would send it, for
bench/load/run.sh. Standard library only; it sends nothing itself.

    form.py fields ACTION FIELD   line 1: every field of the form posted to ACTION except
                                  FIELD, encoded; line 2: FIELD's value, encoded
    form.py options ACTION NAME   the values offered for the radios or select NAME, one a line

Text inputs, hidden inputs, textareas, ticked checkboxes and radios and the chosen
option of each select are sent; buttons are not.
"""

import sys
from html.parser import HTMLParser
from urllib.parse import urlencode, quote_plus


class Form(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.fields = []  # (name, value) in page order
        self.options = {}  # name -> values offered
        self.textarea = None
        self.select = None
        self.option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
            self.found |= self.inside
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                self.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = [name, None, None]  # name, first value, chosen value
        elif tag == "option" and self.select is not None:
            value = a.get("value")
            self.option = [value, "", "selected" in a]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value = self.option[0] if self.option[0] is not None else self.option[1].strip()
            self.options.setdefault(self.select[0], []).append(value)
            if self.select[1] is None:
                self.select[1] = value
            if self.option[2]:
                self.select[2] = value
            self.option = None
        elif tag == "select" and self.select is not None:
            name, first, chosen = self.select
            self.fields.append((name, chosen if chosen is not None else (first or "")))
            self.select = None


def main(argv):
    if len(argv) != 4 or argv[1] not in ("fields", "options"):
        sys.exit(__doc__)
    mode, action, name = argv[1:]
    form = Form(action)
    form.feed(sys.stdin.read())
    if not form.found:
        sys.exit(f"form.py: the page has no form posted to {action}")
    if mode == "options":
        values = form.options.get(name, [])
        if not values:
            sys.exit(f"form.py: the form posted to {action} offers no choices named {name}")
        print("\n".join(values))
        return
    kept = [(n, v) for n, v in form.fields if n != name]
    value = next((v for n, v in form.fields if n == name), None)
    if value is None:
        sys.exit(f"form.py: the form posted to {action} has no field named {name}")
    print(urlencode(kept))
    print(quote_plus(value))


if __name__ == "__main__":
    main(sys.argv)
