data "fog_image_types" "raw" {
  name = "Raw Image (Sector By Sector, DD, Slow)"
}

resource "fog_image" "appliance" {
  name          = "Appliance-Raw"
  path          = "appliance-raw"
  image_type_id = data.fog_image_types.raw.image_types[0].id
  os_id         = 50 # Linux
}
