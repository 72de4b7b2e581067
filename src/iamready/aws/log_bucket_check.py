"""The frame of a rule about log buckets (checklist section 5): it runs on buckets and on the
trails and reports that write to them. A writer whose bucket the scan cannot identify gets one note
saying what could not be checked; a bucket nothing logs to is none of the rule's business; the
rule's own function sees only log buckets::

    @rule(..., targets=LOG_BUCKET_TARGETS)
    @log_bucket_check("versioning")
    def check(bucket: Resource, ctx: Context, found: LogTarget) -> Iterator[Finding | Unresolved]:
        ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from iamready.aws.s3 import CFN_WRITERS, TF_WRITERS, WRITER_TYPES, LogTarget, log_bucket, unresolved_writer

if TYPE_CHECKING:
    from iamready.context import Context
    from iamready.model.graph import Resource

LOG_BUCKET_TARGETS = {
    "terraform": ["aws_s3_bucket", *TF_WRITERS],
    "cloudformation": ["AWS::S3::Bucket", *CFN_WRITERS],
}

BucketCheck = Callable[["Resource", "Context", LogTarget], Iterator[Any]]


def log_bucket_check(checked: str) -> Callable[[BucketCheck], Callable[[Resource, Context], Iterator[Any]]]:
    """Wrap a check of one log bucket; ``checked`` names what it checks (``"versioning"``) for the
    note on a writer whose bucket is not known."""

    def wrap(func: BucketCheck) -> Callable[[Resource, Context], Iterator[Any]]:
        @functools.wraps(func)
        def check(resource: Resource, ctx: Context) -> Iterator[Any]:
            if resource.type in WRITER_TYPES:
                yield from unresolved_writer(resource, checked)
                return
            found = log_bucket(ctx, resource)
            if found is None:
                return
            yield from func(resource, ctx, found)

        return check

    return wrap
