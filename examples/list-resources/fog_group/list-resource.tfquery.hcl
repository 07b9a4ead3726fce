# In a file whose name ends in .tfquery.hcl, beside the configuration
# (Terraform 1.14 or later). `terraform query` lists the matching groups;
# `terraform query -generate-config-out=groups.tf` writes a fog_group
# resource (with its members in host_ids) and an import block (by identity)
# for each of them.
list "fog_group" "labs" {
  provider = fog

  config {
    name_regex = "^Lab-"
  }
}
