"""Templates of any shape, however wrong, become a graph and notes, never an exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamready.aws.links import link
from iamready.model.graph import Graph
from iamready.model.notes import Notification
from iamready.parsers.cloudformation.builder import build_template
from iamready.parsers.cloudformation.loader import parse_template

NAMES = ["Role", "Bucket", "Fn", "Env", "IsProd", "Missing", "AWS::NoValue", "AWS::Region", "Role.Arn", "M"]
FUNCTIONS = [
    "Ref",
    "Condition",
    "Fn::If",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::GetAtt",
    "Fn::FindInMap",
    "Fn::Equals",
    "Fn::And",
    "Fn::Not",
    "Fn::Base64",
    "Fn::ToJsonString",
    "Fn::Length",
    "Fn::Transform",
    "Fn::Unknown",
]
TYPES = [
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::User",
    "AWS::IAM::UserToGroupAddition",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::CloudTrail::Trail",
    "AWS::Serverless::Function",
    "AWS::Serverless::StateMachine",
]
KEYS = [
    "Properties",
    "Policies",
    "PolicyDocument",
    "Statement",
    "Effect",
    "Action",
    "Resource",
    "RoleName",
    "BucketName",
    "Roles",
    "ManagedPolicyArns",
    "S3ReadPolicy",
    "BucketName",
    "Role",
    "Events",
    "Type",
    "DefaultValue",
    "Condition",
]

scalars = st.one_of(
    st.sampled_from([*NAMES, "*", "${Env}-${!x}", "${Role.Arn}/*", "${AWS::AccountId}", "", "a,b"]),
    st.integers(-3, 5),
    st.booleans(),
    st.none(),
)


def _values(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=4),
        st.builds(lambda f, a: {f: a}, st.sampled_from(FUNCTIONS), children),
    )


values = st.recursive(scalars, _values, max_leaves=25)


@st.composite
def templates(draw: st.DrawFn) -> dict:
    resources = {
        name: {
            "Type": draw(st.sampled_from(TYPES)),
            "Properties": draw(values),
            "Condition": draw(st.sampled_from(NAMES)),
        }
        for name in draw(st.lists(st.sampled_from(["Role", "Bucket", "Fn", "Other"]), max_size=4, unique=True))
    }
    body = {
        "Transform": draw(st.sampled_from(["AWS::Serverless-2016-10-31", ["AWS::Serverless-2016-10-31"], None])),
        "Parameters": draw(st.one_of(st.just({"Env": {"Type": "String", "Default": "dev"}}), values)),
        "Conditions": draw(st.one_of(st.just({"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}}), values)),
        "Mappings": draw(st.one_of(st.just({"M": {"a": {"b": ["x"]}}}), values)),
        "Globals": draw(st.one_of(st.just({"Function": {"Policies": ["x"], "Timeout": 3}}), values)),
        "Resources": draw(st.one_of(st.just(resources), values)),
        "Outputs": draw(st.one_of(st.just({"Out": {"Value": {"Ref": "Role"}}}), values)),
    }
    return body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_any_template_shape_builds_without_an_exception(body: dict) -> None:
    notes: list[Notification] = []
    template = parse_template(json.dumps(body), "/fuzz/template.json", notes)
    assert template is not None
    graph = Graph()
    build_template(template, graph, {"Env": "prod"})
    link(graph)
    for resource in graph.resources():
        assert resource.span.path == "/fuzz/template.json"
        assert resource.span.start_line >= 1
