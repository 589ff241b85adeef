"""The network as CSV rows: one file of nodes, one of edges, safe to open in a spreadsheet."""

from __future__ import annotations

from csehub.csv_export import neutralise

from .graph import Network, container_label

NODE_HEADER = ["key", "reference", "type", "label", "steps_from_focus", "links"]
EDGE_HEADER = ["from", "to", "weight", "reports_and_concerns", "stated_link_kinds"]


def node_rows(network: Network) -> list[list[str]]:
    rows = [NODE_HEADER]
    for node in network.nodes:
        rows.append(
            [
                neutralise(value)
                for value in (
                    node.key,
                    node.reference,
                    node.kind,
                    node.label,
                    node.depth,
                    len(network.neighbours(node.key)),
                )
            ]
        )
    return rows


def edge_rows(network: Network) -> list[list[str]]:
    rows = [EDGE_HEADER]
    for edge in network.edges:
        a, b = network.by_key[edge.a], network.by_key[edge.b]
        rows.append(
            [
                neutralise(value)
                for value in (
                    a.reference,
                    b.reference,
                    edge.weight,
                    "; ".join(container_label(c) for c in edge.containers),
                    "; ".join(edge.kinds),
                )
            ]
        )
    return rows
