"""The diff's alternative outputs, chosen by ``Accept`` or ``?format=``.

- ``json`` (application/json, the default): the diff as data.
- ``diff`` (text/x-diff): a unified diff of the two whole texts, for ``patch``-minded
  tools and reviewers; the view hands it over as one string.
- ``html`` (text/html): a self-contained redline page (inline CSS, no scripts, no
  external resources) built from the same data as the JSON. Every piece of document
  text is escaped: the archive holds third parties' words, never markup we run. The view
  sends it with a ``Content-Security-Policy`` that forbids anything but inline styles.

Errors never reach these renderers: the diff view answers them as problem+json.
"""

from html import escape

from rest_framework.renderers import BaseRenderer, JSONRenderer


class DiffJSONRenderer(JSONRenderer):
    format = "json"


class UnifiedDiffRenderer(BaseRenderer):
    media_type = "text/x-diff"
    format = "diff"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if not isinstance(data, str):  # only the view's text reaches here
            raise TypeError("UnifiedDiffRenderer renders the text of a unified diff")
        return data.encode(self.charset)


class RedlineHTMLRenderer(BaseRenderer):
    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return redline_page(data).encode(self.charset)


_STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;
max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.4rem;margin-bottom:.25rem}h2{font-size:1.05rem;margin:0 0 .4rem}
.meta,.note,footer{color:#555;font-size:.9rem}
table.sides{border-collapse:collapse;margin:1rem 0}
table.sides th,table.sides td{text-align:left;padding:.2rem .8rem .2rem 0;vertical-align:top}
section.change{border-top:1px solid #ddd;padding:.8rem 0}
.kind{display:inline-block;font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;
padding:0 .4rem;border-radius:.2rem;background:#eee;margin-right:.4rem}
.kind.added{background:#dcf5dc}.kind.removed{background:#fadcdc}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
ins{background:#d4f7d4;text-decoration:none}
del{background:#fbd6d6;text-decoration:line-through}
code{font-size:.85em}ul.flags{padding-left:1.2rem}
"""


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _path(path) -> str:
    return " &rsaquo; ".join(_e(part) for part in path) if path else "(document start)"


def _chunks(chunks) -> str:
    out = []
    for chunk in chunks:
        text = _e(chunk["text"])
        if chunk["op"] == "insert":
            out.append(f"<ins>{text}</ins>")
        elif chunk["op"] == "delete":
            out.append(f"<del>{text}</del>")
        else:
            out.append(text)
    return "".join(out)


def _side(label: str, side: dict) -> str:
    notes = [side["language"], "imported" if side["origin"] == "import" else "captured by a check"]
    if side["is_technical"]:
        notes.append("technical version: a change of our extraction")
    notes.extend(side["anomalies"])
    return (
        f"<tr><th>{label}</th><td>version {_e(side['id'])}, captured "
        f"{_e(side['captured_at'])} ({_e('; '.join(notes))})</td></tr>"
    )


def _summary(data: dict) -> str:
    counts = data["counts"]
    parts = [
        f"{counts['provisions_' + name]} {name}" for name in
        ("added", "removed", "modified", "moved", "split", "merged")
        if counts["provisions_" + name]
    ]
    words = f"; words +{counts['words_added']} &minus;{counts['words_removed']}"
    html = [f"<p class=\"meta\">Provisions: {_e(', '.join(parts) or 'none changed')}"
            f"{words}.</p>"]
    summary = data["summary"]
    if summary is None:
        html.append("<p class=\"note\">Not consecutive versions: no stored summary; the "
                    "counts were computed for this pair.</p>")
        return "".join(html)
    if summary["title"]:
        html.append(f"<p><strong>{_e(summary['title'])}</strong> "
                    f"<span class=\"kind\">{_e(summary['significance'])}</span></p>")
    if summary["no_summary_reason"]:
        html.append(f"<p class=\"note\">No summary: {_e(summary['no_summary_reason'])}</p>")
    if summary["flags"]:
        items = "".join(
            f"<li>{_e(flag['category'])}: {_e(flag['subject'])} ({_e(flag['direction'])})"
            f" — <del>{_e(flag['before'])}</del> <ins>{_e(flag['after'])}</ins></li>"
            for flag in summary["flags"]
        )
        html.append(f"<ul class=\"flags\">{items}</ul>")
    return "".join(html)


def _change(change: dict, language: str) -> str:
    kind = change["kind"]
    heading = change["heading_path_after"] or change["heading_path_before"]
    moved = ""
    before, after = change["heading_path_before"], change["heading_path_after"]
    if before is not None and after is not None and before != after:
        moved = f"<p class=\"note\">Was under: {_path(before)}</p>"
    return (
        f"<section class=\"change\"><h2><span class=\"kind {_e(kind)}\">{_e(kind)}</span>"
        f"{_path(heading)}</h2>{moved}"
        f"<p class=\"note\">lineage <code>{_e(change['lineage_id'])}</code></p>"
        f"<div class=\"text\" lang=\"{_e(language)}\">{_chunks(change['diff'])}</div></section>"
    )


def redline_page(data: dict) -> str:
    """The whole page for one diff's data (the JSON representation)."""
    older, newer = data["from"], data["to"]
    title = (
        f"{older['platform']} {older['title']}: {older['captured_at'][:10]} → "
        f"{newer['captured_at'][:10]}"
    )
    changes = "".join(_change(change, newer["language"]) for change in data["changes"]) or (
        "<p>No provision differs between these versions.</p>"
    )
    attribution = (
        f"<p>{_e(data['attribution'])}</p>" if data.get("attribution") else ""
    )
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        f"<title>Redline: {_e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_e(older['platform'])} — {_e(older['title'])}</h1>"
        f"<p class=\"meta\">Redline from the older version to the newer; "
        f"<del>deleted</del> and <ins>inserted</ins> text.</p>"
        f"<table class=\"sides\">{_side('From', older)}{_side('To', newer)}</table>"
        f"{_summary(data)}{changes}"
        f"<footer><p>{_e(data['disclaimer'])}</p><p>Method: {_e(data['method'])}</p>"
        f"{attribution}</footer></body></html>"
    )
