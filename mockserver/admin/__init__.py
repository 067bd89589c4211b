"""The /_sandbox/ admin API: the same for the CLI, the pytest plugin and a person with curl."""
