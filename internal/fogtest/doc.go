// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

// Package fogtest is an in-memory emulator of a FOG Project 1.5.9 web server
// (reference/fog-api.md, recordings in testdata/). It speaks JSON to the spec and does
// not import fogclient, so the client and the emulator cannot share a
// misunderstanding of the API.
//
// # Using it
//
//	srv := fogtest.New(fogtest.Options{})
//	ts := httptest.NewServer(srv)
//	// client: base URL ts.URL+"/fog", headers
//	//   fog-api-token:  fogtest.DefaultAPITokenBase64  (or srv.APITokenHeader())
//	//   fog-user-token: fogtest.DefaultUserTokenBase64 (or srv.UserTokenHeader())
//
// A new Server is a fresh FOG 1.5.9 database: task types, task states, image
// and partition types, OS rows, storage group 1 "default" and storage node 1
// "DefaultMember" (FTP user/pass DefaultFTPUser/DefaultFTPPassword), the
// plugin list, the global settings that matter (FOG_API_ENABLED on), and
// user "fog" (password DefaultPassword) owning DefaultUserToken.
//
// # What is emulated
//
// Authentication in FOG's order (302 when the API is disabled, before any
// auth; 403 for the API token; 401 for the user token or Basic, without
// WWW-Authenticate), the router (exact patterns, lower case only, extra
// slashes, query string ignored, %20 not decoded, 501 for everything else,
// HEAD only on /system), the output format (PHP pretty print passed through
// FOG's whitespace filter, escaped slashes, trim + htmlspecialchars on every
// string read, "success\n", "" for delete, ""/null for task creation, empty
// 404/501 bodies, empty text/html 500 for PHP fatals), lists, search, JSON
// body filters, the _api_ hiding, hosts and their MACs (including the
// destructive PUT "macs"), images (truncation and the ON DUPLICATE KEY
// UPDATE overwrite, the "hosts" bug), macaddressassociation, tasks (checks,
// multicast sessions, type 14, cancel semantics including the cancel-all
// fallback), zombies, the escape ratchet, groups and groupassociation
// (testdata/fleet 457-545), group tasks and multicast sessions with their
// links (546-614), snapins, their host links, snapin jobs and snapin tasks
// (deploySnapins, the cancels, the group bugs; 615-685), storage groups and
// nodes and image placement (imageassociation, the primary group, the 500
// of an image whose groups are gone; 686-745, reference/snapins-storage.md),
// scheduled tasks with FOGCron's next run and its runaway loop (746-772),
// inventory, imaging log and history (773-789), and the PXE client pages
// under /fog/service (jobs.php, ipxe/boot.php, Pre_Stage1.php, progress.php,
// Post_Stage2.php, Post_Stage3.php). Other valid classes are generic
// {id, name, description} tables; "user" answers 501.
//
// # Knobs (methods on *Server; all off by default)
//
//	SetAPIEnabled(bool), APIEnabled()         FOG_API_ENABLED
//	SetBasicAuthReachesPHP(bool)              mod_php (true) vs php-fpm (false, Basic always 401)
//	SetLatency(d), SetWorkers(n)              bounded worker pool (php-fpm); requests beyond it queue
//	PoolStats(), ResetPoolStats()             in flight, queued, peaks, served
//	AddFault(FaultRule) id, RemoveFault(id), ClearFaults(), Faults(), FaultsInjected()
//	Counters(), Count(route), TotalRequests(), ResetCounters()
//	Requests()                                every request with its body, status and fault (Options.RecordRequests)
//	SetAutoProgress(AutoProgress)             advance tasks every K polls and/or every D
//	AdvanceTask(id), CheckInTask(id), SetTaskProgress(id, Progress), CompleteTask(id), StallTask(id, bool), TaskSteps(id)
//	SetFTPAvailable(bool)                     capture completion fails while false
//	SetRunawayTimeout(d)                      how long a request PHP never answers is held before Apache's 504 (default 300 s)
//	StartOutage(Outage), EndOutage()          the server down for a window (refused connections, or 502/503), now or
//	OutageStats(), WaitOutageOver(ctx)        after N more writes; writes in flight are applied, their answers cut
//	Listener(net.Listener)                    a listener that a "refuse" outage closes and its end opens again
//	WakeOnLANSent()                           tasks created with "wol" (magic packets FOG would send)
//	RaceNextCreates(n)                        the next n creates all pass the duplicate check
//	Reset()                                   fresh database, knobs kept
//	SeedHost(name, imageID, macs...), SeedImage(name)
//	RawField(class, id, field), SetRawField(class, id, field, value), InsertRawRow(class, fields), IDs(class)
//	Snapshot()                                ids of every row of every table (zombies included)
//
// Routes in counters and fault rules are normalised: "GET /fog/image",
// "GET /fog/image/{id}", "GET /fog/image/search/{term}", "GET /fog/task/active",
// "PUT /fog/host/{id}", "POST /fog/image", "POST /fog/host/{id}/task",
// "DELETE /fog/task/{id}/cancel", "DELETE /fog/task/cancel",
// "DELETE /fog/image/{id}", "GET /fog/system/info", "PATCH (unrouted)",
// "POST /fog/service/progress.php". Aliases share a key (/list, /all and the
// bare class; /edit, /update and the bare PUT; /create, /new and the bare
// POST; /delete, /remove and the bare DELETE; current and active).
//
// Fault kinds: FaultStatus (502/503/504 with Apache's HTML page, handler not
// run), FaultResetBefore (connection reset, write not applied),
// FaultResetAfter (write applied, response lost), FaultSlowBody (chunked
// trickle), FaultPHPWarning (display_errors=On: "<br /><b>Warning</b>: ..."
// before the JSON; FOG buffers its output through the whitespace filter, so
// the status and the application/json type the handler set are kept and the
// warning's newlines next to tags are removed), FaultFatal (500, empty
// text/html: display_errors Off, the production default) and
// FaultFatalDisplayErrors (200, text/html, PHP's error message).
//
// Task progression follows testdata/lifecycle: a step is check-in (state 3,
// checkInTime), then progress reports at 25/50/75 % for imaging tasks (pct
// zero-padded, percent "%.2f", bpm, timeElapsed, timeRemaining, dataCopied,
// dataTotal; captures append the partition size to the image size), then
// completion (state 4, pct "0000000100", percent "100"; deploys set the
// host's deployed time, captures the image's). Automatic mode counts a poll
// each time the API shows a task (GET by id, /fog/task, /fog/task/active)
// and checks durations against Options.Now on every request; nothing runs
// in the background.
//
// # Admin HTTP surface
//
// Outside /fog, no FOG auth, not counted, not subject to latency or faults:
//
//	GET    /_emulator/                       index
//	GET    /_emulator/counters               {"total":N,"routes":{...}}
//	POST   /_emulator/counters/reset
//	GET    /_emulator/pool                   PoolStats
//	PUT    /_emulator/latency                {"latency":"50ms","workers":10}
//	GET    /_emulator/faults                 {"injected":N,"byKind":{...},"rules":[...]}
//	POST   /_emulator/faults                 FaultRule JSON -> {"id":N}
//	DELETE /_emulator/faults[/{id}]
//	PUT    /_emulator/api                    {"enabled":false}
//	PUT    /_emulator/basic-auth             {"reachesPHP":true}
//	PUT    /_emulator/ftp                    {"available":false}
//	PUT    /_emulator/runaway                {"timeout":"5s"}
//	GET|PUT|DELETE /_emulator/outage         {"mode":"unavailable","status":502,"for":"5s","afterWrites":10}
//	PUT    /_emulator/progress               {"everyPolls":3,"every":"2s"}
//	POST   /_emulator/tasks/{id}/{advance|checkin|progress|complete|stall|unstall}
//	POST   /_emulator/race                   {"n":2}
//	POST   /_emulator/hosts                  {"name":"h","imageID":0,"macs":["02:..."]} -> {"id":N}
//	POST   /_emulator/images                 {"name":"img"} -> {"id":N}
//	GET    /_emulator/raw/{class}/{id}       raw database row
//	POST   /_emulator/reset                  fresh database
//
// # Decisions where the spec is open
//
//   - Session bypass (reference/fog-api.md §1.5) is not implemented: a PHPSESSID cookie never
//     authenticates (recording system-info-web-session-cookie-only got 403).
//     POST /fog/management/index.php answers the login form's 302.
//   - Token auth records createdBy "fog"; Basic auth records the user name.
//   - ADPass/productKey read back base64-decoded when the stored value is
//     strict, padded base64 of printable UTF-8. FOG's encrypted form
//     hex(iv)|hex(cipher)[|hex(key)] (FOGBase aesencrypt) is decrypted with
//     the key part (AES-CBC, padding trimmed), reads "" without one, and a
//     malformed one answers 200 {"error":"<openssl-style message>"}.
//   - MACs are parsed with FOG's parseMacList formats; the pending-MAC
//     filter drops MACs containing any listed entry (case-insensitive).
//   - Inventory "memory" is FOGBase::formatByteSize (unit chosen from the
//     number of decimal digits) of the second word of "mem" times 1024.
//   - Pending MACs are never created by the API; PUT "macs" leaves them alone.
//     A PUT whose "macs" fails fatally does not save the host row itself.
//   - Snapins and storage, where fleet D and E are silent: "all snapins" are
//     the linked ones that exist, by name; a 12 on an active 12/13 cancels
//     the host's jobs and starts a new one; snapinjob/snapintask cancels by
//     unknown id or body cancel every active match; a snapin task whose job
//     is gone is neither listed nor read; snapins read like images when
//     their groups are gone (500); a missing storage node name is a zombie
//     like a missing pass; group create and PUT "snapins" apply to the
//     members after that request's "hosts" change.
//   - A runaway request (a cron task no minute can match) is held until the
//     client gives up or SetRunawayTimeout passes, then answered 504.
//   - Multicast ports: the first session uses FOG_UDPCAST_STARTINGPORT
//     (63100), later ones a random even port from the seeded source.
//   - Ping status 111 and unknown codes use plausible icons (only code 0 was
//     recorded).
//   - Unknown /fog/service pages and paths outside /fog answer Apache's 404.
package fogtest
