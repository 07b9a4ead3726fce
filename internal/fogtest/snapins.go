// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

// Snapins (table snapins) and where they are stored (snapinGroupAssoc).
// The API checks nothing about the file: "file" is only a required string
// (recordings 621, 622). The flags are ENUM columns that store "" when not
// sent, although their default is "1" (621, 625); protected, timeout and
// size are numbers (623). Column lengths are not recorded; the ones below
// are guesses that only matter for truncation.
var snapinSchema = newSchema("snapin", []string{"name", "file"}, "name",
	integer("id"), str("name", 200), text("description"), text("file"), text("args"),
	datetime("createdTime"), str("createdBy", 200), enum01("reboot"), enum01("shutdown"),
	text("runWith"), text("runWithArgs"), integer("protected"), enum01("isEnabled"),
	enum01("toReplicate"), enum01("hide"), integer("timeout"), enum01("packtype"),
	str("hash", 255), integer("size"), str("anon3", 250),
)

// snapingroupassociation is snapinGroupAssoc, shaped like imageassociation.
var snapinGroupAssocSchema = newSchema("snapingroupassociation", []string{"snapinID", "storagegroupID"}, "snapinID,storagegroupID",
	integer("id"), integer("snapinID"), integer("storagegroupID"), enum01("primary").withDefault("0"),
)

func init() {
	specificSchemas["snapin"] = snapinSchema
	specificSchemas["snapingroupassociation"] = snapinGroupAssocSchema
}

// renderSnapin is a snapin from list, search, GET, create or PUT: the raw
// fields plus storagegroupname, and no hosts or storage groups (recordings
// 623, 627). Reading it gives a snapin without a storage group a primary
// association to the lowest-id group (the snapinGroupAssoc row every
// create leaves, 621), like an image.
func (s *Server) renderSnapin(r row) *obj {
	o := s.rawObj(snapinSchema, r, snapinSchema.keys())
	g := s.tbl("storagegroup").get(s.primaryGroupOf("snapingroupassociation", "snapinID", r.int("id")))
	return o.set("storagegroupname", s.outValue(storageGroupSchema, g, "name"))
}

// renderSnapinGroupAssoc mirrors imageassociation's empty related objects
// (not recorded for this class).
func (s *Server) renderSnapinGroupAssoc(r row) *obj {
	o := s.rawObj(snapinGroupAssocSchema, r, snapinGroupAssocSchema.keys())
	return o.set("snapin", newObj()).set("storagegroup", newObj())
}

// destroySnapinLocked is Snapin::destroy: the snapin, its host and storage
// group associations and every snapin task using it, queued or not, go;
// jobs are left as they are, possibly queued with no task (recording 682).
func (s *Server) destroySnapinLocked(id int64) {
	s.deleteWhereLocked("snapinassociation", "snapinID", id)
	s.deleteWhereLocked("snapingroupassociation", "snapinID", id)
	s.deleteWhereLocked("snapintask", "snapinID", id)
	s.tbl("snapin").delete(id)
}
