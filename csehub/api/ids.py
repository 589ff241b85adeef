"""Record ids as partner systems send them: whole numbers the database can hold.

Ids are 64-bit in the database; a larger number in a path, a filter or a body would overflow
there (a server error) rather than simply match nothing, so it is refused by name first.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ID = 2**63 - 1

RecordId = Annotated[int, Field(ge=1, le=MAX_ID, description="A record's id.")]
