"""A world document's problems, each with where it is: file, line and path (`shops[2].region`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

Path = tuple[Any, ...]


def dotted(path: Iterable[Any]) -> str:
    """("shopee", "shops", 2, "region") -> "shopee.shops[2].region"."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class Problem:
    message: str
    path: str = ""  # dotted path inside the document; "" for the document itself
    source: str | None = None  # the file, when the document came from one
    line: int | None = None

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where += f":{self.line}" if where else f"line {self.line}"
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.path}: {self.message}" if self.path else f"{prefix}{self.message}"

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = {"location": self.path or "(document)", "message": self.message}
        if self.source is not None:
            view["file"] = self.source
        if self.line is not None:
            view["line"] = self.line
        return view


class WorldFileError(Exception):
    """A world document that cannot be used, with every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"the world document has {count} problem{'s' if count != 1 else ''}")

    def report(self) -> str:
        return "\n".join([str(self)] + [f"  {p}" for p in self.problems])
