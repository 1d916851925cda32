"""`python -m newswire` runs the command-line interface."""

from newswire.cli import main

main()
