"""Health probe: ``python -m dashboard.health [--url http://127.0.0.1:8501]``.

Exit 0 only when the knowledge base loads whole and (with ``--url``) the server answers
``/_stcore/health``; otherwise exit 1 with the problems on stderr. ``make dashboard`` runs
it before ``streamlit run``, so a broken knowledge base stops the server from starting.

Why a probe of our own: Streamlit's ``/_stcore/health`` reports only that its runtime
accepts connections; no supported hook lets an app make it fail. A supervisor should
probe this command instead.
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from engine import ContentError, check_content

__all__ = ["main"]


def _server_ok(url: str) -> str | None:
    """None when ``/_stcore/health`` answers 200, else why not. Loopback only."""
    target = url.rstrip("/") + "/_stcore/health"
    host = urllib.request.urlparse(target).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        return f"refusing to probe a non-loopback host: {host}"
    try:
        with urllib.request.urlopen(target, timeout=5) as resp:  # noqa: S310 - loopback http only
            return None if resp.status == 200 else f"{target} answered {resp.status}"
    except OSError as exc:
        return f"{target} unreachable: {exc}"


def main(argv: Sequence[str] | None = None) -> int:
    from dashboard.session.state import content_dir

    p = argparse.ArgumentParser(prog="python -m dashboard.health", description=__doc__.splitlines()[0])
    p.add_argument("--content", default=None, help="knowledge base folder (default: $RADIX_CONTENT or content/)")
    p.add_argument("--url", default=None, help="also require the server's /_stcore/health at this loopback URL")
    args = p.parse_args(argv)
    try:
        kb = check_content(Path(args.content) if args.content else content_dir())
    except ContentError as err:
        sys.stderr.write(f"unhealthy: the knowledge base is broken\n{err}\n")
        return 1
    if args.url and (why := _server_ok(args.url)):
        sys.stderr.write(f"unhealthy: {why}\n")
        return 1
    sys.stdout.write(f"healthy: {len(kb.rules)} rules\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
