"""The title catalogue: read-only, loaded once at start-up."""

from __future__ import annotations

from collections.abc import Iterable

from common.errors import InvalidArgument
from common.numbers import whole_number
from parental_service.domain.titles import Title, title_not_found

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class TitleCatalogue:
    def __init__(self, titles: Iterable[Title]) -> None:
        self._by_id = {title.title_id: title for title in titles}
        self._ordered = sorted(self._by_id.values(), key=lambda t: (t.name.casefold(), t.title_id))

    def get(self, title_id: str) -> Title:
        title = self._by_id.get(title_id)
        if title is None:
            raise title_not_found()
        return title

    def find(self, title_id: str) -> Title | None:
        return self._by_id.get(title_id)

    def page(self, page_size: int, page_token: str) -> tuple[list[Title], str]:
        """A page in name order and the token of the next page ("" on the last)."""
        size = page_size_or_default(page_size)
        start = whole_number(page_token)
        if page_token and start is None:
            raise InvalidArgument("That page_token is not one this service gave out.")
        start = start or 0
        titles = self._ordered[start : start + size]
        more = start + size < len(self._ordered)
        return titles, str(start + size) if more else ""


def page_size_or_default(page_size: int) -> int:
    if page_size < 0:
        raise InvalidArgument(f"page_size is 1 to {MAX_PAGE_SIZE}, or 0 for {DEFAULT_PAGE_SIZE}.")
    return min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
