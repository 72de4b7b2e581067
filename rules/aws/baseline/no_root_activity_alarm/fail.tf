resource "aws_cloudwatch_log_group" "cloudtrail" { # expect: AWS-BASELINE-003
  name              = "/aws/cloudtrail/main"
  retention_in_days = 365
}

# a filter for a different event: console sign-ins without MFA
resource "aws_cloudwatch_log_metric_filter" "no_mfa_sign_in" {
  name           = "console-sign-in-without-mfa"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ ($.eventName = \"ConsoleLogin\") && ($.additionalEventData.MFAUsed != \"Yes\") }"

  metric_transformation {
    name      = "ConsoleSignInWithoutMfa"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
