resource "fog_image" "win11" {
  name          = "Win11-Base"
  path          = "win11-base"
  image_type_id = 1
  os_id         = 9
}

resource "fog_storage_group" "site_b" {
  name = "site-b"
}

# FOG keeps the image in the default group too (where it was created), and
# replicates it to site-b as well.
resource "fog_image_storage_group" "win11_site_b" {
  image_id         = tonumber(fog_image.win11.id)
  storage_group_id = tonumber(fog_storage_group.site_b.id)
}

output "win11_deployed_from" {
  value = fog_image_storage_group.win11_site_b.effective_storage_group_id
}
