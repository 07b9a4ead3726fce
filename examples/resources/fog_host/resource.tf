# The image the lab deploys, managed elsewhere: looked up by name.
data "fog_image" "win10" {
  name = "Win10-Base"
}

resource "fog_host" "lab01" {
  name = "lab-01"
  # The first MAC is the primary one, the one FOG recognises the machine by.
  # Any of FOG's notations works; changes are made in place.
  macs = [
    "02:00:5e:10:00:01",
    "02-00-5E-10-00-A1", # USB network adapter
  ]
  description = "Lab bench 1"
  ip          = "10.0.0.101"
  kernel_args = "nomodeset"

  # This resource owns the host's image.
  image_id = data.fog_image.win10.id

  # force_destroy = false # refuse to delete the host while it has a queued or running task
}

# A host whose image a fog_host_image_assignment owns: image_id is left out,
# so fog_host only reports the image and never changes it.
resource "fog_host" "lab02" {
  name = "lab-02"
  macs = ["02:00:5e:10:00:02"]
}

resource "fog_host_image_assignment" "lab02" {
  host_id  = tonumber(fog_host.lab02.id)
  image_id = data.fog_image.win10.id
}
