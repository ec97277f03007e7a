"""The pictures in docs/ that the README links are the samples as the bench draws them
now, pixel for pixel, and what a scanner reads off each is what its document encodes.
When a template or a sample changes, redraw them: ``counterbench label docs``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from app.cli import main
from app.labels.docs_pictures import docs_documents, picture
from tests.labels.support import decode, expected

DOCS = Path(__file__).resolve().parents[2] / "docs"
README = (DOCS.parent / "README.md").read_text(encoding="utf-8")
DOCUMENTS = docs_documents()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_each_docs_picture_is_the_sample_drawn_now_and_decodes(name: str) -> None:
    label = DOCUMENTS[name]
    drawn = Image.open(io.BytesIO(picture(label)))
    committed = Image.open(DOCS / name)
    assert committed.size == drawn.size
    stale = ImageChops.difference(committed.convert("L"), drawn.convert("L")).getbbox()
    assert stale is None, f"docs/{name} differs at {stale}: run counterbench label docs"
    assert decode(committed) == decode(drawn) == expected(label.pages[0])
    assert f"(docs/{name})" in README


def test_the_docs_command_draws_every_picture(tmp_path: Path) -> None:
    assert main(["label", "docs", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DOCUMENTS)
