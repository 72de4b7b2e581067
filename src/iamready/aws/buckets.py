"""The buckets of checklist section 5: where CloudTrail and billing reports write."""

from __future__ import annotations

from iamready.model.graph import Graph, Resource

WRITERS = {
    "aws_cloudtrail": "CloudTrail trail",
    "AWS::CloudTrail::Trail": "CloudTrail trail",
    "aws_cur_report_definition": "Cost and Usage Report",
    "AWS::CUR::ReportDefinition": "Cost and Usage Report",
    "aws_bcmdataexports_export": "billing data export",
    "AWS::BCMDataExports::Export": "billing data export",
}


def log_buckets(graph: Graph) -> dict[str, list[tuple[Resource, str]]]:
    """bucket id -> [(writer resource, what it is)], found through ``writes_to`` edges."""
    out: dict[str, list[tuple[Resource, str]]] = {}
    for writer, bucket, _kind in graph.edges("writes_to"):
        out.setdefault(bucket.id, []).append((writer, WRITERS.get(writer.type, writer.type)))
    return out


def describe_writers(writers: list[tuple[Resource, str]]) -> str:
    return ", ".join(f"{what} {writer.address}" for writer, what in writers)
