import {
  to = fog_group.lab_a
  identity = {
    id = 12 # the group's FOG id
  }
}
