"""``counterbench ledger serve --workers N``: N server processes sharing one port.

uvicorn's supervisor binds the port once and starts N worker processes on it; each
builds the app with :func:`worker_app` from the ``serve`` options, passed down in the
environment. The parent migrates the database first, so workers only connect. Workers
share nothing but the database: the pickup clock and the message sender may run in each,
as they may in several ``serve`` processes (a message is claimed before it is sent).
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

OPTIONS_ENV = "COUNTERBENCH_SERVE_OPTIONS"


def serve_workers(args: argparse.Namespace, tokens: tuple[str, str], url: str) -> int:
    """Run ``args.workers`` processes of the ledger API on ``args.host``:``args.port``;
    ``tokens``: the admin and the order-intake token."""
    import uvicorn

    options = {k: v for k, v in vars(args).items() if not callable(v)}
    options.update(admin_token=tokens[0], intake_token=tokens[1], db=url)
    options.update(enrol_limit=str(args.enrol_limit), bad_token_limit=str(args.bad_token_limit))
    os.environ[OPTIONS_ENV] = json.dumps(options)
    uvicorn.run(
        "app.commands.ledger_workers:worker_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
    )
    return 0


def worker_app() -> Any:
    """The ledger API of one worker process (uvicorn calls this in each)."""
    from app import log
    from app.commands import ledger_messages
    from app.ledger.api.app import create_app
    from app.ledger.api.limits import Limits, Rate
    from app.ledger.db import make_engine

    args = argparse.Namespace(**json.loads(os.environ[OPTIONS_ENV]))
    log.configure(log_dir=None)
    return create_app(
        make_engine(args.db, pool_size=args.pool_size),
        args.admin_token,
        intake_token=args.intake_token,
        expire_every_s=args.expire_every,
        sender=ledger_messages.sender_from_args(args),
        limits=Limits(Rate.parse(args.enrol_limit), Rate.parse(args.bad_token_limit)),
    )
