"""The one error an image import ends with when it cannot go on: what is wrong and what to do."""

from __future__ import annotations


class ImportRefused(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}"
