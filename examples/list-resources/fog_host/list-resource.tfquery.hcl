# In a file whose name ends in .tfquery.hcl, beside the configuration
# (Terraform 1.14 or later). `terraform query` lists the matching hosts;
# `terraform query -generate-config-out=hosts.tf` writes a fog_host
# resource and an import block (by identity) for each of them.
list "fog_host" "lab" {
  provider = fog

  config {
    name_regex = "^lab-"
  }
}

# FOG's own search, as in Host Management's search box: it also matches
# MAC addresses (and IP addresses, inventory, the assigned image's name...).
# include_resource shows each host's attributes in the query's output.
list "fog_host" "by_mac" {
  provider         = fog
  include_resource = true

  config {
    search = "02:00:5e:10:00:01"
  }
}
