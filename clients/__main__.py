"""`python -m dccsim.clients` runs the dccsim command-line tool."""

from dccsim.clients.cli import main

main()
