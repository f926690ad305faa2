"""Reasoning: the pure core. A case and a compiled knowledge base in, a ``Result`` out.

``case`` parses findings (three-valued), ``instruments`` scores STarT Back and Konno,
``chaining`` runs the network, ``scoring`` weighs the causes, ``infer`` assembles the result
(``result``), and ``explain``, ``ask`` and ``summary`` answer questions about it. No file,
clock, network or global state.
"""
