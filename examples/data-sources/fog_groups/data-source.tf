# Every lab group, and the groups one host belongs to.
data "fog_groups" "labs" {
  name_regex = "^Lab-"
}

data "fog_groups" "of_host" {
  host_id = 12
}

output "lab_sizes" {
  value = { for g in data.fog_groups.labs.groups : g.name => g.host_count }
}
