resource "fog_image" "win10" {
  name          = "Win10-Base"
  path          = "win10-base"
  image_type_id = 1 # Single Disk - Resizable
  os_id         = 9 # Windows 10

  description = <<-EOT
    Windows 10 22H2 base image, R&D lab.
  EOT

  # Optional, shown with their defaults:
  # partition_type_id = 1     # Everything
  # enabled           = true
  # replicate         = true
  # compress          = 6
  # format            = 5     # Partclone Zstd
  # protected         = false
  # force_destroy     = false # refuse to delete while hosts use the image
}
