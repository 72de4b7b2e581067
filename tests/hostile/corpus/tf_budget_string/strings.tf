locals {
  s0  = "0123456789abcdef"
  s1  = "${local.s0}${local.s0}${local.s0}${local.s0}"
  s2  = "${local.s1}${local.s1}${local.s1}${local.s1}"
  s3  = "${local.s2}${local.s2}${local.s2}${local.s2}"
  s4  = "${local.s3}${local.s3}${local.s3}${local.s3}"
  s5  = "${local.s4}${local.s4}${local.s4}${local.s4}"
  s6  = "${local.s5}${local.s5}${local.s5}${local.s5}"
  s7  = "${local.s6}${local.s6}${local.s6}${local.s6}"
  s8  = "${local.s7}${local.s7}${local.s7}${local.s7}"
  s9  = "${local.s8}${local.s8}${local.s8}${local.s8}"
  s10 = "${local.s9}${local.s9}${local.s9}${local.s9}"
  s11 = "${local.s10}${local.s10}${local.s10}${local.s10}"
  wide = format("%999999999s", "x")
}

resource "aws_iam_user" "long" {
  name = local.s11
  path = local.wide
}
