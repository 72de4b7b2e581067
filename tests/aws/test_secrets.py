"""Detection of credentials in configuration values (src/iamready/aws/secrets.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamready.aws import secrets
from iamready.model.span import Span
from iamready.model.value import LDict, LList, LStr, Unknown

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "db_password",
        "DB_PASSWORD",
        "dbPassword",
        "API_TOKEN",
        "apiKey",
        "APIKey",
        "secret_key",
        "AWS_SECRET_ACCESS_KEY",
        "SecretAccessKey",
        "client_secret",
        "github-token",
        "private_key",
        "MasterUserPassword",
        "MYSECRET",
        "db_pass",
        "DbPass",
        "DBPASS",
        "PRIVATE_KEY",
        "adminpwd",
        "smtp-pass",
    ],
)
def test_secret_names(name):
    assert secrets.is_secret_name(name) is True


@pytest.mark.parametrize(
    "name",
    [
        "password_secret_arn",
        "DB_PASSWORD_PARAM",
        "secret_name",
        "token_ttl",
        "max_password_age",
        "minimum_password_length",
        "password_reset_required",
        "kms_key_id",
        "sra_secrets_key_alias",
        "pBedrockKBVectorStoreSecretRuleParams",
        "secret_rotation_settings",
        "access_key_id",
        "public_key",
        "key_name",
        "tokenizer",
        "region",
        "compass",
        "bypass",
        "boarding_pass",
        "pass_through",
        "",
    ],
)
def test_names_that_designate_or_describe_a_secret_are_not_secret_names(name):
    assert secrets.is_secret_name(name) is False


@pytest.mark.parametrize(
    "value",
    [
        "",
        "changeme",
        "CHANGE_ME",
        "<your-password>",
        "xxxxxxxx",
        "********",
        "${var.db_password}",
        "$DB_PASSWORD",
        "{{resolve:secretsmanager:prod/db:SecretString:password}}",
        "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db",
        "/prod/db/password",
        "ssm://prod/db/password",
        "REPLACE_WITH_REAL_TOKEN",
        "null",
        "12345678",
        "true",
        "short",
        "the password is kept in the vault",
    ],
)
def test_placeholders_references_and_pointers(value):
    assert secrets.is_placeholder(value) is True


@pytest.mark.parametrize("value", ["hunter2hunter2", "S3cr3t!Passw0rd", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"])
def test_real_looking_secrets_are_not_placeholders(value):
    assert secrets.is_placeholder(value) is False


def test_access_key_id_and_secret_access_key_shapes():
    assert secrets.is_access_key_id(KEY_ID)
    assert secrets.is_access_key_id("ASIAIOSFODNN7EXAMPLE")
    assert not secrets.is_access_key_id("AIDAIOSFODNN7EXAMPLE")  # a user's unique id, not a key
    assert not secrets.is_access_key_id("AKIAIOSFODNN7EXAMPLE1")
    assert secrets.is_secret_access_key(SECRET_KEY)
    assert not secrets.is_secret_access_key("da39a3ee5e6b4b0d3255bfef95601890afd80709")  # a SHA-1, lower case
    assert not secrets.is_secret_access_key(SECRET_KEY[:-1])


def test_mask_shows_at_most_a_key_ids_ends():
    assert secrets.mask(KEY_ID) == "AKIA...MPLE"
    assert secrets.mask(SECRET_KEY) == "40 characters"
    assert "wJal" not in secrets.mask(SECRET_KEY)


def test_find_secrets_in_a_map_uses_keys_as_names_and_their_spans():
    span_a = Span("main.tf", 10, 5, 10, 40)
    span_b = Span("main.tf", 11, 5, 11, 40)
    span_c = Span("main.tf", 12, 5, 12, 40)
    env = LDict(span=Span("main.tf", 9))
    env.set("AWS_ACCESS_KEY_ID", LStr(KEY_ID, span_a), span_a)
    env.set("AWS_SECRET_ACCESS_KEY", LStr(SECRET_KEY, span_b), span_b)
    env.set("LOG_LEVEL", LStr("debug", span_c), span_c)
    hits = secrets.find_secrets(env, "variables", Span("main.tf", 9), "variables")
    assert [(h.kind, h.masked, h.span.start_line, h.path, h.name) for h in hits] == [
        (secrets.ACCESS_KEY_ID, "AKIA...MPLE", 10, "variables.AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
        (secrets.SECRET_ACCESS_KEY, "40 characters", 11, "variables.AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
    ]
    assert hits[0].describe() == "an AWS access key id (AKIA...MPLE)"


def test_find_secrets_name_value_pairs_take_the_name_from_the_pair():
    environment = LList(
        [
            LDict({"name": "DB_PASSWORD", "value": LStr("S3cr3t!Passw0rd")}),
            LDict({"name": "DB_PASSWORD_PARAM", "value": LStr("S3cr3t!Passw0rd")}),
            LDict({"name": "DB_HOST", "value": LStr("db.internal")}),
        ]
    )
    hits = secrets.find_secrets(environment, "environment", Span("task.json", 3))
    assert [(h.kind, h.name, h.path, h.masked) for h in hits] == [
        (secrets.SECRET, "DB_PASSWORD", "[0].value", "15 characters")
    ]


def test_find_secrets_in_multiline_text_points_at_the_line():
    text = LStr(
        "#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
        f"export AWS_SECRET_ACCESS_KEY={SECRET_KEY}\naws s3 ls\n",
        Span("main.tf", 20, 15, 25, 6),
        origin=Span("main.tf", 21, 1, 21, 1),
    )
    hits = secrets.find_secrets(text, "user_data", Span("main.tf", 20))
    assert [(h.kind, h.span.start_line) for h in hits] == [
        (secrets.ACCESS_KEY_ID, 22),
        (secrets.SECRET_ACCESS_KEY, 23),
    ]


def test_credentials_file_and_cli_forms_are_found():
    text = LStr(f"[default]\naws_secret_access_key = {SECRET_KEY}\n", Span("f.tf", 1))
    assert [h.kind for h in secrets.find_secrets(text)] == [secrets.SECRET_ACCESS_KEY]
    text = LStr(f"aws configure set aws_secret_access_key {SECRET_KEY}", Span("f.tf", 1))
    assert [h.kind for h in secrets.find_secrets(text)] == [secrets.SECRET_ACCESS_KEY]


def test_find_secrets_ignores_symbolic_unknown_and_placeholder_values():
    value = LDict(
        {
            "AWS_SECRET_ACCESS_KEY": LStr(
                "${aws_iam_access_key.ci.secret}", ref=("s::aws_iam_access_key.ci", "secret")
            ),
            "DB_PASSWORD": Unknown("variable db_password has no value"),
            "API_TOKEN": LStr("${var.api_token}"),
            "ADMIN_PASSWORD": LStr("changeme"),
            "AUTH_TOKEN": LStr("arn:aws:secretsmanager:eu-west-1:111122223333:secret:token"),
        }
    )
    assert secrets.find_secrets(value) == []


def test_names_false_reports_only_aws_key_material():
    value = LDict({"DB_PASSWORD": LStr("S3cr3t!Passw0rd"), "KEY": LStr(KEY_ID)})
    assert [h.kind for h in secrets.find_secrets(value, names=False)] == [secrets.ACCESS_KEY_ID]


def test_a_forty_character_value_is_a_secret_key_only_under_a_secret_key_name():
    assert secrets.find_secrets(LStr(SECRET_KEY), "commit") == []
    assert [h.kind for h in secrets.find_secrets(LStr(SECRET_KEY), "secret_key")] == [secrets.SECRET_ACCESS_KEY]


def test_nested_spans_outside_bounds_fall_back_to_the_attribute():
    inside = Span("main.tf", 5, 3, 5, 30)
    elsewhere = Span("locals.tf", 2, 3, 2, 30)
    env = LDict({"PASSWORD": LStr("S3cr3t!Passw0rd", elsewhere)}, span=elsewhere)
    env.key_spans["PASSWORD"] = elsewhere
    # a map built elsewhere (a local) is reported at the resource's own attribute
    hits = secrets.find_secrets(env, "variables", inside, bounds=Span("main.tf", 4, 1, 8, 2))
    assert [(h.span, h.name) for h in hits] == [(inside, "PASSWORD")]
    # without bounds, a literal is located where it is written
    hits = secrets.find_secrets(env, "variables", inside)
    assert [(h.span, h.name) for h in hits] == [(elsewhere, "PASSWORD")]


def _graph(tmp_path: Path, text: str):
    from iamready.config import Config
    from iamready.engine import scan

    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    result = scan(Config(paths=(str(tmp_path),), cwd=str(tmp_path), profile="all"), [])
    return result.graph


def test_key_usages_follow_references_through_locals_text_and_json(tmp_path):
    graph = _graph(
        tmp_path,
        """\
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

locals {
  secret = aws_iam_access_key.ci.secret
}

output "secret" {
  value = local.secret
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/f"
  environment {
    variables = {
      KEY_ID = aws_iam_access_key.ci.id
      SECRET = "prefix-${aws_iam_access_key.ci.secret}"
    }
  }
}

resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{
    name        = "app"
    environment = [{ name = "AWS_SECRET_ACCESS_KEY", value = aws_iam_access_key.ci.secret }]
  }])
}

resource "aws_iam_user_policy_attachment" "ci" {
  user       = aws_iam_access_key.ci.user
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
""",
    )
    key = graph.get(f"{tmp_path}::aws_iam_access_key.ci")
    usages = list(secrets.iter_key_usages(graph, key))
    assert [(u.consumer.address, u.ref.attr, u.ref.is_secret, u.ref.span.start_line, u.ref.path) for u in usages] == [
        ("output.secret", "secret", True, 14, "value"),
        ("aws_lambda_function.f", "id", False, 22, "environment[0].variables.KEY_ID"),
        ("aws_lambda_function.f", "secret", True, 23, "environment[0].variables.SECRET"),
        ("aws_ecs_task_definition.t", "secret", True, 32, "container_definitions[0].environment[0].value"),
    ]
    assert usages[0].ref.describe() == "the secret of aws_iam_access_key.ci"


def _scan(tmp_path: Path, files: dict[str, str], var_files: tuple[str, ...] = ()):
    from iamready.config import Config
    from iamready.engine import scan

    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    config = Config(
        paths=(str(tmp_path),),
        cwd=str(tmp_path),
        profile="all",
        var_files=tuple(str(tmp_path / v) for v in var_files),
    )
    return scan(config, []).graph


def test_value_origin_names_the_variable_or_local_a_provider_value_came_from(tmp_path):
    graph = _scan(
        tmp_path,
        {
            "main.tf": """\
variable "root_access_key" {
  default = "AKIAIOSFODNN7EXAMPLE"
}
variable "root_secret_key" {}
variable "from_tfvars" {}
locals {
  token = "session-token-value"
}
provider "aws" {
  access_key = var.root_access_key
  secret_key = var.root_secret_key
  token      = local.token
  profile    = var.from_tfvars
}
""",
            "terraform.tfvars": 'from_tfvars = "ops"\n',
        },
    )
    provider = graph.get(f"{tmp_path}::provider.aws")
    origins = [
        secrets.value_origin(graph, provider, provider.attr(name).raw)
        for name in ("access_key", "secret_key", "token", "profile")
    ]
    assert origins == [
        ("variable", "root_access_key"),
        ("variable", "root_secret_key"),
        ("local", "token"),
        ("variable", "from_tfvars"),
    ]
    assert secrets.value_origin(graph, provider, LStr("x", Span("elsewhere.tf", 3))) is None


def test_credentials_owner_and_console_access_in_terraform(tmp_path):
    graph = _scan(
        tmp_path,
        {
            "main.tf": """\
resource "aws_iam_user" "ci" {
  name = "ci"
}
resource "aws_iam_user" "jane" {
  name = "jane"
}
resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}
resource "aws_iam_access_key" "ci_by_name" {
  user = "ci"
}
resource "aws_iam_user_login_profile" "jane" {
  user = aws_iam_user.jane.name
}
"""
        },
    )
    ci = graph.get(f"{tmp_path}::aws_iam_user.ci")
    jane = graph.get(f"{tmp_path}::aws_iam_user.jane")
    keys = secrets.credentials_of(graph, ci, secrets.ACCESS_KEY_TYPES)
    assert [k.address for k in keys] == ["aws_iam_access_key.ci", "aws_iam_access_key.ci_by_name"]
    assert secrets.credentials_of(graph, jane, secrets.ACCESS_KEY_TYPES) == []
    assert secrets.owner_of(graph, keys[1]) is ci
    assert secrets.console_access(graph, ci) is None
    assert secrets.console_access(graph, jane).address == "aws_iam_user_login_profile.jane"
    assert secrets.user_name(jane) == "jane"


def test_cloudformation_references_to_access_keys_and_console_access(tmp_path):
    graph = _scan(
        tmp_path,
        {
            "t.cfn.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  User:
    Type: AWS::IAM::User
    Properties:
      LoginProfile:
        Password: "{{resolve:secretsmanager:initial}}"
  Key:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref User
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: !Sub '{"id":"${Key}","secret":"${Key.SecretAccessKey}"}'
"""
        },
    )
    path = str(tmp_path / "t.cfn.yaml")
    user, key, secret = (graph.get(f"{path}::{n}") for n in ("User", "Key", "Secret"))
    assert secrets.owner_of(graph, key) is user
    assert secrets.console_access(graph, user).span.start_line == 6
    refs = secrets.find_key_refs(secret.attr("SecretString").raw, graph, secret.scope)
    assert [(r.key.address, r.attr, r.is_secret) for r in refs] == [
        ("Key", "Ref", False),
        ("Key", "SecretAccessKey", True),
    ]
    assert [u.consumer.address for u in secrets.machine_usages(graph, user)] == ["Secret", "Secret"]


def test_user_data_decodes_base64_and_reports_unknown_text(tmp_path):
    graph = _scan(
        tmp_path,
        {
            "main.tf": """\
resource "aws_launch_template" "a" {
  user_data = "YXdzIGNvbmZpZ3VyZSBzZXQgYXdzX2FjY2Vzc19rZXlfaWQgQUtJQUlPU0ZPRE5ON0VYQU1QTEU="
}
resource "aws_launch_template" "b" {
  user_data = base64gzip("#!/bin/bash")
}
resource "aws_launch_template" "d" {
  user_data = base64encode("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")
}
resource "aws_instance" "c" {
  ami       = "ami-1"
  user_data = "#!/bin/bash\\necho ready\\n"
}
"""
        },
    )
    a, b = (graph.get(f"{tmp_path}::aws_launch_template.{n}") for n in ("a", "b"))
    found = secrets.user_data(graph, a)
    assert [(h.kind, h.masked, h.span.start_line) for item in found for h in item.hits] == [
        (secrets.ACCESS_KEY_ID, "AKIA...MPLE", 2)
    ]
    unknown = secrets.user_data(graph, b)
    assert [(u.value.path, u.unknown) for u in unknown] == [
        ("user_data", "function base64gzip() is not evaluated by iamready")
    ]
    encoded = secrets.user_data(graph, graph.get(f"{tmp_path}::aws_launch_template.d"))
    assert [(h.kind, h.masked, h.span.start_line) for item in encoded for h in item.hits] == [
        (secrets.ACCESS_KEY_ID, "AKIA...MPLE", 8)
    ]
    assert secrets.user_data(graph, graph.get(f"{tmp_path}::aws_instance.c")) == []


def test_yaml_block_scalars_map_hits_to_their_lines(tmp_path):
    graph = _scan(
        tmp_path,
        {
            "t.cfn.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          echo start in ${AWS::Region}
          export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
  Plain:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64: |
          #!/bin/bash
          export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
"""
        },
    )
    host = graph.get(f"{tmp_path / 't.cfn.yaml'}::Host")
    hits = [h for item in secrets.user_data(graph, host) for h in item.hits]
    assert [(h.kind, h.span.start_line) for h in hits] == [(secrets.ACCESS_KEY_ID, 11)]
    # a literal scalar carries no span of its own: the finding points at the attribute
    plain = graph.get(f"{tmp_path / 't.cfn.yaml'}::Plain")
    hits = [h for item in secrets.user_data(graph, plain) for h in item.hits]
    assert [(h.kind, h.span.start_line) for h in hits] == [(secrets.ACCESS_KEY_ID, 16)]


def test_first_instance_reports_a_module_declaration_once(tmp_path):
    graph = _scan(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "./m"\n}\nmodule "b" {\n  source = "./m"\n}\n',
            "m/main.tf": 'variable "db_password" {\n  default = "S3cr3t!Passw0rd"\n}\n',
        },
    )
    nodes = sorted(graph.resources("variable"), key=lambda r: r.address)
    assert [(n.address, secrets.first_instance(graph, n)) for n in nodes] == [
        ("module.a.var.db_password", True),
        ("module.b.var.db_password", False),
    ]


def test_private_key_refs_find_private_material_only(tmp_path):
    graph = _scan(
        tmp_path,
        {
            "main.tf": """\
resource "tls_private_key" "k" {
  algorithm = "ED25519"
}
output "private" {
  value = tls_private_key.k.private_key_openssh
}
output "public" {
  value = tls_private_key.k.public_key_openssh
}
"""
        },
    )
    private = graph.get(f"{tmp_path}::output.private")
    public = graph.get(f"{tmp_path}::output.public")
    assert [(r.key.address, r.attr, r.span.start_line) for r in secrets.private_key_refs(graph, private, "value")] == [
        ("tls_private_key.k", "private_key_openssh", 5)
    ]
    assert secrets.private_key_refs(graph, public, "value") == []


def test_credentials_of_many_users_in_one_module_go_to_their_own_user(tmp_path):
    """for_each over a team: each user gets its own keys (by reference, by name, by path-qualified
    name), in the graph's order (for_each instances are added after single resources); a key naming
    nobody belongs to nobody."""
    graph = _scan(
        tmp_path,
        {
            "main.tf": """\
locals {
  team = toset(["ana", "bo", "cy"])
}
resource "aws_iam_user" "member" {
  for_each = local.team
  name     = each.key
}
resource "aws_iam_access_key" "member" {
  for_each = local.team
  user     = aws_iam_user.member[each.key].name
}
resource "aws_iam_access_key" "bo_by_name" {
  user = "bo"
}
resource "aws_iam_access_key" "cy_by_path" {
  user = "/contractors/cy"
}
resource "aws_iam_access_key" "nobody" {
  user = "dee"
}
"""
        },
    )
    users = {u.attr("name").raw: u for u in graph.resources("aws_iam_user")}
    keys = {name: secrets.credentials_of(graph, user, secrets.ACCESS_KEY_TYPES) for name, user in users.items()}
    assert {name: [k.address for k in found] for name, found in keys.items()} == {
        "ana": ['aws_iam_access_key.member["ana"]'],
        "bo": ["aws_iam_access_key.bo_by_name", 'aws_iam_access_key.member["bo"]'],
        "cy": ["aws_iam_access_key.cy_by_path", 'aws_iam_access_key.member["cy"]'],
    }
    for name, found in keys.items():
        assert all(secrets.owner_of(graph, key) is users[name] for key in found)
    nobody = next(k for k in graph.resources("aws_iam_access_key") if k.name == "nobody")
    assert secrets.owner_of(graph, nobody) is None
