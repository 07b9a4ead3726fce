# Serial numbers and memory of a host, as FOG's last inventory recorded them.
data "fog_host_inventory" "pc17" {
  host_id = 17
}

output "pc17_hardware" {
  value = data.fog_host_inventory.pc17.inventoried ? "${data.fog_host_inventory.pc17.sys_product} (${data.fog_host_inventory.pc17.sys_serial}), ${data.fog_host_inventory.pc17.memory}" : "never inventoried"
}
