"""The one rule for text, checked on the source: pages and the Streamlit glue draw Markdown only through
crisisboard.app.render (which takes only escaped Markdown), write labels only from code, and mark only
string literals as trusted Markdown."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import PROJECT

from crisisboard.app import render
from crisisboard.claims.markup import Markdown, literal, text

# Streamlit calls that render their text argument as Markdown
MARKDOWN_CALLS = {"markdown", "caption", "info", "warning", "error", "success", "write", "toast", "title",
                  "header", "subheader", "metric", "table", "latex", "badge", "exception", "write_stream"}
# calls whose options are Markdown: only render.py may make them (it escapes each option)
MARKDOWN_OPTIONS = {"segmented_control", "radio", "pills", "feedback"}
# calls whose label (first argument or label=), help= and placeholder= are Markdown
LABELLED = {"expander", "popover", "tabs", "button", "download_button", "toggle", "checkbox", "selectbox",
            "multiselect", "text_input", "text_area", "number_input", "date_input", "file_uploader", "slider",
            "select_slider", "color_picker", "time_input", "status", "link_button", "form_submit_button",
            "Column", "TextColumn", "NumberColumn", "CheckboxColumn", "SelectboxColumn", "LinkColumn",
            "DateColumn", "ListColumn", "ProgressColumn"}
MARKUP_CALLS = {"text", "label", "md", "literal", "link", "app_link", "join", "bold", "italic"}
GLUE = [PROJECT / "dashboard.py", *sorted((PROJECT / "pages").glob("*.py")),
        *sorted((PROJECT / "crisisboard").rglob("*.py"))]


def _callee(node: ast.Call) -> tuple[str, str]:
    """(receiver, name) of a call: ("st", "markdown"), ("render", "markdown"), ("", "text")."""
    func = node.func
    if isinstance(func, ast.Attribute):
        receiver = func.value.id if isinstance(func.value, ast.Name) else ast.unparse(func.value)
        return receiver, func.attr
    return "", func.id if isinstance(func, ast.Name) else ""


def _static_text(node: ast.AST) -> bool:
    """Text written in the code: a literal, an f-string whose fields are numbers (a format spec, or len(),
    int(), a count), or the result of crisisboard.claims.markup (escaped)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(part, ast.Constant) or (
            isinstance(part, ast.FormattedValue) and (part.format_spec is not None or (
                isinstance(part.value, ast.Call) and _callee(part.value)[1] in ("len", "int", "round")) or
                isinstance(part.value, ast.BinOp)))  # arithmetic: a number
            for part in node.values)
    if isinstance(node, ast.Call):
        return _callee(node)[1] in MARKUP_CALLS
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_static_text(item) for item in node.elts)
    if isinstance(node, ast.IfExp):
        return _static_text(node.body) and _static_text(node.orelse)
    return False


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(PROJECT)
    found = []
    uses_streamlit = any(isinstance(node, (ast.Import, ast.ImportFrom)) and "streamlit" in ast.unparse(node)
                         for node in ast.walk(tree))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        receiver, name = _callee(node)
        if name == "literal" and receiver in ("", "markup") and not (
                len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and not node.keywords):
            found.append(f"{where}:{node.lineno}: literal() of something that is not a string literal")
        if not uses_streamlit or path.name == "render.py":
            continue
        drawing = bool(node.args or node.keywords)  # Streamlit's calls take the text; ClaimRef.markdown() builds it
        if name in MARKDOWN_CALLS and drawing and receiver not in ("render", "LOG", "logging", "warnings"):
            found.append(f"{where}:{node.lineno}: {receiver}.{name}() draws Markdown: use crisisboard.app.render")
        if name in MARKDOWN_OPTIONS:
            found.append(f"{where}:{node.lineno}: {receiver}.{name}() has Markdown options: use render.segmented")
        if name in LABELLED:
            label = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "label"), None)
            shown = [("label", label)] + [(k.arg, k.value) for k in node.keywords if k.arg in ("help", "placeholder")]
            for field, value in shown:
                if value is not None and not _static_text(value):
                    found.append(f"{where}:{node.lineno}: {name}({field}=…) is not text written in the code: "
                                 "escape it with crisisboard.claims.markup.text")
    return found


@pytest.mark.parametrize("path", GLUE, ids=[str(p.relative_to(PROJECT)) for p in GLUE])
def test_pages_and_glue_draw_markdown_only_through_render(path: Path) -> None:
    assert violations(path) == []


def test_the_check_finds_each_way_round_the_rule(tmp_path: Path) -> None:
    """The check can fail: each way of drawing data unescaped is found."""
    page = PROJECT / "pages" / "_probe_for_test.py"
    page.write_text("import streamlit as st\nfrom crisisboard.claims.markup import literal\nname = input()\n"
                    "st.markdown(name)\ncol = st.columns(2)[0]\ncol.caption(f'{name}')\nst.info(name)\n"
                    "st.expander(name)\nst.selectbox(f'Pick {name}', [])\nst.radio('r', [name])\n"
                    "literal(f'{name}')\nst.button('Save', help=name)\n", encoding="utf-8")
    try:
        found = "\n".join(violations(page))
    finally:
        page.unlink()
    for expected in ("st.markdown()", "col.caption()", "st.info()", "expander(label", "selectbox(label",
                     "st.radio()", "literal() of something", "button(help"):
        assert expected in found, expected


def test_render_takes_only_escaped_markdown() -> None:
    with pytest.raises(TypeError, match="not escaped"):
        render.checked("![p](http://127.0.0.1:9/x.gif)")
    assert isinstance(render.checked(text("![p](x)")), Markdown) and isinstance(render.checked(literal("**a**")),
                                                                               Markdown)


def test_a_label_reads_without_backslashes_yet_cannot_make_markup() -> None:
    """Streamlit gives a label's source to screen readers as the control's name (issue #21)."""
    from crisisboard.claims.markup import label

    assert label("Briefing mode (projector)") == "Briefing mode (projector)"
    assert label("Contested when apart by more than ×") == "Contested when apart by more than ×"
    assert label("*x* [a](http://e.org) `c` $y$ <b> :red[z]") == \
        "\\*x\\* \\[a\\](http\u2060://e.org) \\`c\\` \\$y\\$ \\<b\\> :red\\[z\\]"
    assert label("1. first") == "1\\. first" and label("- dash") == "\\- dash"


def test_html_is_drawn_only_from_static_files_or_through_render_html() -> None:
    """st.html draws what it is given: only the style and script files (briefing, style, visits) and
    render.html, which takes only crisisboard.claims.html's escaped HTML, may call it."""
    allowed = {"crisisboard/app/render.py", "crisisboard/app/briefing.py", "crisisboard/app/style.py",
               "crisisboard/app/visits.py"}
    found = []
    for path in GLUE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _callee(node)[1] == "html" and _callee(node)[0] != "render":
                where = str(path.relative_to(PROJECT))
                if where not in allowed:
                    found.append(f"{where}:{node.lineno}")
    assert found == []
    with pytest.raises(TypeError):
        render.html("<b>plain str</b>")  # type: ignore[arg-type]
