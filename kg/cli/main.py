"""Entry point; verbs are added in kg/cli/."""

import sys


def main(argv: list[str] | None = None) -> int:
    print("kg: not yet", file=sys.stderr)
    return 1
