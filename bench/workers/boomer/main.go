// The boomer worker for bench/workers: one task that GETs the target with Go's net/http client
// (keep-alive, enough idle connections for every user) and records it like the seed project did.
// --mode record: the task only records a success (no HTTP); --mode idle: one GET, then an hour's
// sleep (boomer has no wait time: its tasks run back to back), for the memory of an idle user.
// usage: boomer-bench --url http://127.0.0.1:18080/ --master-host 127.0.0.1 --master-port 5557 [--mode http|record|idle]
package main

import (
	"flag"
	"io"
	"net/http"
	"time"

	"github.com/myzhan/boomer"
)

var (
	url  = flag.String("url", "http://127.0.0.1:18080/", "the target to GET")
	mode = flag.String("mode", "http", "http, record (record only) or idle (one GET, then sleep)")
)

func main() {
	flag.Parse() // boomer.Run parses only when nobody has; --master-host/--master-port are boomer's
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        4000,
			MaxIdleConnsPerHost: 4000, // ≥ users, so every user keeps its connection alive
			IdleConnTimeout:     90 * time.Second,
		},
	}
	task := &boomer.Task{
		Name:   "getRoot",
		Weight: 1,
		Fn: func() {
			start := time.Now()
			resp, err := client.Get(*url)
			if err != nil {
				boomer.RecordFailure("GET", "/", time.Since(start).Milliseconds(), err.Error())
				return
			}
			length, err := io.Copy(io.Discard, resp.Body) // read it all, or the connection is not reused
			resp.Body.Close()
			elapsed := time.Since(start).Milliseconds() // boomer v1.6.0 records whole milliseconds
			if err != nil || resp.StatusCode >= 400 {
				boomer.RecordFailure("GET", "/", elapsed, resp.Status)
				return
			}
			boomer.RecordSuccess("GET", "/", elapsed, length)
		},
	}
	switch *mode {
	case "record":
		task.Fn = func() { boomer.RecordSuccess("GET", "/", 1, 0) }
	case "idle":
		get := task.Fn
		task.Fn = func() { get(); time.Sleep(time.Hour) }
	}
	boomer.Run(task)
}
