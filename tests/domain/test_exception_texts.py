"""Every exception kind has a title, what happened and what to do, naming its order or
item; a refused step's cause follows the state its order has now."""

from __future__ import annotations

import re

import pytest

from app.domain import exception_texts as texts
from app.domain.exception_texts import Subject, exception_text, refusal_cause, steps_in_words

ORDER = Subject(order="WEB-240001", item="Basmati rice 5 kg (SKU-1)", steps="acceptance")
KINDS = sorted(texts.TEXTS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_as_shop_words(kind: str) -> None:
    text = exception_text(kind, ORDER)
    assert text.title and len(text.title) <= 34  # fits the list's title column
    assert text.what and text.next_step
    for words in (text.title, text.what, text.next_step):
        assert "{" not in words and "_" not in words and "fulfilment" not in words
        assert not re.search(r"\bid\b|pickup\.\w+|stock\.count", words)
    assert "try again" not in text.next_step.lower()  # each says what, not "try again"


@pytest.mark.parametrize(
    "kind",
    [
        texts.COLLECTED_AFTER_CANCEL, texts.SHORT_PICK, texts.PICKED_BEYOND_ORDER,
        texts.RECEIVED_BEFORE_SHIPPED, texts.ORDER_CANCELLED, texts.ORDER_MOVED,
        texts.ORDER_CLOSED, texts.STEP_REFUSED, texts.NOT_RECORDED,
        texts.PICKED_AFTER_CLOSE, texts.PICKED_BEYOND, texts.PACKED_BEYOND,
        texts.PACKED_AFTER_CLOSE, texts.SSCC_REUSED, texts.WEIGHT_UNCHECKED,
    ],
)  # fmt: skip
def test_order_kinds_name_the_order(kind: str) -> None:
    text = exception_text(kind, ORDER)
    assert "order WEB-240001" in text.what or "Order WEB-240001" in text.what


@pytest.mark.parametrize("kind", [texts.OVERSELL, texts.COUNT_REFUSED])
def test_item_kinds_name_the_item(kind: str) -> None:
    text = exception_text(kind, ORDER)
    assert "Basmati rice 5 kg (SKU-1)" in text.what
    assert "Basmati rice 5 kg (SKU-1)" in text.next_step


def test_ship_units_to_put_back_are_named_with_the_unpick_task() -> None:
    subject = Subject(order="WEB-240001", units="2 × Basmati rice 5 kg (SKU-1)")
    for kind in (texts.PICKED_AFTER_CLOSE, texts.PICKED_BEYOND):
        text = exception_text(kind, subject)
        assert "unpick task" in text.next_step
    after = exception_text(texts.PICKED_AFTER_CLOSE, subject)
    assert "Put 2 × Basmati rice 5 kg (SKU-1) back on the shelf" in after.next_step
    assert texts.STEP_WORDS["ship.pick"] == "pick"  # a refused one reads as a pick too


def test_a_cancelled_order_says_to_put_back_what_was_picked() -> None:
    steps = steps_in_words(["pickup.accept", "pickup.stage", "pickup.accept"])
    assert steps == "acceptance and staging on the hold shelf"
    text = exception_text(texts.ORDER_CANCELLED, Subject(order="WEB-9190", steps=steps))
    assert text.title == "Cancelled while you worked on it"
    assert text.what == (
        "Order WEB-9190 was cancelled at the ledger (by the customer or customer service) "
        "before this station's acceptance and staging on the hold shelf reached it, so they "
        "were not recorded."
    )
    assert text.next_step.startswith("Put back on the shelf anything picked for order WEB-9190")
    one = exception_text(texts.ORDER_CANCELLED, Subject(order="WEB-9190", steps="acceptance"))
    assert "so it was not recorded" in one.what


def test_the_rules_own_next_step_stands_and_unknown_kinds_still_read() -> None:
    refused = exception_text(
        texts.STEP_REFUSED,
        Subject(order="WEB-1", steps="staging on the hold shelf", detail="Bin Z-9 is not a bin."),
        next_step="Scan a hold-shelf bin.",
    )
    assert refused.what == (
        "The ledger refused this station's staging on the hold shelf of order WEB-1. "
        "Bin Z-9 is not a bin."
    )
    assert refused.next_step == "Scan a hold-shelf bin."
    later = exception_text("kind_of_a_newer_ledger", Subject(detail="Something new."))
    assert (later.title, later.what) == ("Needs a look", "Something new.")
    assert exception_text(texts.UNKNOWN, Subject()).what == "The ledger gave no reason."


def test_units_picked_beyond_the_order_are_named_in_what_to_do() -> None:
    text = exception_text(
        texts.PICKED_BEYOND_ORDER, Subject(order="WEB-7", units="1 × Tea (SKU-9)")
    )
    assert text.next_step == "Put 1 × Tea (SKU-9) back on the shelf, then close this."


@pytest.mark.parametrize(
    ("op_type", "state", "cause"),
    [
        ("pickup.accept", "cancelled", texts.ORDER_CANCELLED),
        ("pickup.stage", "rerouted", texts.ORDER_MOVED),
        ("pickup.ready", "collected", texts.ORDER_CLOSED),
        ("pickup.stage", "picked", texts.STEP_REFUSED),
        ("pickup.pick", None, texts.STEP_REFUSED),
        ("stock.count", None, texts.COUNT_REFUSED),
        ("exception.resolve", None, texts.CLOSE_REFUSED),
        ("returns.intake", None, texts.UNKNOWN),
        ("ship.reject", "cancelled", texts.ORDER_CANCELLED),
        ("ship.label_void", "rerouted", texts.ORDER_MOVED),
        ("ship.reject", "packed", texts.STEP_REFUSED),
    ],
)
def test_refusal_cause(op_type: str, state: str | None, cause: str) -> None:
    assert refusal_cause(op_type, state) == cause


@pytest.mark.parametrize(
    "steps",
    [
        "pick",
        "acceptance and staging on the hold shelf",
        "ready message, receipt of a transfer and handover",
    ],
)
def test_a_closed_order_whose_units_moved_says_to_put_them_back(steps: str) -> None:
    text = exception_text(texts.ORDER_CLOSED, Subject(order="WEB-7", steps=steps, bin="H-03"))
    assert text.title == "Order already closed"
    assert "nothing needs doing" not in text.next_step
    assert text.next_step.startswith(
        "Put back on the shelf anything picked for order WEB-7 from bin H-03"
    )
    no_bin = exception_text(texts.ORDER_CLOSED, Subject(order="WEB-7", steps=steps))
    assert no_bin.next_step.startswith("Put back on the shelf anything picked for order WEB-7 (")


def test_a_closed_order_with_nothing_moved_needs_nothing_done_again() -> None:
    text = exception_text(
        texts.ORDER_CLOSED, Subject(order="WEB-7", steps="ready message and handover", bin="H-03")
    )
    assert text.next_step.startswith("Open order WEB-7 to see where it stands; nothing needs doing")


def test_a_cancelled_order_names_the_bin_when_known() -> None:
    text = exception_text(texts.ORDER_CANCELLED, Subject(order="WEB-7", steps="pick", bin="H-03"))
    assert text.next_step.startswith(
        "Put back on the shelf anything picked for order WEB-7 from bin H-03 ("
    )
