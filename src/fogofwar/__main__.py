"""``python -m fogofwar``: the command line."""

from fogofwar.cli import main

main()
