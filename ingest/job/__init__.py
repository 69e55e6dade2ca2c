"""The batch job: discovery, the lock, options and the run that loads a warehouse."""
