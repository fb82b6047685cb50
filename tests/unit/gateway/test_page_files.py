"""The pages' files keep to what their Content-Security-Policy allows, and their modules fit together."""

import pathlib
import re
from html.parser import HTMLParser

import pytest

STATIC = pathlib.Path(__file__).resolve().parents[3] / "gateway" / "static"
SCRIPTS = sorted(STATIC.glob("*.js"))
PAGES = {"index.html": "main.js", "tv.html": "tv.js", "tv-screen.html": "tv-screen.js"}  # each page's one module


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self._in_script = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_script:
            self.script_text += data


@pytest.mark.parametrize(("page", "module"), PAGES.items())
def test_each_page_loads_one_module_and_has_no_inline_script_or_style(page: str, module: str) -> None:
    parser = Tags()
    parser.feed((STATIC / page).read_text(encoding="utf-8"))
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "module", "src": f"/static/{module}"}]
    assert parser.script_text.strip() == ""
    assert "style" not in [tag for tag, _ in parser.tags]
    for tag, attrs in parser.tags:
        assert "style" not in attrs, f"<{tag}> has an inline style"
        assert not [name for name in attrs if name.startswith("on")], f"<{tag}> has an inline handler"
        assert not str(attrs.get("href", "")).lower().startswith("javascript:")
    for tag, attrs in parser.tags:  # every stylesheet and image comes from this gateway
        for name in ("href", "src"):
            value = str(attrs.get(name) or "")
            assert not value.startswith(("http:", "https:", "//")), f"<{tag} {name}={value!r}> loads from elsewhere"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_no_module_uses_inner_html_eval_or_inline_style(path: pathlib.Path) -> None:
    code = path.read_text(encoding="utf-8")
    for pattern in (
        r"\.innerHTML\s*=",
        r"\.outerHTML\s*=",
        r"insertAdjacentHTML",
        r"document\.write",
        r"\beval\s*\(",
        r"new\s+Function\b",
        r"setTimeout\(\s*[\"'`]",
        r"setAttribute\(\s*[\"']style",
        r"\bstyle\s*:\s*[\"'`]",
        r"\.style\.cssText",
    ):
        assert not re.search(pattern, code), f"{path.name} matches {pattern}"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: path.name)
def test_every_import_names_a_file_that_exists_and_no_module_keeps_top_level_state(path: pathlib.Path) -> None:
    code = path.read_text(encoding="utf-8")
    for target in re.findall(r"^import .* from \"(.+)\";$", code, flags=re.MULTILINE):
        assert target.startswith("./") and (STATIC / target).is_file(), f"{path.name} imports {target}"
    assert not re.findall(r"^(?:let|var) ", code, flags=re.MULTILINE), f"{path.name} has a mutable top-level variable"


def test_every_module_is_reachable_from_a_page() -> None:
    seen: set[str] = set()
    todo = list(PAGES.values())
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        code = (STATIC / name).read_text(encoding="utf-8")
        todo += [target for target in re.findall(r"^import .* from \"\./(.+)\";$", code, flags=re.MULTILINE)]
    assert seen == {path.name for path in SCRIPTS}
