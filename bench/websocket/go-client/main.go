// The Go side of bench/websocket: N gorilla/websocket clients, each looping send → read echo
// (boomer's style of task: one goroutine per user, one round trip at a time), for a set time.
// Prints one JSON line: round trips done, and the process's CPU seconds (user + system) while looping.
// With -serve ADDR it is the bench's echo server instead: gorilla's echo example without its
// per-message log line (so the server is not the bottleneck on a 2-core machine).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

func cpuSeconds() float64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic(err)
	}
	return float64(usage.Utime.Sec+usage.Stime.Sec) + float64(usage.Utime.Usec+usage.Stime.Usec)/1e6
}

func main() {
	url := flag.String("url", "ws://127.0.0.1:8080/echo", "echo server")
	sockets := flag.Int("sockets", 100, "concurrent sockets")
	seconds := flag.Float64("seconds", 5, "how long to loop")
	size := flag.Int("size", 32, "message bytes")
	serve := flag.String("serve", "", "be the echo server on this address instead")
	flag.Parse()
	if *serve != "" {
		upgrader := websocket.Upgrader{}
		http.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
			conn, err := upgrader.Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer conn.Close()
			for {
				kind, message, err := conn.ReadMessage()
				if err != nil || conn.WriteMessage(kind, message) != nil {
					return
				}
			}
		})
		fmt.Fprintln(os.Stderr, http.ListenAndServe(*serve, nil))
		os.Exit(1)
	}

	conns := make([]*websocket.Conn, *sockets)
	for i := range conns {
		conn, _, err := websocket.DefaultDialer.Dial(*url, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "dial:", err)
			os.Exit(1)
		}
		conns[i] = conn
	}
	payload := make([]byte, *size)
	for i := range payload {
		payload[i] = 'a' + byte(i%26)
	}
	var trips, failures atomic.Int64
	var wg sync.WaitGroup
	cpu0 := cpuSeconds()
	start := time.Now()
	end := start.Add(time.Duration(*seconds * float64(time.Second)))
	for _, conn := range conns {
		wg.Add(1)
		go func(conn *websocket.Conn) {
			defer wg.Done()
			for time.Now().Before(end) {
				if err := conn.WriteMessage(websocket.TextMessage, payload); err != nil {
					failures.Add(1)
					return
				}
				if _, _, err := conn.ReadMessage(); err != nil {
					failures.Add(1)
					return
				}
				trips.Add(1)
			}
		}(conn)
	}
	wg.Wait()
	cpu := cpuSeconds() - cpu0
	elapsed := time.Since(start).Seconds()
	for _, conn := range conns {
		conn.Close()
	}
	out, _ := json.Marshal(map[string]any{"client": "go-gorilla", "sockets": *sockets, "roundTrips": trips.Load(), "failures": failures.Load(), "cpuSeconds": cpu, "seconds": elapsed})
	fmt.Println(string(out))
}
