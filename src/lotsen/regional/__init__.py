"""Register statistics for the region: employment by occupation and county, age
profiles, commuting and education supply (SCB, MYH), shipped in ``data/``."""
