// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

// Inventory (class inventory), imaging log (class imaginglog) and history
// (class history), fleet recordings 773-789.

// inventorySchema: UNIQUE iHostID, so a second create for a host overwrites
// its row in place and blanks what it does not send (recording 781).
var inventorySchema = newSchema("inventory", []string{"hostID"}, "hostID",
	integer("id"), integer("hostID"), str("primaryUser", 50), str("other1", 50), str("other2", 50),
	datetime("createdTime"), datetime("deleteDate"), str("sysman", 250), str("sysproduct", 250),
	str("sysversion", 250), str("sysserial", 250), str("sysuuid", 250), str("systype", 250),
	str("biosversion", 250), str("biosvendor", 250), str("biosdate", 250), str("mbman", 250),
	str("mbproductname", 250), str("mbversion", 250), str("mbserial", 250), str("mbasset", 250),
	str("cpuman", 250), str("cpuversion", 250), str("cpucurrent", 250), str("cpumax", 250),
	str("mem", 250), str("hdmodel", 250), str("hdserial", 250), str("hdfirmware", 250),
	str("caseman", 250), str("casever", 250), str("caseserial", 250), str("caseasset", 250),
)

// imagingLogSchema is imagingLog; "image" is the image name as text.
var imagingLogSchema = newSchema("imaginglog", []string{"hostID", "start", "finish", "image", "type"}, "",
	integer("id"), integer("hostID"), datetime("start"), datetime("finish"), str("image", 64),
	str("type", 64), str("createdBy", 255),
)

// historySchema is history. API calls write no rows: FOG logs history only
// for a logged-in user, and a token call has none (recording 777).
var historySchema = newSchema("history", nil, "",
	integer("id"), str("info", 255), str("createdBy", 200), datetime("createdTime"), str("ip", 50),
)

func init() {
	specificSchemas["imaginglog"] = imagingLogSchema
	specificSchemas["history"] = historySchema
}

// renderImagingLog is Route::getter for an imaging log row: the row with
// the host object appended (recording 784).
func (s *Server) renderImagingLog(r row) *obj {
	o := s.rawObj(imagingLogSchema, r, imagingLogSchema.keys())
	if h := s.tbl("host").get(r.int("hostID")); h != nil && s.hostVisible(h) {
		o.set("host", s.renderHost(h, h.int("imageID")))
	} else {
		o.set("host", stubHost(r.int("hostID")))
	}
	return o
}
