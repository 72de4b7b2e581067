org_name = "acme"
