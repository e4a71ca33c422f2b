"""The DuckDB store of ผังชุมชน: connection, schema migrations, importers and the CLI."""
