"""``render_*`` functions: each draws one part of an engine ``Result`` and decides nothing."""
