data "fog_storage_groups" "all" {}

output "storage_groups" {
  value = { for g in data.fog_storage_groups.all.storage_groups : g.name => g.id }
}
