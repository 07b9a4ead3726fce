import {
  to = fog_image.win10
  identity = {
    id = 12 # the image's FOG id
  }
}
