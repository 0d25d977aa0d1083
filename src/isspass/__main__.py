"""``python -m isspass``: the command line."""

from .cli import main

main()
