# By name (compared without regard to letter case, as FOG compares image names);
# id = "12" reads an image by its FOG id instead. Exactly one of them is set.
data "fog_image" "win10" {
  name = "Win10-Base"
}

resource "fog_host" "lab01" {
  name     = "lab-01"
  macs     = ["02:00:5e:10:00:01"]
  image_id = data.fog_image.win10.id
}

output "win10_image" {
  value = "${data.fog_image.win10.name} (${data.fog_image.win10.os_name}) in ${data.fog_image.win10.path}"
}
