# A snapin managed in FOG's UI, given to a host managed here.
data "fog_snapin" "office" {
  name = "Office 2021"
}

resource "fog_host_snapin" "office" {
  host_id   = 7
  snapin_id = tonumber(data.fog_snapin.office.id)
}
