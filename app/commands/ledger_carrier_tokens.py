"""Each carrier's token for the ledger's tracking webhook, kept like the ledger's other
tokens (:mod:`app.commands.ledger_tokens`): never on the command line; from a file named
by ``--carrier-tokens-file``, else ``COUNTERBENCH_CARRIER_TOKENS``, else the file
``ledger-carrier-tokens`` in the data directory.

A file holds one ``CODE TOKEN`` a line (``#`` starts a comment); the environment holds
``CODE=TOKEN,CODE=TOKEN``. The kept file is made on first use (mode 0600) and every
partner carrier of the master data without a token there gets a random one, so a carrier
is given its webhook URL and token from that file.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Iterable
from pathlib import Path

from app import config
from app.commands.ledger_tokens import MIN_LENGTH
from app.errors import KnownError

CARRIER_TOKENS_FILE = "ledger-carrier-tokens"
CARRIER_TOKENS_ENV = "COUNTERBENCH_CARRIER_TOKENS"


def add_carrier_token_option(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--carrier-tokens-file",
        metavar="FILE",
        default=None,
        help="file of each carrier's tracking webhook token, 'CODE TOKEN' a line (else "
        f"${CARRIER_TOKENS_ENV}, else {CARRIER_TOKENS_FILE} in the data dir)",
    )


def carrier_tokens(args: argparse.Namespace, partners: Iterable[str]) -> dict[str, str]:
    """Carrier code -> token (see the module); ``partners``: the carriers a kept file
    gives a token to when it has none."""
    named = getattr(args, "carrier_tokens_file", None)
    if named:
        return _read(Path(named))
    if os.environ.get(CARRIER_TOKENS_ENV, "").strip():
        pairs = (p.partition("=") for p in os.environ[CARRIER_TOKENS_ENV].split(","))
        return _checked(
            {code.strip(): token.strip() for code, _, token in pairs}, CARRIER_TOKENS_ENV
        )
    path = config.data_dir() / CARRIER_TOKENS_FILE
    if not path.exists():
        path.touch(mode=0o600)
    tokens = _read(path)
    missing = [code for code in partners if code not in tokens]
    if missing:
        with path.open("a") as kept:
            for code in missing:
                tokens[code] = secrets.token_urlsafe(32)
                kept.write(f"{code} {tokens[code]}\n")
    if tokens:
        print(f"The carriers' tracking tokens are kept in {path}", file=sys.stderr)
    return tokens


def _read(path: Path) -> dict[str, str]:
    try:
        text = path.read_text()
    except OSError as exc:
        raise KnownError(
            f"The carrier tokens file {path} cannot be read ({exc.strerror}).",
            next_step="Check the path and that this user may read it.",
        ) from exc
    tokens: dict[str, str] = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            if len(words) != 2:
                raise KnownError(
                    f"A line of {path} is not 'CODE TOKEN': {words[0]} …",
                    next_step="Write one carrier code and its token a line.",
                )
            tokens[words[0]] = words[1]
    return _checked(tokens, str(path))


def _checked(tokens: dict[str, str], where: str) -> dict[str, str]:
    for code, token in tokens.items():
        if not code or len(token) < MIN_LENGTH or any(c.isspace() for c in token):
            raise KnownError(
                f"The tracking token of carrier {code or '?'} in {where} is too short.",
                next_step=f"Use {MIN_LENGTH} or more characters without spaces.",
            )
    return tokens
