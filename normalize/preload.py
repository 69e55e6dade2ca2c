"""Imported by the workers' fork server (``ingest.workers.forkserver.PRELOAD_MODULES``):
the repair dictionary is loaded once there, before any worker is forked, so every worker
shares it instead of loading it (0.05 s and ~10 MB each) at its first damaged line.
Workers retire every few hundred files: a 10,000-file run starts ~25 of them."""

from normalize.repair_dict import preload_dictionary

preload_dictionary()
