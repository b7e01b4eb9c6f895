// A one-thread epoll HTTP/1.1 server that answers every GET after exactly DELAY ms (keep-alive,
// a 2-byte body), for bench/latency.sh. One delay for every request means the requests due are a
// FIFO: each one read is queued with its deadline, the loop sleeps (epoll_pwait2, nanoseconds)
// until the head is due and answers everything due. Its own lateness (answer time - deadline) is
// kept in a histogram and printed on SIGTERM/SIGINT, so the bench can show the server's own tail.
// usage: delay-server PORT [DELAY_MS]
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 65536
#define QUEUE (1 << 20)
static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok";

typedef struct { int fd; uint32_t gen; int64_t due; } Due;
static Due queue[QUEUE];
static size_t head, tail;
static uint32_t gens[MAX_FDS];     // bumped on close: a queued answer for a closed fd is dropped
static char partial[MAX_FDS][4];  // the last bytes of a read, so "\r\n\r\n" split across reads is found
static uint64_t late_us[100001];  // lateness histogram in µs, the last bucket for ≥ 100 ms
static uint64_t answered, dropped;
static volatile sig_atomic_t stop;

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void on_signal(int sig) { (void)sig; stop = 1; }

static void close_fd(int epfd, int fd) {
  epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
  close(fd);
  gens[fd]++;
  memset(partial[fd], 0, 4);
}

// Counts the request ends ("\r\n\r\n") in what was read, across reads.
static int count_requests(int fd, const char *buf, ssize_t n) {
  int count = 0;
  char last[4];
  memcpy(last, partial[fd], 4);
  for (ssize_t i = 0; i < n; i++) {
    last[0] = last[1]; last[1] = last[2]; last[2] = last[3]; last[3] = buf[i];
    if (memcmp(last, "\r\n\r\n", 4) == 0) count++;
  }
  memcpy(partial[fd], last, 4);
  return count;
}

static void report(int64_t delay_ns) {
  uint64_t total = 0, seen = 0, max = 0;
  for (int i = 0; i <= 100000; i++) { total += late_us[i]; if (late_us[i]) max = i; }
  double ps[] = {50, 99, 99.9, 99.99};
  fprintf(stderr, "{\"answered\":%llu,\"dropped\":%llu,\"delay_ms\":%.3f", (unsigned long long)answered,
          (unsigned long long)dropped, delay_ns / 1e6);
  size_t k = 0;
  for (int i = 0; i <= 100000 && k < 4; i++) {
    seen += late_us[i];
    while (k < 4 && total && seen >= (uint64_t)(ps[k] / 100.0 * total)) {
      fprintf(stderr, ",\"late_p%g_us\":%d", ps[k], i);
      k++;
    }
  }
  fprintf(stderr, ",\"late_max_us\":%llu}\n", (unsigned long long)max);
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: delay-server PORT [DELAY_MS]\n"); return 2; }
  int port = atoi(argv[1]);
  int64_t delay = (int64_t)((argc > 2 ? atof(argv[2]) : 20.0) * 1e6);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, 8192)) { perror("bind/listen"); return 1; }
  int epfd = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd}, events[512];
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
  char buf[65536];
  while (!stop) {
    struct timespec timeout = {1, 0};
    if (head != tail) {
      int64_t wait = queue[head % QUEUE].due - now_ns();
      if (wait < 0) wait = 0;
      timeout.tv_sec = wait / 1000000000;
      timeout.tv_nsec = wait % 1000000000;
    }
    int n = epoll_pwait2(epfd, events, 512, &timeout, NULL);
    if (n < 0 && errno != EINTR) { perror("epoll_pwait2"); return 1; }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == lfd) {
        int c;
        while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          if (c >= MAX_FDS) { close(c); continue; }
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
          epoll_ctl(epfd, EPOLL_CTL_ADD, c, &cev);
        }
        continue;
      }
      ssize_t r = read(fd, buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        close_fd(epfd, fd);
        continue;
      }
      int requests = count_requests(fd, buf, r);
      int64_t due = now_ns() + delay;
      for (int k = 0; k < requests; k++) {
        if (tail - head == QUEUE) { dropped++; continue; }
        queue[tail++ % QUEUE] = (Due){fd, gens[fd], due};
      }
    }
    int64_t now = now_ns();
    while (head != tail && queue[head % QUEUE].due <= now) {
      Due d = queue[head++ % QUEUE];
      if (gens[d.fd] != d.gen) continue;
      if (write(d.fd, RESPONSE, sizeof RESPONSE - 1) < 0 && errno != EAGAIN) { close_fd(epfd, d.fd); continue; }
      int64_t late = (now_ns() - d.due) / 1000;  // after the write: what the client can see
      late_us[late > 100000 ? 100000 : late]++;
      answered++;
    }
  }
  report(delay);
  return 0;
}
