# The lab's group, managed elsewhere (or a fog_group resource in the same
# configuration).
data "fog_group" "lab_a" {
  name = "Lab-A"
}

# Inventory every lab machine on weekday evenings, in the FOG server's time zone.
resource "fog_scheduled_task" "lab_a_inventory" {
  group_id = tonumber(data.fog_group.lab_a.id)
  type     = "Hardware Inventory"
  name     = "weekday inventory"
  cron     = "0 22 * * 1-5"
  wol      = true
}

resource "fog_image" "win11" {
  name          = "Win11-Exam"
  path          = "win11-exam"
  image_type_id = 1
  os_id         = 9
}

resource "fog_host" "pc17" {
  name     = "pc17"
  macs     = ["00:11:22:33:44:17"]
  image_id = fog_image.win11.id
}

# Re-image one host once, at a given time.
resource "fog_scheduled_task" "reimage_pc17" {
  host_id  = tonumber(fog_host.pc17.id)
  type     = "Deploy"
  name     = "reimage after the exam"
  run_at   = "2027-01-15T22:00:00+01:00"
  shutdown = true
}
