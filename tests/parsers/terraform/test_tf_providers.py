"""Provider configurations passed to modules resolve quietly: aliases, ``providers`` maps, ``provider``."""

from __future__ import annotations

from .conftest import notes, resource, value

# The shape of a multi-region baseline: one aliased provider per region in the root, each module
# call given its region's configuration, and a module declaring the aliases it expects.
MULTI_REGION = {
    "providers.tf": """
    provider "aws" {
      region = "eu-west-1"
    }

    provider "aws" {
      alias  = "us-east-1"
      region = "us-east-1"
    }

    provider "aws" {
      alias  = "replica"
      region = "eu-central-1"
    }
    """,
    "main.tf": """
    module "trail" {
      source = "./modules/trail"

      providers = {
        aws         = aws
        aws.replica = aws.replica
      }
      name = "org-trail"
    }

    module "detector_us_east_1" {
      source    = "./modules/detector"
      providers = { aws = aws.us-east-1 }
    }
    """,
    "modules/trail/versions.tf": """
    terraform {
      required_providers {
        aws = {
          source                = "hashicorp/aws"
          configuration_aliases = [aws.replica]
        }
      }
    }
    """,
    "modules/trail/main.tf": """
    variable "name" {
      type = string
    }

    resource "aws_s3_bucket" "logs" {
      bucket = "${var.name}-logs"
    }

    resource "aws_s3_bucket" "replica" {
      provider = aws.replica
      bucket   = "${var.name}-logs-replica"
    }
    """,
    "modules/detector/main.tf": """
    resource "aws_guardduty_detector" "this" {
      enable = true
    }
    """,
}


def test_provider_aliases_and_providers_maps_resolve_without_notifications(tf) -> None:
    graph = tf.write(MULTI_REGION).graph()

    assert notes(graph) == []
    assert value(graph, "module.trail.aws_s3_bucket.replica", "bucket") == "org-trail-logs-replica"
    assert value(graph, "module.trail", "providers") == {"aws": "aws", "aws.replica": "aws.replica"}
    assert value(graph, "module.detector_us_east_1", "providers") == {"aws": "aws.us-east-1"}
    providers = resource(graph, "module.detector_us_east_1").attr("providers.aws")
    where = (providers.span.path, providers.span.start_line)
    assert where == (tf.path("main.tf"), tf.line_of("main.tf", "aws.us-east-1"))
