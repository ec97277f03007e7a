"""Import a checked master-data file in one transaction, or nothing at all.

Rows the domain refused (:func:`app.domain.master_rows.read_rows`) and rows the ledger
refuses (a GTIN another item has, an unknown store …) are reported together by line.
With any problem nothing is written, unless the caller asks to skip bad rows.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Engine

from app.domain.master_fields import check_code
from app.domain.master_rows import MasterKind, ParsedFile, RowProblem
from app.errors import BadInput
from app.ledger.writes import WriteBatch

Rows = Sequence[tuple[int, Any]]  # (line, record)


@dataclass
class Counts:
    """What an import did to the ledger's rows."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


class KindWriter(Protocol):
    """Checks rows against the ledger and writes the good ones, for one kind."""

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]: ...

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts: ...


@dataclass(frozen=True)
class ImportReport:
    kind: MasterKind
    rows: int  # data rows in the file
    added: int
    changed: int
    unchanged: int
    skipped: int  # bad rows left out (only with skip_bad_rows)
    problems: tuple[RowProblem, ...]
    seconds: float
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        skipped = f", {self.skipped} bad row(s) skipped" if self.skipped else ""
        return (
            f"Imported {self.kind}: {self.added} added, {self.changed} changed, "
            f"{self.unchanged} unchanged{skipped} ({self.rows} rows, {self.seconds:.1f} s)."
        )


class ImportRefused(BadInput):
    """Bad rows and no leave to skip them: nothing was imported."""

    def __init__(self, kind: MasterKind, problems: Sequence[RowProblem]) -> None:
        lines = len({p.line for p in problems})
        super().__init__(
            f"Nothing imported: {lines} bad row(s) in the {kind} file.",
            next_step="Fix each line listed and import again, or import the good rows "
            "with --skip-bad-rows.",
        )
        self.kind = kind
        self.problems = tuple(problems)


def run_import(
    engine: Engine,
    parsed: ParsedFile,
    writer: KindWriter,
    *,
    skip_bad_rows: bool = False,
    actor: str = "admin",
) -> ImportReport:
    """Check every row, then write the good ones in one transaction (see module doc)."""
    started = time.perf_counter()
    actor = check_code(actor, "name for the audit log", 40)
    with engine.begin() as conn:
        problems = sorted([*parsed.problems, *writer.check(conn, parsed.rows)], key=_line)
        if problems and not skip_bad_rows:
            raise ImportRefused(parsed.kind, problems)
        bad = {p.line for p in problems}
        good = [(line, rec) for line, rec in parsed.rows if line not in bad]
        batch = WriteBatch(conn)
        counts = writer.write(conn, batch, good, actor)
        batch.audit(
            actor=actor,
            approver=None,
            action=f"import.{parsed.kind}",
            subject={
                "added": counts.added,
                "changed": counts.changed,
                "unchanged": counts.unchanged,
                "skipped_lines": sorted(bad),
            },
        )
        batch.flush()
    rows = len(parsed.rows) + len({p.line for p in parsed.problems})
    return ImportReport(
        kind=parsed.kind,
        rows=rows,
        added=counts.added,
        changed=counts.changed,
        unchanged=counts.unchanged,
        skipped=len(bad),
        problems=tuple(problems),
        seconds=time.perf_counter() - started,
        notes=tuple(counts.notes),
    )


def _line(problem: RowProblem) -> int:
    return problem.line


def one_record(kind: MasterKind, record: Any) -> ParsedFile:
    """A single record (from the admin API) as a one-row file."""
    return ParsedFile(kind, ((1, record),), ())


def first_problem(exc: ImportRefused) -> BadInput:
    """A one-record refusal as the plain error of that record (no line number)."""
    problem = exc.problems[0]
    return BadInput(problem.message, next_step=problem.next_step)
