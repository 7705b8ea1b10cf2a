"""The command line: thin over the services, ``--json`` for machines."""
