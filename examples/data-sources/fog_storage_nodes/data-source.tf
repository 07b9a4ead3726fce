# The nodes of the default group; no password is ever read.
data "fog_storage_nodes" "default" {
  storage_group_id = 1
}

output "offline_nodes" {
  value = [for n in data.fog_storage_nodes.default.storage_nodes : n.name if !n.online]
}
