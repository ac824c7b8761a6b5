"""Reading an HTML form as a browser does, for tests of pages without a browser."""

from html.parser import HTMLParser


class _DefaultButton(HTMLParser):
    """Finds the first submit button whose form owner is the form with ``form_id``."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.found: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        submits = tag == "button" and attributes.get("type", "submit") == "submit"
        submits |= tag == "input" and attributes.get("type") in ("submit", "image")
        owner = attributes.get("form", self.form_id if self.inside else None)
        if submits and owner == self.form_id and self.found is None:
            self.found = attributes

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def default_button(page: str, form_id: str) -> dict[str, str | None] | None:
    """The attributes of the button that Enter in a field of form ``form_id`` presses (the first
    submit button the form owns, in document order), or None if it has none."""
    parser = _DefaultButton(form_id)
    parser.feed(page)
    return parser.found
