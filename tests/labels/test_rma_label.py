"""The RMA label of each returned unit: where it goes next in large letters, how to put it
away, the order and the reason; its Code 128 reads back as the RMA id from the PNG
preview and from the ZPL as a printer draws it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.domain.labels import LabelKind
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.rma import UnitsGraded, rma_labels
from app.labels.layout import Text
from app.labels.profiles import BUILT_IN
from app.labels.render_png import render_png
from app.labels.render_zpl import render_zpl
from app.labels.templates import lay_out
from tests.labels.support import decode, zpl_pages

GRADED = {
    Disposition.SELLABLE: (Grade.A, "BACK TO SHELF", "then the shelf bin"),
    Disposition.OPEN_BOX: (Grade.B, "OPEN BOX", "then the open-box bin"),
    Disposition.DAMAGED: (Grade.C, "DAMAGED", "then the damaged bin"),
    Disposition.RTV: (Grade.DEFECTIVE, "RETURN TO VENDOR", "then the vendor-returns bin"),
    Disposition.SCRAP: (Grade.DEFECTIVE, "SCRAP", "then the scrap bin"),
}


@pytest.mark.parametrize("disposition", list(Disposition))
@pytest.mark.parametrize("profile_name", ["zebra-4x2-203", "zebra-4x2-300"])
def test_each_units_label_says_where_it_goes_and_decodes_to_its_rma_id(
    disposition: Disposition, profile_name: str
) -> None:
    grade, heading, hint = GRADED[disposition]
    units = [UnitsGraded("Bluetooth speaker, 10 W", "SKU-1003", grade, disposition,
                         "Changed mind", 2)]  # fmt: skip
    labels = rma_labels("C0001/2627/00001", "WEB-100234", units)
    assert [label.rma_id for label in labels] == ["C0001/2627/00001-1", "C0001/2627/00001-2"]
    profile = BUILT_IN[profile_name]
    laid = lay_out(LabelKind.RETURN, labels[1], profile)
    zpl = render_zpl(laid)
    letter = grade.value[0].upper()
    for said in (heading, hint, "Order WEB-100234", "Reason: Changed mind", f"Grade {letter}"):
        assert said.encode() in zpl, said
    wanted = [("Code128", "C0001/2627/00001-2", "]C0")]
    (png,) = render_png(laid)
    assert decode(Image.open(io.BytesIO(png))) == wanted
    (printed,) = zpl_pages(zpl, profile)
    assert decode(printed) == wanted


def test_a_long_name_and_reason_are_cut_short_never_refused() -> None:
    name = "Basmati rice, extra long grain, aged two years, premium export quality, 5 kg pack"
    reason = "Arrived with the lid cracked and the seal broken, it leaks"
    units = [UnitsGraded(name * 2, "SKU-1002", Grade.C, Disposition.DAMAGED, reason, 1)]
    (label,) = rma_labels("R-BLR1-2627-000077", "WEB-100234", units)
    profile = BUILT_IN["zebra-4x2-203"]
    laid = lay_out(LabelKind.RETURN, label, profile)
    said = [" ".join(item.lines) for item in laid.pages[0].items if isinstance(item, Text)]
    (item,) = [line for line in said if line.startswith("SKU-1002 · Basmati rice, extra long")]
    assert item.endswith("…") and name not in item
    assert "Order WEB-100234 · Reason: " + reason in said
    zpl = render_zpl(laid)
    wanted = [("Code128", "R-BLR1-2627-000077-1", "]C0")]
    assert decode(zpl_pages(zpl, profile)[0]) == wanted
