// The launce worker for bench/workers: launce's own README user (Go net/http, the response body
// read to the end and counted, u.Report), without its wait, like our boomer program; one shared
// keep-alive transport with enough idle connections for every user (net/http's default keeps 2
// per host, which would reconnect all the time at 1,000 users and be unfair to launce).
// --mode record: a user whose Process only calls u.Report (no HTTP, no wait); --mode idle: the
// README user with an hour's wait time after each request, for the memory of an idle user.
// usage: launce-bench --url http://127.0.0.1:18080/ --master-host 127.0.0.1 --master-port 5557 [--class DefaultUser] [--mode http|record|idle]
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/qitoi/launce"
)

var (
	url        = flag.String("url", "http://127.0.0.1:18080/", "the target to GET")
	masterHost = flag.String("master-host", "127.0.0.1", "the Locust master")
	masterPort = flag.Int("master-port", 5557, "the master's --master-bind-port")
	className  = flag.String("class", "DefaultUser", "the user class name the master spawns")
	mode       = flag.String("mode", "http", "http, record (record only) or idle (one GET, then wait)")

	transport = &http.Transport{MaxIdleConns: 20000, MaxIdleConnsPerHost: 20000, IdleConnTimeout: 90 * time.Second}
)

var _ launce.BaseUser = (*MyUser)(nil)

// MyUser is the README's user: a per-user http.Client, GET, body counted, Report.
type MyUser struct {
	launce.BaseUserImpl
	client *http.Client
	wait   time.Duration
}

func (u *MyUser) WaitTime() launce.WaitTimeFunc { return launce.Constant(u.wait) }

func (u *MyUser) OnStart(ctx context.Context) error {
	u.client = &http.Client{Transport: transport, Timeout: 10 * time.Second}
	return nil
}

func (u *MyUser) Process(ctx context.Context) error {
	if err := u.request(ctx, http.MethodGet, "/"); err != nil {
		return err
	}
	if u.wait > 0 {
		return u.Wait(ctx)
	}
	return nil
}

func (u *MyUser) request(ctx context.Context, method, path string) error {
	req, err := http.NewRequest(method, *url, nil)
	if err != nil {
		return err
	}
	req = req.WithContext(ctx)
	t := time.Now()
	res, err := u.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	size, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return err
	}
	responseTime := time.Since(t)
	var resErr error
	if 400 <= res.StatusCode && res.StatusCode < 600 {
		resErr = errors.New("unexpected response status code")
	}
	u.Report(method, path, responseTime, size, resErr)
	return nil
}

// RecordUser only records: the cost of launce's recording path and scheduler per sample.
type RecordUser struct {
	launce.BaseUserImpl
}

func (u *RecordUser) WaitTime() launce.WaitTimeFunc { return launce.Constant(0) }

func (u *RecordUser) Process(ctx context.Context) error {
	u.Report(http.MethodGet, "/", time.Millisecond, 0, nil)
	return nil
}

func main() {
	flag.Parse()
	worker, err := launce.NewWorker(launce.NewZmqTransport(*masterHost, *masterPort))
	if err != nil {
		log.Fatal(err)
	}
	worker.RegisterUser(*className, func() launce.User {
		switch *mode {
		case "record":
			return &RecordUser{}
		case "idle":
			return &MyUser{wait: time.Hour}
		}
		return &MyUser{}
	})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		worker.Quit()
	}()
	if err := worker.Join(); err != nil {
		log.Fatal(err)
	}
}
