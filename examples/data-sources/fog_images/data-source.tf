# Every Windows 10 image, whatever the letter case of its name.
data "fog_images" "win10" {
  name_regex = "(?i)^win10-"
}

output "win10_images" {
  value = { for img in data.fog_images.win10.images : img.name => img.id }
}

output "disabled_images" {
  value = [for img in data.fog_images.win10.images : img.name if !img.enabled]
}
