"""``python -m isspass``: the command line, for when the ``isspass`` script is not on the PATH.

The same as the installed command.
"""

from .cli import main

main()
