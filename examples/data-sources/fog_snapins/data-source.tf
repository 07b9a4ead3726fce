data "fog_snapins" "drivers" {
  name_regex = "(?i)^driver"
}

output "driver_snapins" {
  value = [for s in data.fog_snapins.drivers.snapins : s.name]
}
