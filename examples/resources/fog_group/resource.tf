# A classroom: its machines as fog_host resources, one group holding all of
# them, and a multicast deploy of the group (one stream for every seat).
locals {
  lab_a = {
    "lab-a-01" = "00:11:22:33:44:01"
    "lab-a-02" = "00:11:22:33:44:02"
    "lab-a-03" = "00:11:22:33:44:03"
  }
}

resource "fog_image" "win11" {
  name          = "Win11-Lab"
  path          = "win11-lab"
  image_type_id = 1
  os_id         = 9
}

resource "fog_host" "lab_a" {
  for_each = local.lab_a
  name     = each.key
  macs     = [each.value]
  image_id = fog_image.win11.id
}

resource "fog_group" "lab_a" {
  name        = "Lab-A"
  description = "Room A"
  host_ids    = [for h in fog_host.lab_a : tonumber(h.id)]
}

resource "fog_task" "lab_a_deploy" {
  group_id = tonumber(fog_group.lab_a.id)
  type     = "Multi-Cast"
}
