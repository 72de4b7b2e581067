resource "aws_accessanalyzer_analyzer" "organization" {
  analyzer_name = "organization"
  type          = "ORGANIZATION"
}

resource "aws_accessanalyzer_analyzer" "unused" {
  analyzer_name = "unused-access"
  type          = "ORGANIZATION_UNUSED_ACCESS"

  configuration {
    unused_access {
      unused_access_age = 90
    }
  }
}
