"""The profile's charts: bars drawn as SVG on the server, beside tables of the same figures."""

from django import template

from ..selectors import Bar, Table, table_bars

register = template.Library()


@register.filter
def bars(table: Table) -> list[Bar]:
    return table_bars(table)


@register.filter
def chart_height(table: Table) -> int:
    return len(table.rows) * 28 + 4
