# Hosts found by FOG's own search (names, MACs, IPs, inventory, image names...).
data "fog_hosts" "by_mac" {
  search = "00:11:22:33:44"
}

# Lab hosts that deploy a given image.
data "fog_hosts" "lab_win10" {
  name_regex = "^lab-"
  image_id   = 12
}

output "lab_win10_hosts" {
  value = [for h in data.fog_hosts.lab_win10.hosts : "${h.name} (${h.primary_mac})"]
}

# The members of a group.
data "fog_hosts" "lab_a" {
  group_id = 3
}
