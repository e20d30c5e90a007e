"""Fair definitions (``events/*.toml``): the schema, the loader and the exporter."""
