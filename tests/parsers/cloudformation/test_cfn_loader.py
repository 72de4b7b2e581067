"""Reading templates: YAML nodes to values with spans, short-form tags, duplicates, aliases, bad files."""

from __future__ import annotations

import time
import tracemalloc

import pytest
import yaml

from iamready.model.notes import Notification
from iamready.model.span import Span
from iamready.model.value import LDict, LList, Unknown, plain
from iamready.parsers.cloudformation.loader import MAX_NODES, Template, load_template, parse_template

from .conftest import notes, resource


def parse(text: str, path: str = "/t/template.yaml") -> tuple[Template | None, list[Notification]]:
    found: list[Notification] = []
    return parse_template(text, path, found), found


def messages(found: list[Notification]) -> list[tuple[int, str, str, str]]:
    return [(n.span.start_line if n.span else 0, n.kind, n.level, n.message) for n in found]


TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "app-${Env}"
      MaxSessionDuration: 3600
      Path: /
      Description: |
        Role for the app.
        Second line.

      Tags:
        - Key: team
          Value: payments
        - {Key: cost, Value: !Ref CostCenter}
  Other:
    Type: AWS::S3::Bucket
"""


def test_yaml_values_types_and_long_form_tags() -> None:
    template, found = parse(TEMPLATE)
    assert found == []
    assert template is not None and template.syntax == "yaml"
    props = template.body["Resources"]["AppRole"]["Properties"]
    assert plain(props) == {
        "RoleName": {"Fn::Sub": "app-${Env}"},
        "MaxSessionDuration": 3600,
        "Path": "/",
        "Description": "Role for the app.\nSecond line.\n",
        "Tags": [{"Key": "team", "Value": "payments"}, {"Key": "cost", "Value": {"Ref": "CostCenter"}}],
    }
    assert type(props["MaxSessionDuration"]) is int


def test_yaml_entry_spans_run_from_the_key_to_the_end_of_the_value() -> None:
    template, _ = parse(TEMPLATE)
    assert template is not None
    resources = template.body["Resources"]
    # a whole resource entry: key line to its last value line (not the next key)
    assert resources.key_spans["AppRole"] == Span("/t/template.yaml", 3, 3, 16, 46)
    assert resources.key_spans["Other"] == Span("/t/template.yaml", 17, 3, 18, 26)
    props = resources["AppRole"]["Properties"]
    assert props.key_spans["RoleName"] == Span("/t/template.yaml", 6, 7, 6, 34)
    # a block scalar ends on its last text line, not on the blank line or the next key
    assert (props.key_spans["Description"].start_line, props.key_spans["Description"].end_line) == (9, 11)
    tags = props["Tags"]
    assert isinstance(tags, LList)
    assert [(s.start_line, s.end_line) for s in tags.item_spans] == [(14, 15), (16, 16)]
    # a short-form tag becomes a long-form mapping located where the tag is written
    cost = tags[1]["Value"]
    assert isinstance(cost, LDict) and cost.span == Span("/t/template.yaml", 16, 30, 16, 45)


def test_yaml_11_scalars_and_timestamps() -> None:
    template, _ = parse(
        """\
Resources:
  R:
    Type: AWS::Test::Thing
    Properties:
      Yes: yes
      Off: off
      Octal: 010
      Float: 1.5
      Null: ~
      Version: 2012-10-17
      Quoted: "true"
      Account: 012345678901
      Sexagesimal: 1:30
"""
    )
    assert template is not None
    props = template.body["Resources"]["R"]["Properties"]
    assert plain(props) == {
        "Yes": True,
        "Off": False,
        "Octal": 8,
        "Float": 1.5,
        "Null": None,
        "Version": "2012-10-17",  # a timestamp stays the string CloudFormation reads
        "Quoted": "true",
        "Account": "012345678901",  # not octal: 8 and 9 are not octal digits
        "Sexagesimal": 90,
    }


def test_every_short_form_tag_becomes_its_long_form() -> None:
    template, found = parse(
        """\
Resources:
  R:
    Type: AWS::Test::Thing
    Properties:
      A: !GetAtt Role.Arn
      B: !GetAtt [Role, Arn]
      C: !GetAtt Db.Endpoint.Address
      D: !Select [0, !GetAZs ""]
      E: !Join [",", !Split ["|", "a|b"]]
      F: !FindInMap [M, K, V]
      G: !Base64 x
      H: !ImportValue shared
      I: !If [Cond, !Condition Other, !Not [!Equals [a, b]]]
      J: !And [!Or [!Condition A, !Condition B]]
      K: !Cidr [10.0.0.0/16, 4, 8]
      L: !Transform {Name: AWS::Include}
      M: !ToJsonString {a: 1}
      N: !Length [1, 2]
"""
    )
    assert found == []
    assert template is not None
    assert plain(template.body["Resources"]["R"]["Properties"]) == {
        "A": {"Fn::GetAtt": ["Role", "Arn"]},
        "B": {"Fn::GetAtt": ["Role", "Arn"]},
        "C": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
        "D": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "E": {"Fn::Join": [",", {"Fn::Split": ["|", "a|b"]}]},
        "F": {"Fn::FindInMap": ["M", "K", "V"]},
        "G": {"Fn::Base64": "x"},
        "H": {"Fn::ImportValue": "shared"},
        "I": {"Fn::If": ["Cond", {"Condition": "Other"}, {"Fn::Not": [{"Fn::Equals": ["a", "b"]}]}]},
        "J": {"Fn::And": [{"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]}]},
        "K": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
        "L": {"Fn::Transform": {"Name": "AWS::Include"}},
        "M": {"Fn::ToJsonString": {"a": 1}},
        "N": {"Fn::Length": [1, 2]},
    }


def test_unknown_tag_is_reported_and_unknown() -> None:
    template, found = parse("Resources:\n  R:\n    Type: AWS::Test::Thing\n    Properties:\n      A: !Include x.yaml\n")
    assert template is not None
    value = template.body["Resources"]["R"]["Properties"]["A"]
    assert (
        isinstance(value, Unknown)
        and value.reason == "value tagged !Include is not a CloudFormation intrinsic function"
    )
    assert messages(found) == [
        (
            5,
            "parse-error",
            "warning",
            "unknown tag !Include; CloudFormation does not accept it, and iamready treats its value as unknown",
        )
    ]


def test_duplicate_yaml_keys_are_reported_with_both_lines_and_the_last_wins() -> None:
    template, found = parse(
        """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: first
      Path: /
      RoleName: second
"""
    )
    assert template is not None
    props = template.body["Resources"]["Role"]["Properties"]
    assert props["RoleName"] == "second"
    assert props.key_spans["RoleName"].start_line == 7
    assert list(props) == ["Path", "RoleName"]
    assert messages(found) == [
        (
            7,
            "parse-error",
            "error",
            "duplicate key 'RoleName' (lines 5 and 7); CloudFormation rejects duplicate keys; the last one is used",
        )
    ]


def test_duplicate_json_keys_are_reported() -> None:
    text = '{\n  "Resources": {\n    "A": {"Type": "AWS::S3::Bucket"},\n    "A": {"Type": "AWS::SNS::Topic"}\n  }\n}\n'
    template, found = parse(text, "/t/template.json")
    assert template is not None and template.syntax == "json"
    assert template.body["Resources"]["A"]["Type"] == "AWS::SNS::Topic"
    assert messages(found) == [
        (
            4,
            "parse-error",
            "error",
            "duplicate key 'A' (line 4 repeats a key of the same object); CloudFormation rejects duplicate keys; "
            "the last one is used",
        )
    ]


def test_aliases_are_expanded_with_a_note_and_merge_keys_work() -> None:
    template, found = parse(
        """\
Resources:
  First:
    Type: AWS::SQS::Queue
    Properties: &queue
      VisibilityTimeout: 30
      MessageRetentionPeriod: 60
  Second:
    Type: AWS::SQS::Queue
    Properties:
      <<: *queue
      MessageRetentionPeriod: 120
  Third:
    Type: AWS::SQS::Queue
    Properties: *queue
"""
    )
    assert template is not None
    resources = template.body["Resources"]
    assert plain(resources["Second"]["Properties"]) == {"MessageRetentionPeriod": 120, "VisibilityTimeout": 30}
    assert plain(resources["Third"]["Properties"]) == {"VisibilityTimeout": 30, "MessageRetentionPeriod": 60}
    # the merged key keeps the line it was written on
    assert resources["Second"]["Properties"].key_spans["VisibilityTimeout"].start_line == 5
    assert messages(found) == [
        (
            4,
            "parse-error",
            "note",
            "this YAML anchor is used through aliases (*name), which iamready expands as "
            "`aws cloudformation package` and `sam deploy` do; CloudFormation itself rejects a template "
            "that still contains aliases",
        )
    ]


def test_alias_bomb_is_refused_quickly_with_little_memory() -> None:
    lines = ["Resources:", "  R:", "    Type: AWS::Test::Thing", "    Properties:", '      l0: &l0 ["lol", "lol"]']
    for level in range(1, 40):  # 2**40 values once expanded
        lines.append(f"      l{level}: &l{level} [*l{level - 1}, *l{level - 1}]")
    text = "\n".join(lines) + "\n"
    tracemalloc.start()
    started = time.perf_counter()
    template, found = parse(text)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert template is None
    assert elapsed < 2.0
    assert peak < 50 * 1024 * 1024
    assert messages(found)[-1] == (
        21,
        "parse-error",
        "error",
        f"template expands to more than {MAX_NODES} values through the aliases of this YAML anchor "
        "(an alias bomb?); not scanned",
    )


def test_deep_nesting_is_refused_with_a_location() -> None:
    text = "Resources:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(400)) + "  " * 401 + "v\n"
    template, found = parse(text)
    assert template is None
    assert [(line, kind, level) for line, kind, level, _ in messages(found)] == [(302, "parse-error", "error")]
    assert messages(found)[0][3] == "nested more than 300 levels; not scanned"


DEEP_SHAPES = {
    "block": lambda n: "Resources:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(n)) + "  " * (n + 1) + "v\n",
    "sequence": lambda n: "Resources:\n  R:\n    " + "- " * n + "1\n",
    "flow": lambda n: "Resources:\n  R: " + "[" * n + "]" * n + "\n",
}


@pytest.mark.parametrize("levels", [400, 3000])  # under and over libyaml's own limit of 1000 levels
@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_deep_nesting_is_reported_alike_by_every_pyyaml_build(
    shape: str, libyaml: bool, levels: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml refuses 1000 levels, the pure-Python composer overflows the stack, some builds never stop:
    the user sees the same message at the same place, the first value nested more than 300 levels."""
    if not libyaml:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML built without libyaml")
    template, found = parse(DEEP_SHAPES[shape](levels))
    assert template is None
    # the template's mapping is level 0 and Resources' value level 1, so level 301 is the 300th nested value
    expected = {
        "block": (302, 1 + 2 * 301, "k300:"),
        "sequence": (3, 5 + 2 * 299, "- "),
        "flow": (2, 6 + 299, "["),
    }[shape]
    line, column, at = expected
    [note] = found
    assert (note.kind, note.level, note.message) == ("parse-error", "error", "nested more than 300 levels; not scanned")
    assert (note.span.start_line, note.span.start_col) == (line, column)
    assert DEEP_SHAPES[shape](levels).split("\n")[line - 1][column - 1 :].startswith(at)


def test_invalid_yaml_and_json_are_located() -> None:
    template, found = parse("Resources:\n  R:\n    Type: [unclosed\n  S: x\n")
    assert template is None
    assert [(line, kind, level) for line, kind, level, _ in messages(found)] == [(4, "parse-error", "error")]
    assert messages(found)[0][3].startswith("invalid YAML: ")
    template, found = parse('{\n  "Resources": {\n    "R": {"Type": "AWS::S3::Bucket" "x"}\n  }\n}\n', "/t/t.json")
    assert template is None
    assert messages(found) == [(3, "parse-error", "error", "invalid JSON: expected ',' or '}'")]


def test_json_that_is_valid_yaml_is_read_as_yaml_like_cloudformation_does() -> None:
    # a trailing comma is not JSON, but the text is a YAML flow mapping, which CloudFormation accepts
    template, found = parse('{\n  "Resources": {\n    "R": {"Type": "AWS::S3::Bucket",}\n  }\n}\n', "/t/t.json")
    assert found == []
    assert template is not None and template.syntax == "yaml"
    assert plain(template.body) == {"Resources": {"R": {"Type": "AWS::S3::Bucket"}}}
    assert template.body["Resources"].key_spans["R"] == Span("/t/t.json", 3, 5, 3, 38)


def test_json_with_tabs_is_read_as_json() -> None:
    text = '{\n\t"Resources": {\n\t\t"Bucket": {\n\t\t\t"Type": "AWS::S3::Bucket"\n\t\t}\n\t}\n}\n'
    template, found = parse(text, "/t/stack.json")
    assert found == []
    assert template is not None and template.syntax == "json"
    assert template.body["Resources"].key_spans["Bucket"] == Span("/t/stack.json", 3, 3, 5, 4)


def test_files_that_are_not_templates() -> None:
    assert parse("   \n")[0] is None and messages(parse("   \n")[1]) == [
        (1, "parse-error", "error", "template is empty")
    ]
    template, found = parse("- a\n- b\n")
    assert template is None
    assert messages(found) == [
        (1, "parse-error", "error", "a CloudFormation template must be a mapping at the top level, not a list")
    ]
    template, found = parse("# only a comment\n")
    assert template is None
    assert messages(found) == [
        (1, "parse-error", "error", "a CloudFormation template must be a mapping at the top level, not empty")
    ]
    template, found = parse("---\nResources: {}\n---\nResources: {}\n")
    assert template is None
    assert [(line, kind) for line, kind, _, _ in messages(found)] == [(3, "parse-error")]
    assert messages(found)[0][3] == "invalid YAML: expected a single document in the stream, but found another document"


def test_binary_and_non_utf8_files(tmp_path) -> None:
    binary = tmp_path / "image.yaml"
    binary.write_bytes(b"Resources:\x00\x01")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"Resources:\n  R:\n    Type: AWS::S3::Bucket\n    # caf\xe9\n")
    found: list[Notification] = []
    assert load_template(str(binary), found) is None
    assert load_template(str(latin), found) is None
    assert messages(found) == [
        (1, "parse-error", "error", "binary file (contains NUL bytes); not scanned"),
        (
            4,
            "parse-error",
            "error",
            "not valid UTF-8 (byte 0xe9); Terraform and CloudFormation files must be UTF-8",
        ),
    ]


def test_iamready_comments_are_collected_outside_quoted_and_block_scalars(cfn) -> None:
    cfn.write(
        {
            "stack.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              # iamready: ignore[AWS-IAM-001] break-glass role, reviewed
              AdminRole:
                Type: AWS::IAM::Role
                Properties:
                  Description: "not a comment # iamready: ignore[AWS-IAM-002]"
                  RoleName: admin # iamready: ignore[AWS-IAM-003] trailing
                  Path: a#iamready
                  Tags:
                    - Key: note
                      Value: |
                        # iamready: ignore[AWS-IAM-004] inside a block scalar
                        text
                    - Key: other # a comment about something else
                      Value: "x"
            """
        }
    )
    graph = cfn.graph()
    assert graph.comments[cfn.path("stack.yaml")] == [
        (3, "# iamready: ignore[AWS-IAM-001] break-glass role, reviewed"),
        (8, "# iamready: ignore[AWS-IAM-003] trailing"),
    ]
    assert resource(graph, "AdminRole").attr("RoleName").raw == "admin"
    assert notes(graph) == []


def test_the_parse_cache_gives_back_the_same_template_at_any_path(tmp_path, monkeypatch) -> None:
    from iamready.cache import ParseCache, cache_dir

    monkeypatch.setenv("IAMREADY_CACHE_DIR", str(tmp_path / "cache"))
    cache_dir.cache_clear()
    try:
        cache = ParseCache()
        text = (
            TEMPLATE.replace("Path: /", "Path: /\n      Path: /again/") + "  # iamready: ignore[AWS-S3-001] scratch\n"
        )
        first = tmp_path / "a" / "stack.yaml"
        second = tmp_path / "b" / "copy.yaml"
        for target in (first, second):
            target.parent.mkdir()
            target.write_text(text, encoding="utf-8")
        found_first: list[Notification] = []
        found_second: list[Notification] = []
        parsed = load_template(str(first), found_first, cache)
        again = load_template(str(second), found_second, cache)
        assert (cache.misses, cache.hits) == (1, 1)
        assert parsed is not None and again is not None
        assert plain(again.body) == plain(parsed.body)
        assert again.comments == parsed.comments == [(20, "# iamready: ignore[AWS-S3-001] scratch")]
        role = again.body["Resources"]["AppRole"]
        assert role["Properties"].key_spans["Path"] == Span(str(second), 9, 7, 9, 20)
        assert role["Properties"]["Tags"].item_spans[1] == Span(str(second), 17, 11, 17, 46)
        assert messages(found_second) == [
            (
                9,
                "parse-error",
                "error",
                "duplicate key 'Path' (lines 8 and 9); CloudFormation rejects duplicate keys; the last one is used",
            )
        ]
        assert [n.span.path for n in found_second if n.span] == [str(second)]
    finally:
        cache_dir.cache_clear()
