resource "fog_storage_group" "site_b" {
  name        = "site-b"
  description = "Second building"
}
