"""Devanagari names are shaped (conjuncts, reordered vowel signs), not drawn letter by letter."""

from __future__ import annotations

from PIL import Image, ImageDraw, features

from app.labels import fonts


def test_a_conjunct_becomes_one_glyph() -> None:
    # क + ् + ष is the conjunct क्ष: three code points, one glyph in a shaped run.
    assert len(fonts.shaped("क्ष", 1000).__shapeData__) == 1


def test_the_i_vowel_sign_is_drawn_before_its_consonant() -> None:
    ka = fonts.shaped("क", 1000).__shapeData__[0]
    ki = fonts.shaped("कि", 1000).__shapeData__
    assert len(ki) == 2
    # Written after the consonant, the sign ि stands before it on paper.
    assert ki[1].x_advance == ka.x_advance
    assert ki[0].x_advance != ka.x_advance


def test_mixed_names_split_into_runs_by_script() -> None:
    assert fonts.runs("प्रिया शर्मा (Priya)") == (
        (fonts.DEVANAGARI, "प्रिया शर्मा "),
        (fonts.LATIN, "(Priya)"),
    )


def test_the_png_preview_shapes_too() -> None:
    assert features.check("raqm"), "Pillow without raqm would draw Devanagari unshaped"
    face = fonts.pil_font(fonts.DEVANAGARI, 64)
    shaped_width = face.getlength("क्ष")
    separate_width = sum(face.getlength(c) for c in "क्ष")
    assert shaped_width < separate_width
    canvas = Image.new("L", (200, 100), 255)
    ImageDraw.Draw(canvas).text((10, 10), "क्ष", font=face, fill=0)
    darkest, _ = canvas.getextrema()
    assert isinstance(darkest, int)
    assert darkest < 128  # ink was drawn
