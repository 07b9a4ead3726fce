// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// phpFatalPanic aborts the handler with an uncaught PHP error: 500 with an
// empty text/html body, and whatever was written before stays.
type phpFatalPanic struct{}

// handleAPI runs FOG's Route class: the API switch, authentication, then the
// router (reference/fog-api.md §1.3, §2).
func (s *Server) handleAPI(r *http.Request, body []byte, rt route) (resp *response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			switch e := p.(type) {
			case secretError:
				resp = errorResp(s, http.StatusOK, e.msg)
			case runawayPanic:
				resp = &response{runaway: true}
			case phpFatalPanic:
				resp = fatalResp()
			default:
				panic(p)
			}
		}
	}()
	if !phpTruthyString(s.settingLocked("FOG_API_ENABLED")) {
		// Before any auth check (recording system-info-api-disabled-no-auth).
		return &response{status: http.StatusFound, ctype: ctHTML,
			location: scheme(r) + "://" + hostHeader(r) + "/fog/management/index.php"}
	}
	user, fail := s.authLocked(r)
	if fail != nil {
		return fail
	}
	s.autoProgressByTimeLocked()
	switch rt.kind {
	case "status":
		if r.Method == http.MethodHead {
			return &response{status: http.StatusOK, ctype: ctJSON}
		}
		return &response{status: http.StatusOK, ctype: ctJSON, body: []byte("success\n")}
	case "names", "ids":
		// A PHP 8 TypeError in both handlers (recordings image-names, image-ids).
		return fatalResp()
	case "list", "details":
		return s.listLocked(rt.class, parseBody(body), rt.kind == "details")
	case "search":
		return s.searchLocked(rt.class, rt.term)
	case "indiv":
		if rt.class == "storagenode" && rt.term != "" {
			return s.getNodeItemLocked(rt.id, rt.term)
		}
		return s.getLocked(rt.class, rt.id)
	case "active":
		return s.activeLocked(rt.class, parseBody(body))
	case "create":
		return s.createLocked(rt.class, parseBody(body), user, true)
	case "edit":
		return s.editLocked(rt.class, rt.id, parseBody(body))
	case "delete":
		return s.deleteLocked(rt.class, rt.id)
	case "task":
		return s.taskLocked(rt.class, rt.id, parseBody(body), user)
	case "cancel":
		return s.cancelLocked(rt, parseBody(body))
	}
	return emptyResp(http.StatusNotImplemented)
}

func phpTruthyString(v string) bool { return v != "" && v != "0" }

var basicUserRe = regexp.MustCompile(`^\w\w*[._-]?\w*[.]?\w+$`)

// authLocked is Route::_testToken then Route::_testAuth. It returns the name
// recorded as createdBy ("" means FOG's default "fog").
func (s *Server) authLocked(r *http.Request) (string, *response) {
	token := s.settingLocked("FOG_API_TOKEN")
	if phpTrim(phpBase64Decode(r.Header.Get("fog-api-token"))) != token {
		return "", emptyResp(http.StatusForbidden)
	}
	if ut := phpTrim(phpBase64Decode(r.Header.Get("fog-user-token"))); ut != "" {
		for _, u := range s.users {
			if u.APIToken == ut && u.AllowAPI {
				return "", nil
			}
		}
	}
	if s.basicPHP {
		if name, pass, ok := r.BasicAuth(); ok && len(name) >= 3 && len(name) <= 40 && basicUserRe.MatchString(name) {
			for _, u := range s.users {
				if strings.EqualFold(u.Name, name) && u.Password == pass {
					return u.Name, nil
				}
			}
		}
	}
	// 401 without WWW-Authenticate (HTTPResponseCodes::breakHead).
	return "", emptyResp(http.StatusUnauthorized)
}

// ---- reading ----

// listVisible reports whether a row takes part in list/search/GET at all
// (host loads join the primary MAC; tasks join their host).
func (s *Server) listVisible(class string, r row) bool {
	switch class {
	case "host":
		return s.hostVisible(r)
	case "task":
		return s.taskVisible(r)
	case "snapintask":
		return s.snapinTaskVisible(r)
	}
	return true
}

// objectValid is FOGController::isValid after a load by id (reference/fog-api.md §4.7).
func (s *Server) objectValid(class string, r row) bool {
	if r == nil || r.int("id") < 1 || !s.listVisible(class, r) {
		return false
	}
	t := s.tbl(class)
	for _, k := range t.sc.required {
		if k == "id" {
			continue
		}
		c, _ := t.sc.col(k)
		if c.kind == cInt {
			continue // a number, 0 included, is never empty
		}
		if loadedValue(t.sc, r, k) == "" {
			return false
		}
	}
	switch class {
	case "host":
		return s.hostValid(r)
	case "image":
		return s.imageTypeRow(r) != nil
	case "storagenode":
		return loadedValue(t.sc, r, "name") != ""
	}
	return true
}

func (s *Server) listResp(class string, ids []int64, details bool) *response {
	if resp := s.listTooLarge(class, len(ids)); resp != nil {
		return resp
	}
	t := s.tbl(class)
	items := make([]any, 0, len(ids))
	for _, id := range ids {
		items = append(items, s.render(class, t.rows[id], true, details))
	}
	resp := s.jsonResp(http.StatusOK, newObj().set("count", int64(len(items))).set(class+"s", items))
	resp.cost = s.listCost(class, len(items))
	return resp
}

func (s *Server) listLocked(class string, filter map[string]any, details bool) *response {
	if class == "plugin" {
		return s.jsonResp(http.StatusOK, pluginList())
	}
	t := s.tbl(class)
	query := func() []int64 {
		ids := t.where(func(r row) bool {
			return s.listVisible(class, r) && !hiddenAPIName(r["name"]) && filterMatch(t.sc, r, filter)
		})
		t.sortByName(ids)
		return ids
	}
	if class == "task" {
		s.notePollsLocked(query())
	}
	return s.listResp(class, query(), details)
}

func (s *Server) searchLocked(class, term string) *response {
	if class == "task" {
		// Undefined variable passed to count() on PHP 8 (reference/fog-api.md §9).
		return fatalResp()
	}
	if class == "plugin" {
		return s.jsonResp(http.StatusOK, pluginList())
	}
	t := s.tbl(class)
	pattern := searchPattern(term)
	extra := s.searchExtra(class, term, pattern)
	ids := t.where(func(r row) bool {
		if !s.listVisible(class, r) || hiddenAPIName(r["name"]) {
			return false
		}
		return extra[r.int("id")] || rowMatchesPattern(t.sc, r, pattern)
	})
	t.sortByName(ids)
	return s.listResp(class, ids, false)
}

// searchExtra returns ids matched through related objects (reference/fog-api.md §9).
func (s *Server) searchExtra(class, term, pattern string) map[int64]bool {
	out := map[int64]bool{}
	switch class {
	case "host":
		macPat := macSearchPattern(term)
		mt := s.tbl("macaddressassociation")
		for _, id := range mt.ids() {
			m := mt.rows[id]
			if likeMatch(m["mac"], pattern) || (macPat != "" && likeMatch(m["mac"], macPat)) {
				out[m.int("hostID")] = true
			}
		}
		it := s.tbl("inventory")
		for _, id := range it.ids() {
			inv := it.rows[id]
			for _, k := range []string{"sysserial", "caseserial", "mbserial", "sysman", "sysproduct", "primaryUser", "other1", "other2"} {
				if likeMatch(inv[k], pattern) {
					out[inv.int("hostID")] = true
				}
			}
		}
		imgs := s.tbl("image")
		ht := s.tbl("host")
		for _, hid := range ht.ids() {
			h := ht.rows[hid]
			if img := imgs.get(h.int("imageID")); img != nil && (likeMatch(img["name"], pattern) || likeMatch(img["description"], pattern)) {
				out[hid] = true
			}
		}
		s.groupSearchHosts(pattern, out)
	case "image":
		ht := s.tbl("host")
		for _, hid := range ht.ids() {
			h := ht.rows[hid]
			if likeMatch(h["name"], pattern) || likeMatch(h["description"], pattern) || likeMatch(h["ip"], pattern) {
				if iid := h.int("imageID"); iid > 0 {
					out[iid] = true
				}
			}
		}
	}
	return out
}

func (s *Server) getLocked(class string, id int64) *response {
	if class == "plugin" {
		return emptyResp(http.StatusNotFound)
	}
	t := s.tbl(class)
	r := t.get(id)
	if !s.objectValid(class, r) {
		return emptyResp(http.StatusNotFound)
	}
	if class == "task" {
		s.notePollsLocked([]int64{id})
		r = t.get(id)
		if r == nil {
			return emptyResp(http.StatusNotFound)
		}
	}
	return s.jsonResp(http.StatusOK, s.render(class, r, false, false))
}

// activeLocked lists queued/checked-in/in-progress rows (state 0-3), sorted
// by name, ANDed with the body filter and without the _api_ hiding (reference/fog-api.md §7.5).
func (s *Server) activeLocked(class string, filter map[string]any) *response {
	t := s.tbl(class)
	query := func() []int64 {
		ids := t.where(func(r row) bool {
			if !s.listVisible(class, r) || !filterMatch(t.sc, r, filter) {
				return false
			}
			switch class {
			case "task", "multicastsession", "snapinjob", "snapintask":
				st := r.int("stateID")
				return st >= 0 && st <= 3 && r["stateID"] != ""
			case "scheduledtask":
				return r["isActive"] == "1"
			}
			return false
		})
		t.sortByName(ids)
		return ids
	}
	if class == "task" {
		s.notePollsLocked(query())
	}
	return s.listResp(class, query(), false)
}

// ---- writing ----

// bodyValues turns the body's field keys into bound strings; null values
// and unknown keys are skipped, id is ignored.
func bodyValues(sc *schema, body map[string]any) map[string]string {
	vals := map[string]string{}
	for _, c := range sc.cols {
		if c.key == "id" {
			continue
		}
		if v, ok := body[c.key]; ok && v != nil {
			vals[c.key] = phpString(v)
		}
	}
	return vals
}

func (s *Server) alreadyCreated() *response {
	return errorResp(s, http.StatusInternalServerError, "Already created")
}

// createLocked is Route::create (reference/fog-api.md §6.2).
// racing lets the request take part in a RaceNextCreates group.
func (s *Server) createLocked(class string, body map[string]any, user string, racing bool) *response {
	if class == "plugin" {
		return emptyResp(http.StatusNotImplemented)
	}
	t := s.tbl(class)
	sc := t.sc
	if sc.hasName && class != "task" && class != "scheduledtask" {
		if v, ok := body["name"]; ok && v != nil && t.nameExists(phpString(v)) {
			return s.alreadyCreated()
		}
	}
	vals := bodyValues(sc, body)
	if class == "storagenode" {
		storageNodeCreateDefaults(vals)
	}
	var macs *hostMACPlan
	if class == "host" {
		var fail *response
		macs, fail = s.planHostCreateMACs(body)
		if fail != nil {
			return fail
		}
	}
	var groupPlan groupHostsPlan
	if class == "group" {
		var fail *response
		if groupPlan, fail = s.planGroupCreate(body); fail != nil {
			return fail
		}
	}
	for _, k := range sc.required {
		if _, ok := vals[k]; !ok {
			return errorResp(s, http.StatusExpectationFailed, "Required database field is empty: "+k)
		}
	}
	// FOGController::save fills a createdBy or createdTime that is falsy,
	// not only one that was left out.
	if _, ok := sc.col("createdBy"); ok {
		if v := vals["createdBy"]; !phpTruthyString(v) {
			vals["createdBy"] = "fog"
			if user != "" {
				vals["createdBy"] = user
			}
		}
	}
	if _, ok := sc.col("createdTime"); ok {
		if v := vals["createdTime"]; !phpTruthyString(v) {
			vals["createdTime"] = s.nowString()
		}
	}
	var race *raceTicket
	if racing {
		race = s.joinRaceLocked()
	}
	id := t.insert(t.build(vals))
	race.inserted()
	switch class {
	case "host":
		s.applyHostCreateMACs(id, macs)
		s.hostCreateGroups(id, body)
		s.applyHostSnapins(id, body, false)
	case "image":
		s.applyImageCreateCollections(id, body)
	case "group":
		s.applyGroupHostsPlan(id, groupPlan)
		s.applyGroupSnapins(id, body)
	}
	r := t.get(id)
	if !s.objectValid(class, r) {
		return emptyResp(http.StatusNotFound)
	}
	return s.jsonResp(http.StatusOK, s.render(class, r, false, false))
}

// editLocked is Route::edit (reference/fog-api.md §6.2): load, rename check, set every field from
// the body or from its loaded (escaped) value, collections, save, reload.
func (s *Server) editLocked(class string, id int64, body map[string]any) *response {
	t := s.tbl(class)
	r := t.get(id)
	if class == "plugin" || !s.objectValid(class, r) {
		return emptyResp(http.StatusNotFound)
	}
	if v, ok := body["name"]; ok && v != nil && t.sc.hasName && class != "task" && class != "scheduledtask" {
		sent := phpString(v)
		if strings.ToLower(loadedValue(t.sc, r, "name")) != sent && t.nameExists(sent) {
			return s.alreadyCreated()
		}
	}
	set := bodyValues(t.sc, body)
	if class == "host" {
		if v, ok := body["macs"]; ok && v != nil {
			if fail := s.editHostMACs(id, v); fail != nil {
				return fail
			}
		}
	}
	var groupPlan groupHostsPlan
	if class == "group" {
		var fail *response
		if groupPlan, fail = s.planGroupEdit(id, body); fail != nil {
			return fail
		}
	}
	s.saveObjectLocked(class, id, set)
	switch class {
	case "host":
		s.hostEditGroups(id, body)
		s.applyHostSnapins(id, body, true)
	case "image":
		s.applyImageEditCollections(id, body)
	case "group":
		s.applyGroupHostsPlan(id, groupPlan)
		s.applyGroupSnapins(id, body)
	}
	r = t.get(id)
	if !s.objectValid(class, r) {
		return emptyResp(http.StatusNotFound)
	}
	return s.jsonResp(http.StatusOK, s.render(class, r, false, false))
}

// saveObjectLocked is FOGController::save() on a loaded object: the fields
// in set are stored as given, every other column is written back from its
// loaded value (trimmed and HTML-escaped strings: the escape ratchet).
func (s *Server) saveObjectLocked(class string, id int64, set map[string]string) {
	t := s.tbl(class)
	r := t.get(id)
	if r == nil {
		return
	}
	n := row{"id": r["id"]}
	for _, c := range t.sc.cols {
		if c.key == "id" {
			continue
		}
		if v, ok := set[c.key]; ok {
			n[c.key] = c.store(v)
		} else {
			n[c.key] = c.store(loadedValue(t.sc, r, c.key))
		}
	}
	if v, ok := n["createdBy"]; ok && v == "" {
		n["createdBy"] = "fog" // FOGController::save fills an empty createdBy (recordings 609, 612)
	}
	t.put(id, n)
}

// deleteLocked is Route::delete (reference/fog-api.md §6.6) with each class's cascade.
func (s *Server) deleteLocked(class string, id int64) *response {
	t := s.tbl(class)
	r := t.get(id)
	if class == "plugin" || !s.objectValid(class, r) {
		return emptyResp(http.StatusNotFound)
	}
	switch class {
	case "host":
		s.destroyHostLocked(id)
	case "image":
		s.destroyImageLocked(id)
	case "task":
		s.destroyTaskLocked(id)
	case "snapin":
		s.destroySnapinLocked(id)
	case "group":
		s.destroyGroupLocked(id)
	default:
		t.delete(id)
	}
	return s.jsonResp(http.StatusOK, "")
}

// destroyHostLocked is Host::destroy: MACs, tasks (deleted, not cancelled:
// edge recording f-host-delete-with-active-task), inventory, group
// memberships (recordings 543, 544), snapin links and jobs, every scheduled
// task whose hostID is the host's id, group tasks of the group with that id
// included (771), and imaging log rows (785).
func (s *Server) destroyHostLocked(id int64) {
	mt := s.tbl("macaddressassociation")
	for _, mid := range s.hostMACRows(id) {
		mt.delete(mid)
	}
	tt := s.tbl("task")
	for _, tid := range tt.where(func(r row) bool { return r.int("hostID") == id }) {
		s.destroyTaskLocked(tid)
	}
	s.deleteWhereLocked("inventory", "hostID", id)
	s.deleteWhereLocked("groupassociation", "hostID", id)
	s.destroyHostSnapinsLocked(id)
	s.deleteWhereLocked("scheduledtask", "hostID", id)
	s.deleteWhereLocked("imaginglog", "hostID", id)
	s.tbl("host").delete(id)
}

// destroyImageLocked is Image::destroy: hosts using it get imageID 0, the
// group associations go; tasks keep their imageID (edge recording
// f-task-get-after-image-delete).
func (s *Server) destroyImageLocked(id int64) {
	ht := s.tbl("host")
	for _, hid := range ht.ids() {
		if ht.rows[hid].int("imageID") == id {
			ht.rows[hid]["imageID"] = "0"
		}
	}
	s.deleteWhereLocked("imageassociation", "imageID", id)
	s.tbl("image").delete(id)
}

func (s *Server) destroyTaskLocked(id int64) {
	delete(s.db.polls, id)
	delete(s.db.lastStep, id)
	delete(s.db.stalled, id)
	delete(s.db.steps, id)
	s.tbl("task").delete(id)
}

// ---- image collections ----

func idList(v any) ([]int64, bool) {
	arr, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil, false
		}
		return []int64{mysqlToInt(phpString(v))}, true
	}
	var out []int64
	seen := map[int64]bool{}
	for _, e := range arr {
		n := mysqlToInt(phpString(e))
		if n > 0 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, true
}

// applyImageCreateCollections handles hosts and storagegroups on create
// (addImageCreateGroups). hosts has FOG's bug: the host list is loaded
// before the image has an id, so every host without an image is assigned
// too (reference/fog-api.md §6.4).
func (s *Server) applyImageCreateCollections(id int64, body map[string]any) {
	s.addImageCreateGroups(id, body)
	if hosts, ok := idList(body["hosts"]); ok {
		listed := map[int64]bool{}
		for _, h := range hosts {
			listed[h] = true
		}
		ht := s.tbl("host")
		for _, hid := range ht.ids() {
			if listed[hid] || ht.rows[hid].int("imageID") == 0 {
				ht.rows[hid]["imageID"] = strconv.FormatInt(id, 10)
			}
		}
	}
}

// applyImageEditCollections: on PUT both collections replace.
func (s *Server) applyImageEditCollections(id int64, body map[string]any) {
	s.setImageGroups(id, body)
	if hosts, ok := idList(body["hosts"]); ok {
		listed := map[int64]bool{}
		for _, h := range hosts {
			listed[h] = true
		}
		ht := s.tbl("host")
		for _, hid := range ht.ids() {
			cur := ht.rows[hid].int("imageID")
			switch {
			case listed[hid]:
				ht.rows[hid]["imageID"] = strconv.FormatInt(id, 10)
			case cur == id:
				ht.rows[hid]["imageID"] = "0"
			}
		}
	}
}
