"""The wire shapes of number blocks for tax invoices and credit notes
(``POST /v1/invoice-blocks``).

A request names its ``series``; a station from before credit notes names none and means
tax invoices, so it goes on getting invoice blocks. Each block answered says its series.

A station asks when it holds fewer than ``TOP_UP_BELOW`` numbers of the year, naming the
highest serial it holds (``known_last``); the ledger answers every block of the station's
series after it, handing out a new one only when there is none. An answer lost on the
way is therefore answered again the next time: no serial is ever skipped.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.tax.invoice_numbers import Series

INVOICE_BLOCKS_PATH = "/invoice-blocks"


class InvoiceBlocksRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    financial_year: int = Field(ge=2000, le=2999)  # the year April starts in
    known_last: int = Field(ge=0, le=99_999)  # the highest serial the station holds
    series: Series = Series.INVOICE


class InvoiceBlockRow(BaseModel):
    financial_year: int
    prefix: str
    first: int
    last: int
    series: Series = Series.INVOICE  # a ledger from before credit notes says none


class InvoiceBlocksAnswer(BaseModel):
    blocks: list[InvoiceBlockRow]
