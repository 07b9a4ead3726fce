# FOG's default storage group, which every FOG server has.
data "fog_storage_group" "default" {
  id = "1"
}

output "default_group_capacity" {
  value = data.fog_storage_group.default.total_supported_clients
}
