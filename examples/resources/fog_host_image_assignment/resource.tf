resource "fog_image" "win10" {
  name          = "Win10-Base"
  path          = "win10-base"
  image_type_id = 1
  os_id         = 9
}

# Every host of the lab deploys the Windows 10 image.
data "fog_hosts" "lab" {
  name_regex = "^lab-"
}

resource "fog_host_image_assignment" "lab" {
  for_each = { for h in data.fog_hosts.lab.hosts : h.name => h.id }

  host_id  = each.value
  image_id = tonumber(fog_image.win10.id)
}
