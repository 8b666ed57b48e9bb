"""One module per `sitegen` command; see sitegen.cli."""
