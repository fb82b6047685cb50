"""Loading the title catalogue from its JSON data file."""

from __future__ import annotations

import json
import pathlib

from parental_service.domain.profiles import MaturityLevel
from parental_service.domain.titles import Title

DEFAULT_TITLES_PATH = pathlib.Path(__file__).resolve().parent.parent / "data" / "titles.json"


def load_titles(path: pathlib.Path = DEFAULT_TITLES_PATH) -> list[Title]:
    """Titles from {"titles": [{"title_id", "name", "maturity_rating": "all"|"7+"|...}]}."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return [
        Title(entry["title_id"], entry["name"], MaturityLevel.from_label(entry["maturity_rating"]))
        for entry in document["titles"]
    ]
