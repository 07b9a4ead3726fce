# In a file whose name ends in .tfquery.hcl, beside the configuration
# (Terraform 1.14 or later). `terraform query` lists the matching images;
# `terraform query -generate-config-out=images.tf` writes a fog_image
# resource and an import block (by identity) for each of them.
list "fog_image" "windows" {
  provider = fog

  config {
    name_regex = "(?i)^win"
  }
}
