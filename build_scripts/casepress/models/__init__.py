"""The content model: one pydantic class per kind of content file."""

from casepress.models.case import Case
from casepress.models.evidence import EvidenceTable
from casepress.models.technique import Technique

__all__ = ["Case", "EvidenceTable", "Technique"]
