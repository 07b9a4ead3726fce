// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

// Column lists per API class, in the key order FOG prints them (recordings
// host-get-by-id, image-get-by-id, task-get-by-id, storagenode-list, ...).
// Sizes are the schema-270 column lengths that matter for truncation.

var hostSchema = newSchema("host", []string{"name"}, "name",
	integer("id"), str("name", 16), text("description"), str("ip", 25), integer("imageID"),
	integer("building"), datetime("createdTime"), datetime("deployed"), str("createdBy", 50),
	enum01("useAD"), str("ADDomain", 250), text("ADOU"), str("ADUser", 250), str("ADPass", 250),
	text("ADPassLegacy"), text("productKey"), str("printerLevel", 2), str("kernelArgs", 250),
	str("kernel", 250), str("kernelDevice", 250), text("init"), enum01("pending"), text("pub_key"),
	text("sec_tok"), datetime("sec_time"), str("pingstatus", 20), text("biosexit"), text("efiexit"),
	enum01("enforce"),
)

var imageSchema = newSchema("image", []string{"name", "path", "imageTypeID", "osID"}, "name",
	integer("id"), integer("imageTypeID"), integer("imagePartitionTypeID"), str("name", 40),
	text("description"), text("path"), datetime("createdTime"), str("createdBy", 50),
	integer("building"), str("size", 255), integer("osID"), datetime("deployed"), str("format", 1),
	text("magnet"), integer("protected"), integer("compress"), enum01("isEnabled"),
	enum01("toReplicate"), integer("srvsize"),
)

// imageListKeys is the key order of an image inside lists, searches and
// nested objects (the raw row of the join); GET by id puts id first.
var imageListKeys = []string{"imageTypeID", "imagePartitionTypeID", "id", "name", "description", "path",
	"createdTime", "createdBy", "building", "size", "osID", "deployed", "format", "magnet", "protected",
	"compress", "isEnabled", "toReplicate", "srvsize"}

var taskSchema = newSchema("task", []string{"id", "typeID", "hostID"}, "",
	integer("id"), str("name", 250), datetime("checkInTime"), integer("hostID"), integer("stateID"),
	datetime("createdTime"), str("createdBy", 250), enum01("isForced"), datetime("scheduledStartTime"),
	integer("typeID"), column{key: "pct", kind: cZerofill}, str("bpm", 250), str("timeElapsed", 250),
	str("timeRemaining", 250), str("dataCopied", 250), str("percent", 250), str("dataTotal", 250),
	integer("storagegroupID"), integer("storagenodeID"), str("NFSFailures", 1), integer("NFSLastMemberID"),
	str("shutdown", 1), str("passreset", 250), integer("isDebug"), integer("imageID"), enum01("wol"),
)

var multicastSchema = newSchema("multicastsession", nil, "",
	integer("id"), str("name", 250), integer("port"), text("logpath"), integer("clients"),
	integer("sessclients"), str("interface", 250), datetime("starttime"), integer("percent"),
	integer("stateID"), datetime("completetime"), integer("isDD"), integer("storagegroupID"),
	str("anon3", 250), str("anon4", 250), str("anon5", 250), column{key: "imageID", kind: cLongNum},
)

var macSchema = newSchema("macaddressassociation", []string{"hostID", "mac"}, "mac",
	integer("id"), integer("hostID"), str("mac", 59), text("description"), enum01("pending"),
	enum01("primary"), enum01("clientIgnore"), enum01("imageIgnore"),
)

var storageGroupSchema = newSchema("storagegroup", []string{"name"}, "name",
	integer("id"), str("name", 255), text("description"),
)

var storageNodeSchema = newSchema("storagenode", []string{"ip", "path", "ftppath", "user", "pass"}, "name",
	integer("id"), str("name", 255), text("description"), enum01("isMaster"), integer("storagegroupID"),
	enum01("isEnabled"), enum01("isGraphEnabled"), text("path"), text("ftppath"), str("bitrate", 255),
	str("helloInterval", 255), text("snapinpath"), text("sslpath"), str("ip", 255), integer("maxClients"),
	str("user", 255), str("pass", 255), text("key"), str("interface", 255), integer("bandwidth"),
	str("webroot", 255),
)

var taskTypeSchema = newSchema("tasktype", []string{"name"}, "name",
	integer("id"), str("name", 30), text("description"), str("icon", 255), str("kernel", 255),
	str("kernelArgs", 255), enumOf("type", "fog", "user"), enum01("isAdvanced"),
	enumOf("access", "both", "host", "group"), str("initrd", 255),
)

var taskStateSchema = newSchema("taskstate", []string{"name"}, "name",
	integer("id"), str("name", 30), text("description"), integer("order"), str("icon", 255),
)

var imageTypeSchema = newSchema("imagetype", []string{"name"}, "name",
	integer("id"), str("name", 100), str("type", 10),
)

var partitionTypeSchema = newSchema("imagepartitiontype", []string{"name"}, "name",
	integer("id"), str("name", 100), str("type", 10),
)

var osSchema = newSchema("os", []string{"name"}, "name",
	integer("id"), str("name", 30), text("description"),
)

// serviceSchema is the globalSettings table (class "service").
var serviceSchema = newSchema("service", []string{"name"}, "name",
	integer("id"), str("name", 255), text("description"), text("value"), str("category", 255),
)

// validClasses are the classes the API routes (reference/fog-api.md §2.2). "user" is deliberately
// absent: /fog/user answers 501.
var validClasses = []string{
	"clientupdater", "dircleaner", "greenfog", "group", "groupassociation", "history", "hookevent",
	"host", "hostautologout", "hostscreensetting", "image", "imageassociation", "imagepartitiontype",
	"imagetype", "imaginglog", "inventory", "ipxe", "keysequence", "macaddressassociation", "module",
	"moduleassociation", "multicastsession", "multicastsessionassociation", "nodefailure", "notifyevent",
	"os", "oui", "plugin", "powermanagement", "printer", "printerassociation", "pxemenuoptions",
	"scheduledtask", "service", "snapin", "snapinassociation", "snapingroupassociation", "snapinjob",
	"snapintask", "storagegroup", "storagenode", "task", "tasklog", "taskstate", "tasktype",
	"usercleanup", "usertracking", "virus",
}

var validTaskingClasses = map[string]bool{
	"group": true, "host": true, "multicastsession": true, "scheduledtask": true,
	"snapinjob": true, "snapintask": true, "task": true,
}

var validActiveClasses = map[string]bool{
	"multicastsession": true, "scheduledtask": true, "snapinjob": true, "snapintask": true, "task": true,
}

var validClassSet = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range validClasses {
		m[c] = true
	}
	return m
}()

// specificSchemas are the classes the emulator models column by column;
// every other valid class is a generic {id, name, description} table.
var specificSchemas = map[string]*schema{
	"host": hostSchema, "image": imageSchema, "task": taskSchema, "multicastsession": multicastSchema,
	"macaddressassociation": macSchema, "storagegroup": storageGroupSchema,
	"storagenode": storageNodeSchema, "tasktype": taskTypeSchema, "taskstate": taskStateSchema,
	"imagetype": imageTypeSchema, "imagepartitiontype": partitionTypeSchema, "os": osSchema,
	"inventory": inventorySchema, "service": serviceSchema, "group": groupSchema,
}

// Classes without a name column.
var namelessGeneric = map[string]bool{
	"groupassociation": true, "imageassociation": true, "moduleassociation": true,
	"multicastsessionassociation": true, "printerassociation": true, "snapinassociation": true,
	"snapingroupassociation": true, "snapinjob": true, "snapintask": true, "tasklog": true,
	"imaginglog": true, "nodefailure": true, "usertracking": true, "hostautologout": true,
	"hostscreensetting": true, "greenfog": true, "history": true, "oui": true, "virus": true,
	"scheduledtask": true, "dircleaner": true, "usercleanup": true, "powermanagement": true,
}

func genericSchema(class string) *schema {
	if namelessGeneric[class] {
		return newSchema(class, nil, "", integer("id"), text("description"))
	}
	return newSchema(class, []string{"name"}, "name", integer("id"), str("name", 250), text("description"))
}
