"""The contract between parsers and rules."""

from iamready.model.graph import CLOUDFORMATION, TERRAFORM, Graph, Resource
from iamready.model.notes import Notification
from iamready.model.span import Span
from iamready.model.value import MISSING, Choice, LDict, LList, LStr, Unknown, Value

__all__ = [
    "CLOUDFORMATION",
    "MISSING",
    "TERRAFORM",
    "Choice",
    "Graph",
    "LDict",
    "LList",
    "LStr",
    "Notification",
    "Resource",
    "Span",
    "Unknown",
    "Value",
]
