"""The VOLT network: entities joined by the reports and concerns that mention them together.

graph.py builds the network (pure functions, plus the few queries that feed them), measures.py
finds hubs, groups and hotspots, picture.py draws it as SVG on the server.
"""
