"""The synthetic demo region: real municipality codes, synthetic everything else."""
