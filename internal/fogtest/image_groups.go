// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import "strconv"

// imageassociation is imageGroupAssoc: which storage groups hold an image,
// one of them primary; UNIQUE (image, group), so a duplicate create answers
// 404 (recording 724). A row written by the API without "primary" holds ""
// (722); rows written by the image's "storagegroups" key do not list it and
// get the column default "0" (720, 728).
var imageAssocSchema = newSchema("imageassociation", []string{"imageID", "storagegroupID"}, "imageID,storagegroupID",
	integer("id"), integer("imageID"), integer("storagegroupID"), enum01("primary").withDefault("0"),
)

func init() { specificSchemas["imageassociation"] = imageAssocSchema }

// renderImageAssoc: the related objects come back as empty objects (719).
func (s *Server) renderImageAssoc(r row) *obj {
	o := s.rawObj(imageAssocSchema, r, imageAssocSchema.keys())
	return o.set("image", newObj()).set("storagegroup", newObj())
}

// imagePrimaryGroup is the storage group an image is read and deployed from
// (primaryGroupOf; it may write a default association or abort the request).
func (s *Server) imagePrimaryGroup(imageID int64) int64 {
	return s.primaryGroupOf("imageassociation", "imageID", imageID)
}

// addImageCreateGroups handles "storagegroups" on image create. The image's
// groups are loaded before it has an id, which falls back to the lowest-id
// group, and the listed groups are added to that: [2] gives rows for groups
// 1 and 2, both primary "0", so the image stays in "default" (recording
// 720). Without the key (or with an empty list) nothing is written here and
// the read at the end of the create adds the primary row (718).
func (s *Server) addImageCreateGroups(imageID int64, body map[string]any) {
	listed, ok := idList(body["storagegroups"])
	if !ok || len(listed) == 0 {
		return
	}
	groups := listed
	if ids := s.tbl("storagegroup").ids(); len(ids) > 0 {
		groups = append([]int64{ids[0]}, listed...)
	}
	s.insertImageGroupsLocked(imageID, groups)
}

// setImageGroups handles "storagegroups" on image PUT: the list replaces
// the image's associations (recordings 728, 744). Kept rows keep their
// primary flag, new rows get "0"; group ids are not checked.
func (s *Server) setImageGroups(imageID int64, body map[string]any) {
	groups, ok := idList(body["storagegroups"])
	if !ok {
		return
	}
	want := map[int64]bool{}
	for _, g := range groups {
		want[g] = true
	}
	t := s.tbl("imageassociation")
	for _, id := range t.where(func(r row) bool { return r.int("imageID") == imageID && !want[r.int("storagegroupID")] }) {
		t.delete(id)
	}
	s.insertImageGroupsLocked(imageID, groups)
}

func (s *Server) insertImageGroupsLocked(imageID int64, groups []int64) {
	seen := map[int64]bool{}
	var rows []map[string]string
	for _, g := range groups {
		if seen[g] {
			continue
		}
		seen[g] = true
		rows = append(rows, map[string]string{
			"imageID": strconv.FormatInt(imageID, 10), "storagegroupID": strconv.FormatInt(g, 10),
		})
	}
	s.tbl("imageassociation").fogInsertBatch(rows)
}
