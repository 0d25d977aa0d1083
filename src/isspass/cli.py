"""Command line interface (placeholder until the CLI issue)."""


def main() -> None:
    pass
