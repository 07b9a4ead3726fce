import {
  to = fog_host.lab01
  id = "12" # or "name:lab-01"
}
