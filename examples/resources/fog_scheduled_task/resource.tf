# Inventory every lab machine on weekday evenings, in the FOG server's time zone.
resource "fog_scheduled_task" "lab_a_inventory" {
  group_id = tonumber(fog_group.lab_a.id)
  type     = "Hardware Inventory"
  name     = "weekday inventory"
  cron     = "0 22 * * 1-5"
  wol      = true
}

# Re-image one host once, at a given time.
resource "fog_scheduled_task" "reimage_pc17" {
  host_id  = tonumber(fog_host.pc17.id)
  type     = "Deploy"
  name     = "reimage after the exam"
  run_at   = "2027-01-15T22:00:00+01:00"
  shutdown = true
}
