"""What changed: two versions or files compared with their commitments (:mod:`.compare`), and every change
stored in a period, ranked, for the morning read (:mod:`.digest`)."""
