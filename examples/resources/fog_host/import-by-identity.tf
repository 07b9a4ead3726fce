import {
  to = fog_host.lab01
  identity = {
    id = 12 # the host's FOG id
  }
}
