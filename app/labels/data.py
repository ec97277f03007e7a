"""Label data from JSON-like mappings, with errors that name the missing or wrong field."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from app.domain.labels import (
    Address,
    BinLabel,
    LabelData,
    LabelKind,
    PackingSlip,
    Payment,
    PickupTag,
    ReturnLabel,
    ShelfLabel,
    ShippingLabel,
    SlipLine,
)
from app.domain.money import Money
from app.domain.returns.grades import Disposition
from app.errors import BadInput


class _Fields:
    """Reads typed fields from a mapping; ``where`` names it in error messages."""

    def __init__(self, raw: Any, where: str) -> None:
        if not isinstance(raw, Mapping):
            raise BadInput(f"The {where} must be an object with fields.")
        self.raw = raw
        self.where = where

    def _get(self, key: str, default: Any) -> Any:
        if key in self.raw and self.raw[key] is not None:
            return self.raw[key]
        if default is _MISSING:
            raise BadInput(
                f"The {self.where} has no '{key}'.", next_step=f"Add '{key}' and try again."
            )
        return default

    def text(self, key: str, default: Any = None) -> str:
        value = self._get(key, _MISSING if default is None else default)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise BadInput(f"'{key}' in the {self.where} must be text.")
        return value

    def number(self, key: str) -> int:
        value = self._get(key, _MISSING)
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadInput(f"'{key}' in the {self.where} must be a whole number, not {value!r}.")
        return value

    def day(self, key: str) -> date:
        value = self.text(key)
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise BadInput(f"'{key}' in the {self.where} is not a date (YYYY-MM-DD).") from None

    def sub(self, key: str) -> _Fields:
        return _Fields(self._get(key, _MISSING), f"{self.where} '{key}'")

    def items(self, key: str) -> list[_Fields]:
        value = self._get(key, _MISSING)
        if not isinstance(value, list):
            raise BadInput(f"'{key}' in the {self.where} must be a list.")
        return [_Fields(v, f"{self.where} '{key}' #{i + 1}") for i, v in enumerate(value)]


_MISSING = object()


def _address(f: _Fields) -> Address:
    lines = f._get("lines", _MISSING)
    if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
        raise BadInput(f"'lines' in the {f.where} must be a list of text lines.")
    return Address(
        f.text("name"),
        tuple(lines),
        f.text("city"),
        f.text("postcode"),
        f.text("state", ""),
        f.text("phone", ""),
    )


def _shipping(f: _Fields) -> ShippingLabel:
    return ShippingLabel(
        _address(f.sub("ship_from")),
        _address(f.sub("ship_to")),
        f.text("carrier"),
        f.text("service"),
        f.number("weight_grams"),
        f.text("order_number"),
        f.number("parcel_number"),
        f.number("parcel_count"),
        f.text("sscc"),
        f.text("tracking_number"),
        _payment(f),
        f.day("ship_date"),
        f.text("tracking_url", ""),
        routing_code=f.text("routing_code", ""),
        sort_code=f.text("sort_code", ""),
    )


def _payment(f: _Fields) -> Payment:
    """'payment' is "prepaid", or "cod" with 'cod_amount_minor' (paise) to collect."""
    mode = f.text("payment")
    if mode == "prepaid":
        return Payment()
    if mode == "cod":
        return Payment(Money(f.number("cod_amount_minor")))
    raise BadInput(
        f"Payment '{mode}' in the {f.where} is neither prepaid nor cod.",
        next_step='Give "prepaid", or "cod" with cod_amount_minor (paise to collect).',
    )


def _packing_slip(f: _Fields) -> PackingSlip:
    lines = tuple(
        SlipLine(x.number("quantity"), x.text("sku"), x.text("gtin"), x.text("name"))
        for x in f.items("lines")
    )
    return PackingSlip(
        f.text("order_number"),
        f.day("order_date"),
        f.text("store_name"),
        _address(f.sub("ship_to")),
        lines,
        f.text("return_url"),
        f.text("return_instructions"),
    )


def _disposition(f: _Fields) -> Disposition:
    value = f.text("disposition")
    try:
        return Disposition(value)
    except ValueError:
        known = ", ".join(d.value for d in Disposition)
        raise BadInput(f"Disposition '{value}' is not one of {known}.") from None


def _shelf(f: _Fields) -> ShelfLabel:
    return ShelfLabel(
        f.text("item_name"),
        Money(f.number("price_minor"), f.text("currency", "INR")),
        f.text("gtin"),
        f.text("sku", ""),
    )


def label_data(kind: LabelKind, raw: Any) -> LabelData:
    """Build and validate the data of a ``kind`` label from a parsed JSON object."""
    f = _Fields(raw, f"{kind} label data")
    if kind is LabelKind.SHIPPING:
        return _shipping(f)
    if kind is LabelKind.PACKING_SLIP:
        return _packing_slip(f)
    if kind is LabelKind.PICKUP_TAG:
        return PickupTag(
            f.text("order_number"),
            f.text("customer_name"),
            f.text("bin_code"),
            f.day("pickup_by"),
        )
    if kind is LabelKind.RETURN:
        return ReturnLabel(
            f.text("rma_id"),
            f.text("grade"),
            _disposition(f),
            f.text("item_name", ""),
            f.text("sku", ""),
            f.text("order_number", ""),
            f.text("reason", ""),
        )
    if kind is LabelKind.SHELF:
        return _shelf(f)
    return BinLabel(f.text("bin_code"), f.text("caption", ""))


def load_label_data(kind: LabelKind, path: Path) -> LabelData:
    """Read ``path`` (JSON) as the data of a ``kind`` label."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"Cannot read {path}: {exc.strerror}.") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}.") from None
    return label_data(kind, raw)
