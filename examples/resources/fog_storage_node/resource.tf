variable "node_b1_ftp_password" {
  type      = string
  sensitive = true
}

resource "fog_storage_group" "site_b" {
  name = "site-b"
}

resource "fog_storage_node" "b1" {
  name             = "node-b1"
  storage_group_id = tonumber(fog_storage_group.site_b.id)
  is_master        = true
  ip               = "10.20.0.5"
  user             = "fogproject"
  password         = var.node_b1_ftp_password
  max_clients      = 10
}
