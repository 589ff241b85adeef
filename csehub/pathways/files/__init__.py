"""Reading and checking pathway.yaml and contacts.yaml files, without touching the database.

Each partnership has a folder under data/ named by its slug. Every problem names the file and
the node or service, and all problems in a file are reported together.
"""

from .common import (
    CONTACTS_FILE,
    DEFAULT_DATA_DIR,
    PATHWAY_FILE,
    ContactsFile,
    PartnershipFiles,
    PartnershipInfo,
    PathwayFile,
    PathwayFileError,
)
from .contacts import contacts_file_read
from .pathway import partnership_files_read, pathway_file_read, shipped_folders

__all__ = [
    "CONTACTS_FILE",
    "DEFAULT_DATA_DIR",
    "PATHWAY_FILE",
    "ContactsFile",
    "PartnershipFiles",
    "PartnershipInfo",
    "PathwayFile",
    "PathwayFileError",
    "contacts_file_read",
    "partnership_files_read",
    "pathway_file_read",
    "shipped_folders",
]
