"""Client library and the dccsim command-line tool."""
