data "fog_operating_systems" "win10" {
  name = "Windows 10"
}

resource "fog_image" "win10_22h2" {
  name          = "Win10-22H2"
  path          = "win10-22h2"
  image_type_id = 1 # Single Disk - Resizable
  os_id         = data.fog_operating_systems.win10.operating_systems[0].id
}
