"""The coordination network as GEXF 1.3 or GraphML for Gephi, read from the analysis tables
(so it shows exactly what the report shows, pseudonymised the same way)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ...errors import PantauError
from .signals import SIGNALS

NODE_ATTRS = (("community_id", "integer"), ("platform", "string"), ("actions", "integer"),
              ("comments", "integer"), ("partners", "integer"), ("strength", "double"),
              ("handle_name_digits", "boolean"), ("followers", "long"))
EDGE_ATTRS = tuple((name, "integer") for name in SIGNALS)


def network_rows(con) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    try:
        nodes = con.execute("SELECT * FROM analysis_coordination_accounts").dicts()
        edges = con.execute("SELECT * FROM analysis_coordination_edges").dicts()
    except Exception:  # noqa: BLE001 - the tables are missing
        raise PantauError("no coordination results in this project yet",
                          "run `pantau coordination` (or `pantau analyze`) first") from None
    return nodes, edges


def _node_id(platform: str, account: str) -> str:
    return f"{platform}:{account}"


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    return str(value)


def write_gexf(con, path: Path) -> int:
    nodes, edges = network_rows(con)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
           '  <meta><creator>pantau</creator><description>Patterns consistent with '
           'coordination, for human review (not verdicts)</description></meta>',
           '  <graph defaultedgetype="undirected" mode="static">',
           '    <attributes class="node">']
    out += [f'      <attribute id="{k}" title="{k}" type="{t}"/>' for k, t in NODE_ATTRS]
    out += ['    </attributes>', '    <attributes class="edge">']
    out += [f'      <attribute id="{k}" title="{k}" type="{t}"/>' for k, t in EDGE_ATTRS]
    out += ['    </attributes>', '    <nodes>']
    for n in nodes:
        node = _node_id(n["platform"], n["account"])
        values = "".join(f'<attvalue for="{k}" value={quoteattr(_text(n[k], t))}/>'
                         for k, t in NODE_ATTRS if n.get(k) is not None)
        out.append(f'      <node id={quoteattr(node)} label={quoteattr(n["account"])}>'
                   f'<attvalues>{values}</attvalues></node>')
    out += ['    </nodes>', '    <edges>']
    for i, e in enumerate(edges):
        values = "".join(f'<attvalue for="{k}" value="{int(e[k] or 0)}"/>' for k, _ in EDGE_ATTRS)
        source = quoteattr(_node_id(e["platform_a"], e["account_a"]))
        target = quoteattr(_node_id(e["platform_b"], e["account_b"]))
        out.append(f'      <edge id="{i}" source={source} target={target} '
                   f'weight="{float(e["weight"])}"><attvalues>{values}</attvalues></edge>')
    out += ['    </edges>', '  </graph>', '</gexf>', '']
    path.write_text("\n".join(out), encoding="utf-8")
    return len(nodes)


def write_graphml(con, path: Path) -> int:
    nodes, edges = network_rows(con)
    kinds = {"integer": "int", "long": "long", "double": "double", "string": "string",
             "boolean": "boolean"}
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
           '  <key id="label" for="node" attr.name="label" attr.type="string"/>']
    out += [f'  <key id="{k}" for="node" attr.name="{k}" attr.type="{kinds[t]}"/>'
            for k, t in NODE_ATTRS]
    out += [f'  <key id="e_{k}" for="edge" attr.name="{k}" attr.type="int"/>'
            for k, _ in EDGE_ATTRS]
    out += ['  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
            '  <graph edgedefault="undirected">']
    for n in nodes:
        data = [f'<data key="label">{escape(n["account"])}</data>']
        data += [f'<data key="{k}">{escape(_text(n[k], t))}</data>'
                 for k, t in NODE_ATTRS if n.get(k) is not None]
        out.append(f'    <node id={quoteattr(_node_id(n["platform"], n["account"]))}>'
                   f'{"".join(data)}</node>')
    for e in edges:
        data = [f'<data key="e_{k}">{int(e[k] or 0)}</data>' for k, _ in EDGE_ATTRS]
        data.append(f'<data key="weight">{float(e["weight"])}</data>')
        out.append(f'    <edge source={quoteattr(_node_id(e["platform_a"], e["account_a"]))} '
                   f'target={quoteattr(_node_id(e["platform_b"], e["account_b"]))}>'
                   f'{"".join(data)}</edge>')
    out += ['  </graph>', '</graphml>', '']
    path.write_text("\n".join(out), encoding="utf-8")
    return len(nodes)
