# Each host module adds its own host to the shared group; the group itself
# does not set host_ids, so these memberships are the only ones managed.
resource "fog_group" "floor_2" {
  name = "Floor-2"
}

resource "fog_host" "pc" {
  name = "f2-pc-17"
  macs = ["00:11:22:33:55:17"]
}

resource "fog_group_membership" "pc" {
  group_id = tonumber(fog_group.floor_2.id)
  host_id  = tonumber(fog_host.pc.id)
}
