"""The same fixtures as the children tests: the taxonomy and a few more personas."""

from csehub.children.tests.conftest import (  # noqa: F401
    front_door,
    other_practitioner,
    other_school,
    police_desk,
    taxonomy,
)
