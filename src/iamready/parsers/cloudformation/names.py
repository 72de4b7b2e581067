"""What ``Ref`` and ``Fn::GetAtt`` return for a resource, as far as the template says.

When the template names a resource (``RoleName``, ``BucketName``, ...), ``Ref`` returns that
name (or the ARN, for the types whose ``Ref`` is an ARN) and well-known attributes such as
``Arn`` are derived from it, in the same shapes the Terraform side uses
(``arn:aws:iam::${AWS::AccountId}:role/<path><name>``). Otherwise the value is symbolic:
``${LogicalId}`` / ``${LogicalId.Attr}``. Either way the string carries ``ref`` = (resource id,
attribute), so the linker can follow it.
"""

from __future__ import annotations

# the property holding a resource's physical name, per type
NAME_PROPERTY: dict[str, str] = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::CloudTrail::Trail": "TrailName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Serverless::Function": "FunctionName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::Serverless::SimpleTable": "TableName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::KMS::Alias": "AliasName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::SSM::Parameter": "Name",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::StepFunctions::StateMachine": "StateMachineName",
    "AWS::Serverless::StateMachine": "Name",
    "AWS::Kinesis::Stream": "Name",
    "AWS::Events::EventBus": "Name",
    "AWS::KinesisFirehose::DeliveryStream": "DeliveryStreamName",
    "AWS::ECR::Repository": "RepositoryName",
}

# type -> {attribute: format}; "{name}" is the physical name, "{path}" the IAM path
GETATT: dict[str, dict[str, str]] = {
    "AWS::IAM::Role": {"Arn": "arn:aws:iam::${{AWS::AccountId}}:role{path}{name}"},
    "AWS::IAM::User": {"Arn": "arn:aws:iam::${{AWS::AccountId}}:user{path}{name}"},
    "AWS::IAM::Group": {"Arn": "arn:aws:iam::${{AWS::AccountId}}:group{path}{name}"},
    "AWS::IAM::InstanceProfile": {"Arn": "arn:aws:iam::${{AWS::AccountId}}:instance-profile{path}{name}"},
    "AWS::IAM::ManagedPolicy": {"PolicyArn": "arn:aws:iam::${{AWS::AccountId}}:policy{path}{name}"},
    "AWS::S3::Bucket": {
        "Arn": "arn:aws:s3:::{name}",
        "DomainName": "{name}.s3.amazonaws.com",
        "RegionalDomainName": "{name}.s3.${{AWS::Region}}.amazonaws.com",
    },
    "AWS::CloudTrail::Trail": {"Arn": "arn:aws:cloudtrail:${{AWS::Region}}:${{AWS::AccountId}}:trail/{name}"},
    "AWS::Lambda::Function": {"Arn": "arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}"},
    "AWS::Serverless::Function": {"Arn": "arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}"},
    "AWS::DynamoDB::Table": {"Arn": "arn:aws:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{name}"},
    "AWS::Serverless::SimpleTable": {"Arn": "arn:aws:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{name}"},
    "AWS::SQS::Queue": {
        "Arn": "arn:aws:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{name}",
        "QueueName": "{name}",
        "QueueUrl": "https://sqs.${{AWS::Region}}.amazonaws.com/${{AWS::AccountId}}/{name}",
    },
    "AWS::SNS::Topic": {"TopicArn": "arn:aws:sns:${{AWS::Region}}:${{AWS::AccountId}}:{name}", "TopicName": "{name}"},
    "AWS::Logs::LogGroup": {"Arn": "arn:aws:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{name}:*"},
    "AWS::StepFunctions::StateMachine": {
        "Arn": "arn:aws:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:{name}",
        "Name": "{name}",
    },
    "AWS::Serverless::StateMachine": {
        "Arn": "arn:aws:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:{name}",
        "Name": "{name}",
    },
    "AWS::Kinesis::Stream": {"Arn": "arn:aws:kinesis:${{AWS::Region}}:${{AWS::AccountId}}:stream/{name}"},
    "AWS::Events::EventBus": {
        "Arn": "arn:aws:events:${{AWS::Region}}:${{AWS::AccountId}}:event-bus/{name}",
        "Name": "{name}",
    },
    "AWS::KinesisFirehose::DeliveryStream": {
        "Arn": "arn:aws:firehose:${{AWS::Region}}:${{AWS::AccountId}}:deliverystream/{name}"
    },
    "AWS::ECR::Repository": {"Arn": "arn:aws:ecr:${{AWS::Region}}:${{AWS::AccountId}}:repository/{name}"},
    "AWS::SecretsManager::Secret": {},
}

# types whose Ref returns something other than the name: type -> format
REF_FORMAT: dict[str, str] = {
    "AWS::IAM::ManagedPolicy": GETATT["AWS::IAM::ManagedPolicy"]["PolicyArn"],
    "AWS::SNS::Topic": GETATT["AWS::SNS::Topic"]["TopicArn"],
    "AWS::SQS::Queue": GETATT["AWS::SQS::Queue"]["QueueUrl"],
    "AWS::StepFunctions::StateMachine": GETATT["AWS::StepFunctions::StateMachine"]["Arn"],
    "AWS::Serverless::StateMachine": GETATT["AWS::Serverless::StateMachine"]["Arn"],
}

# types whose Ref is not derived from a name we know (Secrets Manager: ARN with a random suffix)
REF_SYMBOLIC = frozenset({"AWS::SecretsManager::Secret", "AWS::KMS::Key"})

IAM_PATH_TYPES = frozenset(
    {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::InstanceProfile", "AWS::IAM::ManagedPolicy"}
)


def ref_text(rtype: str, name: str, path: str) -> str:
    fmt = REF_FORMAT.get(rtype)
    return fmt.format(name=name, path=path) if fmt else name


def getatt_text(rtype: str, attr: str, name: str, path: str) -> str | None:
    fmt = GETATT.get(rtype, {}).get(attr)
    return fmt.format(name=name, path=path) if fmt else None
