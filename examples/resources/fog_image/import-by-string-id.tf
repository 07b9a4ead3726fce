import {
  to = fog_image.win10
  id = "12" # or "name:Win10-Base"
}
