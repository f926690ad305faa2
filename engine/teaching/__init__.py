"""Teaching: cited teaching cases, a student's session, key-features scoring and the debrief.

Pure like the reasoning it calls; the dashboard keeps the session, the store the progress.
"""
