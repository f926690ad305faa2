"""Per-session and per-process state: the case, the knowledge base gate, caches, drafts
and the case store row, and the teaching session."""
