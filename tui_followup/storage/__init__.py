"""The imperative shell's storage: the log file, the journal over it, the snapshot cache, the
cold start and maintenance (check, repair, forget)."""
