resource "fog_snapin" "seven_zip" {
  name          = "7-Zip 23.01"
  file          = "7z2301-x64.msi"
  run_with      = "msiexec.exe"
  run_with_args = "/i"
  args          = "/quiet /norestart"
}

# Every host of the lab gets the snapin; their other snapins stay as they are.
data "fog_hosts" "lab" {
  name_regex = "^lab-"
}

resource "fog_host_snapin" "lab" {
  for_each = { for h in data.fog_hosts.lab.hosts : h.name => h.id }

  host_id   = each.value
  snapin_id = tonumber(fog_snapin.seven_zip.id)
}

# Deploy it now on one host, after the link exists.
resource "fog_task" "install_lab_01" {
  host_id   = fog_host_snapin.lab["lab-01"].host_id
  type      = "Single Snapin"
  snapin_id = fog_host_snapin.lab["lab-01"].snapin_id
}
