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

    from app.commands.ledger import server_options

    options = {k: v for k, v in vars(args).items() if not callable(v)}
    options.update(admin_token=tokens[0], intake_token=tokens[1], db=url)
    options.update(enrol_limit=str(args.enrol_limit), bad_token_limit=str(args.bad_token_limit))
    os.environ[OPTIONS_ENV] = json.dumps(options)
    uvicorn.run(
        "app.commands.ledger_workers:worker_app",
        factory=True,
        workers=args.workers,
        **server_options(args),
    )
    return 0


def worker_app() -> Any:
    """The ledger API of one worker process (uvicorn calls this in each)."""
    from app import log
    from app.commands.ledger import ledger_api
    from app.ledger.api.limits import Rate
    from app.ledger.db import make_engine

    args = argparse.Namespace(**json.loads(os.environ[OPTIONS_ENV]))
    args.enrol_limit = Rate.parse(args.enrol_limit)
    args.bad_token_limit = Rate.parse(args.bad_token_limit)
    log.configure(log_dir=None)
    engine = make_engine(args.db, pool_size=args.pool_size)
    return ledger_api(engine, args, (args.admin_token, args.intake_token))
