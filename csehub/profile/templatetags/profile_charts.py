"""The profile's charts: SVG drawn on the server, beside tables of the same figures."""

from django import template
from django.utils.safestring import SafeString

from csehub.linking.network.map import ATTRIBUTION, LICENCE_URL, WHERE_LABELS, directory_version

from ..charts import Hotspot, chart_svg, hotspots
from ..selectors import Bar, Table, table_bars

register = template.Library()


@register.filter
def bars(table: Table) -> list[Bar]:
    return table_bars(table) if table.chart == "bars" else []


@register.filter
def chart_height(table: Table) -> int:
    return len(table.rows) * 28 + 4


@register.filter
def chart(table: Table) -> SafeString:
    return chart_svg(table)


@register.filter
def not_on_the_map(table: Table) -> list[tuple[Hotspot, str]]:
    """The postcodes of a map table that it cannot draw, each with the reason."""
    return [(spot, WHERE_LABELS[spot.where]) for spot in hotspots(table) if spot.where != "found"]


@register.simple_tag
def map_attribution() -> dict[str, str]:
    return {"text": ATTRIBUTION, "licence": LICENCE_URL, "version": directory_version()}
