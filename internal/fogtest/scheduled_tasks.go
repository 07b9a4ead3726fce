// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogtest

import (
	"context"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Scheduled tasks (class scheduledtask, table scheduledTasks), fleet
// recordings 746-772.

// scheduledTaskSchema: every flag column is a VARCHAR, so a flag that is
// not sent is stored as "" (recording 757: isActive "" is not active).
var scheduledTaskSchema = newSchema("scheduledtask", []string{"type", "taskTypeID", "hostID"}, "",
	integer("id"), str("name", 240), text("description"), str("type", 24), integer("taskTypeID"),
	str("minute", 240), str("hour", 240), str("dayOfMonth", 240), str("month", 240), str("dayOfWeek", 240),
	str("isGroupTask", 2), integer("hostID"), str("shutdown", 2), str("other1", 240), str("other2", 240),
	str("other3", 240), str("other4", 240), str("other5", 240), integer("scheduleTime"), str("isActive", 2),
	integer("imageID"),
)

func init() {
	specificSchemas["scheduledtask"] = scheduledTaskSchema
}

// DefaultRunawayTimeout is how long a runaway request (one FOG never
// answers) is held before the emulator answers it like Apache's proxy
// timeout did on the recorded server: 504 after 300 s (recording 758).
const DefaultRunawayTimeout = 300 * time.Second

// SetRunawayTimeout sets how long a runaway request is held before its 504
// (0: DefaultRunawayTimeout). The request also ends when the client gives up.
func (s *Server) SetRunawayTimeout(d time.Duration) { s.runawayTimeout.Store(int64(d)) }

// runawayPanic aborts the handler of a request PHP never finishes: any read
// that renders a cron task whose fields can never match loops forever in
// FOGCron::parse (recording 758; the row was still written).
type runawayPanic struct{}

// waitRunaway holds a runaway request until the client gives up (nil: no
// answer) or the runaway timeout passes (Apache's 504 page).
func (s *Server) waitRunaway(ctx context.Context, r *http.Request) *response {
	d := time.Duration(s.runawayTimeout.Load())
	if d <= 0 {
		d = DefaultRunawayTimeout
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil
	case <-t.C:
	}
	host, port := hostHeader(r), "80"
	if h, p, err := net.SplitHostPort(host); err == nil {
		host, port = h, p
	}
	body := "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n" +
		"<html><head>\n<title>504 Gateway Timeout</title>\n</head><body>\n<h1>Gateway Timeout</h1>\n" +
		"<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n" +
		"<hr>\n<address>Apache/2.4.71 (Debian) Server at " + host + " Port " + port + "</address>\n</body></html>\n"
	return &response{status: http.StatusGatewayTimeout, ctype: "text/html; charset=iso-8859-1", body: []byte(body)}
}

// renderScheduledTask is Route::getter for a scheduled task: the row, then
// "group" (isGroupTask truthy; hostID holds the group id) or "host", the
// task type and "runtime", the next run in server time.
func (s *Server) renderScheduledTask(r row) *obj {
	sc := scheduledTaskSchema
	o := s.rawObj(sc, r, sc.keys())
	target := r.int("hostID")
	if phpTruthyString(loadedValue(sc, r, "isGroupTask")) {
		if g := s.tbl("group").get(target); g != nil {
			o.set("group", s.renderGroup(g))
		} else {
			// An unloaded Group: its id, then getHostCount.
			o.set("group", newObj().set("id", dbInt(target)).set("hostcount", s.groupHostCount(target)))
		}
	} else {
		if h := s.tbl("host").get(target); h != nil && s.hostVisible(h) {
			o.set("host", s.renderHost(h, h.int("imageID")))
		} else {
			o.set("host", stubHost(target))
		}
	}
	if tt := s.tbl("tasktype").get(r.int("taskTypeID")); tt != nil {
		o.set("tasktype", s.rawObj(taskTypeSchema, tt, taskTypeKeys))
	} else {
		o.set("tasktype", newObj().set("id", dbInt(r.int("taskTypeID"))))
	}
	o.set("runtime", s.scheduledRuntime(r))
	return o
}

// stubHost is the host object FOG renders for a host id that does not load
// (recording 759).
func stubHost(id int64) *obj {
	pingHTMLs, pingText := pingHTML(0)
	return newObj().set("id", dbInt(id)).set("primac", "").set("imagename", nil).
		set("hostscreen", []any{}).set("hostalo", []any{}).
		set("inventory", newObj().set("memory", formatMemory(""))).
		set("ADPass", nil).set("productKey", nil).
		set("image", newObj().set("os", newObj()).set("imagepartitiontype", newObj()).set("imagetype", newObj())).
		set("pingstatus", pingHTMLs).set("pingstatuscode", int64(0)).set("pingstatustext", pingText).
		set("macs", []any{})
}

// scheduledRuntime is ScheduledTask::getTime: FOGCron::parse of the five
// fields for type "C", else the scheduleTime timestamp, as "Y-m-d H:i".
func (s *Server) scheduledRuntime(r row) string {
	sc := scheduledTaskSchema
	now := s.now()
	var ts int64
	if loadedValue(sc, r, "type") == "C" {
		cron := strings.Join([]string{
			loadedValue(sc, r, "minute"), loadedValue(sc, r, "hour"), loadedValue(sc, r, "dayOfMonth"),
			loadedValue(sc, r, "month"), loadedValue(sc, r, "dayOfWeek"),
		}, " ")
		ts = fogCronParse(cron, now)
	} else {
		ts = r.int("scheduleTime")
	}
	return time.Unix(ts, 0).In(now.Location()).Format("2006-01-02 15:04")
}

// cronStepLimit bounds the search for the next run; FOG's loop has none, so
// a cron that never matches (an empty field, a 30 February) never returns.
// A real cron needs at most some 2,000 steps (a leap day: four years of
// month and day steps).
var cronStepLimit = 100000

// fogCronParse is FOGCron::parse from start: step a minute while the minute
// field does not fit, an hour while the hour does not, a day while the day
// fields do not (day of month OR day of week when both are set), a month
// while the month does not; the answer has its seconds cut. It panics with
// runawayPanic when nothing matches and with phpFatalPanic on a modulo by
// zero ("*/0").
func fogCronParse(cron string, start time.Time) int64 {
	var f [5]string
	parts := splitEachSpace(cron)
	for i := 0; i < 5 && i < len(parts); i++ {
		f[i] = strings.Trim(parts[i], " \t\n\r\x00\x0B")
	}
	minute, hour, dom, month, dow := f[0], f[1], f[2], f[3], f[4]
	if isNumericString(dow) && phpLooseEqInt(dow, 0) {
		dow = "7"
	}
	// The minute, then the hour, is tested first on every step: one that no
	// value fits loops at once. The values are tried from the start's, as
	// the loop would, so a modulo by zero fires the same way.
	for _, fld := range []struct {
		f          string
		from, span int
	}{{minute, start.Minute(), 60}, {hour, start.Hour(), 24}} {
		if fld.f == "*" {
			continue
		}
		fits := false
		for k := 0; k < fld.span && !fits; k++ {
			fits = cronFit(fld.f, (fld.from+k)%fld.span)
		}
		if !fits {
			panic(runawayPanic{})
		}
	}
	t := start
	for step := 0; ; step++ {
		if step > cronStepLimit {
			panic(runawayPanic{})
		}
		nmin, nhour, ndom, nmonth := t.Minute(), t.Hour(), t.Day(), int(t.Month())
		ndow := int(t.Weekday())
		if ndow == 0 {
			ndow = 7
		}
		if minute != "*" && !cronFit(minute, nmin) {
			t = t.Add(time.Minute)
			continue
		}
		if hour != "*" && !cronFit(hour, nhour) {
			t = t.Add(time.Hour)
			continue
		}
		if dom != "*" && dow != "*" && !cronFit(dom, ndom) && !cronFit(dow, ndow) {
			t = t.AddDate(0, 0, 1)
			continue
		}
		if dow == "*" && dom != "*" && !cronFit(dom, ndom) {
			t = t.AddDate(0, 0, 1)
			continue
		}
		if dow != "*" && dom == "*" && !cronFit(dow, ndow) {
			t = t.AddDate(0, 0, 1)
			continue
		}
		if month != "*" && !cronFit(month, nmonth) {
			t = t.AddDate(0, 1, 0)
			continue
		}
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, t.Location()).Unix()
	}
}

// splitEachSpace is preg_split('/\s/', s): every whitespace character
// separates, so two spaces make an empty field.
func splitEachSpace(s string) []string {
	var out []string
	cur := strings.Builder{}
	for _, c := range s {
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(c)
		}
	}
	return append(out, cur.String())
}

// cronFit is FOGCron::_fit. strpos() at offset 0 is falsy, so a leading
// ",", "-" or "/" is not a separator.
func cronFit(str string, num int) bool {
	if strings.Index(str, ",") > 0 {
		for _, p := range strings.Split(str, ",") {
			if cronFit(p, num) {
				return true
			}
		}
		return false
	}
	if strings.Index(str, "-") > 0 {
		p := strings.Split(str, "-")
		return num >= int(phpIntCast(p[0])) && num <= int(phpIntCast(p[1]))
	}
	if strings.Index(str, "/") > 0 {
		p := strings.Split(str, "/")
		pos := phpIntCast(p[1])
		if pos == 0 {
			panic(phpFatalPanic{}) // DivisionByZeroError: Modulo by zero
		}
		if p[0] == "*" {
			return int64(num)%pos == 0
		}
		return int64(num)%pos == phpIntCast(p[0])
	}
	return phpLooseEqInt(str, num)
}

const phpSpace = " \t\n\r\v\f"

// isNumericString is is_numeric for a string (PHP 8: surrounding
// whitespace allowed).
func isNumericString(s string) bool {
	t := strings.Trim(s, phpSpace)
	if t == "" || strings.ContainsAny(t, "xXnNiI_") {
		return false
	}
	_, err := strconv.ParseFloat(t, 64)
	return err == nil
}

// phpLooseEqInt is PHP 8's $string == $int: numerically for a numeric
// string, otherwise as strings.
func phpLooseEqInt(s string, n int) bool {
	if isNumericString(s) {
		f, _ := strconv.ParseFloat(strings.Trim(s, phpSpace), 64)
		return f == float64(n)
	}
	return s == strconv.Itoa(n)
}

// phpIntCast is (int)$string: the leading number, truncated; 0 when none.
func phpIntCast(s string) int64 {
	m := numPrefix.FindString(s)
	if m == "" {
		return 0
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(m), 64)
	if err != nil || math.IsNaN(f) {
		return 0
	}
	if f >= math.MaxInt64 || f <= math.MinInt64 {
		return 0
	}
	return int64(f)
}

// cancelScheduledTaskLocked is Route::cancel for a scheduled task: it has no
// stateID, get('stateID') is false, in_array(false, [0,1,2,3]) is true, and
// ScheduledTask::cancel() is destroy() (recording 768).
func (s *Server) cancelScheduledTaskLocked(rt route) *response {
	t := s.tbl("scheduledtask")
	if rt.hasID {
		if r := t.get(rt.id); s.objectValid("scheduledtask", r) {
			t.delete(rt.id)
		}
	}
	// An unknown id asks for rows with a stateID, a column the table does
	// not have: nothing is deleted.
	return s.jsonResp(http.StatusOK, nil)
}
