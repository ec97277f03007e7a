"""The ledger's own tokens for ``counterbench ledger serve``: admin and order intake.

A token never goes on the command line (every user of the machine sees it in ``ps``). Each
comes from a file named by an option, else from the environment, else from a file the
ledger keeps in its data directory (made with a random token on first use, mode 0600):

* admin: ``--admin-token-file``, ``COUNTERBENCH_ADMIN_TOKEN``, ``ledger-admin-token``;
* order intake: ``--intake-token-file``, ``COUNTERBENCH_INTAKE_TOKEN``,
  ``ledger-intake-token``. The web shop or marketplace connector gets this one: it may
  place and read orders, nothing else.
"""

from __future__ import annotations

import argparse
import os
import secrets
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from app import config
from app.errors import KnownError

ADMIN_TOKEN_FILE = "ledger-admin-token"
INTAKE_TOKEN_FILE = "ledger-intake-token"
MIN_LENGTH = 16


@dataclass(frozen=True)
class TokenSource:
    what: str  # for messages: "admin", "order-intake"
    option: str
    env: str
    kept_file: str


ADMIN = TokenSource("admin", "admin_token_file", "COUNTERBENCH_ADMIN_TOKEN", ADMIN_TOKEN_FILE)
INTAKE = TokenSource(
    "order-intake", "intake_token_file", "COUNTERBENCH_INTAKE_TOKEN", INTAKE_TOKEN_FILE
)


class _RefuseTokenOnCommandLine(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, *_: object, **__: object) -> None:
        parser.error(
            "the admin token does not go on the command line: every user of this machine "
            "sees it in 'ps'. Put it in a file readable only by you and pass "
            "--admin-token-file FILE, or set COUNTERBENCH_ADMIN_TOKEN."
        )


def add_token_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--admin-token-file",
        metavar="FILE",
        default=None,
        help="file holding the admin token (else $COUNTERBENCH_ADMIN_TOKEN, else "
        f"{ADMIN_TOKEN_FILE} in the data dir)",
    )
    serve.add_argument(
        "--intake-token-file",
        metavar="FILE",
        default=None,
        help="file holding the order-intake token, which may only place and read orders "
        f"(else $COUNTERBENCH_INTAKE_TOKEN, else {INTAKE_TOKEN_FILE} in the data dir)",
    )
    serve.add_argument(
        "--admin-token", action=_RefuseTokenOnCommandLine, nargs="?", help=argparse.SUPPRESS
    )


def token_of(source: TokenSource, args: argparse.Namespace) -> str:
    """The token from the option's file, the environment, or the kept file (made on first
    use); says on stderr where a kept token is."""
    named = getattr(args, source.option, None)
    if named:
        return _read(Path(named), source)
    if os.environ.get(source.env, "").strip():
        return _checked(os.environ[source.env].strip(), source, source.env)
    path = config.data_dir() / source.kept_file
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32) + "\n")
    print(f"The {source.what} token is kept in {path}", file=sys.stderr)
    return _read(path, source)


def _read(path: Path, source: TokenSource) -> str:
    try:
        token = path.read_text().strip()
        mode = path.stat().st_mode
    except OSError as exc:
        raise KnownError(
            f"The {source.what} token file {path} cannot be read ({exc.strerror}).",
            next_step="Check the path and that this user may read it.",
        ) from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(
            f"Warning: other users may read the {source.what} token file {path}; "
            f"run: chmod 600 {path}",
            file=sys.stderr,
        )
    return _checked(token, source, str(path))


def _checked(token: str, source: TokenSource, where: str) -> str:
    if len(token) < MIN_LENGTH or any(c.isspace() for c in token):
        raise KnownError(
            f"The {source.what} token in {where} is too short or holds spaces.",
            next_step=f"Use {MIN_LENGTH} or more characters without spaces, e.g. the "
            "output of: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'",
        )
    return token
