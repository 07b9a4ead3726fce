# A group managed in FOG's UI, deployed from Terraform.
data "fog_group" "lab_b" {
  name = "Lab-B"
}

resource "fog_task" "lab_b_inventory" {
  group_id = tonumber(data.fog_group.lab_b.id)
  type     = "Hardware Inventory"
}

output "lab_b_hosts" {
  value = data.fog_group.lab_b.host_ids
}
