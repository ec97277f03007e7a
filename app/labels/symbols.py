"""Barcode symbols as module patterns: Code 128, GS1-128, EAN-13, UPC-A and QR.

A linear symbol is a run-length list of module widths, bar first; the renderers multiply
by a whole number of printer dots. Code 128 codewords are chosen here (shortest mix of
code sets B and C), so the PDF, the PNG and the printer-native ZPL draw the same bars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any, cast

import zxingcpp
from barcode.charsets import code128 as _c128
from barcode.charsets import ean as _ean

from app.domain.gs1 import Element, element_string
from app.domain.gtin import validate_gtin

FNC1 = 102
_START_B, _START_C, _STOP = 104, 105, 106
_CODE_B, _CODE_C = 100, 99
_STOP_PATTERN = "1100011101011"


class Symbology(StrEnum):
    CODE128 = "code128"
    GS1_128 = "gs1-128"
    EAN13 = "ean13"
    UPCA = "upca"


@dataclass(frozen=True)
class LinearSymbol:
    """Bars and spaces in modules, quiet zones in modules, what a scanner reads back."""

    symbology: Symbology
    runs: tuple[int, ...]  # widths, bar first, alternating bar/space
    quiet_left: int
    quiet_right: int
    content: str  # what a decoder returns (GS1: element string without parentheses)
    codewords: tuple[int, ...] = ()  # Code 128 only: start, data, check, stop
    guards: tuple[tuple[int, int], ...] = ()  # EAN/UPC: module ranges of the guard bars
    text: str = ""  # EAN/UPC digits for the human-readable line

    @property
    def width(self) -> int:
        return sum(self.runs)

    def bars(self) -> list[tuple[int, int]]:
        """(start module, width) of every bar."""
        out: list[tuple[int, int]] = []
        position = 0
        for index, run in enumerate(self.runs):
            if index % 2 == 0:
                out.append((position, run))
            position += run
        return out


@dataclass(frozen=True)
class MatrixSymbol:
    """A QR code: ``size`` x ``size`` modules (1 dark, 0 light), without its quiet zone."""

    modules: bytes
    size: int
    content: str
    border: int = 4
    error: str = "M"

    @property
    def version(self) -> int:
        return (self.size - 17) // 4

    @cached_property
    def rows(self) -> tuple[tuple[bool, ...], ...]:
        n = self.size
        return tuple(tuple(v == 1 for v in self.modules[r * n : (r + 1) * n]) for r in range(n))

    @cached_property
    def spans(self) -> tuple[tuple[int, int, int], ...]:
        """Runs of dark modules: (row, first column, length)."""
        n = self.size
        return tuple(
            (r, m.start() - r * n, m.end() - m.start())
            for r in range(n)
            for m in _DARK_RUN.finditer(self.modules, r * n, (r + 1) * n)
        )


_DARK_RUN = re.compile(b"\x01+")


def _runs(pattern: str) -> tuple[int, ...]:
    runs: list[int] = []
    previous = ""
    for char in pattern:
        if char == previous:
            runs[-1] += 1
        else:
            runs.append(1)
            previous = char
    return tuple(runs)


_PATTERNS: tuple[str, ...] = (*_c128.CODES[:106], _STOP_PATTERN)
# Every codeword starts with a bar and ends with a space, so runs simply concatenate.
_CODEWORD_RUNS: tuple[tuple[int, ...], ...] = tuple(_runs(p) for p in _PATTERNS)

# Code 128 tokens: a printable ASCII character, or FNC1 (None).
Token = str | None


def _b_value(char: str) -> int:
    return ord(char) - 32


@lru_cache(maxsize=4096)
def _plan(tokens: tuple[Token, ...]) -> tuple[int, ...]:
    """Shortest codeword sequence (start code and data, no check) over code sets B and C."""
    n = len(tokens)
    never = 10**9

    digit = [t is not None and t.isdigit() for t in tokens] + [False]
    # Tokens one codeword takes at i in set C (FNC1: 1, a digit pair: 2, else 0 = none).
    in_c = [1 if tokens[i] is None else 2 * (digit[i] and digit[i + 1]) for i in range(n)]

    # cost[i][s]: fewest codewords for tokens[i:] when already in set s.
    cost = [[never, never] for _ in range(n + 1)]
    switch = [[False, False] for _ in range(n + 1)]
    cost[n] = [0, 0]
    for i in range(n - 1, -1, -1):
        c_step = in_c[i]
        via_b = 1 + cost[i + 1][0]
        via_c = 1 + cost[i + c_step][1] if c_step else never
        # In B: stay (always possible) or switch to C; in C: stay if possible or go to B.
        cost[i][0], switch[i][0] = (via_c + 1, True) if via_c + 1 < via_b else (via_b, False)
        cost[i][1], switch[i][1] = (via_b + 1, True) if via_b + 1 < via_c else (via_c, False)
    s = 1 if n and cost[0][1] < cost[0][0] else 0
    out = [_START_C if s else _START_B]
    i = 0
    while i < n:
        if switch[i][s]:
            s = 1 - s
            out.append(_CODE_C if s else _CODE_B)
        token = tokens[i]
        if token is None:
            out.append(FNC1)
            i += 1
        elif s == 1:
            out.append(int(token + str(tokens[i + 1])))
            i += 2
        else:
            out.append(_b_value(token))
            i += 1
    return tuple(out)


def _finish(codewords: list[int]) -> tuple[int, ...]:
    check = codewords[0] + sum(i * c for i, c in enumerate(codewords[1:], start=1))
    return (*codewords, check % 103, _STOP)


def _code128_symbol(tokens: tuple[Token, ...], symbology: Symbology, content: str) -> LinearSymbol:
    codewords = _finish(list(_plan(tokens)))
    runs = tuple(run for c in codewords for run in _CODEWORD_RUNS[c])
    return LinearSymbol(symbology, runs, 10, 10, content, codewords)


def code128(text: str) -> LinearSymbol:
    """Code 128 of printable ASCII text (validated by ``app.domain.labels.barcode_text``)."""
    if not text or any(not 32 <= ord(c) <= 126 for c in text):
        raise ValueError(f"Code 128 here carries printable ASCII only: {text!r}")
    return _code128_symbol(tuple(text), Symbology.CODE128, text)


def gs1_128(elements: tuple[Element, ...]) -> LinearSymbol:
    """GS1-128: FNC1 first, AIs and data without parentheses, FNC1 after variable fields."""
    tokens: list[Token] = [None]
    for index, element in enumerate(elements):
        tokens.extend(element.ai + element.data)
        if not element.fixed and index < len(elements) - 1:
            tokens.append(None)
    return _code128_symbol(tuple(tokens), Symbology.GS1_128, element_string(elements))


def ean13(code: str) -> LinearSymbol:
    """EAN-13 (check digit validated); quiet zones 11 and 7 modules."""
    code = validate_gtin(code)
    if len(code) != 13:
        raise ValueError("EAN-13 needs 13 digits")
    parity = _ean.LEFT_PATTERN[int(code[0])]
    left = "".join(_ean.CODES[p][int(d)] for p, d in zip(parity, code[1:7], strict=True))
    right = "".join(_ean.CODES["C"][int(d)] for d in code[7:])
    pattern = _ean.EDGE + left + _ean.MIDDLE + right + _ean.EDGE
    guards = ((0, 3), (45, 50), (92, 95))
    return LinearSymbol(Symbology.EAN13, _runs(pattern), 11, 7, code, guards=guards, text=code)


def upca(code: str) -> LinearSymbol:
    """UPC-A: an EAN-13 with a leading zero; quiet zones 9 modules each side."""
    code = validate_gtin(code)
    if len(code) != 12:
        raise ValueError("UPC-A needs 12 digits")
    inner = ean13("0" + code)
    guards = ((0, 10), (45, 50), (85, 95))  # first and last digits' bars extend too
    return LinearSymbol(Symbology.UPCA, inner.runs, 9, 9, code, guards=guards, text=code)


def retail(code: str) -> LinearSymbol:
    """EAN-13 for 13 digits, UPC-A for 12."""
    return upca(code) if len(code.strip()) == 12 else ean13(code)


@lru_cache(maxsize=1024)
def qr(content: str, error: str = "M") -> MatrixSymbol:
    """A QR code for ``content``.

    zxing-cpp's writer chooses segments, version and mask per ISO/IEC 18004 in C++ in
    about 0.4 ms; segno's pure-Python mask selection took 5 ms of a 10 ms label budget.
    """
    symbol = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode, ec_level=error)
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[0]
    modules = bytes(memoryview(cast(Any, image))).translate(_DARK_IS_ONE)
    return MatrixSymbol(modules, size, content, 4, error.upper())


_DARK_IS_ONE = bytes([1] + [0] * 255)
