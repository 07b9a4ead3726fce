import {
  to = fog_group.lab_a
  id = "12" # or "name:Lab-A"
}
